"""A second DTLIC2 implementation written from DESIGN.md's contract alone (test use only).

It uses the pure-Python Ed25519 in ed25519_reference and nothing from `datatools`, so agreement
between it and `datatools.license` means both follow the contract.
"""

import base64
import json

import ed25519_reference as ed


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def mint(payload: dict, seed: bytes) -> str:
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    body = _b64(text.encode("utf-8"))
    signature = ed.sign(seed, ("DTLIC2:" + body).encode("ascii"))
    return "DTLIC2:" + body + "." + _b64(signature)


def verify(blob: str, public_key: bytes) -> dict | None:
    """The payload when the signature holds, else None."""
    if not blob.startswith("DTLIC2:"):
        return None
    body, _, sig = blob[len("DTLIC2:"):].partition(".")
    if not ed.verify(public_key, ("DTLIC2:" + body).encode("ascii"), _unb64(sig)):
        return None
    return json.loads(_unb64(body).decode("utf-8"))
