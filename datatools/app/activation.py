"""Activation: verify a pasted license offline and keep it in `<home>/license.json`.

The file holds the blob itself, and it is verified again on every start: editing the file
never unlocks anything, and a key later put on the deny list stops working after an update.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from datatools import license as codec
from datatools import license_keys
from datatools.app.settings import AppSettings
from datatools.safe_write import write_file

LICENSE_FILE = "license.json"


@dataclass(frozen=True)
class LicenseState:
    """The license in use (None = trial) and why a stored one no longer counts."""

    license: codec.License | None
    problem: dict[str, Any] | None = None      # {"code", "message", "params"} of a stored license


def load_keyring(settings: AppSettings) -> codec.Keyring:
    """The built-in keyring plus any added ones; a kid denied by any of them is denied."""
    keys: dict[str, Any] = {}
    denied: set[str] = set()
    for path in settings.keyrings:
        ring = license_keys.load_keyring(path)
        keys.update(ring.keys)
        denied |= ring.denied
    return codec.Keyring(keys=keys, denied=frozenset(denied))


def revoked_lids(settings: AppSettings, keyring: codec.Keyring) -> frozenset[str]:
    """The lids of the release's revocation list; none when the release has no list. A list
    that does not verify revokes nothing (the release check refuses to ship one)."""
    from datatools.revocations import RevocationListError, verify_revocation_list

    path = settings.revocations
    if path is None or not path.is_file():
        return frozenset()
    try:
        return verify_revocation_list(path.read_text(encoding="utf-8"), keyring).lids
    except (OSError, RevocationListError):
        return frozenset()


class NothingPasted(codec.LicenseError):
    """The paste was empty: the window's box, or the command line's argument, file or stdin."""

    code = "empty"


def verify_license(blob: str, settings: AppSettings) -> codec.License:
    """Check `blob` as activation does, without storing it: the codec's checks against the
    release's keyring (plus `--dev-keyring`), then the release's revocation list. Raises a
    LicenseError (NothingPasted for an empty paste)."""
    if not blob.strip():
        raise NothingPasted("Paste your license first.")
    keyring = load_keyring(settings)
    record = codec.verify_blob(blob, keyring, product=settings.product,
                               today=settings.today(), release_date=settings.release_date)
    if record.lid in revoked_lids(settings, keyring):
        raise codec.Revoked(
            "This license was refunded or revoked, so DataTools no longer accepts it. If you "
            "think this is a mistake, contact support with your license id.")
    return record


def error_params(blob: str, error: codec.LicenseError, settings: AppSettings) -> dict[str, str]:
    """Dates the buyer needs to understand an expired or out-of-updates license.

    Both errors are raised after the signature was checked, so re-verifying as of the earliest
    possible date yields the signed record without trusting anything unsigned.
    """
    if not isinstance(error, (codec.Expired, codec.UpdatesEnded)):
        return {}
    record = codec.verify_blob(blob, load_keyring(settings), product=settings.product,
                               today=date.min, release_date=date.min)
    return {
        "expires": record.expires.isoformat() if record.expires else "",
        "updates_until": record.updates_until.isoformat() if record.updates_until else "",
        "release_date": settings.release_date.isoformat(),
    }


def describe_error(blob: str, error: codec.LicenseError, settings: AppSettings) -> dict[str, Any]:
    """The error as the window and `datatools license … --json` give it: code, message, params."""
    return {"code": error.code, "message": error.message,
            "params": error_params(blob, error, settings)}


def activate(blob: str, settings: AppSettings) -> codec.License:
    """Verify `blob` and store it; raises LicenseError (nothing stored) when it is not usable."""
    cleaned = codec.normalize_paste(blob)
    record = verify_license(cleaned, settings)
    settings.home.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"blob": cleaned, "activated": settings.today().isoformat()}, indent=2)
    write_file(license_path(settings), text + "\n", force=True, mode=0o600)
    return record


def deactivate(settings: AppSettings) -> bool:
    """Remove the stored license (back to the trial); False when none was stored."""
    try:
        license_path(settings).unlink()
    except FileNotFoundError:
        return False
    return True


def license_path(settings: AppSettings) -> Path:
    """Where the activated license is kept: `license.json` in the app's home folder."""
    return settings.home / LICENSE_FILE


def current_license(settings: AppSettings) -> LicenseState:
    """The stored license if it still verifies; otherwise the trial and the reason."""
    path = license_path(settings)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        blob = stored["blob"]
        if not isinstance(blob, str):
            raise TypeError
    except FileNotFoundError:
        return LicenseState(None)
    except (OSError, ValueError, KeyError, TypeError):
        return LicenseState(None, {"code": "unreadable_file", "message":
                                   f"The saved license in {path} cannot be read.", "params": {}})
    try:
        return LicenseState(verify_license(blob, settings))
    except codec.LicenseError as exc:
        return LicenseState(None, describe_error(blob, exc, settings))


def license_summary(record: codec.License) -> dict[str, Any]:
    """What the activation screen shows: who, tier, seats, dates (never the blob itself)."""
    payload = record.to_payload()
    return {key: payload[key] for key in
            ("lid", "name", "email", "tier", "seats", "issued", "updates_until", "expires")}

