"""The serving lock: each `licensed serve` process holds it (shared) for as long as it runs, and
bin/restore-backup must take it (exclusive) before replacing the database it serves. A restore
under a running daemon lost sales: the daemon kept writing to the replaced SQLite file, and
answered 200 for sales that were gone after the restart.

SQLite: `flock` on `<database>.serving-lock` beside the file (the directory SQLite writes its
-wal and -shm files to). PostgreSQL: advisory lock 4242002 on a connection of its own, so the
lock reaches a daemon on another host too. Either way the kernel or the server drops the lock
when its holder dies: a crashed daemon never blocks a restore.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from licensed.db import pg_place, sqlite_path
from licensed.errors import BackupError, ConfigError, StorageError
from licensed.queries import load_queries

STOP_HINT = "sudo systemctl stop datatools-license"


class ServingLock:
    """A held serving lock; `close()` releases it."""

    def __init__(self, handle, what: str):
        self._handle = handle
        self.what = what

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _lock_file(url: str) -> Path:
    return Path(sqlite_path(url) + ".serving-lock")


def _try(url: str, password: str | None, exclusive: bool) -> ServingLock | None:
    """The lock, or None when the other side holds it."""
    if url.startswith("sqlite:///"):
        path = _lock_file(url)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StorageError(f"cannot open the serving lock {path}: {exc.strerror}") from exc
        handle = os.fdopen(fd, "r+b")
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return ServingLock(handle, str(path))
    import psycopg

    kwargs = {"autocommit": True, "connect_timeout": 5,
              **({"password": password} if password is not None else {})}
    try:
        conn = psycopg.connect(url, **kwargs)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StorageError(f"cannot reach PostgreSQL at {pg_place(url)}: {reason}") from exc
    query = load_queries("pg")["serving_lock_exclusive" if exclusive else "serving_lock_shared"]
    got = conn.execute(query.sql).fetchone()[0]
    if not got:
        conn.close()
        return None
    return ServingLock(conn, "PostgreSQL advisory lock 4242002")


def hold_for_serving(url: str, password: str | None) -> ServingLock:
    """Taken by each `licensed serve` process; ConfigError while a restore holds it."""
    lock = _try(url, password, exclusive=False)
    if lock is None:
        raise ConfigError("bin/restore-backup is restoring this database; start the daemon "
                          "once it has finished")
    return lock


def hold_for_restore(url: str, password: str | None) -> ServingLock:
    """Taken by a restore into `url`; BackupError while a daemon serves that database."""
    lock = _try(url, password, exclusive=True)
    if lock is None:
        raise BackupError(f"the daemon is running on this database (it holds the serving "
                          f"lock); stop it first ({STOP_HINT}), restore, then start it "
                          f"again")
    return lock
