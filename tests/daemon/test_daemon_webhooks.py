"""Gumroad Pings over real HTTP: sales, duplicates, test purchases, refunds, bad input, secrets."""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from datetime import date

from datatools import license as codec
from datatools import license_keys
from tests.daemon.harness import GUMROAD_SECRET, LiveDaemon, gumroad_sale, http


def keyring(live: LiveDaemon) -> codec.Keyring:
    return license_keys.load_keyring(live.settings.secrets_dir / "signing" / "keyring.json")


def verify(live: LiveDaemon, blob: str) -> codec.License:
    return codec.verify_blob(blob, keyring(live), product="datatools", today=date(2026, 11, 23),
                             release_date=date(2026, 11, 23))


def events(live: LiveDaemon, **query: str) -> list[dict]:
    answer = live.admin("GET", "/internal/events?" + urllib.parse.urlencode(query))
    assert answer.status == 200
    return answer.json()["events"]


def test_sale_mints_a_license_that_verifies_with_the_buyers_unicode_name(live):
    answer = live.ping(gumroad_sale(offer_code="BLACKFRIDAY"))
    assert (answer.status, answer.json()) == (200, {"outcome": "minted"})
    stored = live.license_for("FAKE-SALE-0001==")
    assert {k: stored[k] for k in ("source", "name", "email", "product", "product_key", "tier",
                                   "seats", "status", "amount_minor", "currency", "offer_code",
                                   "test", "issued", "updates_until", "expires", "kid")} == {
        "source": "gumroad", "name": "Zoë Ångström-Müller", "email": "zoe@example.com",
        "product": "datatools", "product_key": "datatools-pro", "tier": "pro", "seats": 1,
        "status": "active", "amount_minor": 4900, "currency": "USD",
        "offer_code": "BLACKFRIDAY", "test": False, "issued": "2026-11-20",
        "updates_until": "2027-11-20", "expires": None, "kid": "test-1",
    }
    record = verify(live, stored["blob"])
    assert (record.name, record.email, record.tier, record.seats, record.lid) == (
        "Zoë Ångström-Müller", "zoe@example.com", "pro", 1, stored["lid"])
    assert record.updates_until == date(2027, 11, 20)


def test_duplicate_ping_answers_200_and_mints_once(live):
    first = live.ping(gumroad_sale())
    blob = live.license_for("FAKE-SALE-0001==")["blob"]
    again = live.ping(gumroad_sale(retry_count="1"))
    assert (first.status, again.status, again.json()) == (200, 200, {"outcome": "duplicate"})
    assert live.license_for("FAKE-SALE-0001==")["blob"] == blob
    assert [e["outcome"] for e in events(live, order="FAKE-SALE-0001==")] == ["duplicate", "minted"]


def test_fifty_simultaneous_deliveries_of_one_order_make_one_license(live):
    statuses: list[int] = []
    start = threading.Barrier(50)

    def deliver() -> None:
        start.wait()
        statuses.append(live.ping(gumroad_sale("RACE-1")).status)

    threads = [threading.Thread(target=deliver) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 50
    live.license_for("RACE-1")  # exactly one
    outcomes = [e["outcome"] for e in events(live, order="RACE-1", limit="100")]
    assert sorted(outcomes) == ["duplicate"] * 49 + ["minted"]


def test_json_ping_is_understood_like_a_form_ping(live):
    answer = live.ping(gumroad_sale("JSON-1", full_name="Łukasz Żółć"), content_type="application/json")
    assert answer.status == 200
    assert live.license_for("JSON-1")["name"] == "Łukasz Żółć"


def test_seller_test_purchase_is_minted_with_the_test_flag(live):
    assert live.ping(gumroad_sale("TEST-1", test="true")).status == 200
    stored = live.license_for("TEST-1")
    assert stored["test"] is True
    assert events(live, order="TEST-1")[0]["detail"] == "test purchase: not revenue"


def test_quantity_multiplies_the_products_seats(live):
    live.ping(gumroad_sale("TEAM-1", permalink="datatools-team",
                           product_permalink="https://example.gumroad.com/l/datatools-team",
                           quantity="3"))
    stored = live.license_for("TEAM-1")
    assert (stored["tier"], stored["seats"], stored["updates_until"]) == ("team", 15, None)


def test_refund_revokes_the_license_and_keeps_the_record(live, clock):
    live.ping(gumroad_sale("REFUND-1"))
    clock.advance(days=3)
    refund = live.ping(gumroad_sale("REFUND-1", resource_name="refund", refunded="true"))
    assert (refund.status, refund.json()) == (200, {"outcome": "revoked"})
    stored = live.license_for("REFUND-1")
    assert (stored["status"], stored["revoke_reason"], stored["revoked_at"]) == (
        "revoked", "refunded at Gumroad", "2026-11-26T12:00:00.000000+00:00")
    again = live.ping(gumroad_sale("REFUND-1", resource_name="refund", refunded="true"))
    assert again.json() == {"outcome": "already_revoked"}
    # A sale ping for the refunded order (a late retry) does not bring the license back.
    assert live.ping(gumroad_sale("REFUND-1")).json() == {"outcome": "duplicate"}
    assert live.license_for("REFUND-1")["status"] == "revoked"


def test_refund_of_an_unknown_order_is_recorded_for_the_operator(live):
    answer = live.ping(gumroad_sale("NEVER-SOLD", refunded="true"))
    assert (answer.status, answer.json()) == (200, {"outcome": "refund_without_license"})
    assert events(live, outcome="refund_without_license")[0]["order_id"] == "NEVER-SOLD"


def test_a_sale_that_arrives_after_its_refund_is_stored_revoked(live):
    live.ping(gumroad_sale("LATE-1", refunded="true"))
    answer = live.ping(gumroad_sale("LATE-1"))
    assert (answer.status, answer.json()) == (200, {"outcome": "refunded_before_sale"})
    stored = live.license_for("LATE-1")
    assert (stored["status"], stored["revoke_reason"]) == (
        "revoked", "refunded at the storefront before the sale arrived")
    assert live.daemon.worker.run_once().spooled == 0  # no license email for a refunded order


def test_unknown_product_is_audited_answered_200_and_not_minted(live):
    answer = live.ping(gumroad_sale("ODD-1", permalink="other-thing", short_product_id="oth",
                                    product_id="p-9",
                                    product_permalink="https://example.gumroad.com/l/other-thing"))
    assert (answer.status, answer.json()) == (200, {"outcome": "unknown_product"})
    assert live.admin("GET", "/internal/licenses?order=ODD-1").json()["licenses"] == []
    (event,) = events(live, outcome="unknown_product")
    assert event["detail"] == "no entry in products.toml for 'other-thing', 'other-thing', 'oth', 'p-9'"


def test_ping_without_sale_id_is_refused_with_a_clear_message_and_audited(live):
    fields = gumroad_sale()
    del fields["sale_id"]
    answer = live.ping(fields)
    assert answer.status == 400
    assert answer.json() == {"error": {"code": "invalid_payload", "message": "the Ping has no sale_id"}}
    (event,) = events(live, outcome="invalid")
    assert "Zo%C3%AB" in event["body"]  # the raw body is kept for a replay


def test_body_over_64_kib_is_refused_with_413(live):
    answer = live.ping(gumroad_sale(custom="x" * 70_000))
    assert answer.status == 413
    assert answer.json()["error"]["code"] == "payload_too_large"
    assert live.admin("GET", "/internal/licenses").json()["licenses"] == []


def test_a_prober_cannot_tell_a_webhook_route_from_no_route(live):
    # A GET, and a body over the limit without the secret: the same answer, byte for byte, as
    # a path with no route at all (a 405 or a 413 would say the route exists).
    big = urllib.parse.urlencode(gumroad_sale(custom="x" * 70_000)).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for route in ("/webhooks/gumroad", "/webhooks/postmark"):
        assert comparable(http("GET", live.url + route)) == \
            comparable(http("GET", live.url + "/webhooks/nope"))
        assert comparable(http("POST", live.url + route + "?secret=wrong", big, form)) == \
            comparable(http("POST", live.url + "/webhooks/nope?secret=wrong", big, form))
    assert http("GET", live.url + "/webhooks/nope").status == 404
    assert live.admin("GET", "/internal/licenses").json()["licenses"] == []


def comparable(answer):
    """An answer without what differs on every request (its id, the date)."""
    headers = {k: v for k, v in answer.headers.items() if k not in ("X-Request-Id", "Date")}
    return answer.status, headers, answer.body


def test_wrong_or_missing_secret_looks_exactly_like_no_route_and_is_audited_as_a_digest(live):
    wrong = live.ping(gumroad_sale("SNEAKY-1", custom="y" * 5000), secret="guess")
    missing = http("POST", f"{live.url}/webhooks/gumroad",
                   urllib.parse.urlencode(gumroad_sale("SNEAKY-2")).encode(),
                   {"Content-Type": "application/x-www-form-urlencoded"})
    no_route = http("POST", f"{live.url}/webhooks/nowhere", b"sale_id=1",
                    {"Content-Type": "application/x-www-form-urlencoded"})
    assert comparable(wrong) == comparable(missing) == comparable(no_route)
    assert no_route.json() == {"error": {"code": "not_found", "message": "no such route"}}
    audited = events(live, outcome="rejected_secret")
    assert len(audited) == 2
    assert all("guess" not in str(e) and GUMROAD_SECRET not in str(e) for e in audited)
    big = next(e for e in audited if "SNEAKY-1" in e["body"])
    assert len(big["body"]) == 256  # the first bytes only, then size and hash
    assert re.search(r"body \d{4,} bytes, sha256 [0-9a-f]{64}, first 256 kept", big["detail"])
    assert live.admin("GET", "/internal/licenses").json()["licenses"] == []


def test_a_flood_of_wrong_secrets_writes_a_bounded_number_of_audit_rows(live):
    answers = {live.ping(gumroad_sale(f"FLOOD-{n}"), secret="guess").status for n in range(60)}
    assert answers == {404}
    audited = events(live, outcome="rejected_secret", limit=500)
    assert 20 <= len(audited) < 30  # a burst of 20, then about 2 a second
    time.sleep(1.1)
    live.ping(gumroad_sale("FLOOD-LAST"), secret="guess")
    (latest, *_) = events(live, outcome="rejected_secret", limit=500)
    assert re.search(r"; \d+ earlier attempt\(s\) from this client not recorded", latest["detail"])
    # A real sale from the same address is never limited.
    assert live.ping(gumroad_sale("REAL-1")).json() == {"outcome": "minted"}


def test_restarting_the_daemon_changes_no_stored_blob(live, world, clock):
    live.ping(gumroad_sale("KEEP-1"))
    before = live.license_for("KEEP-1")
    live.stop()
    clock.advance(days=30)
    again = LiveDaemon(world, clock).start()
    try:
        assert again.ping(gumroad_sale("KEEP-1")).json() == {"outcome": "duplicate"}
        assert again.license_for("KEEP-1") == before
    finally:
        again.stop()
        live.start()  # the fixture stops it once more
