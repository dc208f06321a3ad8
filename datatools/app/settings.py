"""The desktop app's settings: one frozen record built from defaults, environment and options."""

from __future__ import annotations

import locale
import ntpath
import os
import platform
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

from datatools.version import PRODUCT, RELEASE_DATE

# The keyring built into every release: the public keys that sign licenses, and the deny list.
BUILTIN_KEYRING = Path(__file__).resolve().parent.parent / "keyring.json"
# Next to it, the signed revocation list of the release (`dtadmin`'s GET /internal/revocations).
BUILTIN_REVOCATIONS = BUILTIN_KEYRING.with_name("revocations.txt")


@dataclass(frozen=True)
class AppSettings:
    home: Path                                   # holds license.json and preferences.json
    keyrings: tuple[Path, ...] = (BUILTIN_KEYRING,)
    os_language: str = "en"
    product: str = PRODUCT
    release_date: date = RELEASE_DATE
    today: Callable[[], date] = field(default=date.today)
    save_folder: Path | None = None              # where results of uploaded files go (None: Downloads)
    # The signed revocation list built into the release (datatools/revocations.py); None: none.
    revocations: Path | None = None


def default_home(environ: Mapping[str, str], system: str | None = None) -> Path:
    """Where the license and preferences live: DATATOOLS_HOME (tests, portable installs), else
    `%APPDATA%\\DataTools` on Windows (the user's roaming profile, Microsoft's place for
    per-user application data), else `~/.datatools`.

    On Windows an existing `%USERPROFILE%\\.datatools` with a license in it (a copy run from the
    sources) is kept. `system` is `platform.system()`'s answer; a parameter so the Windows rule
    is tested on any OS.
    """
    override = environ.get("DATATOOLS_HOME")
    if override:
        return Path(override)
    if (system or platform.system()) != "Windows":
        return Path.home() / ".datatools"
    profile = environ.get("USERPROFILE") or str(Path.home())
    earlier = Path(profile) / ".datatools"       # on the machine itself: the host's path rules
    if (earlier / "license.json").is_file():
        return earlier
    appdata = environ.get("APPDATA") or ntpath.join(profile, "AppData", "Roaming")
    return Path(ntpath.join(appdata, "DataTools"))


def os_language(environ: Mapping[str, str]) -> str:
    """The user's language as a two-letter code, from the usual variables or the OS locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(":")[0][:2].lower()
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return code[:2].lower() or "en"


def settings_from_env(environ: Mapping[str, str] | None = None,
                      dev_keyrings: tuple[Path, ...] = ()) -> AppSettings:
    """Settings for a real launch. `dev_keyrings` add keys (a development aid, DECISIONS 44)."""
    env = os.environ if environ is None else environ
    return AppSettings(
        home=default_home(env),
        keyrings=(BUILTIN_KEYRING, *dev_keyrings),
        os_language=os_language(env),
        revocations=BUILTIN_REVOCATIONS,
    )
