"""What the `licensed keys` commands need beyond the files: who may write the signing folder,
and the running daemon's own view of its keys (GET /internal/keys, POST /internal/keys/reload
on 127.0.0.1 with the server's admin token; with the signer's settings, which hold no admin
token, `licensed keys` asks the signer over its socket instead: licensed/cli.py).

A key file root writes into signing/ cannot be read by the service user, and the daemon then
refuses to start; so commands that write there run as the folder's owner, and say the exact
`runuser` line otherwise (ADMIN.md, "Rotating the signing key").
"""

from __future__ import annotations

import json
import os
import pwd
import shlex
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Sequence

from licensed.errors import LicensedError
from licensed.settings import Settings


def owner_name(path: Path) -> str:
    uid = path.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def program_path() -> str:
    """The absolute path of the running `licensed` (the venv's console script), else `licensed`."""
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name == "licensed":
        return str(Path(argv0).resolve()) if os.sep in argv0 else argv0
    return "licensed"


def as_owner_line(user: str, argv: Sequence[str], settings: Settings) -> str:
    """The command line that runs `licensed ARGV` as `user`, with the settings file it used."""
    words = list(argv)
    if "--config" in words:
        at = words.index("--config")
        del words[at:at + 2]
    words = [program_path(), *words]
    if settings.config_file is not None:
        words += ["--config", str(Path(settings.config_file).resolve())]
    line = shlex.join(["runuser", "-u", user, "--", *words])
    return line if os.geteuid() == 0 else "sudo " + line


def require_owner(folder: Path, argv: Sequence[str], settings: Settings) -> None:
    """Refuse (LicensedError) unless this process runs as the owner of `folder`."""
    try:
        owner_uid = folder.stat().st_uid
    except OSError as exc:
        raise LicensedError(f"cannot read {folder}: {exc.strerror}") from None
    if os.geteuid() == owner_uid:
        return
    user = owner_name(folder)
    raise LicensedError(f"{folder} belongs to {user}, and a key file another user writes there "
                        f"stops the daemon from starting; run it as {user}: "
                        f"{as_owner_line(user, argv, settings)}")


class DaemonUnreachable(LicensedError):
    """Nothing answers at the configured address (the daemon is stopped, or elsewhere)."""


def daemon_url(settings: Settings) -> str:
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "") else settings.host
    return f"http://{host}:{settings.port}"



def ask_daemon(settings: Settings, method: str, path: str, admin_token: str,
               timeout: float = 10) -> dict[str, Any]:
    """One /internal request to the daemon this settings file describes; its JSON answer.

    Raises DaemonUnreachable when nothing listens, LicensedError for an error answer.
    """
    url = daemon_url(settings) + path
    request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None,
                                     headers={"Authorization": f"Bearer {admin_token}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        try:
            error = json.loads(exc.read())["error"]
            text = f"{exc.code} {error['code']}: {error['message']}"
        except (ValueError, KeyError, TypeError):
            text = f"HTTP {exc.code}"
        raise LicensedError(f"the daemon at {daemon_url(settings)} answered {text}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DaemonUnreachable(f"no daemon answers at {daemon_url(settings)} ({reason})") from None
