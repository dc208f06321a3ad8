"""Lemon Squeezy over real HTTP: X-Signature checked before parsing, orders, refunds, test mode."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.parse

from tests.daemon.harness import LEMONSQUEEZY_SECRET, LiveDaemon
from tests.daemon.storefronts import lemon_order, lemon_post, release_together


def events(live: LiveDaemon, **query: str) -> list[dict]:
    return live.admin("GET", "/internal/events?" + urllib.parse.urlencode(query)).json()["events"]


def found(live: LiveDaemon, order: str) -> list[dict]:
    return live.admin("GET", f"/internal/licenses?order={order}").json()["licenses"]


def test_order_created_mints_from_the_variant_with_the_orders_currency_and_amount(live):
    answer = lemon_post(live, lemon_order("5550001"))
    assert (answer.status, answer.json()) == (200, {"outcome": "minted"})
    lic = live.license_for("5550001")
    assert {k: lic[k] for k in ("source", "name", "email", "tier", "seats", "amount_minor",
                                "currency", "test", "issued", "updates_until", "variant")} == {
        "source": "lemonsqueezy", "name": "Inès Lefèvre", "email": "ines@example.fr",
        "tier": "pro", "seats": 1, "amount_minor": 4900, "currency": "EUR", "test": False,
        "issued": "2026-11-20", "updates_until": "2027-11-20", "variant": "Pro"}
    assert live.daemon.worker.run_once().spooled == 1


def test_a_tampered_body_a_wrong_secret_or_no_signature_is_refused_401_and_audited(live):
    body = json.dumps(lemon_order("5550002")).encode()
    signature = hmac.new(LEMONSQUEEZY_SECRET.encode(), body, hashlib.sha256).hexdigest()
    tampered = lemon_post(live, body.replace(b"5550002", b"5550003"), signature=signature)
    wrong = lemon_post(live, lemon_order("5550004"), secret="another-secret")
    missing = lemon_post(live, lemon_order("5550005"), signature="")
    assert [(r.status, r.body) for r in (tampered, wrong, missing)] == [(401, b'{"error": {"code": "unauthorized", "message": "missing or wrong signature"}}')] * 3
    rejected = events(live, outcome="rejected_secret")
    assert [e["detail"].split(";")[0] for e in rejected] == ["wrong or missing X-Signature"] * 3
    assert b'"5550003"' in rejected[-1]["body"].encode()  # the raw body is kept for the operator
    assert found(live, "5550003") == found(live, "5550004") == found(live, "5550005") == []
    assert lemon_post(live, body, signature=signature).status == 200


def test_concurrent_duplicates_mint_once(live):
    statuses = release_together([lambda: lemon_post(live, lemon_order("5550010"))] * 20)
    assert statuses == [200] * 20
    assert len(found(live, "5550010")) == 1
    assert sorted(e["outcome"] for e in events(live, order="5550010")) == (
        ["duplicate"] * 19 + ["minted"])
    assert live.daemon.worker.run_once().spooled == 1


def test_full_refund_revokes_and_partial_refund_is_recorded_with_its_amount(live):
    lemon_post(live, lemon_order("5550020"))
    partial = lemon_order("5550020", event="order_refunded", refunded=False, refunded_amount=1500)
    assert lemon_post(live, partial).json() == {"outcome": "partial_refund"}
    lic = live.license_for("5550020")
    assert lic["status"] == "active"
    assert [(r["full_refund"], r["amount_minor"], r["currency"]) for r in lic["refunds"]] == [
        (False, 1500, "EUR")]
    full = lemon_order("5550020", event="order_refunded", refunded=True, refunded_amount=4900,
                       status="refunded")
    assert lemon_post(live, full).json() == {"outcome": "revoked"}
    assert live.license_for("5550020")["status"] == "revoked"


def test_test_mode_orders_mint_test_licenses(live):
    lemon_post(live, lemon_order("5550030", test_mode=True))
    assert live.license_for("5550030")["test"] is True


def test_unknown_variant_and_other_events_are_recorded_not_minted(live):
    unknown = lemon_order("5550040")
    unknown["data"]["attributes"]["first_order_item"]["variant_id"] = 999999
    unknown["data"]["attributes"]["first_order_item"]["product_id"] = 999998
    assert lemon_post(live, unknown).json() == {"outcome": "unknown_product"}
    other = lemon_order("5550041", event="affiliate_activated")
    assert lemon_post(live, other).json() == {"outcome": "ignored_event"}
    pending = lemon_order("5550042", status="pending")
    assert lemon_post(live, pending).json() == {"outcome": "not_paid"}
    assert found(live, "5550040") == found(live, "5550042") == []


def test_a_buyer_address_that_could_add_a_recipient_is_refused(live):
    bad = lemon_order("5550050", user_email="ines@example.fr, thief@example.net")
    answer = lemon_post(live, bad)
    assert (answer.status, answer.json()["error"]["code"]) == (400, "invalid_payload")
    assert found(live, "5550050") == []
