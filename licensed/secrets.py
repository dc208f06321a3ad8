"""Secrets from files in one directory (DESIGN.md contract 4): signing key, tokens, webhook secrets."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from datatools import license_keys
from licensed.errors import ConfigError

_KID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True)
class Secrets:
    """Loaded secret values; `repr` shows none of them."""

    signing_kid: str
    signing_key: Ed25519PrivateKey = field(repr=False)
    admin_token: bytes = field(repr=False)
    gumroad_secret: bytes = field(repr=False)
    postmark_token: str | None = field(default=None, repr=False)
    db_password: str | None = field(default=None, repr=False)


def read_secret(path: Path, *, required: bool) -> str | None:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        if required:
            raise ConfigError(f"secret file {path} is missing") from None
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read secret file {path}: {exc}") from None
    if not value:
        raise ConfigError(f"secret file {path} is empty")
    return value


def _load_signing_key(signing_dir: Path) -> tuple[str, Ed25519PrivateKey]:
    kid = read_secret(signing_dir / "current", required=True)
    assert kid is not None
    if not _KID_RE.fullmatch(kid):
        raise ConfigError(f"{signing_dir / 'current'} must name a key id, not {kid[:20]!r}")
    key_path = signing_dir / f"{kid}.pem"
    try:
        mode = key_path.stat().st_mode
    except FileNotFoundError:
        raise ConfigError(f"signing key {key_path} (named in signing/current) is missing") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"signing key {key_path} is readable by group or others (mode "
            f"{stat.S_IMODE(mode):04o}); run: chmod 400 {key_path}"
        )
    try:
        return kid, license_keys.load_private_key(key_path)
    except (ValueError, OSError) as exc:
        raise ConfigError(f"signing key {key_path} cannot be loaded: {exc}") from None


def load_secrets(secrets_dir: Path) -> Secrets:
    """Read every secret the daemon needs; raises ConfigError for the first problem found."""
    if not secrets_dir.is_dir():
        raise ConfigError(f"secrets directory {secrets_dir} does not exist")
    kid, key = _load_signing_key(secrets_dir / "signing")
    admin = read_secret(secrets_dir / "admin-token", required=True)
    gumroad = read_secret(secrets_dir / "gumroad-secret", required=True)
    assert admin is not None and gumroad is not None
    return Secrets(
        signing_kid=kid,
        signing_key=key,
        admin_token=admin.encode("utf-8"),
        gumroad_secret=gumroad.encode("utf-8"),
        postmark_token=read_secret(secrets_dir / "postmark-token", required=False),
        db_password=read_secret(secrets_dir / "db-password", required=False),
    )
