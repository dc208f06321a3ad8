"""Talking to a signer over its socket the way any local process could, for the signer tests."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any


def ask(path: Path, request: dict[str, Any]) -> dict[str, Any]:
    """One request on a new connection; the answer line as an object."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(path))
        sock.sendall(json.dumps(request).encode() + b"\n")
        with sock.makefile("rb") as reader:
            return json.loads(reader.readline())


def license_fields(**changes: Any) -> dict[str, Any]:
    fields = {"lid": "L-ABCDEFGHIJKLMNOP", "product": "datatools", "tier": "pro", "seats": 1,
              "name": "Zoë Ångström", "email": "zoe@example.com", "issued": "2026-11-20",
              "updates_until": "2027-11-20", "expires": None}
    fields.update(changes)
    return fields


def log_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
