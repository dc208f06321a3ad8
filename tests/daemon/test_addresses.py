"""A buyer's address or name can never add a recipient (issue 16, item 7): addresses are checked
with the standard library's parser, headers are built with email.headerregistry."""

from __future__ import annotations

from email.headerregistry import HeaderRegistry

import pytest
from hypothesis import given, settings, strategies as st

from licensed.sources import PLAIN_ADDRESS_RE, _parsed_as_one_address, valid_email
from tests.daemon.harness import gumroad_sale

SMUGGLED = ["zoe@example.com,thief@example.net", "zoe@example.com, thief@example.net",
            "zoe@example.com<thief@example.net>",
            "Zoe <zoe@example.com>", "zoe@example.com;thief@example.net", "<zoe@example.com>",
            '"zoe,thief"@example.net', "zoe(thief@example.net)@example.com", "zoe@example.com>",
            "zoe @example.com", "zoe@example.com\r\nBcc: thief@example.net", "zoe@localhost"]


@pytest.mark.parametrize("text", SMUGGLED)
def test_anything_but_one_plain_address_is_not_an_address(text):
    assert valid_email(text) is False


@pytest.mark.parametrize("text", ["zoe@example.com", "a.b+tag@sub.example.co.uk",
                                  "o'brien@example.ie", "zoë@exämple.com"])
def test_plain_addresses_are_addresses(text):
    assert valid_email(text) is True


@settings(max_examples=500, deadline=None)
@given(st.from_regex(PLAIN_ADDRESS_RE, fullmatch=True).filter(lambda text: len(text) <= 254))
def test_the_fast_path_takes_only_what_the_header_parser_takes_as_one_address(text):
    # valid_email skips the parser for text of this shape; the parser must agree on every one.
    assert _parsed_as_one_address(text) is True


def test_a_ping_whose_email_holds_a_second_address_is_refused_and_audited(live):
    answer = live.ping(gumroad_sale("ADDR-1", email=SMUGGLED[0]))
    assert (answer.status, answer.json()["error"]["code"]) == (400, "invalid_payload")
    assert live.admin("GET", "/internal/licenses?order=ADDR-1").json()["licenses"] == []
    (event,) = live.admin("GET", "/internal/events?outcome=invalid").json()["events"]
    assert event["order_id"] is None and "not one plain address" in event["detail"]
    mint = live.admin("POST", "/internal/mint", {"name": "A", "email": SMUGGLED[1], "tier": "pro"})
    assert mint.status == 400


def test_a_name_with_commas_and_brackets_stays_one_recipient_in_postmark_and_eml(mailing, postmark):
    mailing.ping(gumroad_sale("ADDR-2", full_name='Doe, "John" <thief@example.net>'))
    assert mailing.daemon.worker.run_once().sent == 1
    (sent,) = postmark.accepted
    (to,) = HeaderRegistry()("To", sent["To"]).addresses
    assert (to.display_name, to.addr_spec) == ('Doe, "John" <thief@example.net>', "zoe@example.com")
