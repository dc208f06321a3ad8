"""Restoring a backup made by licensed/backup.py: checksum first, then the rows, then the counts."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urlsplit

from licensed.backup import (count_rows, dialect_of, pg_environment, read_verified, require_tool,
                             run_tool)
from licensed.db import Transaction, sqlite_path
from licensed.errors import BackupError
from licensed.queries import load_queries
from licensed.runlock import hold_for_restore

FORMAT_DIALECT = {"pg_dump-custom": "pg", "sqlite3": "sqlite"}


@dataclass(frozen=True)
class Restored:
    """What a restore did: whether it made the database or replaced tables, and the rows per
    table (equal to the manifest's)."""

    target: str
    created: bool
    replaced: bool
    row_counts: Mapping[str, int]

    def summary(self) -> str:
        if self.created:
            return "restored into a new database"
        return "restored over the existing tables" if self.replaced else \
            "restored into an empty database"


def _sqlite_counts(path: Path) -> tuple[int, dict[str, int] | None]:
    """(tables, row counts or None when the schema is not ours) of an SQLite file."""
    conn = sqlite3.connect(path)
    try:
        queries = load_queries("sqlite")
        tx = Transaction(conn.cursor(), queries, "sqlite")
        tables = int(tx.scalar("count_user_tables"))
        try:
            return tables, count_rows(tx)
        except sqlite3.OperationalError:
            return tables, None
    finally:
        conn.close()


def _restore_sqlite(dump: Path, url: str, force: bool) -> tuple[bool, bool, dict[str, int] | None]:
    target = Path(sqlite_path(url))
    if not target.parent.is_dir():
        raise BackupError(f"cannot restore into {target}: its folder does not exist")
    lock = hold_for_restore(url, None)
    try:
        return _replace_sqlite(dump, target, force)
    finally:
        lock.close()


def _replace_sqlite(dump: Path, target: Path, force: bool) -> tuple[bool, bool, dict[str, int] | None]:
    created = not target.exists()
    tables = 0 if created else _sqlite_counts(target)[0]
    if tables and not force:
        raise BackupError(f"{target} already holds a database; stop the daemon and pass --force "
                          "to replace it, or restore somewhere else with --to")
    partial = target.with_name(target.name + ".restoring")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        source, copy = sqlite3.connect(dump), sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        _, counts = _sqlite_counts(partial)
        # A stale WAL of the replaced database would be replayed onto the restored one.
        for sidecar in ("-wal", "-shm"):
            target.with_name(target.name + sidecar).unlink(missing_ok=True)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot restore into {target}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return created, bool(tables), counts


def _pg_state(url: str, password: str | None) -> tuple[bool, int]:
    """(exists, number of tables) of the PostgreSQL database `url` names."""
    import psycopg

    try:
        with psycopg.connect(url, password=password, connect_timeout=10, autocommit=True) as conn:
            with conn.cursor() as cursor:
                return True, int(Transaction(cursor, load_queries("pg"), "pg")
                                 .scalar("count_user_tables"))
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc):
            return False, 0
        raise BackupError(f"cannot reach the target database: {str(exc).strip()}") from exc


def _pg_counts(url: str, password: str | None) -> dict[str, int] | None:
    import psycopg

    try:
        with psycopg.connect(url, password=password, connect_timeout=10) as conn:
            with conn.cursor() as cursor:
                return count_rows(Transaction(cursor, load_queries("pg"), "pg"))
    except psycopg.errors.UndefinedTable:
        return None


def _restore_pg(dump: Path, url: str, password: str | None,
                force: bool) -> tuple[bool, bool, dict[str, int] | None]:
    exists, tables = _pg_state(url, password)
    lock = hold_for_restore(url, password) if exists else None
    try:
        return _replace_pg(dump, url, password, force, exists, tables)
    finally:
        if lock is not None:
            lock.close()


def _replace_pg(dump: Path, url: str, password: str | None, force: bool, exists: bool,
                tables: int) -> tuple[bool, bool, dict[str, int] | None]:
    name = unquote(urlsplit(url).path.lstrip("/"))
    if tables and not force:
        raise BackupError(f"database {name} already holds {tables} tables; stop the daemon and "
                          "pass --force to replace them, or restore into a new database with --to")
    with pg_environment(password) as env:
        if not exists:
            # createdb (not SQL text here): the new database on the target's server.
            maintenance = urlsplit(url)._replace(path="/postgres").geturl()
            run_tool([require_tool("createdb"), "--no-password", f"--maintenance-db={maintenance}",
                      name], env, "createdb")
        run_tool([require_tool("pg_restore"), "--no-password", "--exit-on-error",
                  "--single-transaction", *(["--clean", "--if-exists"] if tables else []),
                  f"--dbname={url}", str(dump)], env, "pg_restore")
    return not exists, bool(tables), _pg_counts(url, password)


# What a backup of each kind restores into, said when --to names the other kind.
SAME_KIND = {
    "pg": ("{dump} is a PostgreSQL backup; restore it into a PostgreSQL database, e.g. --to "
           "'postgresql:///datatools_license_drill?host=/var/run/postgresql'"),
    "sqlite": ("{dump} is a SQLite backup; restore it into a SQLite file, e.g. --to "
               "/var/lib/datatools-license/drill.sqlite3 (or --to "
               "sqlite:////var/lib/datatools-license/drill.sqlite3)"),
}


def restore_backup(dump: Path, target_url: str, *, password: str | None = None,
                   force: bool = False) -> Restored:
    """Restore `dump` into the database `target_url` names and prove every row arrived.

    Order: the checksum and manifest are checked (a damaged file is refused before anything is
    touched); a target that already holds tables is refused unless `force`; a PostgreSQL
    database that does not exist is created; after the restore the row counts must equal the
    manifest's. For a SQLite backup `target_url` may be a plain path (the file). Raises BackupError with one clear line for each of these.
    """
    manifest = read_verified(dump)
    dialect = FORMAT_DIALECT.get(manifest.get("format", ""))
    if dialect is None:
        raise BackupError(f"{dump}: unknown backup format {manifest.get('format')!r}")
    if dialect == "sqlite" and "://" not in target_url:
        # A plain path names a SQLite file, and only that (trial I guessed the URL form).
        target_url = f"sqlite:///{Path(target_url).resolve()}"
    if dialect != dialect_of(target_url):
        raise BackupError(SAME_KIND[dialect].format(dump=dump))
    if dialect == "pg":
        created, replaced, counts = _restore_pg(dump, target_url, password, force)
    else:
        created, replaced, counts = _restore_sqlite(dump, target_url, force)
    expected = {table: int(n) for table, n in manifest["row_counts"].items()}
    if counts != expected:
        raise BackupError(f"the restored database's row counts {counts} differ from the "
                          f"backup's {expected}; do not use it")
    return Restored(target=target_url, created=created, replaced=replaced, row_counts=counts)
