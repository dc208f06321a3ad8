"""The backup unit's command and bin/restore-backup against the real PostgreSQL server (and an
SQLite file): licenses in, backup, restore into a new database, the very same rows out."""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from licensed.backup import COUNTED_TABLES
from licensed.migrate import find_migrations
from tests.conftest import _with_database
from tests.daemon.harness import LiveDaemon, gumroad_sale, write_world_files
from tests.deploy.conftest import ROOT, tool

UNIT = ROOT / "systemd" / "datatools-license-backup.service"
TABLES = tuple(COUNTED_TABLES)  # every table (test_every_table_of_the_schema_is_counted…)
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def unit_command(config: Path, backup_dir: Path, keep: str | None = None) -> list[str]:
    """The backup unit's ExecStart, with the venv's `licensed` replaced by this checkout's."""
    (line,) = [l for l in UNIT.read_text().splitlines() if l.startswith("ExecStart=")]
    argv = shlex.split(line.removeprefix("ExecStart="))
    assert argv[:2] == ["/opt/datatools-license/venv/bin/licensed", "backup"]
    swap = {"/etc/datatools-license/licensed.toml": str(config),
            "/var/backups/datatools-license": str(backup_dir)}
    argv = [sys.executable, "-m", "licensed"] + [swap.get(arg, arg) for arg in argv[1:]]
    assert str(config) in argv and str(backup_dir) in argv
    if keep is not None:
        argv[argv.index("--keep") + 1] = keep
    return argv


def run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=ENV, capture_output=True, text=True, timeout=120)


def restore(*args: str) -> subprocess.CompletedProcess:
    return run([sys.executable, str(ROOT / "bin" / "restore-backup"), *args])


@pytest.fixture
def fresh_pg_databases(pg_server):
    """Names for new databases on the real server, all dropped afterwards."""
    import psycopg

    made: list[str] = []

    def make(create: bool = True) -> str:
        name = f"dt_drill_{uuid.uuid4().hex[:10]}"
        made.append(name)
        if create:
            with psycopg.connect(pg_server, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        return _with_database(pg_server, name)

    yield make
    with psycopg.connect(pg_server, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_rows(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def sell_some_licenses(settings, clock) -> None:
    daemon = LiveDaemon(settings, clock).start()
    try:
        for n in range(3):
            assert daemon.ping(gumroad_sale(f"DRILL-{n}")).json() == {"outcome": "minted"}
        assert daemon.ping(gumroad_sale("DRILL-0", refunded="true")).status == 200
        assert daemon.admin("POST", "/internal/mint", {"name": "Ana Núñez", "email": "ana@example.com",
                                                       "tier": "team", "seats": 3}).status == 201
    finally:
        daemon.stop()


def test_backup_and_restore_drill_on_postgresql(tmp_path, fresh_pg_databases, clock):
    tool("pg_dump"), tool("pg_restore"), tool("createdb")
    live = fresh_pg_databases()
    settings = write_world_files(tmp_path, live)
    sell_some_licenses(settings, clock)
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)

    made = run(unit_command(settings.config_file, backups))
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.parent == backups and dump.name.endswith(".pgdump")
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert "licenses=4 " in made.stderr
    for path in (dump, Path(f"{dump}.sha256"), Path(f"{dump}.json")):
        assert path.stat().st_mode & 0o777 == 0o600
    # The checksum file is sha256sum's own format.
    assert subprocess.run(["sha256sum", "-c", dump.name + ".sha256"], cwd=backups,
                          capture_output=True).returncode == 0

    target = fresh_pg_databases(create=False)
    restored = restore(str(dump), "--config", str(settings.config_file), "--to", target)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.splitlines() == [
        f"checksum ok: {dump.name}", "restored into a new database",
        "row counts match the backup: licenses=4 webhook_events=5 operator_actions=1 "
        f"outbox=4 schema_migrations={len(find_migrations('pg'))} refunds=1 renewals=0 "
        "suppressions=0 subscriptions=0 subscription_payments=0 daemon_keys=1 rate_limits=0",
    ]
    original = pg_rows(live)
    assert len(original["licenses"]) == 4
    assert pg_rows(target) == original

    again = restore(str(dump), "--config", str(settings.config_file), "--to", target)
    assert again.returncode == 1
    assert re.search(r"already holds \d+ tables", again.stderr) and "--force" in again.stderr
    over_live = restore(str(dump), "--config", str(settings.config_file))
    assert over_live.returncode == 1 and "--force" in over_live.stderr
    forced = restore(str(dump), "--to", target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.splitlines()[1] == "restored over the existing tables"
    assert pg_rows(target) == original
    # The drill as the runbook does it: into an empty database made for it, no settings read.
    empty = fresh_pg_databases()
    drill = restore(str(dump), "--to", empty)
    assert (drill.returncode, drill.stdout.splitlines()[1]) == (0, "restored into an empty database")
    assert pg_rows(empty) == original


def test_a_corrupted_dump_is_refused_by_its_checksum(tmp_path, fresh_pg_databases, clock, pg_server):
    import psycopg

    live = fresh_pg_databases()
    settings = write_world_files(tmp_path, live)
    sell_some_licenses(settings, clock)
    made = run(unit_command(settings.config_file, tmp_path))
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))

    target = fresh_pg_databases(create=False)
    refused = restore(str(dump), "--config", str(settings.config_file), "--to", target)
    assert refused.returncode == 1
    assert "does not match its checksum" in refused.stderr
    name = target.rsplit("/", 1)[1]
    with psycopg.connect(pg_server) as conn:  # nothing was created
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                            (name,)).fetchone() == (0,)
    Path(f"{dump}.sha256").unlink()
    missing = restore(str(dump), "--config", str(settings.config_file), "--to", target)
    assert missing.returncode == 1 and ".sha256 is missing" in missing.stderr


def test_a_failed_backup_fails_the_command_and_leaves_nothing(tmp_path):
    settings = write_world_files(tmp_path, "postgresql://postgres@127.0.0.1:1/nowhere")
    backups = tmp_path / "backups"
    backups.mkdir()
    failed = run(unit_command(settings.config_file, backups))
    assert failed.returncode == 1
    assert failed.stderr.startswith("licensed: cannot read the database")
    assert list(backups.iterdir()) == []
    no_dir = run(unit_command(settings.config_file, tmp_path / "absent"))
    assert (no_dir.returncode, no_dir.stderr.strip()) == (
        1, f"licensed: backup directory {tmp_path / 'absent'} does not exist")


def test_sqlite_backup_keeps_the_newest_and_restores_the_same_rows(tmp_path, clock):
    settings = write_world_files(tmp_path, f"sqlite:///{tmp_path}/licenses.db")
    sell_some_licenses(settings, clock)
    backups = tmp_path / "backups"
    backups.mkdir()
    dumps = []
    for _ in range(3):
        made = run(unit_command(settings.config_file, backups, keep="2"))
        assert made.returncode == 0, made.stderr
        dumps.append(Path(made.stdout.strip()))
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        name for d in dumps[1:] for name in (d.name, d.name + ".json", d.name + ".sha256"))

    target = tmp_path / "restored.db"
    restored = restore(str(dumps[-1]), "--config", str(settings.config_file),
                       "--to", f"sqlite:///{target}")
    assert restored.returncode == 0, restored.stderr

    def rows(path: Path) -> dict[str, list[tuple]]:
        with sqlite3.connect(path) as conn:
            return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}

    assert rows(target) == rows(tmp_path / "licenses.db")
    assert len(rows(target)["licenses"]) == 4
    # Over the configured (live) file only with --force.
    refused = restore(str(dumps[-1]), "--config", str(settings.config_file))
    assert refused.returncode == 1 and "already holds a database" in refused.stderr
    forced = restore(str(dumps[-1]), "--config", str(settings.config_file), "--force")
    assert (forced.returncode, forced.stdout.splitlines()[1]) == (0, "restored over the existing tables")
    assert rows(tmp_path / "licenses.db") == rows(target)


def test_a_sqlite_backup_restores_to_a_plain_path_and_the_wrong_kind_says_the_form(tmp_path):
    # Trial I: `--to /path` was refused ("restore it into a database of the same kind") and
    # the working `--to sqlite:////path` had to be guessed.
    settings = write_world_files(tmp_path, f"sqlite:///{tmp_path}/licenses.db")
    migrated = run([sys.executable, "-m", "licensed", "migrate", "--config",
                    str(settings.config_file)])
    assert migrated.returncode == 0, migrated.stderr
    backups = tmp_path / "backups"
    backups.mkdir()
    made = run(unit_command(settings.config_file, backups))
    assert made.returncode == 0, made.stderr
    dump = made.stdout.strip()

    restored = restore(dump, "--to", str(tmp_path / "drill.db"))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.splitlines()[1:2] == ["restored into a new database"]
    assert restored.stdout.splitlines()[-1].startswith("row counts match the backup: ")
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        assert conn.execute("SELECT count(*) FROM licenses").fetchone() == (0,)

    wrong = restore(dump, "--to", "postgresql:///datatools_license_drill?host=/nonexistent")
    assert (wrong.returncode, wrong.stderr) == (1, (
        f"restore-backup: {dump} is a SQLite backup; restore it into a SQLite file, e.g. --to "
        "/var/lib/datatools-license/drill.sqlite3 (or --to "
        "sqlite:////var/lib/datatools-license/drill.sqlite3)\n"))


def test_every_table_of_the_schema_is_counted_by_backups(tmp_path):
    # A table added by a later migration must be counted too, or a restore could lose it
    # unnoticed: add its count query to sql/queries/backup.sql and COUNTED_TABLES.
    from licensed.cli import main

    settings = write_world_files(tmp_path, f"sqlite:///{tmp_path}/licenses.db")
    assert main(["migrate", "--config", str(settings.config_file)]) == 0
    with sqlite3.connect(tmp_path / "licenses.db") as conn:
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    assert tables == set(COUNTED_TABLES)
