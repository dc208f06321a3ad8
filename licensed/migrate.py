"""Numbered, forward-only schema migrations from licensed/sql/migrations/, recorded in schema_migrations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from importlib.resources.abc import Traversable

from licensed.db import Database, timestamp
from licensed.errors import StorageError
from licensed.queries import SQL_ROOT, sql_files

_NAME_RE = re.compile(r"(\d{3})_(\w+)\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Traversable


def find_migrations(dialect: str, root: Traversable = SQL_ROOT / "migrations") -> list[Migration]:
    """Migrations in order; `root/<dialect>/NNN_x.sql` replaces `root/NNN_x.sql` for that dialect."""
    chosen: dict[str, Traversable] = {}
    for folder in (root, root / dialect):
        for path in sql_files(folder):
            if not _NAME_RE.fullmatch(path.name):
                raise StorageError(f"{path}: migration files are named NNN_name.sql")
            chosen[path.name] = path
    migrations = []
    for filename, path in sorted(chosen.items()):
        match = _NAME_RE.fullmatch(filename)
        assert match
        migrations.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise StorageError(f"two migrations share a number in {root}")
    return migrations


def pending_migrations(db: Database) -> list[Migration]:
    with db.transaction() as tx:
        tx.exec("create_migrations_table")
        applied = {row.version for row in tx.many("applied_migrations")}
    return [m for m in find_migrations(db.dialect) if m.version not in applied]


def migrate(db: Database, now: datetime) -> list[Migration]:
    """Apply every pending migration, each in its own transaction; return those applied.

    Safe to run from two processes at once: the migrations lock (PostgreSQL advisory lock,
    SQLite's write lock) makes the second wait and then find nothing left to do.
    """
    applied = []
    for migration in pending_migrations(db):
        with db.transaction() as tx:
            tx.exec("lock_migrations")
            if tx.scalar("migration_applied", version=migration.version):
                continue
            tx.script(migration.path.read_text(encoding="utf-8"))
            tx.exec("record_migration", version=migration.version, name=migration.name,
                    applied_at=timestamp(now))
        applied.append(migration)
    return applied
