"""Migration 005 keeps what an older schema holds: licenses and their mail survive the outbox's
rebuild (SQLite) and constraint change (PostgreSQL), and the new states and columns work."""

from __future__ import annotations

from datetime import datetime, timezone

from licensed.db import open_database
from licensed.migrate import find_migrations, migrate

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def test_licenses_and_mail_written_before_005_survive_it(database_url):
    db = open_database(database_url)
    try:
        before = [m for m in find_migrations(db.dialect) if m.version < 5]
        with db.transaction() as tx:
            tx.exec("create_migrations_table")
            for m in before:
                tx.script(m.path.read_text(encoding="utf-8"))
                tx.exec("record_migration", version=m.version, name=m.name,
                        applied_at=NOW.isoformat())
            # Rows as the schema before 005 holds them (tests may hold SQL text).
            tx._cursor.execute(
                "INSERT INTO licenses (lid, source, order_id, name, email, product, product_key,"
                " tier, seats, issued, kid, blob, currency, created_at) VALUES ('L-OLD', "
                "'gumroad', 'OLD-1', 'Old Buyer', 'old@example.com', 'datatools', 'datatools-pro',"
                " 'pro', 1, '2026-01-01', 'k1', 'DTLIC2:x.y', 'USD', '2026-01-01T00:00:00+00:00')")
        with db.transaction() as tx:
            tx._cursor.execute("SELECT id FROM licenses WHERE lid = 'L-OLD'")
            license_id = tx._cursor.fetchone()[0]
            tx._cursor.execute(
                "INSERT INTO outbox (license_id, purpose, recipient, status, attempts,"
                " next_attempt_at, message_id, created_at, sent_at) VALUES "
                f"({license_id}, 'license', 'old@example.com', 'sent', 1,"
                " '2026-01-01T00:00:00+00:00', 'pm-1', '2026-01-01T00:00:00+00:00',"
                " '2026-01-01T00:00:01+00:00')")
        assert [m.version for m in migrate(db, NOW)] == [
            m.version for m in find_migrations(db.dialect) if m.version >= 5]
        with db.transaction() as tx:
            lic = tx.one("license_by_order", source="gumroad", order_id="OLD-1")
            assert (lic.lid, lic.standing, lic.variant, lic.payer_email) == (
                "L-OLD", "active", None, None)
            bounced = tx.one("mark_mail_bounced", message_id="pm-1", bounce_type="HardBounce",
                             bounced_at=NOW, detail="mailbox unknown")
            assert (bounced.license_id, bounced.status, bounced.bounce_type, bounced.recipient) == (
                license_id, "bounced", "HardBounce", "old@example.com")
            queued = tx.scalar("queue_mail", license_id=license_id, purpose="renewal",
                               recipient="old@example.com", now=NOW, language=None)
            tx.exec("cancel_pending_mail", license_id=license_id, reason="license revoked")
            assert tx.one("outbox_by_id", id=queued).status == "cancelled"
    finally:
        db.close()
