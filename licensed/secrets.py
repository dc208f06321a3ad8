"""Secrets from files in one directory (ARCHITECTURE.md, "Trust boundaries"): signing key, tokens, webhook secrets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from datatools import license as codec
from licensed.errors import ConfigError
from licensed.keys import SigningKeys

_TOKEN_NAME_RE = re.compile(r"[a-z0-9_.-]{1,32}")


@dataclass(frozen=True)
class Secrets:
    """Loaded secret values; `repr` shows none of them."""

    signing_kid: str
    signing_key: Ed25519PrivateKey = field(repr=False)
    # Bearer tokens for /internal by name: `admin-token` is "admin", `admin-tokens/NAME` is NAME.
    admin_tokens: Mapping[str, bytes] = field(repr=False)
    gumroad_secret: bytes = field(repr=False)
    # Public keys and deny list (signing/keyring.json plus every signing/*.pem): what an
    # imported license's signature is checked against.
    keyring: codec.Keyring = field(repr=False)
    postmark_token: str | None = field(default=None, repr=False)
    db_password: str | None = field(default=None, repr=False)
    # Optional storefronts: without its secret file a storefront's route answers 404.
    lemonsqueezy_secret: bytes | None = field(default=None, repr=False)
    stripe_secret: bytes | None = field(default=None, repr=False)
    # `user:password` for Postmark's bounce webhook (HTTP Basic auth).
    postmark_webhook: bytes | None = field(default=None, repr=False)


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


def _load_admin_tokens(secrets_dir: Path) -> dict[str, bytes]:
    """`admin-token` (named "admin", required) and each `admin-tokens/NAME` file (optional):
    one token per operator or script, so the actions log says who did what."""
    admin = read_secret(secrets_dir / "admin-token", required=True)
    assert admin is not None
    tokens = {"admin": admin.encode("utf-8")}
    folder = secrets_dir / "admin-tokens"
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.name.startswith("."):
            continue
        if not _TOKEN_NAME_RE.fullmatch(path.name) or path.name == "admin":
            raise ConfigError(f"{path}: a token's name is 1-32 lower-case letters, digits, '.', "
                              f"'_' or '-' (and not 'admin', the name of admin-token)")
        value = read_secret(path, required=True)
        assert value is not None
        if value.encode("utf-8") in tokens.values():
            raise ConfigError(f"{path} holds the same token as another file; give each name "
                              f"its own token")
        tokens[path.name] = value.encode("utf-8")
    return tokens


def load_secrets(secrets_dir: Path) -> Secrets:
    """Read every secret the daemon needs; raises ConfigError for the first problem found."""
    if not secrets_dir.is_dir():
        raise ConfigError(f"secrets directory {secrets_dir} does not exist")
    signing = SigningKeys(secrets_dir / "signing")
    keyring = signing.keyring()
    kid, key = signing.load_current(keyring)
    gumroad = read_secret(secrets_dir / "gumroad-secret", required=True)
    assert gumroad is not None
    return Secrets(
        signing_kid=kid,
        signing_key=key,
        admin_tokens=_load_admin_tokens(secrets_dir),
        gumroad_secret=gumroad.encode("utf-8"),
        keyring=keyring,
        postmark_token=read_secret(secrets_dir / "postmark-token", required=False),
        db_password=read_secret(secrets_dir / "db-password", required=False),
        lemonsqueezy_secret=_optional_bytes(secrets_dir / "lemonsqueezy-secret"),
        stripe_secret=_optional_bytes(secrets_dir / "stripe-secret"),
        postmark_webhook=_postmark_webhook(secrets_dir / "postmark-webhook"),
    )


def _optional_bytes(path: Path) -> bytes | None:
    value = read_secret(path, required=False)
    return None if value is None else value.encode("utf-8")


def _postmark_webhook(path: Path) -> bytes | None:
    value = read_secret(path, required=False)
    if value is None:
        return None
    user, colon, password = value.partition(":")
    if not (colon and user and password):
        raise ConfigError(f"secret file {path} must hold user:password (Basic auth for "
                          "Postmark's bounce webhook)")
    return value.encode("utf-8")
