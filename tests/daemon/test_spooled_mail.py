"""Without a Postmark token the daemon writes license mail to its spool folder, and the operator
is told so: the outbox calls such a row `spooled`, never `sent`, `dtadmin outbox` says nobody
received it, and `dtadmin health` and /health say mail is spool-only (still 200: the
development stack runs that way by design). The installed `licensed serve` and `dtadmin` run
as processes; only what `licensed serve` starts runs."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

from licensed.db import open_database
from licensed.migrate import find_migrations, migrate
from tests.daemon.admin_harness import write_token
from tests.daemon.fake_postmark import TOKEN
from tests.daemon.harness import gumroad_sale, http
from tests.daemon.old_schema import insert_old_license, insert_old_sent_mail, migrate_before
from tests.daemon.served import free_port, serve, wait_for

DTADMIN = Path(sys.executable).with_name("dtadmin")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
SPOOL_ONLY = ("no Postmark token is set: license emails go to the mail spool folder on the "
              "server, not to buyers (docs/SETUP-LICENSE-SERVER.md, step 4, Mail)\n")


def dtadmin(url: str, token: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DTADMIN_")}
    env.update(DTADMIN_URL=url, DTADMIN_TOKEN_FILE=str(token))
    return subprocess.run([str(DTADMIN), *argv], env=env, capture_output=True, text=True,
                          timeout=60)


def test_spooled_license_mail_is_not_called_sent(tmp_path):
    served = serve(tmp_path / "world", f"sqlite:///{tmp_path}/licenses.db")
    try:
        token = write_token(tmp_path / "token")
        sale = urllib.parse.urlencode(gumroad_sale("SPOOL-1", email="tanaka@example.jp"))
        assert served.ping(sale.encode()).json() == {"outcome": "minted"}
        served.wait_for_mails(1)
        row = wait_for(lambda: [r for r in served.admin("GET", "/internal/outbox?status=spooled")
                                .json()["outbox"]], what="the row recorded as spooled")[0]
        assert row["message_id"] == sorted(served.mail_dir.glob("*.eml"))[0].name

        sent = dtadmin(served.url, token, "outbox", "--status", "sent")
        assert (sent.returncode, sent.stdout, sent.stderr) == (0, "no sent email\n", "")
        unsent = dtadmin(served.url, token, "outbox")
        assert unsent.returncode == 0, unsent.stderr
        assert unsent.stdout.splitlines() == [
            "ID  LICENSE  PURPOSE  TO                 STATUS   TRIES  CODE  ERROR",
            " 1        1  license  tanaka@example.jp  spooled      1"]
        assert unsent.stderr == (
            "1 email shown went to the mail spool folder on the server, not to the buyer: no "
            "Postmark token was set (docs/SETUP-LICENSE-SERVER.md, step 4, Mail). Once it is "
            "set, `dtadmin resend LICENSE` (the LICENSE column) sends one again.\n")

        health = dtadmin(served.url, token, "health")
        assert health.returncode == 0
        assert health.stdout.startswith("ok: database ok, signer ok, mail spool only, version ")
        assert health.stderr == SPOOL_ONLY
        answer = http("GET", served.url + "/health")
        assert (answer.status, answer.json()["status"], answer.json()["mail"]) == (
            200, "ok", {"transport": "spool", "message": (
                "no Postmark token is set: license emails are written to the mail spool "
                "folder on the server, not sent to buyers")})
    finally:
        log = served.stop()
    assert "result=spooled message_id=" in log and "result=sent" not in log


def test_with_a_postmark_token_health_says_postmark(tmp_path):
    # No sale is made, so nothing is sent: the URL only has to be one that is not Postmark's.
    served = serve(tmp_path / "world", f"sqlite:///{tmp_path}/licenses.db",
                   secrets={"postmark-token": TOKEN},
                   environ={"LICENSED_MAIL_API_URL": f"http://127.0.0.1:{free_port()}"})
    try:
        health = dtadmin(served.url, tmp_path / "no-token-needed", "health")
        assert (health.returncode, health.stderr) == (0, "")
        assert health.stdout.startswith("ok: database ok, signer ok, mail postmark, version ")
        assert http("GET", served.url + "/health").json()["mail"] == {"transport": "postmark"}
    finally:
        served.stop()


def test_mail_spooled_before_the_upgrade_is_spooled_after_it(database_url):
    # An older release recorded spooled mail as `sent`, its message id the spool's file name;
    # Postmark's MessageID is a UUID. Migration 009 tells them apart.
    db = open_database(database_url)
    try:
        # Rows as the schema before 009 holds them (tests may hold SQL text).
        migrate_before(db, 9, NOW)
        license_id = insert_old_license(db)
        for message_id in ("20260101T000001-L-OLD-1.eml", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"):
            insert_old_sent_mail(db, license_id, message_id)
        assert [m.version for m in migrate(db, NOW)] == [
            m.version for m in find_migrations(db.dialect) if m.version >= 9]
        with db.transaction() as tx:
            assert [(row.message_id[-4:], row.status) for row in tx.many(
                "list_outbox", before=2**62, status=None, limit=10)] == [(".eml", "spooled")]
            (sent,) = tx.many("list_outbox", before=2**62, status="sent", limit=10)
            assert sent.message_id.startswith("0a1b2c3d")
    finally:
        db.close()
