"""Subscription events beyond the paid periods, through the daemon on loopback: a tier change
signs the license again, a cancellation and its undoing change nothing signed, a Checkout
Session and its first invoice make one license, and a renewal delivered twice at once renews
once (issue 25, items 1-3)."""

from __future__ import annotations

import urllib.parse

from tests.daemon.storefronts import release_together, stripe_event, stripe_post

TIERED = {"datatools-pro": {"tier": "pro", "seats": 1, "updates_months": 12, "variants": {
    "Pro": {}, "Team (5 seats)": {"tier": "team", "seats": 5}}},
    "price_1Yearly": {"tier": "pro", "seats": 1, "updates_months": 12}}


def membership_sale(sale_id: str, when: str, first: bool, **fields: str) -> dict[str, str]:
    sale = {"seller_id": "s", "product_id": "prod-XYZ==", "product_name": "DataTools",
            "product_permalink": "https://example.gumroad.com/l/datatools-pro",
            "sale_id": sale_id, "sale_timestamp": f"{when}T09:00:00Z", "email": "ravi@example.in",
            "full_name": "Ravi Menon", "price": "4900", "currency": "usd", "quantity": "1",
            "refunded": "false", "resource_name": "sale", "subscription_id": "sub-ravi==",
            "recurrence": "yearly", "variants[Tier]": "Pro"}
    if not first:
        sale["is_recurring_charge"] = "true"
    sale.update(fields)
    return sale


def license_of(live, order: str) -> dict:
    answer = live.admin("GET", "/internal/licenses?" + urllib.parse.urlencode({"order": order}))
    (only,) = answer.json()["licenses"]
    return only


def test_a_gumroad_tier_change_signs_the_license_again_and_mails_it(live_with):
    live = live_with(TIERED)
    assert live.ping(membership_sale("RAVI-1", "2026-01-10", True)).json() == {"outcome": "minted"}
    before = license_of(live, "RAVI-1")
    upgrade = {"resource_name": "subscription_updated", "subscription_id": "sub-ravi==",
               "product_id": "prod-XYZ==", "user_email": "ravi@example.in", "type": "upgrade",
               "effective_as_of": "2026-03-01T00:00:00Z", "new_plan[tier][name]": "Team (5 seats)",
               "new_plan[quantity]": "1", "new_plan[recurrence]": "yearly"}
    assert live.ping(upgrade).json() == {"outcome": "tier_changed"}
    after = license_of(live, "RAVI-1")
    assert (after["tier"], after["seats"], after["lid"]) == ("team", 5, before["lid"])
    assert (after["updates_until"], after["issued"]) == (before["updates_until"], before["issued"])
    assert after["blob"] != before["blob"]
    assert live.ping(dict(upgrade, effective_as_of="2026-03-02T00:00:00Z")).json() == {
        "outcome": "subscription_updated"}  # the same tier again: nothing to sign
    purposes = [row["purpose"] for row in
                live.admin("GET", "/internal/outbox?status=pending").json()["outbox"]]
    assert sorted(purposes) == ["license", "renewal"]


def test_cancelling_and_undoing_it_at_stripe_change_nothing_signed(live_with):
    live = live_with(TIERED)
    session = {"id": "cs_sub_1", "object": "checkout.session", "mode": "subscription",
               "subscription": "sub_1Ravi", "payment_status": "paid", "amount_total": 4900,
               "currency": "usd", "livemode": True, "created": 1795600000,
               "payment_intent": None, "customer_details": {"email": "ravi@example.in",
                                                            "name": "Ravi Menon"},
               "metadata": {"price_id": "price_1Yearly"}}
    assert stripe_post(live, stripe_event("checkout.session.completed", session)).json() == {
        "outcome": "minted"}
    invoice = {"id": "in_1", "object": "invoice", "subscription": "sub_1Ravi",
               "billing_reason": "subscription_create", "customer_email": "ravi@example.in",
               "amount_paid": 4900, "currency": "usd", "livemode": True, "created": 1795600000,
               "lines": {"data": [{"price": {"id": "price_1Yearly"}, "quantity": 1,
                                   "period": {"start": 1795600000, "end": 1827136000}}]}}
    assert stripe_post(live, stripe_event("invoice.paid", invoice, "evt_2")).json() == {
        "outcome": "period_already_covered"}
    lic = license_of(live, "sub_1Ravi")
    update = {"id": "sub_1Ravi", "object": "subscription", "status": "active",
              "cancel_at_period_end": True, "current_period_end": 1827136000,
              "items": {"data": [{"price": {"id": "price_1Yearly"}, "quantity": 1}]}}
    cancel = stripe_event("customer.subscription.updated", update, "evt_3")
    cancel["data"]["previous_attributes"] = {"cancel_at_period_end": False}
    assert stripe_post(live, cancel).json() == {"outcome": "subscription_cancelled"}
    undo = stripe_event("customer.subscription.updated", dict(update, cancel_at_period_end=False),
                        "evt_4")
    undo["data"]["previous_attributes"] = {"cancel_at_period_end": True}
    assert stripe_post(live, undo).json() == {"outcome": "subscription_resumed"}
    assert license_of(live, "sub_1Ravi")["blob"] == lic["blob"]
    (cancelled,) = live.admin("GET", "/internal/events?outcome=subscription_cancelled").json()[
        "events"]
    assert "paid until 2027-11-25" in cancelled["detail"]


def test_a_renewal_delivered_twice_at_once_renews_once(live_with):
    live = live_with(TIERED)
    live.ping(membership_sale("RAVI-1", "2026-01-10", True))
    renewal = membership_sale("RAVI-2", "2027-01-10", False)
    answers = []

    def send():
        answer = live.ping(renewal)
        answers.append(answer.json()["outcome"])
        return answer

    assert release_together([send, send, send]) == [200, 200, 200]
    assert sorted(answers) == ["duplicate", "duplicate", "renewed"]
    assert license_of(live, "RAVI-1")["updates_until"] == "2028-01-10"
    purposes = [row["purpose"] for row in
                live.admin("GET", "/internal/outbox?status=pending").json()["outbox"]]
    assert sorted(purposes) == ["license", "renewal"]


def test_a_membership_minted_before_subscriptions_were_kept_is_extended_not_minted_again(
        live_with):
    live = live_with(TIERED)
    # What an older daemon stored for the first charge: a plain sale, no subscription known.
    old = membership_sale("RAVI-1", "2025-01-10", True)
    del old["subscription_id"]
    assert live.ping(old).json() == {"outcome": "minted"}
    renewal = membership_sale("RAVI-2", "2026-01-10", False)
    assert live.ping(renewal).json() == {"outcome": "renewed_by_address"}
    lic = license_of(live, "RAVI-1")
    assert lic["updates_until"] == "2027-01-10"
    third = membership_sale("RAVI-3", "2027-01-10", False)
    assert live.ping(third).json() == {"outcome": "renewed"}  # linked now: an ordinary renewal
    assert license_of(live, "RAVI-1")["updates_until"] == "2028-01-10"
    (flagged,) = live.admin("GET", "/internal/events?outcome=renewed_by_address").json()["events"]
    assert lic["lid"] in flagged["detail"] and "sub-ravi==" in flagged["detail"]
