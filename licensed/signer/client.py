"""The daemon's side of the signer: `SignerClient.sign(fields) -> blob`, the one way the daemon
gets a signature (mints, reissues, renewals), and the signer's status for /health.

Connections are kept and reused (one per waitress thread at most). A signer that is down,
restarting or hung costs a request at most TIMEOUT seconds and raises SignerUnavailable (503:
the storefront retries; the transaction that asked rolls back, so nothing is half-minted).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

from datatools import license as codec
from licensed.errors import ConfigError, LicensedError
from licensed.signer.protocol import MAX_LINE, encode

# Seconds to connect and to get an answer. Signing takes well under a millisecond; a signer
# that has not answered in this time is not going to.
TIMEOUT = 3.0


class SignerUnavailable(LicensedError):
    """The signer cannot be reached or did not answer: our fault, retry later."""

    code = "signer_unavailable"
    status = 503


class SignerRefused(LicensedError):
    """The signer answered and refused (fields outside policy, a rate limit, a denied caller)."""

    status = 503

    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)
        # Fields outside policy are the request's (or products.toml's) fault: 422, never retried
        # blindly; a rate limit or a refused caller is ours: 503.
        self.status = 422 if code == "outside_policy" else 503


class _Connection:
    def __init__(self, path: Path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(TIMEOUT)
        try:
            self.sock.connect(str(path))
        except BaseException:
            self.sock.close()
            raise
        self.reader = self.sock.makefile("rb")

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        self.sock.sendall(encode(request))
        line = self.reader.readline(MAX_LINE + 1)
        if not line.endswith(b"\n"):
            raise ConnectionError("the signer closed the connection without answering")
        return json.loads(line)

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


class SignerClient:
    """Signs through the signer at `path`. Thread-safe; implements licensed.minting.Signer."""

    def __init__(self, path: Path):
        self.path = path
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self.kid: str | None = None  # the kid of the latest answer (None before the first)
        # Why the last request failed, with its time.monotonic(); None after a success.
        self.last_problem: tuple[str, str, float] | None = None

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            pooled = self._idle.pop() if self._idle else None
        for attempt in range(2):
            connection = pooled
            try:
                if connection is None:
                    connection = _Connection(self.path)
                answer = connection.ask(request)
            except (OSError, ValueError) as exc:
                if connection is not None:
                    connection.close()
                if pooled is not None and attempt == 0:
                    pooled = None  # a kept connection the signer closed (it restarted): once more
                    continue
                message = (f"the signer at {self.path} is not answering "
                           f"({getattr(exc, 'strerror', None) or type(exc).__name__}); "
                           "retry later")
                self.last_problem = ("signer_unavailable", message, time.monotonic())
                raise SignerUnavailable(message) from None
            with self._lock:
                self._idle.append(connection)
            return answer
        raise AssertionError("unreachable")

    def _checked(self, request: dict[str, Any]) -> dict[str, Any]:
        answer = self._ask(request)
        if not isinstance(answer, dict) or answer.get("ok") is not True:
            error = answer.get("error") if isinstance(answer, dict) else None
            error = error if isinstance(error, dict) else {}
            code = str(error.get("code", "signer_error"))
            message = str(error.get("message", "the signer refused, and gave no reason"))
            self.last_problem = (code, message, time.monotonic())
            raise SignerRefused(message, code=code)
        self.last_problem = None
        if isinstance(answer.get("kid"), str):
            self.kid = answer["kid"]
        return answer

    def sign(self, fields: dict[str, Any]) -> str:
        """The DTLIC2 blob for license `fields` (contract 1), built and signed by the signer.
        Raises SignerUnavailable or SignerRefused."""
        blob = self._checked({"op": "sign", "fields": fields})["blob"]
        if not isinstance(blob, str) or not blob.startswith(codec.PREFIX):
            raise SignerUnavailable("the signer's answer holds no license")
        return blob

    def revocation_list(self, lids: list[str]) -> str:
        """The signed DTREV1 revocation list of `lids` (datatools/revocations.py)."""
        return self._checked({"op": "revocations", "lids": lids})["list"]

    def status(self) -> dict[str, Any]:
        """The signer's kid, rate-limit windows, public keyring and log length."""
        return self._checked({"op": "status"})

    def keyring(self) -> codec.Keyring:
        return codec.Keyring.from_json(self.status()["keyring"])

    def current_kid(self) -> str:
        return str(self.status()["kid"])

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()



class SignerKeys:
    """The signer's keys as the daemon sees them — the kid that signs, the public keyring, a
    reload — each asked over the signer's socket (POST /internal/keys/reload and the daemon's
    SIGHUP pass the reload on)."""

    def __init__(self, client: SignerClient):
        self.client = client

    @property
    def kid(self) -> str:
        return self.client.current_kid()

    def keyring(self) -> codec.Keyring:
        return self.client.keyring()

    def reload(self) -> tuple[str, str]:
        """(previous kid, kid now). Raises ConfigError when the signer kept its key (the one
        `current` names cannot be used), SignerUnavailable when it cannot be reached."""
        try:
            answer = self.client._checked({"op": "reload"})
        except SignerRefused as exc:
            raise ConfigError(exc.message) from None
        return str(answer["previous_kid"]), str(answer["kid"])
