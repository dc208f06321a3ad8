"""A year of memberships on Gumroad, Lemon Squeezy and Stripe through `licensed serve` as the
operator runs it (the installed console script, the docs' example products.toml, mail spooled):
one license per subscription, the right updates_until, one mail per period that needs one, the
same end state when the storefront delivers out of order (issue 25, items 1-3 and 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from licensed.events import add_months
from tests.daemon.harness import ADMIN_TOKEN
from tests.daemon.served import Served, serve
from tests.daemon.storefronts import FIELD_CASES, lemon_post, stripe_event, stripe_header
from tests.daemon.test_storefront_docs import example_products

LEMON_CASES = FIELD_CASES.parent / "lemonsqueezy"
SETUPS = pytest.mark.parametrize("database_url, processes", [
    ("sqlite", 1), ("postgres", 1), ("postgres", 2)], indirect=["database_url"])


def products() -> dict:
    """The docs' example catalog, plus the Lemon Squeezy variant and Stripe prices sold here."""
    catalog = example_products()["products"]
    catalog["535353"] = dict(catalog["datatools-pro"])              # Lemon Squeezy "Yearly"
    catalog["price_1ProMonthly"] = dict(catalog["datatools-pro-monthly"])  # expires monthly
    return catalog


def licenses(served: Served, order: str) -> list[dict]:
    answer = served.admin("GET", "/internal/licenses?" + urllib.parse.urlencode({"order": order}))
    assert answer.status == 200, answer.body
    return answer.json()["licenses"]


def all_licenses(served: Served) -> list[dict]:
    return served.admin("GET", "/internal/licenses?limit=200").json()["licenses"]


def settle(served: Served, address: str, count: int) -> list[str]:
    """The subjects of `address`'s mails once `count` have arrived (and no more came)."""
    return [m["Subject"] for m in served.wait_for_mails(count, address)]


# ---------------------------------------------------------------- Gumroad

def gumroad_charge(sale_id: str, when: date, *, first: bool, subscription: str,
                   email: str = "mila@example.org", recurrence: str = "monthly") -> bytes:
    """A membership charge as Gumroad's Ping sends it (form fields as in the field cases)."""
    fields = dict(urllib.parse.parse_qsl(
        (FIELD_CASES / "membership_1_first.form").read_text(), keep_blank_values=True))
    fields.update(sale_id=sale_id, sale_timestamp=f"{when.isoformat()}T08:00:00Z", email=email,
                  full_name="Mila Horvat", subscription_id=subscription, recurrence=recurrence,
                  price="900", is_recurring_charge="true" if not first else "false")
    return urllib.parse.urlencode(fields).encode()


@SETUPS
def test_a_year_of_gumroad_membership_charges_keeps_one_license(tmp_path, database_url, processes):
    served = serve(tmp_path, database_url, processes=processes, products=products())
    try:
        # The field cases: a yearly membership's first sale, then its recurring charge.
        for name in ("membership_1_first", "membership_2_recurring"):
            answer = served.ping((FIELD_CASES / f"{name}.form").read_bytes())
            assert answer.status == 200, answer.body
        assert answer.json() == {"outcome": "renewed"}
        (lic,) = licenses(served, "fcG6-first==")
        assert (lic["updates_until"], lic["expires"]) == ("2026-10-01", None)
        assert licenses(served, "fcG6-renewal==") == []
        assert sorted(settle(served, "tariq.nasser@example.com", 2)) == [
            "Your DataTools Pro license", "Your renewed DataTools Pro license"]

        # A monthly membership, a whole year of charges: 12 periods, 12 mails, one license.
        start = date(2025, 1, 15)
        outcomes = [served.ping(gumroad_charge(f"MILA-{n}", add_months(start, n), first=n == 0,
                                               subscription="sub-mila==")).json()["outcome"]
                    for n in range(12)]
        assert outcomes == ["minted"] + ["renewed"] * 11
        assert served.ping(gumroad_charge("MILA-5", add_months(start, 5), first=False,
                                          subscription="sub-mila==")).json() == {
            "outcome": "duplicate"}
        (mila,) = licenses(served, "MILA-0")
        assert mila["updates_until"] == "2026-01-15" and mila["expires"] is None
        # Refunding one later charge flags it and keeps the license the others paid for.
        refund = gumroad_charge("MILA-11", add_months(start, 11), first=False,
                                subscription="sub-mila==").replace(
            b"refunded=false", b"refunded=true").replace(b"resource_name=sale",
                                                          b"resource_name=refund")
        assert served.ping(refund).json() == {"outcome": "subscription_payment_refunded"}
        assert licenses(served, "MILA-0")[0]["status"] == "active"
        assert len(settle(served, "mila@example.org", 12)) == 12

        # Cancelled, it keeps its license until the paid period ends: no change, no mail.
        cancel = urllib.parse.urlencode({
            "resource_name": "cancellation", "subscription_id": "sub-mila==",
            "product_id": "pRoduct000000000000001==", "user_email": "mila@example.org",
            "cancelled_at": "2025-12-20T10:00:00Z", "cancelled": "true"}).encode()
        assert served.ping(cancel).json() == {"outcome": "subscription_cancelled"}
        assert licenses(served, "MILA-0")[0]["blob"] == mila["blob"]
        # Out of order: a renewal charge before its first sale mints once, flagged.
        assert served.ping(gumroad_charge("LATE-2", date(2025, 3, 1), first=False,
                                          subscription="sub-late==", email="late@example.org")
                           ).json() == {"outcome": "minted_from_renewal"}
        assert served.ping(gumroad_charge("LATE-1", date(2025, 2, 1), first=True,
                                          subscription="sub-late==", email="late@example.org")
                           ).json() == {"outcome": "period_already_covered"}
        (late,) = [x for x in all_licenses(served) if x["email"] == "late@example.org"]
        assert late["updates_until"] == "2025-04-01"
        assert len(settle(served, "late@example.org", 1)) == 1
        assert len(all_licenses(served)) == 3
    finally:
        log = served.stop()
    assert served.process.returncode == 0, log[-3000:]


# ---------------------------------------------------------------- Lemon Squeezy

def lemon_case(name: str) -> dict:
    return json.loads((LEMON_CASES / f"{name}.json").read_text())


def lemon_renumbered(name: str, n: int) -> dict:
    """A field case for another buyer and subscription (ids and address changed)."""
    body = lemon_case(name)
    attributes = body["data"]["attributes"]
    body["data"]["id"] = str(int(body["data"]["id"]) + n)
    for key in ("order_id", "subscription_id"):
        if key in attributes:
            attributes[key] += n
    if "first_order_item" in attributes:
        attributes["first_order_item"]["order_id"] += n
    attributes["user_email"] = f"buyer{n}@example.se"
    return body


@SETUPS
def test_lemon_squeezy_renewals_extend_the_order_license_in_any_order(tmp_path, database_url,
                                                                      processes):
    served = serve(tmp_path, database_url, processes=processes, products=products())
    try:
        names = ["renewal_a_order_created", "renewal_b_subscription_created",
                 "renewal_c_payment_initial", "renewal_d_payment_renewal"]
        outcomes = [lemon_post(served, lemon_case(name)).json()["outcome"] for name in names]
        assert outcomes == ["minted", "subscription_linked", "period_already_covered", "renewed"]
        (lic,) = licenses(served, "610001")
        assert (lic["updates_until"], lic["expires"]) == ("2026-12-01", None)
        assert sorted(settle(served, "pia.lindqvist@example.se", 2)) == [
            "Your DataTools Pro license", "Your renewed DataTools Pro license"]

        # Delivered backwards: the same license and window, the same two mails.
        backwards = [lemon_post(served, lemon_renumbered(name, 7)).json()["outcome"]
                     for name in reversed(names)]
        assert backwards == ["payment_before_license", "payment_before_license",
                             "subscription_before_order", "minted"]
        (again,) = licenses(served, "610008")
        assert (again["updates_until"], again["expires"]) == ("2026-12-01", None)
        assert len(settle(served, "buyer7@example.se", 1)) == 1  # one mail, the final blob

        # Cancelled, then expired: named outcomes; the license keeps its window, nothing mailed.
        cancelled = lemon_case("renewal_b_subscription_created")
        cancelled["meta"]["event_name"] = "subscription_cancelled"
        cancelled["data"]["attributes"].update(status="cancelled", ends_at="2026-12-01T09:00:00Z",
                                               updated_at="2026-02-02T10:00:00Z")
        assert lemon_post(served, cancelled).json() == {"outcome": "subscription_cancelled"}
        cancelled["meta"]["event_name"] = "subscription_expired"
        cancelled["data"]["attributes"].update(status="expired", updated_at="2026-12-01T09:00:00Z")
        assert lemon_post(served, cancelled).json() == {"outcome": "subscription_ended"}
        assert licenses(served, "610001")[0]["blob"] == lic["blob"]
        assert len(settle(served, "pia.lindqvist@example.se", 2)) == 2
    finally:
        log = served.stop()
    assert served.process.returncode == 0, log[-3000:]


# ---------------------------------------------------------------- Stripe

def stripe_invoice(invoice_id: str, subscription: str, start: date, end: date,
                   reason: str) -> dict:
    """An `invoice.paid` as the 2024-06-20 API sends it: the period in its line, no session."""
    def unix(day: date) -> int:
        return int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc).timestamp())

    return stripe_event("invoice.paid", {
        "id": invoice_id, "object": "invoice", "subscription": subscription,
        "billing_reason": reason, "customer_email": "noor@example.nl",
        "customer_name": "Noor de Vries", "amount_paid": 1500, "currency": "eur",
        "livemode": True, "created": unix(start), "status_transitions": {"paid_at": unix(start)},
        "lines": {"data": [{"price": {"id": "price_1ProMonthly"}, "quantity": 1,
                            "period": {"start": unix(start), "end": unix(end)}}]},
    }, event_id=f"evt_{invoice_id}")


def stripe_send(served: Served, payload: dict) -> str:
    body = json.dumps(payload).encode()
    answer = served.post("/webhooks/stripe", body, {
        "Content-Type": "application/json",
        "Stripe-Signature": stripe_header(body, int(time.time()))})
    assert answer.status == 200, answer.body
    return answer.json()["outcome"]


@SETUPS
def test_a_year_of_stripe_invoices_without_a_session_renews_an_expiring_tier(
        tmp_path, database_url, processes):
    served = serve(tmp_path, database_url, processes=processes, products=products())
    try:
        start = date(2025, 3, 31)
        outcomes = [stripe_send(served, stripe_invoice(
            f"in_{n}", "sub_1Noor", add_months(start, n), add_months(start, n + 1),
            "subscription_create" if n == 0 else "subscription_cycle")) for n in range(12)]
        assert outcomes == ["minted"] + ["renewed"] * 11
        (lic,) = licenses(served, "sub_1Noor")
        # The last period ends 2026-03-31; an expiring tier works 14 days beyond it.
        assert (lic["updates_until"], lic["expires"]) == ("2026-03-31", "2026-04-14")
        assert len(settle(served, "noor@example.nl", 12)) == 12
        # The renewed license's mail says when it stops working, and to activate it.
        texts = [" ".join(m.get_body(("plain",)).get_content().split())
                 for m in served.mails("noor@example.nl")]
        assert all("it works until 20" in text for text in texts)
        assert any("it works until 2026-04-14" in text for text in texts)
        assert sum("the old one stops working on the day it expires" in text
                   for text in texts) == 11

        update = {"id": "sub_1Noor", "object": "subscription", "status": "active",
                  "cancel_at_period_end": True, "current_period_end": 1774958400,
                  "items": {"data": [{"price": {"id": "price_1ProMonthly"}, "quantity": 1}]}}
        cancel = stripe_event("customer.subscription.updated", update, "evt_cancel")
        cancel["data"]["previous_attributes"] = {"cancel_at_period_end": False}
        assert stripe_send(served, cancel) == "subscription_cancelled"
        ended = stripe_event("customer.subscription.deleted", dict(update, status="canceled"),
                             "evt_deleted")
        assert stripe_send(served, ended) == "subscription_ended"
        assert licenses(served, "sub_1Noor")[0]["blob"] == lic["blob"]

        # A renewal invoice that overtook the first: one license, the same window.
        assert stripe_send(served, stripe_invoice("in_b2", "sub_2Late", date(2025, 5, 1),
                                                  date(2025, 6, 1), "subscription_cycle")) == "minted_from_renewal"
        assert stripe_send(served, stripe_invoice("in_b1", "sub_2Late", date(2025, 4, 1),
                                                  date(2025, 5, 1), "subscription_create")) == "period_already_covered"
        (late,) = licenses(served, "sub_2Late")
        assert (late["updates_until"], late["expires"]) == ("2025-06-01", "2025-06-15")
        assert len(settle(served, "noor@example.nl", 13)) == 13
    finally:
        log = served.stop()
    assert served.process.returncode == 0, log[-3000:]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_operator_lists_subscription_outcomes_with_dtadmin(tmp_path, database_url):
    served = serve(tmp_path, database_url, products=products())
    try:
        for name in ("renewal_b_subscription_created", "renewal_c_payment_initial"):
            lemon_post(served, lemon_case(name))
        token = tmp_path / "token"
        token.write_text(ADMIN_TOKEN + "\n")
        token.chmod(0o600)
        dtadmin = Path(sys.executable).with_name("dtadmin")
        listed = subprocess.run(
            [str(dtadmin), "--url", served.url, "--token-file", str(token), "events",
             "--outcome", "payment_before_license", "--json"],
            capture_output=True, text=True, timeout=60, env=dict(os.environ))
        assert listed.returncode == 0, listed.stderr
        (event,) = json.loads(listed.stdout)["events"]
        assert (event["source"], event["kind"], event["order_id"]) == (
            "lemonsqueezy", "subscription", "880001")
    finally:
        served.stop()
