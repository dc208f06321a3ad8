"""A development world on disk — secrets (0600), signing key, products.toml, licensed.toml —
written the same way for `bin/dev-run` (make run) and the daemon test harness."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import tomli_w

from datatools import license_keys

DEV_KID = "dev-1"
DEV_SENDER = "DataTools <licenses@example.com>"
# Secret files of the storefronts beyond Gumroad, and of Postmark's bounce webhook.
STOREFRONT_SECRETS = ("lemonsqueezy-secret", "stripe-secret", "postmark-webhook")
# The development catalog: Gumroad permalink (or product id) → what is minted.
DEV_PRODUCTS: Mapping[str, Mapping[str, Any]] = {
    "datatools-pro": {"tier": "pro", "seats": 1, "updates_months": 12},
    "datatools-team": {"tier": "team", "seats": 5, "updates_months": 12},
}


@dataclass(frozen=True)
class DevWorld:
    """Where a written world's files are; `config` is what `licensed --config` takes."""

    root: Path
    config: Path
    secrets_dir: Path
    products: Path
    mail_dir: Path
    kid: str
    signer_socket: Path
    signer_log: Path

    @property
    def keyring(self) -> Path:
        """The public keyring a development desktop app trusts (`--dev-keyring`)."""
        return self.secrets_dir / "signing" / "keyring.json"

    def secret(self, name: str) -> str:
        """A secret's value, e.g. `secret("admin-token")`."""
        return (self.secrets_dir / name).read_text(encoding="utf-8").strip()


def write_secret_once(path: Path, value: str) -> None:
    """Create a secret file with mode 0600 from the first byte; keep an existing one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")


# sun_path holds 108 bytes; a world deep in a temporary folder puts its socket in /tmp instead.
MAX_SOCKET_PATH = 100


def signer_socket_for(root: Path) -> Path:
    """`root/signer.sock`, or a name in /tmp derived from `root` when that path is too long
    for a Unix socket."""
    path = root.resolve() / "signer.sock"
    if len(str(path).encode()) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:20]
    return Path("/tmp") / f"datatools-signer-{digest}.sock"


def write_toml(path: Path, data: Mapping[str, Any], comment: str) -> None:
    """`data` as TOML through a serializer (paths with quotes or backslashes stay intact)."""
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    path.write_text(header + tomli_w.dumps(data), encoding="utf-8")


def write_dev_world(
    root: Path, database_url: str, *, port: int = 0, threads: int = 8, kid: str = DEV_KID,
    admin_token: str | None = None, gumroad_secret: str | None = None,
    products: Mapping[str, Mapping[str, Any]] = DEV_PRODUCTS, writer: str = "licensed.devworld",
    webhook_secrets: Mapping[str, str] | None = None,
) -> DevWorld:
    """Write (or complete) a development world under `root`; returns where its files are.

    What exists is kept — the signing key, secrets and products.toml, so a developer's
    licenses keep verifying across runs — except licensed.toml, rewritten every time (the
    port may change). Tokens not given are random, and so are the other storefronts' secrets
    (`webhook_secrets` names some: file name → value). Raises OSError when `root` is not
    writable.
    """
    root.mkdir(parents=True, exist_ok=True)
    world = DevWorld(root=root, config=root / "licensed.toml", secrets_dir=root / "secrets",
                     products=root / "products.toml", mail_dir=root / "mail", kid=kid,
                     signer_socket=signer_socket_for(root),
                     signer_log=root / "signer" / "signatures.log")
    world.secrets_dir.mkdir(mode=0o700, exist_ok=True)
    signing = world.secrets_dir / "signing"
    if not (signing / f"{kid}.pem").exists():
        license_keys.generate_key(signing, kid)
    write_secret_once(signing / "current", kid)
    write_secret_once(world.secrets_dir / "admin-token", admin_token or secrets.token_urlsafe(24))
    write_secret_once(world.secrets_dir / "gumroad-secret",
                      gumroad_secret or secrets.token_urlsafe(24))
    given = dict(webhook_secrets or {})
    for name in STOREFRONT_SECRETS:
        default = secrets.token_urlsafe(24)
        if name == "postmark-webhook":  # Basic auth: user:password
            default = f"postmark:{default}"
        write_secret_once(world.secrets_dir / name, given.get(name, default))
    world.mail_dir.mkdir(exist_ok=True)
    if not world.products.exists():
        write_toml(world.products, {"products": {k: dict(v) for k, v in products.items()}},
                   f"Development catalog, written by {writer}; edits are kept.")
    write_toml(world.config, {
        "server": {"host": "127.0.0.1", "port": port, "threads": threads},
        "database": {"url": database_url},
        "secrets": {"dir": str(world.secrets_dir)},
        "mail": {"sender": DEV_SENDER, "spool_dir": str(world.mail_dir)},
        "products": {"file": str(world.products)},
        # The license email links here; bin/dev-run serves on this port.
        "portal": {"url": f"http://127.0.0.1:{port}/portal"},
        # One user runs both here; in production the signer has its own user and config
        # (systemd/README.md). Purchases as old as the storefronts' test data are in policy.
        "signer": {"socket": str(world.signer_socket), "log": str(world.signer_log),
                   "client_user": str(os.getuid()), "client_group": str(os.getgid()),
                   "per_minute": 6000, "per_day": 1000000},
        "policy": {"earliest_issued": "2000-01-01"},
    }, f"Written by {writer} on every start; change {writer} instead.")
    return world
