"""The signer's wire format: one JSON object per line each way, over a Unix stream socket.

Requests: `{"op": "sign", "fields": {…license fields…}}`, `{"op": "revocations", "lids": [...]}`
and `{"op": "status"}`. Answers: `{"ok": true, …}` or `{"ok": false, "error": {"code",
"message"}}`. A line longer than MAX_LINE bytes is refused and the connection closed.
"""

from __future__ import annotations

import json
from typing import Any

# A license's fields are a few hundred bytes; a revocation request lists lids (19 bytes each,
# quoted): 4 MiB is room for ~180,000 revoked licenses and still a bound.
MAX_LINE = 4 * 1024 * 1024


class ProtocolError(Exception):
    """A line that is not one JSON object (or is too long)."""


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    """One received line → its object; raises ProtocolError."""
    if len(line) > MAX_LINE or not line.endswith(b"\n"):
        raise ProtocolError("a request is one JSON object on one line of at most "
                            f"{MAX_LINE} bytes")
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProtocolError("a request must be a JSON object") from None
    if not isinstance(message, dict):
        raise ProtocolError("a request must be a JSON object")
    return message


def failure(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}
