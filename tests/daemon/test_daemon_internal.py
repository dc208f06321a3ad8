"""The operator's /internal API over real HTTP: auth, mint, look-ups, revoke, events, replay."""

from __future__ import annotations

import json
from datetime import date

from datatools import license as codec
from datatools import license_keys
from datatools.version import __version__
from tests.daemon.harness import gumroad_sale, http


def test_internal_routes_need_the_bearer_token(live):
    for token in ("", "wrong-token"):
        answer = live.admin("GET", "/internal/licenses", token=token)
        assert (answer.status, answer.json()) == (
            401, {"error": {"code": "unauthorized", "message": "missing or wrong bearer token"}})
    bare = http("POST", f"{live.url}/internal/mint", b"{}", {"Content-Type": "application/json"})
    assert bare.status == 401


def test_manual_mint_answers_201_with_a_verifiable_license(live):
    answer = live.admin("POST", "/internal/mint", {
        "name": "Jürgen Operator", "email": "j@example.com", "tier": "team", "seats": 3,
        "note": "conference giveaway"})
    assert answer.status == 201
    minted = answer.json()["license"]
    assert {k: minted[k] for k in ("source", "name", "tier", "seats", "status", "note", "issued",
                                   "amount_minor", "test", "revoked_at")} == {
        "source": "manual", "name": "Jürgen Operator", "tier": "team", "seats": 3,
        "status": "active", "note": "conference giveaway", "issued": "2026-11-23",
        "amount_minor": 0, "test": False, "revoked_at": None}
    assert minted["order_id"].startswith("M-")
    keyring = license_keys.load_keyring(live.settings.secrets_dir / "signing" / "keyring.json")
    record = codec.verify_blob(minted["blob"], keyring, product="datatools",
                               today=date(2026, 11, 23), release_date=date(2026, 11, 23))
    assert (record.lid, record.seats) == (minted["lid"], 3)
    shown = live.admin("GET", f"/internal/licenses/{minted['id']}").json()["license"]
    assert shown == minted


def test_manual_mint_with_an_order_id_is_idempotent(live):
    body = {"name": "A", "email": "a@example.com", "tier": "pro", "order_id": "INV-7"}
    first, second = live.admin("POST", "/internal/mint", body), live.admin("POST", "/internal/mint", body)
    assert (first.status, second.status) == (201, 200)
    assert first.json() == second.json()


def test_a_manual_mint_is_audited_like_a_sale_and_replays_to_the_same_order(live):
    minted = live.admin("POST", "/internal/mint", {
        "name": "Ada", "email": "ada@example.com", "tier": "pro", "note": "press copy"}).json()["license"]
    (event,) = live.admin("GET", f"/internal/events?order={minted['order_id']}").json()["events"]
    assert {k: event[k] for k in ("source", "kind", "outcome", "license_id", "detail")} == {
        "source": "manual", "kind": "sale", "outcome": "minted", "license_id": minted["id"],
        "detail": "press copy"}
    # The generated order id is part of the audited body, so a replay finds the same order.
    assert json.loads(event["body"])["order_id"] == minted["order_id"]
    replayed = live.admin("POST", f"/internal/events/{event['id']}/replay")
    assert replayed.status == 200
    assert (replayed.json()["outcome"], replayed.json()["license"]) == ("duplicate", minted)
    assert len(live.admin("GET", "/internal/licenses").json()["licenses"]) == 1


def test_manual_mint_refuses_bad_input_with_one_clear_message(live):
    cases = [
        ({"name": "A", "email": "a@example.com", "tier": "gold"},
         "unknown tier 'gold' (products.toml has: pro, team)"),
        ({"name": "A", "email": "not-an-address", "tier": "pro"},
         "email is not an address: 'not-an-address'"),
        ({"name": "A", "email": "a@example.com", "tier": "pro", "seats": 0},
         "seats must be a whole number ≥ 1"),
        ({"email": "a@example.com", "tier": "pro"}, "name must be a non-empty string"),
    ]
    for body, message in cases:
        answer = live.admin("POST", "/internal/mint", body)
        assert (answer.status, answer.json()["error"]["message"]) == (400, message)
    garbage = http("POST", f"{live.url}/internal/mint", b"{not json",
                   {"Authorization": "Bearer admin-token-for-tests"})
    assert garbage.json() == {"error": {"code": "invalid_json",
                                        "message": "the body must be a JSON object"}}
    assert live.admin("GET", "/internal/licenses").json()["licenses"] == []


def test_licenses_are_found_by_email_order_and_text(live):
    live.ping(gumroad_sale("S-1", email="Zoe@Example.com"))
    live.ping(gumroad_sale("S-2", email="max@example.com", full_name="Max Mustermann"))
    by_email = live.admin("GET", "/internal/licenses?email=zoe%40example.com").json()["licenses"]
    assert [lic["order_id"] for lic in by_email] == ["S-1"]
    by_text = live.admin("GET", "/internal/licenses?q=muster").json()["licenses"]
    assert [lic["order_id"] for lic in by_text] == ["S-2"]
    newest = live.admin("GET", "/internal/licenses?limit=1").json()["licenses"]
    assert [lic["order_id"] for lic in newest] == ["S-2"]
    bad = live.admin("GET", "/internal/licenses?limit=0")
    assert (bad.status, bad.json()["error"]["code"]) == (400, "invalid_query")


def test_revoke_keeps_the_record_and_refuses_twice(live, clock):
    live.ping(gumroad_sale("R-1"))
    lic = live.license_for("R-1")
    answer = live.admin("POST", f"/internal/licenses/{lic['id']}/revoke", {"reason": "chargeback"})
    assert answer.status == 200
    assert (answer.json()["license"]["status"], answer.json()["license"]["revoke_reason"]) == (
        "revoked", "chargeback")
    again = live.admin("POST", f"/internal/licenses/{lic['id']}/revoke", {"reason": "x"})
    assert (again.status, again.json()["error"]["code"]) == (409, "already_revoked")
    missing = live.admin("POST", "/internal/licenses/999999/revoke", {"reason": "x"})
    assert (missing.status, missing.json()["error"]["code"]) == (404, "no_such_license")
    no_reason = live.admin("POST", f"/internal/licenses/{lic['id']}/revoke", {})
    assert no_reason.status == 400


def test_replay_runs_a_stored_body_again_and_is_audited(live):
    live.ping(gumroad_sale("P-1"))
    (event,) = live.admin("GET", "/internal/events?order=P-1").json()["events"]
    answer = live.admin("POST", f"/internal/events/{event['id']}/replay")
    assert answer.status == 200
    assert (answer.json()["outcome"], answer.json()["license"]["order_id"]) == ("duplicate", "P-1")
    newest = live.admin("GET", "/internal/events?order=P-1").json()["events"][0]
    assert (newest["replay_of"], newest["outcome"]) == (event["id"], "duplicate")


def test_replay_refuses_deliveries_that_failed_authentication(live):
    live.ping(gumroad_sale("P-2"), secret="wrong")
    (event,) = live.admin("GET", "/internal/events?outcome=rejected_secret").json()["events"]
    answer = live.admin("POST", f"/internal/events/{event['id']}/replay")
    assert (answer.status, answer.json()["error"]["code"]) == (409, "not_replayable")
    assert live.admin("POST", "/internal/events/424242/replay").status == 404


def test_health_reports_version_and_database(live):
    answer = http("GET", f"{live.url}/health")
    assert answer.status == 200
    # The one version source (datatools/version.py, read by setup.cfg into the package metadata).
    assert answer.json() == {"status": "ok", "version": __version__, "database": "ok", "signer": {
        "status": "ok", "kid": "test-1", "limits": {"minute": {"used": 0, "limit": 6000},
                                                     "day": {"used": 0, "limit": 1000000},
                                                     "limited": None}},
        "mail": {"transport": "spool", "message": "no Postmark token is set: license emails "
                 "are written to the mail spool folder on the server, not sent to buyers"}}
    assert answer.headers["X-Request-Id"]


def test_unknown_routes_and_methods_answer_in_the_json_error_shape(live):
    missing = http("GET", f"{live.url}/nope")
    assert (missing.status, missing.json()) == (
        404, {"error": {"code": "not_found", "message": "no such route"}})
    wrong_method = http("GET", f"{live.url}/internal/mint")  # (webhook routes hide even that)
    assert (wrong_method.status, wrong_method.json()["error"]["code"]) == (405, "method_not_allowed")
