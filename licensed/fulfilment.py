"""The one "act on an event" path: adapter → event → `apply_event(tx, event, delivery, …)` → outcome.

Every source ends here — a storefront webhook, an operator's manual mint, a replay — so each
gets the same rules in one transaction: one event at a time per (source, order_id), mint once
per order, a refund that overtook its sale keeps the license revoked and unsent, the license
email is queued beside the license, and exactly one audit row (webhook_events) records what
happened. A new kind of event is a type in licensed/events.py and a branch here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from licensed.db import Transaction
from licensed.events import (BounceEvent, DisputeEvent, Event, IgnoredEvent, ImportEvent,
                             RefundEvent, RenewalEvent, SaleEvent, SubscriptionEvent)
from licensed.minting import (Signer, apply_dispute, mint_from_sale, revoke, revoke_for_refund,
                              store_imported)
from licensed.outbox import queue_license_mail, record_bounce
from licensed.records import License
from licensed.renewals import apply_renewal
from licensed.subscriptions import apply_subscription, link_order, refund_of_renewal_charge


# The answers of the `order_news` query (sql/queries/orders.sql).
REFUND_CAME_FIRST, SUBSCRIPTION_CAME_FIRST = 1, 2


@dataclass(frozen=True)
class Delivery:
    """What arrived, as the audit log keeps it: the raw body and the headers worth keeping."""

    source: str
    body: bytes
    content_type: str
    headers: dict[str, str]
    remote_addr: str | None
    request_id: str | None
    received_at: datetime
    replay_of: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What acting on one event did: its audit row, the outcome word, the license touched."""

    event_id: int
    outcome: str  # minted, duplicate, revoked, partial_refund, suspended, renewed, …
    license: License | None
    created: bool = False  # a new license or blob (and its email) was committed


def record_event(
    tx: Transaction, delivery: Delivery, *, outcome: str, kind: str | None = None,
    order_id: str | None = None, detail: str | None = None, license_id: int | None = None,
) -> int:
    """Append the audit row for `delivery`; returns its id."""
    return tx.scalar(
        "insert_event",
        source=delivery.source, received_at=delivery.received_at,
        remote_addr=delivery.remote_addr, request_id=delivery.request_id,
        headers=json.dumps(delivery.headers, sort_keys=True), body=delivery.body, kind=kind,
        order_id=order_id, outcome=outcome, detail=detail, license_id=license_id,
        replay_of=delivery.replay_of,
    )


def apply_event(tx: Transaction, event: Event, delivery: Delivery, signer: Signer,
                now: datetime) -> Outcome:
    """Act on `event` inside the caller's transaction and audit it (one webhook_events row).

    First the order's lock (`lock_order`): every event for one (source, order_id) — sale,
    refund, dispute, renewal, subscription, import — is applied one after the other, on PostgreSQL as on
    SQLite, so a refund racing its sale is never lost (issue 16, item 6). A sale mints (or
    finds) the order's license and queues its email; a full refund revokes, a partial one is
    recorded; a dispute holds, releases or revokes; a renewal re-signs; a subscription event extends,
    re-signs or records (licensed/subscriptions.py, under the subscription's lock); an import stores a
    license minted offline as it is; an ignored event is only recorded. Raises StorageError
    when the database fails (the caller's transaction rolls back, nothing is half-written).
    """
    if event.order_id is not None:
        tx.exec("lock_order", source=event.source, order_id=event.order_id)
    lic: License | None = None
    created = False
    if isinstance(event, SaleEvent):
        minted = mint_from_sale(tx, event, signer, now)
        lic, created = minted.license, minted.created
        outcome = "minted" if created else "duplicate"
        detail = "test purchase: not revenue" if event.test else event.note
        news = tx.scalar("order_news", source=event.source, order_id=event.order_id) \
            if created else 0
        if news == REFUND_CAME_FIRST:
            # The refund overtook its sale: keep the record, revoked, and send no mail.
            lic = revoke(tx, lic.id, "refunded at the storefront before the sale arrived", now) or lic
            outcome, detail = "refunded_before_sale", "a refund for this order arrived earlier"
        elif created:
            if news == SUBSCRIPTION_CAME_FIRST:
                # A subscription that named this order before it arrived (Lemon Squeezy) is
                # linked now, and its waiting payments applied: the one mail carries the final
                # blob.
                lic = link_order(tx, event.source, event.order_id, lic, signer, now)
            queue_license_mail(tx, lic, now)
    elif isinstance(event, RefundEvent):
        charge = refund_of_renewal_charge(tx, event)
        if charge is not None:
            outcome, lic, detail = charge.outcome, charge.license, charge.detail
        else:
            outcome, lic = revoke_for_refund(tx, event, now)
            detail = event.reason
    elif isinstance(event, DisputeEvent):
        outcome, lic = apply_dispute(tx, event, now)
        detail = event.reason
    elif isinstance(event, (RenewalEvent, SubscriptionEvent)):
        done = (apply_renewal(tx, event, signer, now) if isinstance(event, RenewalEvent)
                else apply_subscription(tx, event, signer, now))
        outcome, lic, detail, created = done.outcome, done.license, done.detail, done.created
        if event.test and detail:
            detail = f"test purchase: {detail}"
    elif isinstance(event, BounceEvent):
        outcome, lic, detail = record_bounce(tx, event, now)
    elif isinstance(event, ImportEvent):
        # Minted and mailed offline already: stored as it was, no email queued.
        outcome, lic = store_imported(tx, event)
        detail = event.note
        if outcome == "lid_conflict":
            detail = f"{event.lid} is stored with another blob (license {lic.id if lic else '?'})"
    else:
        assert isinstance(event, IgnoredEvent)
        outcome, detail = event.outcome, event.detail
    event_id = record_event(
        tx, delivery, outcome=outcome, kind=event.kind, order_id=event.order_id, detail=detail,
        license_id=lic.id if lic else None,
    )
    if isinstance(event, RefundEvent):
        tx.exec("insert_refund", license_id=lic.id if lic else None, source=event.source,
                order_id=event.order_id, full_refund=event.full, amount_minor=event.amount_minor,
                currency=event.currency, event_id=event_id, now=now)
    return Outcome(event_id=event_id, outcome=outcome, license=lic, created=created)
