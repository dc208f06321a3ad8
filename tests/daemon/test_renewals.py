"""Renewals bought on any storefront: `updates_until` moves on once per renewal order, the new
blob is mailed, the old one keeps working for the releases it covered; no match is flagged."""

from __future__ import annotations

from datetime import date

from datatools import license as codec
from datatools import license_keys
from tests.daemon.harness import LiveDaemon, gumroad_sale
from tests.daemon.storefronts import (lemon_order, lemon_post, release_together, stripe_event,
                                      stripe_post, stripe_session)


def verify(live: LiveDaemon, blob: str, release: date) -> codec.License:
    keyring = license_keys.load_keyring(live.settings.secrets_dir / "signing" / "keyring.json")
    return codec.verify_blob(blob, keyring, product="datatools", today=date(2028, 6, 1),
                             release_date=release)


def renewal_ping(order: str, **fields: str) -> dict[str, str]:
    return gumroad_sale(order, product_permalink="https://example.gumroad.com/l/datatools-renewal",
                        permalink="datatools-renewal", short_product_id="dtren", price="1900",
                        sale_timestamp="2027-10-01T10:00:00Z", **fields)


def test_a_renewal_naming_the_license_extends_it_once_even_when_delivered_twice(live):
    live.ping(gumroad_sale("SALE-R1"))
    old = live.license_for("SALE-R1")
    assert old["updates_until"] == "2027-11-20"
    ping = renewal_ping("REN-1", **{"custom_fields[License ID]": f" {old['lid']} "})
    assert release_together([lambda: live.ping(ping)] * 2) == [200, 200]
    events = live.admin("GET", "/internal/events?order=REN-1").json()["events"]
    assert sorted(e["outcome"] for e in events) == ["duplicate", "renewed"]
    new = live.license_for("SALE-R1")
    assert (new["lid"], new["updates_until"], new["status"]) == (old["lid"], "2028-11-20", "active")
    assert new["blob"] != old["blob"]
    # The new blob covers a release of 2028; the old one still covers what it covered.
    assert verify(live, new["blob"], date(2028, 6, 1)).updates_until == date(2028, 11, 20)
    assert verify(live, old["blob"], date(2027, 6, 1)).updates_until == date(2027, 11, 20)
    live.daemon.worker.run_once()
    subjects = sorted(p.read_text().split("Subject: ", 1)[1].split("\n", 1)[0]
                      for p in live.settings.mail_spool_dir.glob("*.eml"))
    assert subjects == ["Your DataTools Pro license", "Your renewed DataTools Pro license"]
    (renewed_mail,) = [p for p in live.settings.mail_spool_dir.glob("*.eml")
                       if "Subject: Your renewed" in p.read_text()]
    assert new["blob"][:60] in renewed_mail.read_text()
    assert live.admin("GET", "/internal/licenses?email=zoe@example.com").json()["licenses"] == [new]


def test_a_renewal_without_a_license_id_matches_the_buyers_newest_license(live):
    live.ping(gumroad_sale("SALE-R2"))
    assert live.ping(renewal_ping("REN-2")).json() == {"outcome": "renewed"}
    assert live.license_for("SALE-R2")["updates_until"] == "2028-11-20"


def test_a_lapsed_window_restarts_on_the_renewal_date(live):
    live.ping(gumroad_sale("SALE-R3", sale_timestamp="2025-01-10T00:00:00Z"))
    live.ping(renewal_ping("REN-3"))
    assert live.license_for("SALE-R3")["updates_until"] == "2028-10-01"


def test_a_renewal_that_matches_no_license_is_flagged_not_dropped(live):
    answer = live.ping(renewal_ping("REN-4", email="stranger@example.com"))
    assert (answer.status, answer.json()) == (200, {"outcome": "renewal_unmatched"})
    (event,) = live.admin("GET", "/internal/events?outcome=renewal_unmatched").json()["events"]
    assert event["detail"] == "no active license with an updates window for stranger@example.com"


def test_renewals_on_lemon_squeezy_and_stripe(live):
    lemon_post(live, lemon_order("6660001"))
    lid = live.license_for("6660001")["lid"]
    renewal = lemon_order("6660002", total=1900)
    renewal["data"]["attributes"]["first_order_item"]["variant_id"] = 401009
    renewal["meta"]["custom_data"] = {"license_id": lid}
    assert lemon_post(live, renewal).json() == {"outcome": "renewed"}
    assert live.license_for("6660001")["updates_until"] == "2028-11-20"
    session = stripe_session("cs_ren", "pi_ren", price="price_1Renewal",
                             custom_fields=[{"key": "licenseid", "text": {"value": lid}}])
    assert stripe_post(live, stripe_event("checkout.session.completed", session)).json() == {
        "outcome": "renewed"}
    assert live.license_for("6660001")["updates_until"] == "2029-11-20"
