"""The /internal API client (urllib only): one request, one JSON answer, one clear error line."""

from __future__ import annotations

import json
import os
import socket
import stat
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

DEFAULT_URL = "http://127.0.0.1:8090"
DEFAULT_TOKEN_FILE = "~/.config/datatools-admin/token"


class AdminError(Exception):
    """A failure `dtadmin` reports as one line on stderr and exit code 1."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_token(path: Path) -> str:
    """The Bearer token in `path`, refused when group or others may read the file.

    Raises AdminError for a missing, loose or empty file (the same rule ssh applies to keys).
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise AdminError(f"token file {path} does not exist; put the daemon's admin token "
                         f"there (mode 0600) or name another with --token-file") from None
    except OSError as exc:
        raise AdminError(f"cannot read token file {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AdminError(f"token file {path} is readable by group or others (mode "
                         f"{stat.S_IMODE(mode):04o}); run: chmod 600 {path}")
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise AdminError(f"cannot read token file {path}: {exc}") from None
    if not token:
        raise AdminError(f"token file {path} is empty")
    return token


def token_path(option: str | None, environ: Mapping[str, str]) -> Path:
    """--token-file, else $DTADMIN_TOKEN_FILE, else ~/.config/datatools-admin/token."""
    chosen = option or environ.get("DTADMIN_TOKEN_FILE") or DEFAULT_TOKEN_FILE
    return Path(os.path.expanduser(chosen))


@dataclass(frozen=True)
class Answer:
    status: int
    data: dict[str, Any]


@dataclass(frozen=True)
class AdminClient:
    """Talks to one daemon. `token` is None only for routes without auth (`/health`)."""

    url: str
    token: str | None
    timeout: float = 30.0
    token_source: str = "the token"  # named in the message when the daemon refuses it

    def request(self, method: str, path: str, *, query: Mapping[str, Any] | None = None,
                body: Any = None, raw: bytes | None = None,
                content_type: str = "application/json", ok: tuple[int, ...] = ()) -> Answer:
        """Send one request; return the JSON answer of a 2xx (or of a status listed in `ok`).

        Raises AdminError with one line: the daemon cannot be reached, the token was refused,
        or the daemon's own error message for any other 4xx/5xx.
        """
        params = {k: v for k, v in (query or {}).items() if v is not None}
        target = self.url.rstrip("/") + path
        if params:
            target += "?" + urllib.parse.urlencode(params)
        headers = {"Accept": "application/json"}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if data is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(target, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Answer(response.status, _json(response.read(), response.status))
        except urllib.error.HTTPError as exc:
            with exc:
                payload = exc.read()
            if exc.code in ok:
                return Answer(exc.code, _json(payload, exc.code))
            raise AdminError(self._refusal(exc.code, payload)) from None
        except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise AdminError(f"cannot reach the daemon at {self.url} ({_words(reason)}): is the "
                             f"SSH tunnel open? (ssh -N -L 8090:127.0.0.1:8090 SERVER)") from None

    def _refusal(self, status: int, payload: bytes) -> str:
        code, message = _error_of(payload)
        if status == 401:
            return (f"the daemon refused {self.token_source} (401 {code}): {message}")
        return f"the daemon answered {status} {code}: {message}"


def _words(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


def _json(payload: bytes, status: int) -> dict[str, Any]:
    try:
        data = json.loads(payload.decode("utf-8")) if payload else {}
    except (UnicodeDecodeError, ValueError):
        raise AdminError(f"the daemon answered {status} with a body that is not JSON; is "
                         f"--url the license daemon?") from None
    if not isinstance(data, dict):
        raise AdminError(f"the daemon answered {status} with JSON that is not an object")
    return data


def _error_of(payload: bytes) -> tuple[str, str]:
    """(code, message) from the daemon's `{"error": {...}}` body, or a stand-in for others."""
    try:
        error = json.loads(payload.decode("utf-8"))["error"]
        return str(error["code"]), str(error["message"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        text = payload.decode("utf-8", errors="replace").strip().splitlines()
        return "http_error", (text[0][:200] if text else "no message")
