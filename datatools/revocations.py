"""The revocation list a desktop release embeds: the lids of refunded, charged-back and revoked
licenses, signed by the license server's signer, so an offline app refuses them too.

    DTREV1:<payload>.<signature>
    payload   = base64url (no padding) of canonical JSON {"v": 1, "kid", "issued": YYYY-MM-DD,
                "lids": [sorted lids]}
    signature = base64url of the Ed25519 signature over the ASCII bytes "DTREV1:" + payload

The same keys and keyring as the licenses (datatools/license.py, ARCHITECTURE.md, "The license blob"). The
release embeds it as `datatools/revocations.txt` next to `datatools/keyring.json`; a release
without one revokes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from datatools.license import Keyring, b64url_decode, b64url_encode, canonical_json

PREFIX = "DTREV1:"
VERSION = 1
BUILTIN_REVOCATIONS = Path(__file__).resolve().parent / "revocations.txt"


class RevocationListError(Exception):
    """A revocation list that is damaged, unsigned by a trusted key, or of another version."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RevocationList:
    kid: str
    issued: date
    lids: frozenset[str]


def sign_revocation_list(lids: list[str], issued: date, key: Ed25519PrivateKey, kid: str) -> str:
    """The DTREV1 text for `lids` (sorted, unique) as of `issued`, signed by `key` as `kid`."""
    payload = {"v": VERSION, "kid": kid, "issued": issued.isoformat(), "lids": sorted(set(lids))}
    body = b64url_encode(canonical_json(payload).encode("utf-8"))
    signature = key.sign((PREFIX + body).encode("ascii"))
    return f"{PREFIX}{body}.{b64url_encode(signature)}"


def verify_revocation_list(text: str, keyring: Keyring) -> RevocationList:
    """Parse and check a DTREV1 text against `keyring`; raises RevocationListError."""
    text = text.strip()
    if not text.startswith(PREFIX) or text.count(".") != 1:
        raise RevocationListError("not a DTREV1 revocation list")
    body, _, signature = text[len(PREFIX):].partition(".")
    try:
        payload = json.loads(b64url_decode(body).decode("utf-8"))
        raw_signature = b64url_decode(signature)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise RevocationListError("the revocation list is damaged") from None
    if not isinstance(payload, dict) or payload.get("v") != VERSION:
        raise RevocationListError("the revocation list is of another version")
    kid = payload.get("kid")
    if not isinstance(kid, str) or kid in keyring.denied or kid not in keyring.keys:
        raise RevocationListError(f"the revocation list is signed by key {kid!r}, which the "
                                  "keyring does not trust")
    try:
        keyring.keys[kid].verify(raw_signature, (PREFIX + body).encode("ascii"))
    except InvalidSignature:
        raise RevocationListError("the revocation list's signature does not match") from None
    lids, issued = payload.get("lids"), payload.get("issued")
    try:
        day = date.fromisoformat(issued) if isinstance(issued, str) else None
    except ValueError:
        day = None
    if day is None or not isinstance(lids, list) or not all(isinstance(l, str) for l in lids):
        raise RevocationListError("the revocation list is damaged")
    return RevocationList(kid=kid, issued=day, lids=frozenset(lids))
