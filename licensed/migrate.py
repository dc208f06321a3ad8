"""Numbered, forward-only schema migrations from sql/migrations/, recorded in schema_migrations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from importlib.resources.abc import Traversable

from licensed.db import Database, timestamp
from licensed.errors import ConfigError, StorageError
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
    """Migrations this release has that the database lacks. Raises ConfigError when the
    database has migrations this release does not know (refuse_unknown)."""
    with db.transaction() as tx:
        tx.exec("create_migrations_table")
        applied = tx.many("applied_migrations")
    known = find_migrations(db.dialect)
    refuse_unknown(applied, {m.version for m in known})
    done = {row.version for row in applied}
    return [m for m in known if m.version not in done]


def refuse_unknown(applied: list, known: set[int]) -> None:
    """A schema migrated by a newer release (a rollback to older code) is refused in one line
    naming its migrations: the older code would misread tables it does not know about."""
    unknown = [row for row in applied if row.version not in known]
    if unknown:
        names = ", ".join(f"{row.version:03d}_{row.name}" for row in unknown)
        raise ConfigError(
            f"the database has {len(unknown)} migration(s) this release does not know ({names}): "
            f"a newer release upgraded it; run that release, or restore the backup taken "
            f"before the upgrade (docs/SETUP-LICENSE-SERVER.md, \"Upgrade and rollback\")")


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
