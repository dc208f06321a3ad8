"""The Gumroad field cases (shared/field-cases/gumroad, copied to tests/data/field_cases/gumroad)
and cases of the same kinds: variants, partial refunds, gifts, disputes, the seller check."""

from __future__ import annotations

import urllib.parse

from tests.daemon.harness import PRODUCTS, LiveDaemon, gumroad_sale
from tests.daemon.storefronts import field_case, post_form

TIERED = {"datatools-pro": {"tier": "pro", "seats": 1, "updates_months": 12, "variants": {
    "Pro": {"tier": "pro", "seats": 1},
    "Team (5 seats)": {"tier": "team", "seats": 5},
}}}
OTHER_VARIANTS = {"datatools-pro": {"tier": "pro", "seats": 1, "variants": {
    "Pro": {"tier": "pro"}, "Enterprise (20 seats)": {"tier": "team", "seats": 20}}}}


def events(live: LiveDaemon, **query: str) -> list[dict]:
    answer = live.admin("GET", "/internal/events?" + urllib.parse.urlencode(query))
    assert answer.status == 200, answer.body
    return answer.json()["events"]


def licenses(live: LiveDaemon, order: str) -> list[dict]:
    answer = live.admin("GET", "/internal/licenses?" + urllib.parse.urlencode({"order": order}))
    return answer.json()["licenses"]


def test_variant_team_mints_team_with_five_seats_when_products_map_the_variants(live_with):
    live = live_with(TIERED)
    answer = post_form(live, field_case("variant_team"))
    assert (answer.status, answer.json()) == (200, {"outcome": "minted"})
    (lic,) = licenses(live, "fcG1-variant-team==")
    assert (lic["tier"], lic["seats"], lic["variant"], lic["email"], lic["amount_minor"]) == (
        "team", 5, "Team (5 seats)", "kasia.nowak@example.org", 19900)
    assert lic["updates_until"] == "2026-03-04"  # the product's 12 months, kept by the variant


def test_variant_the_entry_does_not_map_is_flagged_and_not_minted(live_with):
    live = live_with(OTHER_VARIANTS)
    answer = post_form(live, field_case("variant_team"))
    assert (answer.status, answer.json()) == (200, {"outcome": "unknown_variant"})
    assert licenses(live, "fcG1-variant-team==") == []
    (event,) = events(live, outcome="unknown_variant")
    assert "'Team (5 seats)'" in event["detail"] and "nothing minted" in event["detail"]
    assert live.daemon.worker.run_once().spooled == 0


def test_a_product_without_variant_mappings_mints_as_before_and_records_the_variant(live):
    post_form(live, field_case("variant_team"))
    (lic,) = licenses(live, "fcG1-variant-team==")
    assert (lic["tier"], lic["seats"], lic["variant"]) == ("pro", 1, "Team (5 seats)")


def test_quantity_multiplies_the_variants_seats(live_with):
    live = live_with(TIERED)
    live.ping(gumroad_sale("QTY-2", **{"variants[Tier]": "Team (5 seats)", "quantity": "2"}))
    (lic,) = licenses(live, "QTY-2")
    assert (lic["tier"], lic["seats"]) == ("team", 10)


def test_a_free_variant_not_in_products_toml_never_gets_the_paid_tier(live_with):
    live = live_with(TIERED)
    answer = live.ping(gumroad_sale("FREE-1", price="0", **{"variants[Tier]": "Free trial"}))
    assert answer.json() == {"outcome": "unknown_variant"}
    assert licenses(live, "FREE-1") == []


def test_partial_refund_keeps_the_license_active_records_and_flags_it(live):
    assert post_form(live, field_case("partial_refund_1_sale")).json() == {"outcome": "minted"}
    answer = post_form(live, field_case("partial_refund_2_refund"))
    assert (answer.status, answer.json()) == (200, {"outcome": "partial_refund"})
    (lic,) = licenses(live, "fcG4-partial-refund==")
    assert (lic["status"], lic["revoked_at"], lic["name"]) == ("active", None, "Marek Dvořák")
    assert [(r["full_refund"], r["amount_minor"], r["currency"]) for r in lic["refunds"]] == [
        (False, None, "USD")]  # Gumroad's Ping carries no refund amount
    (flagged,) = events(live, outcome="partial_refund")
    assert flagged["license_id"] == lic["id"] and "partially refunded" in flagged["detail"]
    assert live.daemon.worker.run_once().spooled == 1  # the sale's mail still goes


def test_full_refund_after_a_partial_one_revokes(live):
    post_form(live, field_case("partial_refund_1_sale"))
    post_form(live, field_case("partial_refund_2_refund"))
    full = field_case("partial_refund_2_refund").replace(b"refunded=false", b"refunded=true")
    assert post_form(live, full).json() == {"outcome": "revoked"}
    (lic,) = licenses(live, "fcG4-partial-refund==")
    assert lic["status"] == "revoked"
    assert [r["full_refund"] for r in lic["refunds"]] == [False, True]


def test_a_partial_refund_that_overtook_its_sale_does_not_revoke_the_sale(live):
    assert post_form(live, field_case("partial_refund_2_refund")).json() == {
        "outcome": "partial_refund_without_license"}
    assert post_form(live, field_case("partial_refund_1_sale")).json() == {"outcome": "minted"}
    assert licenses(live, "fcG4-partial-refund==")[0]["status"] == "active"


def test_gift_licenses_the_giftee_and_records_what_the_gifter_paid(live):
    answer = post_form(live, field_case("gift_receiver"))
    assert (answer.status, answer.json()) == (200, {"outcome": "minted"})
    (lic,) = licenses(live, "fcG2-gift-recv==")
    assert (lic["email"], lic["amount_minor"], lic["currency"], lic["payer_email"]) == (
        "giftee.lund@example.net", 4900, "USD", "gifter.berg@example.net")
    live.daemon.worker.run_once()
    (mail,) = live.settings.mail_spool_dir.glob("*.eml")
    assert "To: giftee.lund@example.net" in mail.read_text()


def test_a_gift_of_a_euro_product_is_recorded_in_usd_cents_as_gumroad_reports_it(live):
    live.ping(gumroad_sale("GIFT-EUR", price="0", currency="eur",
                           is_gift_receiver_purchase="true", gift_price="5300",
                           gifter_email="oma.schmidt@example.de", email="enkel@example.de"))
    (lic,) = licenses(live, "GIFT-EUR")
    assert (lic["amount_minor"], lic["currency"], lic["payer_email"], lic["email"]) == (
        5300, "USD", "oma.schmidt@example.de", "enkel@example.de")


def test_dispute_suspends_and_dispute_won_reinstates(live):
    live.ping(gumroad_sale("DISPUTE-1"))
    held = live.ping(gumroad_sale("DISPUTE-1", resource_name="dispute", disputed="true"))
    assert held.json() == {"outcome": "suspended"}
    lic = live.license_for("DISPUTE-1")
    assert (lic["status"], lic["suspend_reason"]) == ("suspended", "dispute opened at Gumroad")
    listed = {status: [row["order_id"] for row in live.admin(
        "GET", f"/internal/licenses?status={status}").json()["licenses"]]
        for status in ("active", "suspended")}
    assert listed == {"active": [], "suspended": ["DISPUTE-1"]}
    assert live.admin("POST", f"/internal/licenses/{lic['id']}/resend").json()["error"]["code"] == (
        "license_suspended")
    won = live.ping(gumroad_sale("DISPUTE-1", resource_name="dispute_won", dispute_won="true"))
    assert won.json() == {"outcome": "reinstated"}
    assert live.license_for("DISPUTE-1")["status"] == "active"


def test_a_sale_held_by_a_dispute_before_its_mail_went_out_is_not_mailed(live):
    live.ping(gumroad_sale("DISPUTE-2"))
    live.ping(gumroad_sale("DISPUTE-2", resource_name="dispute", disputed="true"))
    report = live.daemon.worker.run_once()
    assert (report.sent, report.cancelled) == (0, 1)


def test_a_ping_from_another_seller_is_refused_like_a_wrong_secret_and_audited(live_with, tmp_path):
    live = live_with(PRODUCTS)
    live.stop()
    config = live.settings.config_file
    config.write_text(config.read_text() + '\n[gumroad]\nseller_id = "sEller0000000000000001=="\n')
    from licensed.settings import load_settings
    other = LiveDaemon(load_settings(config, {}), live.clock).start()
    try:
        refused = post_form(other, field_case("variant_team").replace(b"sEller", b"sOther"))
        assert (refused.status, refused.body) == (404, b'{"error": {"code": "not_found", "message": "no such route"}}')
        assert post_form(other, field_case("gift_receiver")).json() == {"outcome": "minted"}
        (event,) = events(other, outcome="rejected_secret")
        assert event["detail"].startswith("seller_id is not the configured [gumroad] seller_id; ")
    finally:
        other.stop()
        live.stop = lambda: None  # already stopped above
