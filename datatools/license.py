"""The DTLIC2 license blob: mint, parse and verify signed licenses (standard library + cryptography only).

Format (ARCHITECTURE.md, "The license blob")::

    DTLIC2:<payload>.<signature>
    payload   = base64url (no padding) of the compact, key-sorted UTF-8 JSON of the fields
    signature = base64url (no padding) of Ed25519 over the ASCII bytes "DTLIC2:" + payload

The daemon imports this module too, so it must stay free of every other project import
(tests/test_license_codec.py checks it). Key files and keyring files live in
`datatools.license_keys`; this module reads and writes no file.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "DTLIC2:"
VERSION = 2


# --------------------------------------------------------------------------- errors


class LicenseError(Exception):
    """A license that cannot be used; `.code` is stable, the message is for the buyer."""

    code = "license_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotALicense(LicenseError):
    code = "not_a_license"


class UnsupportedVersion(LicenseError):
    code = "unsupported_version"


class Malformed(LicenseError):
    code = "malformed"


class UnknownKey(LicenseError):
    code = "unknown_key"


class DeniedKey(LicenseError):
    code = "denied_key"


class BadSignature(LicenseError):
    code = "bad_signature"


class WrongProduct(LicenseError):
    code = "wrong_product"


class Expired(LicenseError):
    code = "expired"


class UpdatesEnded(LicenseError):
    code = "updates_ended"


class Revoked(LicenseError):
    """The license is on the revocation list this release embeds (datatools/revocations.py)."""

    code = "revoked"


_DAMAGED = (
    "This license text is damaged: part of it is missing or changed. "
    "Copy the whole block from your license email again, from DTLIC2: to the end."
)


# --------------------------------------------------------------------------- the license record


@dataclass(frozen=True)
class License:
    """The signed payload of a DTLIC2 blob."""

    v: int
    kid: str
    lid: str
    product: str
    tier: str
    seats: int
    name: str
    email: str
    issued: date
    updates_until: date | None
    expires: date | None

    def to_payload(self) -> dict[str, Any]:
        """The JSON object that is signed, dates as YYYY-MM-DD strings."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


_FIELDS = {f.name for f in dataclasses.fields(License)}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _date_field(payload: Mapping[str, Any], name: str, *, nullable: bool) -> date | None:
    value = payload.get(name)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise Malformed(f"{_DAMAGED} (field '{name}' is not a YYYY-MM-DD date)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Malformed(f"{_DAMAGED} (field '{name}' is not a real date)") from None


def _text_field(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value:
        raise Malformed(f"{_DAMAGED} (field '{name}' is missing or empty)")
    return value


def license_from_payload(payload: Mapping[str, Any]) -> License:
    """Build a License from a payload object, checking every field's type; raises Malformed."""
    missing = sorted(_FIELDS - set(payload))
    if missing:
        raise Malformed(f"{_DAMAGED} (missing fields: {', '.join(missing)})")
    version = payload["v"]
    if type(version) is not int:
        raise Malformed(f"{_DAMAGED} (field 'v' is not a number)")
    if version != VERSION:
        raise UnsupportedVersion(
            f"This is a version {version} license; this release of DataTools reads version "
            f"{VERSION}. Update DataTools, or ask us for a new license."
        )
    seats = payload["seats"]
    if type(seats) is not int or seats < 1:
        raise Malformed(f"{_DAMAGED} (field 'seats' must be a whole number of at least 1)")
    return License(
        v=version,
        kid=_text_field(payload, "kid"),
        lid=_text_field(payload, "lid"),
        product=_text_field(payload, "product"),
        tier=_text_field(payload, "tier"),
        seats=seats,
        name=_text_field(payload, "name"),
        email=_text_field(payload, "email"),
        issued=_date_field(payload, "issued", nullable=False),  # type: ignore[arg-type]
        updates_until=_date_field(payload, "updates_until", nullable=True),
        expires=_date_field(payload, "expires", nullable=True),
    )


# --------------------------------------------------------------------------- encoding helpers

_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*\Z")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding: only the alphabet, and only the canonical spelling.

    The canonical check matters: the last character of a 64-byte signature carries two unused
    bits, and a lenient decoder would accept four spellings of one signature.
    """
    if not _B64URL_RE.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc
    if b64url_encode(data) != text:
        raise ValueError("not canonical base64url")
    return data


def canonical_json(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


# --------------------------------------------------------------------------- minting


def new_license_id() -> str:
    """A license id that reveals nothing (no counter, no order id): L- and 16 base32 letters."""
    return "L-" + base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def mint_blob(fields: Mapping[str, Any], private_key: Ed25519PrivateKey, kid: str) -> str:
    """Sign `fields` (every License field but `v` and `kid`) with `private_key` as key `kid`.

    Deterministic: the same fields and key always give the same blob. Raises Malformed when a
    field is missing or of the wrong type, so nothing unverifiable is ever minted.
    """
    payload = dict(fields)
    payload["v"] = VERSION
    payload["kid"] = kid
    # Validate by round-tripping through the record, then sign exactly what a verifier will read.
    record = license_from_payload(
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in payload.items()}
    )
    extras = {k: v for k, v in payload.items() if k not in _FIELDS}
    body = b64url_encode(canonical_json({**extras, **record.to_payload()}).encode("utf-8"))
    signature = private_key.sign((PREFIX + body).encode("ascii"))
    return f"{PREFIX}{body}.{b64url_encode(signature)}"


# --------------------------------------------------------------------------- parsing and verifying

# Quote characters people (and mail clients) wrap around pasted text.
_QUOTES = "\"'`“”‘’«»„‚"
_QUOTE_MARK_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_WHITESPACE_RE = re.compile(r"\s+")
_PREFIX_RE = re.compile(r"DTLIC(\d*):", re.IGNORECASE)


def normalize_paste(text: str) -> str:
    """Undo what copy-paste does to a blob: quotes, `> ` mail quoting, spaces and line breaks."""
    text = text.strip().strip(_QUOTES)
    text = _QUOTE_MARK_RE.sub("", text)
    text = _WHITESPACE_RE.sub("", text)
    return text.strip(_QUOTES)


def _split_blob(text: str) -> tuple[str, bytes, bytes]:
    """Return (payload text, payload bytes, signature bytes) or raise the matching error."""
    if not isinstance(text, str):
        raise NotALicense("This is not a DataTools license.")
    cleaned = normalize_paste(text)
    match = _PREFIX_RE.match(cleaned)
    if not match:
        raise NotALicense(
            "This is not a DataTools license. A license starts with DTLIC2: — copy the whole "
            "block from your license email."
        )
    if match.group(1) != str(VERSION):
        raise UnsupportedVersion(
            f"This license is in the format DTLIC{match.group(1) or '?'}, which this release "
            f"of DataTools does not read. Update DataTools, or ask us for a new license."
        )
    rest = cleaned[match.end():]
    parts = rest.split(".")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise Malformed(_DAMAGED)
    body, sig_text = parts
    try:
        payload_bytes = b64url_decode(body)
        signature = b64url_decode(sig_text)
    except ValueError:
        raise Malformed(_DAMAGED) from None
    if len(signature) != 64:
        raise Malformed(_DAMAGED)
    return body, payload_bytes, signature


def _decode_payload(payload_bytes: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: a payload of deeply nested arrays overflows the JSON parser's stack.
        raise Malformed(_DAMAGED) from None
    if not isinstance(payload, dict):
        raise Malformed(_DAMAGED)
    return payload


def verify_signature(text: str, keyring: "Keyring") -> License:
    """Parse a blob and check its key and signature, not what it entitles to (product, dates).

    The daemon uses this to accept a license minted elsewhere (break-glass import); the desktop
    uses `verify_blob`, which adds the product and date checks. Raises a LicenseError.
    """
    body, payload_bytes, signature = _split_blob(text)
    payload = _decode_payload(payload_bytes)
    kid = payload.get("kid")
    if not isinstance(kid, str) or not kid:
        raise Malformed(_DAMAGED)
    if kid in keyring.denied:
        raise DeniedKey(
            "This license was signed with a key that has been withdrawn. "
            "Contact support and we will send you a replacement license."
        )
    public_key = keyring.keys.get(kid)
    if public_key is None:
        raise UnknownKey(
            "This license was signed with a key this release of DataTools does not know. "
            "Update DataTools to the newest release and try again."
        )
    try:
        public_key.verify(signature, (PREFIX + body).encode("ascii"))
    except InvalidSignature:
        raise BadSignature(
            "This license's signature does not match its contents: it was changed after it "
            "was issued, or copied incompletely. Copy it again from your license email."
        ) from None
    return license_from_payload(payload)


def verify_blob(
    text: str,
    keyring: "Keyring",
    *,
    product: str,
    today: date,
    release_date: date,
) -> License:
    """Parse a pasted blob and check it completely; return the License or raise a LicenseError.

    Order of checks: shape → key id (denied, then known) → signature → fields → product →
    expiry → updates window. Nothing in the payload is trusted before the signature is.
    """
    record = verify_signature(text, keyring)
    if record.product != product:
        raise WrongProduct(
            f"This license is for {record.product!r}, not for this product ({product!r})."
        )
    if record.expires is not None and today > record.expires:
        raise Expired(f"This license expired on {record.expires.isoformat()}.")
    if record.updates_until is not None and release_date > record.updates_until:
        raise UpdatesEnded(
            f"This license includes updates released until {record.updates_until.isoformat()}; "
            f"this release is from {release_date.isoformat()}. Keep using the release you "
            f"have, or renew to use this one."
        )
    return record


# --------------------------------------------------------------------------- keys and keyrings


@dataclass(frozen=True)
class Keyring:
    """Public keys by kid, and the kids that must no longer be trusted."""

    keys: Mapping[str, Ed25519PublicKey]
    denied: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, text: str) -> "Keyring":
        """Parse `{"<kid>": "<b64url raw key>", …, "denied": [...]}`; raises ValueError."""
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("a keyring must be a JSON object") from None
        if not isinstance(data, dict):
            raise ValueError("a keyring must be a JSON object")
        denied = data.get("denied", [])
        if not isinstance(denied, list) or not all(isinstance(k, str) for k in denied):
            raise ValueError("'denied' must be a list of key ids")
        keys = {}
        for kid, encoded in data.items():
            if kid == "denied":
                continue
            try:
                raw = b64url_decode(encoded) if isinstance(encoded, str) else b""
            except ValueError:
                raw = b""
            if len(raw) != 32:
                raise ValueError(f"key {kid!r} is not a base64url 32-byte Ed25519 public key")
            keys[kid] = Ed25519PublicKey.from_public_bytes(raw)
        return cls(keys=keys, denied=frozenset(denied))

    def to_json(self) -> str:
        """Contract 1's keyring: the public keys by kid, then `denied` (always, even empty)."""
        data: dict[str, Any] = {kid: public_key_b64(key) for kid, key in sorted(self.keys.items())}
        data["denied"] = sorted(self.denied)
        return json.dumps(data, indent=2) + "\n"


def public_key_b64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url_encode(raw)
