"""The PostgreSQL fixture gives every session its own database and fails loudly without a server."""

import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.postgres


def test_session_database_is_fresh_and_writable(pg_database):
    with psycopg.connect(pg_database, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
        assert tables == 0
        conn.execute("CREATE TABLE probe (x int)")
        conn.execute("INSERT INTO probe VALUES (42)")
        assert conn.execute("SELECT x FROM probe").fetchone() == (42,)


def test_unreachable_server_fails_with_instructions(tmp_path):
    # Run a tiny suite against a port nothing listens on: it must fail, not skip.
    (tmp_path / "test_probe.py").write_text(textwrap.dedent("""
        def test_needs_pg(pg_database):
            pass
    """))
    conftest = Path(__file__).with_name("conftest.py")
    (tmp_path / "conftest.py").write_text(conftest.read_text(encoding="utf-8"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        env={"DATATOOLS_TEST_PG": "postgresql://postgres@127.0.0.1:1/postgres", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout
    assert "1 error" in result.stdout
    assert "DATATOOLS_TEST_PG=postgresql://USER@HOST:PORT/postgres make test" in result.stdout
    assert "skipped" not in result.stdout
