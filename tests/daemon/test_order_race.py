"""A refund racing its own sale (issue 16, item 6): every event of one order is applied in one
order, so all 200 licenses end revoked and none is mailed — on PostgreSQL as on SQLite, for
each storefront."""

from __future__ import annotations

import urllib.parse
from typing import Callable

import pytest

from tests.daemon.harness import LiveDaemon, Response, gumroad_sale
from tests.daemon.storefronts import (lemon_order, lemon_post, release_together, stripe_charge,
                                      stripe_event, stripe_post, stripe_session)

PAIRS = 200


def gumroad_pair(live: LiveDaemon, n: int) -> tuple[str, Callable[[], Response], Callable[[], Response]]:
    order = f"RACE-{n:03d}"
    return (order, lambda: live.ping(gumroad_sale(order)),
            lambda: live.ping(gumroad_sale(order, refunded="true", resource_name="refund")))


def lemonsqueezy_pair(live: LiveDaemon, n: int):
    order = str(7700000 + n)
    return (order, lambda: lemon_post(live, lemon_order(order)),
            lambda: lemon_post(live, lemon_order(order, event="order_refunded", refunded=True,
                                                 refunded_amount=4900, status="refunded")))


def stripe_pair(live: LiveDaemon, n: int):
    order = f"pi_race{n:03d}"
    sale = stripe_event("checkout.session.completed", stripe_session(f"cs_race{n}", order))
    refund = stripe_event("charge.refunded", stripe_charge(order))
    return order, lambda: stripe_post(live, sale), lambda: stripe_post(live, refund)


@pytest.mark.parametrize("pair", [gumroad_pair, lemonsqueezy_pair, stripe_pair],
                         ids=["gumroad", "lemonsqueezy", "stripe"])
def test_two_hundred_sales_racing_their_refunds_all_end_revoked_and_unmailed(live, pair):
    calls, orders = [], []
    for n in range(PAIRS):
        order, sale, refund = pair(live, n)
        orders.append(order)
        calls += [sale, refund]
    assert release_together(calls) == [200] * len(calls)
    statuses = []
    for order in orders:
        (lic,) = live.admin("GET", "/internal/licenses?" + urllib.parse.urlencode(
            {"order": order})).json()["licenses"]
        statuses.append(lic["status"])
    assert statuses.count("revoked") == PAIRS
    assert live.daemon.worker.run_once().spooled == 0
    assert list(live.settings.mail_spool_dir.glob("*.eml")) == []
    unsent = live.admin("GET", "/internal/outbox?limit=500").json()["outbox"]
    assert {row["status"] for row in unsent} <= {"cancelled"}
