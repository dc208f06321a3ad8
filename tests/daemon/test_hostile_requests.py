"""Requests built to break the daemon: non-ASCII digits in a signature or a form token, JSON
nested past Python's limit. Each is a 4xx with a JSON or page answer, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.daemon.harness import ADMIN_TOKEN, http
from tests.daemon.storefronts import stripe_post
from tests.daemon.test_daemon_edges import events
from tests.daemon.test_portal import ask, form

NESTED = "[" * 30_000 + "]" * 30_000


@pytest.mark.parametrize("header", ["t=²,v1=" + "0" * 64, "t=¹²³,v1=abc", "t=12,v1=é"])
def test_a_stripe_signature_with_non_ascii_characters_is_a_400(live, header):
    answer = stripe_post(live, {"id": "evt_1", "type": "checkout.session.completed"}, header=header)
    assert answer.status == 400, answer.body
    assert answer.json()["error"]["code"] == "invalid_signature_header"
    assert [e["outcome"] for e in events(live)] == ["rejected_secret"]


def test_a_stripe_timestamp_that_is_not_a_number_is_still_a_401(live):
    answer = stripe_post(live, {"id": "evt_1"}, header="t=12a,v1=" + "0" * 64)
    assert answer.status == 401


def test_deeply_nested_json_to_mint_is_a_400(live):
    answer = http("POST", f"{live.url}/internal/mint", ('{"name": ' + NESTED + "}").encode(),
                  {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"})
    assert answer.status == 400, answer.body
    assert json.loads(answer.body)["error"]["code"] == "invalid_json"
    assert live.admin("GET", "/internal/licenses").json()["licenses"] == []


def test_a_portal_token_with_non_ascii_digits_is_refused_like_a_forged_one(live):
    _, cookie, _ = form(live)
    answer = ask(live, "zoe@example.com", token="²³.00ff", cookie=cookie)
    assert answer.status == 403
    assert b"This form has expired" in answer.body
