"""A database as an older release left it: the migrations before one number, and a license
written in raw SQL, as those releases wrote it (tests may hold SQL text)."""

from __future__ import annotations

from datetime import datetime

from licensed.db import Database
from licensed.migrate import find_migrations


def migrate_before(db: Database, version: int, now: datetime) -> None:
    """Apply and record every migration numbered below `version`, and no other."""
    with db.transaction() as tx:
        tx.exec("create_migrations_table")
        for m in find_migrations(db.dialect):
            if m.version < version:
                tx.script(m.path.read_text(encoding="utf-8"))
                tx.exec("record_migration", version=m.version, name=m.name,
                        applied_at=now.isoformat())


def insert_old_license(db: Database) -> int:
    """License `L-OLD` (order gumroad OLD-1, old@example.com) in the columns every schema has;
    returns its id."""
    with db.transaction() as tx:
        tx._cursor.execute(
            "INSERT INTO licenses (lid, source, order_id, name, email, product, product_key,"
            " tier, seats, issued, kid, blob, currency, created_at) VALUES ('L-OLD', "
            "'gumroad', 'OLD-1', 'Old Buyer', 'old@example.com', 'datatools', 'datatools-pro',"
            " 'pro', 1, '2026-01-01', 'k1', 'DTLIC2:x.y', 'USD', '2026-01-01T00:00:00+00:00')")
    with db.transaction() as tx:
        tx._cursor.execute("SELECT id FROM licenses WHERE lid = 'L-OLD'")
        return tx._cursor.fetchone()[0]


def insert_old_sent_mail(db: Database, license_id: int, message_id: str) -> None:
    """An outbox row `sent` with `message_id` (a test's constant, no quotes), in the columns
    every schema has."""
    with db.transaction() as tx:
        tx._cursor.execute(
            "INSERT INTO outbox (license_id, purpose, recipient, status, attempts,"
            " next_attempt_at, message_id, created_at, sent_at) VALUES "
            f"({license_id}, 'license', 'old@example.com', 'sent', 1,"
            f" '2026-01-01T00:00:00+00:00', '{message_id}', '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:01+00:00')")
