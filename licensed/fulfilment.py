"""The one "act on an event" path: adapter → event → `apply_event(tx, event, delivery, …)` → outcome.

Every source ends here — a storefront webhook, an operator's manual mint, a replay — so each
gets the same rules in one transaction: mint once per (source, order_id), a refund that
overtook its sale keeps the license revoked and unsent, the license email is queued beside
the license, and exactly one audit row (webhook_events) records what happened. A new
storefront, disputes or renewals add an event type in licensed/events.py and a branch here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from licensed.db import Transaction
from licensed.events import Event, IgnoredEvent, ImportEvent, RefundEvent, SaleEvent
from licensed.minting import Signer, mint_from_sale, revoke, revoke_for_refund, store_imported
from licensed.outbox import queue_license_mail
from licensed.records import License


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
    outcome: str  # minted, duplicate, refunded_before_sale, revoked, already_revoked, …
    license: License | None
    created: bool = False  # a new license (and its email) was committed


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

    A sale mints (or finds) the order's license and queues its email; a refund revokes; an
    import stores a license minted offline as it is; an ignored event is only recorded. Raises StorageError when the database fails (the caller's
    transaction rolls back, nothing is half-written).
    """
    lic: License | None
    if isinstance(event, SaleEvent):
        minted = mint_from_sale(tx, event, signer, now)
        lic, created = minted.license, minted.created
        outcome = "minted" if created else "duplicate"
        detail = "test purchase: not revenue" if event.test else event.note
        if created and tx.scalar("refund_recorded", source=event.source, order_id=event.order_id):
            # The refund overtook its sale: keep the record, revoked, and send no mail.
            lic = revoke(tx, lic.id, "refunded at the storefront before the sale arrived", now) or lic
            outcome, detail = "refunded_before_sale", "a refund for this order arrived earlier"
        elif created:
            queue_license_mail(tx, lic, now)
    elif isinstance(event, RefundEvent):
        outcome, lic = revoke_for_refund(tx, event, now)
        created, detail = False, event.reason
    elif isinstance(event, ImportEvent):
        # Minted and mailed offline already: stored as it was, no email queued.
        outcome, lic = store_imported(tx, event)
        created, detail = False, event.note
        if outcome == "lid_conflict":
            detail = f"{event.lid} is stored with another blob (license {lic.id if lic else '?'})"
    else:
        assert isinstance(event, IgnoredEvent)
        outcome, lic, created, detail = event.outcome, None, False, event.detail
    event_id = record_event(
        tx, delivery, outcome=outcome, kind=event.kind, order_id=event.order_id, detail=detail,
        license_id=lic.id if lic else None,
    )
    return Outcome(event_id=event_id, outcome=outcome, license=lic, created=created)
