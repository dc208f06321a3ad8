"""A daemon world per test: secrets, products and a migrated database (SQLite file or the real
PostgreSQL server, one fresh schema per test), and the daemon served by waitress on loopback."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from tests.daemon.fake_postmark import TOKEN, FakePostmark
from tests.daemon.harness import (Clock, LiveDaemon, Settings, SignerProcess, quick,
                                  write_world_files)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """Every storage test runs twice: on a real SQLite file and on the real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/licenses.db"
        return
    import psycopg

    base = request.getfixturevalue("pg_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{base}?options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc))


@pytest.fixture
def world(tmp_path, database_url) -> Settings:
    return write_world_files(tmp_path, database_url)


@pytest.fixture
def live(world, clock):
    daemon = LiveDaemon(world, clock).start()
    yield daemon
    daemon.stop()


@pytest.fixture
def signers():
    """`signers(settings)` starts the world's signer process; each is stopped after the test."""
    started: list[SignerProcess] = []

    def start(settings: Settings) -> SignerProcess:
        started.append(SignerProcess(settings).start())
        return started[-1]

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def live_with(tmp_path, database_url, clock):
    """A factory: `live_with(products)` starts a daemon whose products.toml is `products`."""
    started: list[LiveDaemon] = []

    def start(products: dict) -> LiveDaemon:
        root = tmp_path / f"world-{len(started)}"
        daemon = LiveDaemon(write_world_files(root, database_url, products), clock).start()
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.stop()


@pytest.fixture
def postmark():
    """The loopback stand-in for Postmark (tests/daemon/fake_postmark.py)."""
    fake = FakePostmark().start()
    yield fake
    fake.stop()


@pytest.fixture
def mail_world(world, postmark):
    (world.secrets_dir / "postmark-token").write_text(TOKEN + "\n")
    return world.replace(mail_api_url=postmark.url)


@pytest.fixture
def mailing(mail_world, clock):
    """A live daemon whose mail goes to the fake Postmark."""
    live = LiveDaemon(mail_world, clock).start()
    quick(live.daemon.worker.transport)
    yield live
    live.stop()


