"""Backups of the license database: `pg_dump -Fc` or SQLite's online backup, checksummed, counted.

One backup is three files in the backup directory, named by the UTC time it was taken:

    licenses-20261201T031500.123456Z.pgdump        (or .sqlite3: a plain SQLite file)
    licenses-20261201T031500.123456Z.pgdump.sha256 (`sha256sum -c` reads it)
    licenses-20261201T031500.123456Z.pgdump.json   (manifest: format, sha256, row counts)

The row counts are those of the dump itself (PostgreSQL: pg_dump dumps the snapshot the counts
were read in; SQLite: they are counted in the copy), so a restore can prove it got every row.
The manifest is written last: a backup without one is incomplete and is never pruned into.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping

from licensed.db import Transaction, sqlite_path
from licensed.errors import BackupError
from licensed.queries import load_queries

# Table → the named query (sql/queries/backup.sql, stats.sql) that counts its rows.
COUNTED_TABLES = {
    "licenses": "count_licenses",
    "webhook_events": "count_webhook_events",
    "operator_actions": "count_operator_actions",
    "outbox": "count_outbox",
    "schema_migrations": "count_schema_migrations",
    "refunds": "count_refunds",
    "renewals": "count_renewals",
    "suppressions": "count_suppressions",
    "subscriptions": "count_subscriptions",
    "subscription_payments": "count_subscription_payments",
    "daemon_keys": "count_daemon_keys",
    "rate_limits": "count_rate_limits",
}
FORMATS = {"pg": ("pg_dump-custom", ".pgdump"), "sqlite": ("sqlite3", ".sqlite3")}
_NAME_RE = re.compile(r"licenses-\d{8}T\d{6}\.\d{6}Z\.(pgdump|sqlite3)")


@dataclass(frozen=True)
class Backup:
    """One complete backup: the dump, its checksum file and its manifest."""

    path: Path
    sha256: str
    row_counts: Mapping[str, int]

    @property
    def checksum_path(self) -> Path:
        return checksum_path(self.path)

    @property
    def manifest_path(self) -> Path:
        return manifest_path(self.path)


def checksum_path(dump: Path) -> Path:
    """`dump`'s checksum file: its name + `.sha256`."""
    return dump.with_name(dump.name + ".sha256")


def manifest_path(dump: Path) -> Path:
    """`dump`'s manifest: its name + `.json`."""
    return dump.with_name(dump.name + ".json")


def dialect_of(url: str) -> str:
    """`sqlite` for a `sqlite:///` URL, else `pg` (settings validated the scheme)."""
    return "sqlite" if url.startswith("sqlite:///") else "pg"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks (linear in its size, constant memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def count_rows(tx: Transaction) -> dict[str, int]:
    """Rows per table of the license schema, read in `tx`."""
    return {table: int(tx.scalar(query)) for table, query in COUNTED_TABLES.items()}


def _write_new(path: Path, text: str) -> None:
    """A new file, mode 0600 from its first byte, written under a temporary name then renamed."""
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def require_tool(name: str) -> str:
    """The path of a PostgreSQL client program; BackupError when it is not installed."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


@contextmanager
def pg_environment(password: str | None) -> Iterator[dict[str, str]]:
    """The environment for pg_dump/pg_restore/createdb: the password in a 0600 passfile (never
    on the command line, where `ps` shows it), removed afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE")}
    if password is None:
        yield env
        return
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    fd, name = tempfile.mkstemp(prefix="licensed-pgpass-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"*:*:*:*:{escaped}\n")
        yield {**env, "PGPASSFILE": name}
    finally:
        os.unlink(name)


def run_tool(argv: list[str], env: Mapping[str, str], what: str, **kwargs: Any) -> None:
    """Run a client program; its stderr becomes the BackupError message when it fails."""
    result = subprocess.run(argv, env=dict(env), stdin=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, **kwargs)
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", errors="replace").strip() or f"exit {result.returncode}"
        raise BackupError(f"{what} failed: {reason}")


def _dump_postgres(url: str, password: str | None, out: int) -> dict[str, int]:
    import psycopg

    queries = load_queries("pg")
    try:
        with psycopg.connect(url, password=password, connect_timeout=10) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.cursor() as cursor:
                tx = Transaction(cursor, queries, "pg")
                snapshot = tx.scalar("export_snapshot")
                counts = count_rows(tx)
                with pg_environment(password) as env:
                    run_tool([require_tool("pg_dump"), "--format=custom", "--no-password",
                              f"--snapshot={snapshot}", f"--dbname={url}"],
                             env, "pg_dump", stdout=out)
    except psycopg.Error as exc:
        raise BackupError(f"cannot read the database: {str(exc).strip()}") from exc
    return counts


def _dump_sqlite(url: str, out_path: Path) -> dict[str, int]:
    source_path = sqlite_path(url)
    if not Path(source_path).is_file():
        raise BackupError(f"SQLite database {source_path} does not exist")
    try:
        source = sqlite3.connect(source_path)
        target = sqlite3.connect(out_path, isolation_level=None)
        try:
            source.backup(target)  # a consistent copy, even while the daemon writes
            queries = load_queries("sqlite")
            target.execute(queries["sqlite_journal_delete"].sql).fetchall()
            counts = count_rows(Transaction(target.cursor(), queries, "sqlite"))
        finally:
            target.close()
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"cannot back up {source_path}: {exc}") from exc
    return counts


def backup_database(url: str, password: str | None, directory: Path, now: datetime,
                    version: str = "unknown") -> Backup:
    """Take one backup of the database `url` into `directory` (which must exist).

    Raises BackupError (nothing left behind but what was complete before) when the database
    cannot be read, pg_dump fails, or the directory is not writable.
    """
    dialect = dialect_of(url)
    kind, suffix = FORMATS[dialect]
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    final = directory / f"licenses-{stamp}{suffix}"
    partial = final.with_name(final.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(f"cannot write in the backup directory {directory}: {exc.strerror}") from None
    try:
        if dialect == "pg":
            with os.fdopen(fd, "wb") as handle:
                counts = _dump_postgres(url, password, handle.fileno())
                handle.flush()
                os.fsync(handle.fileno())
        else:
            os.close(fd)  # an empty file is an empty SQLite database: the copy goes into it
            counts = _dump_sqlite(url, partial)
        os.replace(partial, final)
        digest = file_sha256(final)
        _write_new(checksum_path(final), f"{digest}  {final.name}\n")
        manifest = {"file": final.name, "format": kind, "sha256": digest, "row_counts": counts,
                    "created": now.astimezone(timezone.utc).isoformat(), "version": version}
        _write_new(manifest_path(final), json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        for leftover in (partial, final, checksum_path(final)):
            leftover.unlink(missing_ok=True)
        raise
    return Backup(final, digest, counts)


def complete_backups(directory: Path) -> list[Path]:
    """The dumps in `directory` that have a manifest, oldest first (names sort by time)."""
    return sorted(path for path in directory.iterdir()
                  if _NAME_RE.fullmatch(path.name) and manifest_path(path).exists())


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete backups (with their side files); return them."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    doomed = complete_backups(directory)[:-keep]
    for dump in doomed:
        # The manifest goes first: a half-deleted backup is then "incomplete", never "complete".
        for path in (manifest_path(dump), checksum_path(dump), dump):
            path.unlink(missing_ok=True)
    return doomed


def read_verified(dump: Path) -> dict[str, Any]:
    """The manifest of `dump` after checking the file against its checksum file and manifest.

    Raises BackupError when a side file is missing or the file's SHA-256 differs: a damaged
    or tampered dump is never restored.
    """
    if not dump.is_file():
        raise BackupError(f"{dump} does not exist")
    try:
        recorded = checksum_path(dump).read_text(encoding="utf-8").split()[0]
        manifest = json.loads(manifest_path(dump).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{exc.filename} is missing: without it the backup cannot be "
                          "checked, so it is not restored") from None
    except (IndexError, ValueError, UnicodeDecodeError):
        raise BackupError(f"the side files of {dump} are unreadable") from None
    actual = file_sha256(dump)
    if actual != recorded or manifest.get("sha256") != recorded:
        raise BackupError(f"{dump} does not match its checksum (recorded {recorded[:16]}…, "
                          f"file {actual[:16]}…): the file is damaged; restore another backup")
    return manifest
