"""bin/restore-backup refuses to replace the database a running `licensed serve` serves (the
serving lock: licensed/runlock.py), on an SQLite file and on the real PostgreSQL server; and a
daemon does not start while a restore holds it. A restore under a running daemon lost sales."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from licensed.runlock import hold_for_restore, hold_for_serving
from tests.daemon.harness import ADMIN_TOKEN, GUMROAD_SECRET, gumroad_sale, http, write_world_files
from tests.deploy.harness import DaemonProcess
from tests.deploy.test_backup_restore import fresh_pg_databases, restore, run, unit_command  # noqa: F401

REFUSED = ("restore-backup: the daemon is running on this database (it holds the serving "
           "lock); stop it first (sudo systemctl stop datatools-license), restore, then start "
           "it again\n")


def licensed_program() -> str:
    return str(Path(sys.executable).parent / "licensed")


@pytest.fixture(params=["sqlite", "postgres"])
def world(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/licenses.db"
    else:
        url = request.getfixturevalue("fresh_pg_databases")()
    settings = write_world_files(tmp_path / "world", url)
    assert run([licensed_program(), "migrate", "--config", str(settings.config_file)]).returncode == 0
    return settings


def sale(daemon: DaemonProcess, order: str) -> int:
    body = urllib.parse.urlencode(gumroad_sale(order)).encode()
    return http("POST", f"{daemon.url}/webhooks/gumroad?secret={GUMROAD_SECRET}", body,
                {"Content-Type": "application/x-www-form-urlencoded"}).status


def test_restore_is_refused_while_the_daemon_runs_and_loses_no_sale(world, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    made = run(unit_command(world.config_file, backups))
    assert made.returncode == 0, made.stderr
    dump = made.stdout.strip()
    daemon = DaemonProcess([licensed_program()], world.config_file, tmp_path / "daemon.log").start()
    try:
        assert sale(daemon, "AFTER-BACKUP-1") == 200
        refused = restore(dump, "--config", str(world.config_file), "--force")
        assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", REFUSED)
        assert sale(daemon, "AFTER-BACKUP-2") == 200
    finally:
        assert daemon.stop() == 0
    # Both sales answered 200 are still there: nothing was replaced.
    daemon = DaemonProcess([licensed_program()], world.config_file, tmp_path / "daemon.log").start()
    try:
        listed = http("GET", f"{daemon.url}/internal/licenses",
                      headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()["licenses"]
        assert sorted(row["order_id"] for row in listed) == ["AFTER-BACKUP-1", "AFTER-BACKUP-2"]
    finally:
        assert daemon.stop() == 0
    # Stopped, the same command restores.
    done = restore(dump, "--config", str(world.config_file), "--force")
    assert done.returncode == 0, done.stderr


def test_the_daemon_does_not_start_while_a_restore_holds_the_lock(world, tmp_path):
    lock = hold_for_restore(world.database_url, None)
    try:
        started = subprocess.run([licensed_program(), "serve", "--config",
                                  str(world.config_file)], capture_output=True, text=True,
                                 timeout=60)
        assert (started.returncode, started.stderr) == (
            1, "licensed: bin/restore-backup is restoring this database; start the daemon once "
               "it has finished\n")
    finally:
        lock.close()
    # Released, a daemon takes it; a second serving process shares it.
    first = hold_for_serving(world.database_url, None)
    second = hold_for_serving(world.database_url, None)
    first.close()
    second.close()
