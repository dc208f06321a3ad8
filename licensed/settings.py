"""The daemon's settings: defaults ← a TOML file ← LICENSED_* environment variables, validated once."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from licensed.errors import ConfigError
from licensed.sources import valid_email

DEFAULT_CONFIG = "/etc/datatools-license/licensed.toml"

# Limits that are not settings on purpose: they are part of the webhook contract (64 KiB), or
# sized to the machine the daemon is meant for (see docs/LICENSE-SERVER.md, "Serving").
MAX_WEBHOOK_BODY = 64 * 1024
# waitress refuses anything bigger before the app sees it; the app answers 413 above 64 KiB.
MAX_REQUEST_BODY = 1024 * 1024
CONNECTION_LIMIT = 500
# The one peer whose X-Forwarded-For is believed: nginx on the same machine.
TRUSTED_PROXY = "127.0.0.1"


@dataclass(frozen=True)
class Settings:
    """Everything the daemon is configured with; secrets are *paths*, never values."""

    host: str = "127.0.0.1"
    port: int = 8090
    threads: int = 8
    processes: int = 1
    database_url: str = "sqlite:///var/lib/datatools-license/licenses.db"
    secrets_dir: Path = Path("/srv/datatools-license/secrets")
    mail_sender: str = "DataTools <licenses@example.com>"
    mail_api_url: str = "https://api.postmarkapp.com"
    mail_spool_dir: Path = Path("/var/lib/datatools-license/mail")
    products_file: Path = Path("/etc/datatools-license/products.toml")
    # When set, Pings from any other Gumroad seller are refused (404, audited).
    gumroad_seller_id: str = ""
    # The address the portal tells a buyer to write to when their mail bounced.
    support_email: str = "support@example.com"
    # The portal's address as buyers reach it (through nginx): the license email links to it.
    portal_url: str = "https://license.example.com/portal"
    # The signer (licensed/signer/): the daemon only needs its socket; the signer reads the rest.
    signer_socket: Path = Path("/run/datatools-license/signer.sock")
    # Who may ask the signer to sign: a user name or uid, and a group name or gid (either one).
    signer_client_user: str = "datatools-license"
    signer_client_group: str = "datatools-license"
    # The hash-chained log of every signature (`licensed signer verify-log` checks it).
    signer_log: Path = Path("/var/lib/datatools-license-signer/signatures.log")
    # The folder of the private keys (`licensed keys` and the signer); unset: <secrets dir>/signing.
    signer_keys: Path | None = None
    signer_per_minute: int = 120
    signer_per_day: int = 5000
    # Policy for the fields the signer accepts (tiers come from products.toml).
    policy_max_seats: int = 100
    policy_max_updates_months: int = 36
    policy_earliest_issued: str = "2024-01-01"
    config_file: Path | None = None

    @property
    def signing_dir(self) -> Path:
        """Where the signing keys are: [signer] keys, else `signing/` in the secrets directory."""
        return self.signer_keys or self.secrets_dir / "signing"

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)


# (TOML section, key) → (Settings field, type). The same names appear in the docs
# the install script and the tests; the environment spells them LICENSED_<SECTION>_<KEY>.
_KEYS: dict[tuple[str, str], tuple[str, type]] = {
    ("server", "host"): ("host", str),
    ("server", "port"): ("port", int),
    ("server", "threads"): ("threads", int),
    ("server", "processes"): ("processes", int),
    ("database", "url"): ("database_url", str),
    ("secrets", "dir"): ("secrets_dir", Path),
    ("mail", "sender"): ("mail_sender", str),
    ("mail", "api_url"): ("mail_api_url", str),
    ("mail", "spool_dir"): ("mail_spool_dir", Path),
    ("products", "file"): ("products_file", Path),
    ("gumroad", "seller_id"): ("gumroad_seller_id", str),
    ("portal", "support_email"): ("support_email", str),
    ("portal", "url"): ("portal_url", str),
    ("signer", "socket"): ("signer_socket", Path),
    ("signer", "client_user"): ("signer_client_user", str),
    ("signer", "client_group"): ("signer_client_group", str),
    ("signer", "log"): ("signer_log", Path),
    ("signer", "keys"): ("signer_keys", Path),
    ("signer", "per_minute"): ("signer_per_minute", int),
    ("signer", "per_day"): ("signer_per_day", int),
    ("policy", "max_seats"): ("policy_max_seats", int),
    ("policy", "max_updates_months"): ("policy_max_updates_months", int),
    ("policy", "earliest_issued"): ("policy_earliest_issued", str),
}


def env_name(section: str, key: str) -> str:
    return f"LICENSED_{section}_{key}".upper()


# Settings whose empty value means "off" rather than a mistake.
_MAY_BE_EMPTY = {"gumroad_seller_id"}


def _convert(value: Any, kind: type, where: str, base: Path | None, *,
             may_be_empty: bool = False) -> Any:
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ConfigError(f"{where} must be a whole number, not {value!r}")
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{where} must be a whole number, not {value!r}") from None
    if not isinstance(value, str) or (not value and not may_be_empty):
        raise ConfigError(f"{where} must be a non-empty string")
    if kind is Path:
        path = Path(value)
        # Relative paths in a config file mean "next to the config file".
        return base / path if base is not None and not path.is_absolute() else path
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None


def load_settings(
    config: str | os.PathLike[str] | None, environ: Mapping[str, str]
) -> Settings:
    """Build Settings from defaults, then the config file, then the environment.

    `config` None means $LICENSED_CONFIG, else the default path (which may be absent). Raises
    ConfigError naming the file, key or variable at fault.
    """
    explicit = config is not None or "LICENSED_CONFIG" in environ
    path = Path(config if config is not None else environ.get("LICENSED_CONFIG", DEFAULT_CONFIG))
    values: dict[str, Any] = {}
    if explicit or path.exists():
        data = _read_toml(path)
        base = path.resolve().parent
        for section, table in data.items():
            if not isinstance(table, dict):
                raise ConfigError(f"{path}: [{section}] must be a table")
            for key, value in table.items():
                if (section, key) not in _KEYS:
                    raise ConfigError(f"{path}: unknown setting [{section}] {key}")
                field, kind = _KEYS[(section, key)]
                values[field] = _convert(value, kind, f"{path}: [{section}] {key}", base,
                                         may_be_empty=field in _MAY_BE_EMPTY)
        values["config_file"] = path
    for (section, key), (field, kind) in _KEYS.items():
        name = env_name(section, key)
        if name in environ:
            values[field] = _convert(environ[name], kind, f"${name}", None,
                                     may_be_empty=field in _MAY_BE_EMPTY)
    settings = Settings(**values)
    _validate(settings)
    return settings


def valid_portal_url(url: str) -> bool:
    """An http(s) address with a host and nothing a mail client could misread: no query or
    fragment (the mail adds `?lang=`), no spaces, quotes or angle brackets, at most 200 characters."""
    from urllib.parse import urlsplit

    if len(url) > 200 or any(c.isspace() or c in "\"'<>`?#" or ord(c) < 32 for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.hostname)


def _validate(settings: Settings) -> None:
    if not valid_email(settings.support_email):
        raise ConfigError(f"[portal] support_email must be one plain address, not "
                          f"{settings.support_email[:60]!r}")
    if not valid_portal_url(settings.portal_url):
        raise ConfigError(f"[portal] url must be the portal's address, such as "
                          f"https://license.example.com/portal (no query, no spaces), not "
                          f"{settings.portal_url[:80]!r}")
    for name, value in (("[signer] per_minute", settings.signer_per_minute),
                        ("[signer] per_day", settings.signer_per_day),
                        ("[policy] max_seats", settings.policy_max_seats),
                        ("[policy] max_updates_months", settings.policy_max_updates_months)):
        if value < 1:
            raise ConfigError(f"{name} must be at least 1, not {value}")
    try:
        date.fromisoformat(settings.policy_earliest_issued)
    except ValueError:
        raise ConfigError("[policy] earliest_issued must be a date (YYYY-MM-DD), not "
                          f"{settings.policy_earliest_issued[:20]!r}") from None
    if not 0 <= settings.port <= 65535:
        raise ConfigError(f"[server] port must be 0-65535, not {settings.port}")
    if not 1 <= settings.threads <= 64:
        raise ConfigError(f"[server] threads must be 1-64, not {settings.threads}")
    if not 1 <= settings.processes <= 16:
        raise ConfigError(f"[server] processes must be 1-16, not {settings.processes}")
    if settings.processes > 1 and settings.database_url.startswith("sqlite:"):
        # SQLite has one writer; processes would queue on its file lock with sleeps.
        raise ConfigError("[server] processes above 1 needs PostgreSQL; SQLite has one writer")
    if not settings.database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigError(
            "[database] url must start with sqlite:/// or postgresql:// "
            f"(got {settings.database_url.split(':', 1)[0]}:…)"
        )
