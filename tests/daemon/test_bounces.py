"""Postmark's bounce webhook: Basic auth, the outbox row turns `bounced`, the address is
suppressed, and no mail goes to it blindly again (outbox, operator resend, portal)."""

from __future__ import annotations

import io
import json

from dtadmin.cli import main as dtadmin
from tests.daemon.harness import ADMIN_TOKEN, LiveDaemon, gumroad_sale
from tests.daemon.storefronts import postmark_bounce, postmark_post


def sent_message_id(live: LiveDaemon, order: str) -> str:
    live.ping(gumroad_sale(order))
    assert live.daemon.worker.run_once().sent == 1
    (row,) = live.admin("GET", "/internal/outbox?status=sent").json()["outbox"]
    return row["message_id"]


def test_wrong_or_missing_basic_auth_is_the_404_of_no_route_and_audited(mailing):
    message_id = sent_message_id(mailing, "BOUNCE-0")
    body = postmark_bounce(message_id, "zoe@example.com")
    assert (postmark_post(mailing, body, "postmark-hooks:wrong").status) == 404
    unauthenticated = mailing.post("/webhooks/postmark", b"{}", {"Content-Type": "application/json"})
    assert (unauthenticated.status, unauthenticated.body) == (404, b'{"error": {"code": "not_found", "message": "no such route"}}')
    rejected = mailing.admin("GET", "/internal/events?outcome=rejected_secret").json()["events"]
    assert [e["source"] for e in rejected] == ["postmark", "postmark"]
    assert mailing.admin("GET", "/internal/outbox?status=sent").json()["outbox"][0]["message_id"] == (
        message_id)


def test_a_hard_bounce_marks_the_mail_bounced_and_suppresses_the_address(mailing, postmark):
    message_id = sent_message_id(mailing, "BOUNCE-1")
    answer = postmark_post(mailing, postmark_bounce(message_id, "zoe@example.com"))
    assert (answer.status, answer.json()) == (200, {"outcome": "bounced"})
    (row,) = mailing.admin("GET", "/internal/outbox?status=bounced").json()["outbox"]
    assert (row["message_id"], row["bounce_type"], row["bounced_at"]) == (
        message_id, "HardBounce", "2026-11-23T12:00:00.000000+00:00")
    lic = mailing.license_for("BOUNCE-1")
    refused = mailing.admin("POST", f"/internal/licenses/{lic['id']}/resend")
    assert (refused.status, refused.json()["error"]["code"]) == (409, "address_suppressed")
    # A second license for the same address is not mailed blindly either.
    mailing.ping(gumroad_sale("BOUNCE-2"))
    report = mailing.daemon.worker.run_once()
    assert (report.sent, report.cancelled) == (0, 1)
    assert len(postmark.accepted) == 1
    # Once the operator reactivated the address at Postmark, a resend goes out.
    again = mailing.admin("POST", f"/internal/licenses/{lic['id']}/resend", {"reactivated": True})
    assert again.status == 202
    assert mailing.daemon.worker.run_once().sent == 1


def test_a_soft_bounce_is_recorded_without_suppressing(mailing):
    message_id = sent_message_id(mailing, "BOUNCE-3")
    soft = postmark_bounce(message_id, "zoe@example.com", bounce_type="SoftBounce", inactive=False)
    assert postmark_post(mailing, soft).json() == {"outcome": "bounced"}
    lic = mailing.license_for("BOUNCE-3")
    assert mailing.admin("POST", f"/internal/licenses/{lic['id']}/resend").status == 202


def test_a_bounce_for_a_message_we_never_sent_is_recorded(mailing):
    answer = postmark_post(mailing, postmark_bounce("00000000-0000-0000-0000-000000000000",
                                                    "nobody@example.com"))
    assert answer.json() == {"outcome": "bounce_unmatched"}


def test_dtadmin_lists_bounced_mail(mailing, tmp_path):
    token = tmp_path / "token"
    token.write_text(ADMIN_TOKEN + "\n")
    token.chmod(0o600)
    message_id = sent_message_id(mailing, "BOUNCE-4")
    postmark_post(mailing, postmark_bounce(message_id, "zoe@example.com"))
    out, err = io.StringIO(), io.StringIO()
    code = dtadmin(["outbox", "--status", "bounced", "--json", "--url", mailing.url,
                    "--token-file", str(token)], out, err, environ={})
    assert (code, err.getvalue()) == (0, "")
    (row,) = json.loads(out.getvalue())["outbox"]
    assert (row["status"], row["bounce_type"]) == ("bounced", "HardBounce")
