"""Shared fixtures: a fresh PostgreSQL database per test session, key material for licenses,
and Chromium for the portal tests."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_admin_url() -> str:
    return os.environ.get("DATATOOLS_TEST_PG", DEFAULT_PG)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin URL of a reachable PostgreSQL server; fails (never skips) when there is none."""
    import psycopg

    url = pg_admin_url()
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {url} ({str(exc).strip().splitlines()[0]}).\n"
            "The PostgreSQL tests need a real server. Start one, or point the tests at one with\n"
            "  DATATOOLS_TEST_PG=postgresql://USER@HOST:PORT/postgres make test\n"
            "(the user must be allowed to CREATE DATABASE).",
            pytrace=False,
        )
    return url


@pytest.fixture(scope="session")
def pg_database(pg_server: str):
    """A new, empty database for this test session, dropped afterwards; yields its URL."""
    import psycopg

    name = f"datatools_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(pg_server, name)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright, for one test of the daemon or of the deployment
    (the desktop tests start their own session-wide one later: two sync Playwrights cannot run
    at once); fails, never skips, when Chromium is missing."""
    from tests.desktop.conftest import launched_chromium

    with launched_chromium("the portal tests") as chromium:
        yield chromium
