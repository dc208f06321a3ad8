"""The daemon's app factory: settings in, a ready Bottle app (and how to serve it) out."""

from __future__ import annotations

import functools
import importlib.metadata
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import bottle

from licensed.db import Database, open_database
from licensed.errors import ConfigError
from licensed.mailer import PostmarkTransport, SpoolTransport, Transport
from licensed.migrate import migrate, pending_migrations
from licensed.outbox import DeliveryWorker
from licensed.portal import PortalQueue
from licensed.products import Catalog, load_catalog
from licensed.rejections import RejectionLimiter
from licensed.daemon_secrets import DaemonSecrets, load_daemon_secrets
from licensed.serving import make_server  # noqa: F401  (the app factory's server half)
from licensed.settings import Settings
from licensed.signer.client import SignerClient, SignerKeys
from licensed.sources import SourceAdapter
from licensed.sources.gumroad import GumroadAdapter
from licensed.sources.lemonsqueezy import LemonSqueezyAdapter
from licensed.sources.manual import ManualAdapter
from licensed.sources.offline import OfflineAdapter
from licensed.sources.postmark import PostmarkBounceAdapter
from licensed.sources.stripe import StripeAdapter

log = logging.getLogger("licensed")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def daemon_version() -> str:
    try:
        return importlib.metadata.version("datatools")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@dataclass
class Daemon:
    """Everything one running daemon holds: settings, secrets, database, catalog, clock, and
    the client of the signer (the daemon holds no private key)."""

    settings: Settings
    secrets: DaemonSecrets
    catalog: Catalog
    db: Database
    clock: Clock
    adapters: dict[str, SourceAdapter] = field(default_factory=dict)
    worker: DeliveryWorker | None = None
    rejections: RejectionLimiter = field(default_factory=RejectionLimiter)
    portal: PortalQueue | None = None
    version: str = field(default_factory=daemon_version)

    @functools.cached_property
    def signer(self) -> SignerClient:
        """Every mint, reissue and renewal asks the signer through this one client."""
        return SignerClient(self.settings.signer_socket)

    @functools.cached_property
    def keys(self) -> SignerKeys:
        """The signer's kid, keyring and reload, asked over the same socket (the daemon holds
        no key: licensed/signer/)."""
        return SignerKeys(self.signer)

    def start(self) -> None:
        """Start the mail worker and the portal's queue, side by side: wherever mail is sent,
        portal requests are handled (`licensed serve` calls this in every process)."""
        assert self.worker is not None and self.portal is not None
        self.worker.start()
        self.portal.start()

    def wake_mailer(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    def close(self) -> None:
        if self.portal is not None:
            self.portal.stop()
        if self.worker is not None:
            self.worker.stop()
        self.signer.close()
        self.db.close()


def make_transport(settings: Settings, secrets: DaemonSecrets, clock: Clock) -> Transport:
    """Postmark when secrets/postmark-token exists, else .eml files in [mail] spool_dir."""
    if secrets.postmark_token:
        return PostmarkTransport(settings.mail_api_url, secrets.postmark_token)
    return SpoolTransport(settings.mail_spool_dir, clock)


def open_daemon(settings: Settings, *, clock: Clock = utc_now, apply_migrations: bool = False) -> Daemon:
    """Load secrets and products, connect, check the schema. Raises ConfigError or StorageError
    with one clear line when the daemon must not start."""
    secrets = load_daemon_secrets(settings.secrets_dir)
    catalog = load_catalog(settings.products_file)
    # Server threads, the mail worker and a spare for /health when every thread is busy.
    db = open_database(settings.database_url, password=secrets.db_password,
                       pool_size=settings.threads + 2)
    try:
        if apply_migrations:
            for applied in migrate(db, clock()):
                log.info("migrated version=%03d name=%s", applied.version, applied.name)
        else:
            missing = pending_migrations(db)
            if missing:
                raise ConfigError(
                    f"the database lacks {len(missing)} migration(s) (first: "
                    f"{missing[0].version:03d}_{missing[0].name}); run: licensed migrate"
                )
    except BaseException:
        db.close()
        raise
    worker = DeliveryWorker(db, make_transport(settings, secrets, clock),
                            sender=settings.mail_sender, clock=clock,
                            portal_url=settings.portal_url, support_email=settings.support_email)
    daemon = Daemon(settings=settings, secrets=secrets, catalog=catalog, db=db, clock=clock,
                    worker=worker)
    # Imported licenses are checked against the signer's public keyring, asked when needed.
    daemon.adapters = {
        adapter.name: adapter for adapter in (GumroadAdapter(), LemonSqueezyAdapter(),
                                              StripeAdapter(), PostmarkBounceAdapter(),
                                              ManualAdapter(), OfflineAdapter(daemon.signer.keyring))
    }
    daemon.portal = PortalQueue(db, clock, daemon.wake_mailer)
    return daemon


def build_app(daemon: Daemon) -> bottle.Bottle:
    from licensed import routes

    app = routes.DaemonApp()
    app.config["licensed.daemon"] = daemon
    routes.install(app, daemon)
    return app


def create_app(settings: Settings, *, clock: Clock = utc_now,
               apply_migrations: bool = False) -> bottle.Bottle:
    """The daemon as a WSGI app; `daemon_of(app).close()` releases its database.

    The mail worker and the portal's queue are built but not started: `licensed serve` starts
    both (`daemon_of(app).start()`); in-process tests drive them with `run_once()` and
    `run_pending()`.
    """
    return build_app(open_daemon(settings, clock=clock, apply_migrations=apply_migrations))


def daemon_of(app: bottle.Bottle) -> Daemon:
    return app.config["licensed.daemon"]
