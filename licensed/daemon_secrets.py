"""The secrets the web daemon reads: every file of the secrets directory but `signing/`.

The private keys belong to the signer (licensed/signer/); the daemon never opens `signing/`,
and in production cannot (another user owns it). The readers are licensed/secrets.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from licensed.errors import ConfigError
from licensed.secrets import _load_admin_tokens, _optional_bytes, _postmark_webhook, read_secret


@dataclass(frozen=True)
class DaemonSecrets:
    """Loaded secret values; `repr` shows none of them."""

    # Bearer tokens for /internal by name: `admin-token` is "admin", `admin-tokens/NAME` is NAME.
    admin_tokens: Mapping[str, bytes] = field(repr=False)
    gumroad_secret: bytes = field(repr=False)
    postmark_token: str | None = field(default=None, repr=False)
    db_password: str | None = field(default=None, repr=False)
    # Optional storefronts: without its secret file a storefront's route answers 404.
    lemonsqueezy_secret: bytes | None = field(default=None, repr=False)
    stripe_secret: bytes | None = field(default=None, repr=False)
    # `user:password` for Postmark's bounce webhook (HTTP Basic auth).
    postmark_webhook: bytes | None = field(default=None, repr=False)


def load_daemon_secrets(secrets_dir: Path) -> DaemonSecrets:
    """Read every secret the daemon needs (none under signing/); raises ConfigError for the
    first problem found."""
    if not secrets_dir.is_dir():
        raise ConfigError(f"secrets directory {secrets_dir} does not exist")
    gumroad = read_secret(secrets_dir / "gumroad-secret", required=True)
    assert gumroad is not None
    return DaemonSecrets(
        admin_tokens=_load_admin_tokens(secrets_dir),
        gumroad_secret=gumroad.encode("utf-8"),
        postmark_token=read_secret(secrets_dir / "postmark-token", required=False),
        db_password=read_secret(secrets_dir / "db-password", required=False),
        lemonsqueezy_secret=_optional_bytes(secrets_dir / "lemonsqueezy-secret"),
        stripe_secret=_optional_bytes(secrets_dir / "stripe-secret"),
        postmark_webhook=_postmark_webhook(secrets_dir / "postmark-webhook"),
    )
