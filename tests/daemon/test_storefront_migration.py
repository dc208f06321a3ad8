"""Migration 005 keeps what an older schema holds: licenses and their mail survive the outbox's
rebuild (SQLite) and constraint change (PostgreSQL), and the new states and columns work."""

from __future__ import annotations

from datetime import datetime, timezone

from licensed.db import open_database
from licensed.migrate import find_migrations, migrate
from tests.daemon.old_schema import insert_old_license, insert_old_sent_mail, migrate_before

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def test_licenses_and_mail_written_before_005_survive_it(database_url):
    db = open_database(database_url)
    try:
        # Rows as the schema before 005 holds them (tests may hold SQL text).
        migrate_before(db, 5, NOW)
        license_id = insert_old_license(db)
        insert_old_sent_mail(db, license_id, "pm-1")
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
