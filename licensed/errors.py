"""The daemon's one exception tree: a user-facing message, a machine code and an HTTP status."""

from __future__ import annotations


class LicensedError(Exception):
    """Base of every failure the daemon reports; translated once, at the edge (HTTP or CLI)."""

    code = "error"
    status = 500

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ConfigError(LicensedError):
    """Settings, secrets or products that stop the daemon from starting."""

    code = "config"


class BadRequest(LicensedError):
    code = "bad_request"
    status = 400


class Unauthorized(LicensedError):
    code = "unauthorized"
    status = 401


class NotFound(LicensedError):
    code = "not_found"
    status = 404


class Conflict(LicensedError):
    code = "conflict"
    status = 409


class PayloadTooLarge(LicensedError):
    code = "payload_too_large"
    status = 413


class StorageError(LicensedError):
    """The database failed or is unreachable: our fault, so the caller should retry."""

    code = "storage"
    status = 503


class SigningKeyDenied(LicensedError):
    """The key this daemon signs with is on the deny list: nothing is signed (the storefront
    retries) until the operator switches keys and the daemon reloads them."""

    code = "signing_key_denied"
    status = 503


class BackupError(LicensedError):
    """A backup that could not be taken, or a backup that must not be restored."""

    code = "backup"
