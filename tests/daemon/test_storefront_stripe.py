"""Stripe over real HTTP, without the SDK: Stripe-Signature (t, v1, 300 s), paid sessions,
refunds full and partial, disputes, unknown event types."""

from __future__ import annotations

import json
import urllib.parse

from tests.daemon.harness import LiveDaemon
from tests.daemon.storefronts import (release_together, stripe_charge, stripe_dispute, stripe_event,
                                      stripe_header, stripe_post, stripe_session)


def events(live: LiveDaemon, **query: str) -> list[dict]:
    return live.admin("GET", "/internal/events?" + urllib.parse.urlencode(query)).json()["events"]


def found(live: LiveDaemon, order: str) -> list[dict]:
    return live.admin("GET", f"/internal/licenses?order={order}").json()["licenses"]


def completed(**fields) -> dict:
    return stripe_event("checkout.session.completed", stripe_session(**fields))


def test_a_paid_checkout_session_mints_from_its_price_id(live):
    answer = stripe_post(live, completed())
    assert (answer.status, answer.json()) == (200, {"outcome": "minted"})
    lic = live.license_for("pi_3Sale1")
    assert {k: lic[k] for k in ("source", "name", "email", "tier", "seats", "amount_minor",
                                "currency", "test", "product_key")} == {
        "source": "stripe", "name": "Jonas Weiß", "email": "jonas@example.de", "tier": "pro",
        "seats": 1, "amount_minor": 4900, "currency": "EUR", "test": False,
        "product_key": "price_1ProEUR"}


def test_expanded_line_items_name_the_price_and_the_quantity(live):
    session = stripe_session(intent="pi_3Lines", metadata={}, line_items={"object": "list", "data": [
        {"id": "li_1", "price": {"id": "price_1Team"}, "quantity": 2}]})
    stripe_post(live, stripe_event("checkout.session.completed", session))
    lic = live.license_for("pi_3Lines")
    assert (lic["tier"], lic["seats"]) == ("team", 10)


def test_signature_checks_tampered_wrong_secret_stale_and_a_rolled_secret(live):
    body = json.dumps(completed(intent="pi_3Sig")).encode()
    now = int(live.clock().timestamp())
    tampered = stripe_post(live, body.replace(b"4900", b"0100"), header=stripe_header(body, now))
    wrong = stripe_post(live, body, secret="whsec_someone_else")
    stale = stripe_post(live, body, timestamp=now - 301)
    no_v1 = stripe_post(live, body, header=f"t={now},v0=abc")
    assert [r.status for r in (tampered, wrong, stale, no_v1)] == [401] * 4
    assert len(events(live, outcome="rejected_secret")) == 4
    assert found(live, "pi_3Sig") == []
    # During a secret roll Stripe sends several v1 values; any one may match.
    rolled = stripe_post(live, body, header=stripe_header(body, now - 299, extra_v1=("00" * 32,)))
    assert (rolled.status, rolled.json()) == (200, {"outcome": "minted"})


def test_concurrent_duplicates_and_the_async_success_of_one_session_mint_once(live):
    kinds = ["checkout.session.completed"] * 6 + ["checkout.session.async_payment_succeeded"] * 6
    statuses = release_together([
        lambda kind=kind: stripe_post(live, stripe_event(kind, stripe_session(intent="pi_3Dup")))
        for kind in kinds])
    assert statuses == [200] * 12
    assert len(found(live, "pi_3Dup")) == 1
    assert live.daemon.worker.run_once().spooled == 1


def test_an_unpaid_session_waits_for_its_async_payment(live):
    unpaid = stripe_session(intent="pi_3Async", payment_status="unpaid")
    assert stripe_post(live, stripe_event("checkout.session.completed", unpaid)).json() == {
        "outcome": "not_paid"}
    assert found(live, "pi_3Async") == []
    paid = stripe_session(intent="pi_3Async")
    assert stripe_post(live, stripe_event("checkout.session.async_payment_succeeded", paid)).json() == {
        "outcome": "minted"}


def test_partial_refund_is_recorded_and_a_full_refund_revokes(live):
    stripe_post(live, completed(intent="pi_3Ref"))
    partial = stripe_event("charge.refunded", stripe_charge("pi_3Ref", 1000, refunded=False))
    assert stripe_post(live, partial).json() == {"outcome": "partial_refund"}
    assert live.license_for("pi_3Ref")["status"] == "active"
    full = stripe_event("charge.refunded", stripe_charge("pi_3Ref", 4900, refunded=True))
    assert stripe_post(live, full).json() == {"outcome": "revoked"}
    lic = live.license_for("pi_3Ref")
    assert lic["status"] == "revoked"
    assert [(r["full_refund"], r["amount_minor"], r["currency"]) for r in lic["refunds"]] == [
        (False, 1000, "EUR"), (True, 4900, "EUR")]


def test_disputes_suspend_then_a_lost_one_revokes_and_a_won_one_reinstates(live):
    stripe_post(live, completed(intent="pi_3Lost"))
    stripe_post(live, completed(intent="pi_3Won", session_id="cs_live_b2"))
    for intent in ("pi_3Lost", "pi_3Won"):
        opened = stripe_post(live, stripe_event("charge.dispute.created", stripe_dispute(intent)))
        assert opened.json() == {"outcome": "suspended"}
        assert live.license_for(intent)["status"] == "suspended"
    lost = stripe_event("charge.dispute.closed", stripe_dispute("pi_3Lost", status="lost"))
    won = stripe_event("charge.dispute.closed", stripe_dispute("pi_3Won", status="won"))
    assert stripe_post(live, lost).json() == {"outcome": "revoked"}
    assert stripe_post(live, won).json() == {"outcome": "reinstated"}
    assert (live.license_for("pi_3Lost")["status"], live.license_for("pi_3Won")["status"]) == (
        "revoked", "active")


def test_test_mode_sessions_mint_test_licenses(live):
    stripe_post(live, completed(intent="pi_3Test", livemode=False))
    assert live.license_for("pi_3Test")["test"] is True


def test_unknown_event_types_answer_200_and_are_audited(live):
    answer = stripe_post(live, stripe_event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert (answer.status, answer.json()) == (200, {"outcome": "ignored_event"})
    (event,) = events(live, outcome="ignored_event")
    assert event["detail"] == "Stripe event 'customer.created' is recorded, not acted on"
