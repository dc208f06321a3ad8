"""A daemon world per test: secrets, products and a migrated database (SQLite file or the real
PostgreSQL server, one fresh schema per test), and the daemon served by waitress on loopback."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from tests.daemon.harness import Clock, LiveDaemon, Settings, write_world_files


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
