"""One storefront delivery, end to end: parse → mint or revoke → audit row, in one transaction.

Routes and the operator's replay both call `process_delivery`; the audit log gets exactly one
row per attempt, whatever happens (a failed transaction is recorded in a second one).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from licensed.db import Database, Transaction
from licensed.errors import BadRequest
from licensed.minting import Signer, mint_from_sale, revoke, revoke_for_refund
from licensed.outbox import queue_license_mail
from licensed.products import Catalog
from licensed.sources import IgnoredEvent, RefundEvent, SaleEvent, SourceAdapter

log = logging.getLogger("licensed.webhooks")

# Outcomes that are answered 200 but need an operator's eye (shown by GET /internal/events).
NEEDS_OPERATOR = {"unknown_product", "refund_without_license", "refunded_before_sale", "invalid",
                  "error"}


@dataclass(frozen=True)
class Delivery:
    """A webhook request as received: the raw body and the headers worth keeping."""

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
    event_id: int
    outcome: str
    license: dict[str, Any] | None
    created: bool = False


def record_event(
    tx: Transaction, delivery: Delivery, *, outcome: str, kind: str | None = None,
    order_id: str | None = None, detail: str | None = None, license_id: int | None = None,
) -> int:
    return tx.scalar(
        "insert_event",
        source=delivery.source, received_at=delivery.received_at,
        remote_addr=delivery.remote_addr, request_id=delivery.request_id,
        headers=json.dumps(delivery.headers, sort_keys=True), body=delivery.body, kind=kind,
        order_id=order_id, outcome=outcome, detail=detail, license_id=license_id,
        replay_of=delivery.replay_of,
    )


def record_rejected(db: Database, delivery: Delivery) -> int:
    """Audit a delivery whose secret or signature did not match (the secret is never stored)."""
    with db.transaction() as tx:
        event_id = record_event(tx, delivery, outcome="rejected_secret",
                                detail="wrong or missing webhook secret")
    log.warning("webhook rejected source=%s event=%s remote=%s: wrong or missing secret",
                delivery.source, event_id, delivery.remote_addr)
    return event_id


def _apply(tx: Transaction, event: Any, signer: Signer, now: datetime,
           delivery: Delivery) -> Outcome:
    if isinstance(event, SaleEvent):
        minted = mint_from_sale(tx, event, signer, now)
        lic, created = minted.license, minted.created
        outcome = "minted" if created else "duplicate"
        detail = "test purchase: not revenue" if event.test else None
        if created and tx.scalar("refund_recorded", source=event.source, order_id=event.order_id):
            # The refund overtook its sale: keep the record, revoked, and send no mail.
            lic = revoke(tx, lic["id"], "refunded at the storefront before the sale arrived", now) or lic
            outcome, detail = "refunded_before_sale", "a refund for this order arrived earlier"
        elif created:
            queue_license_mail(tx, lic, now)
    elif isinstance(event, RefundEvent):
        outcome, lic = revoke_for_refund(tx, event, now)
        created, detail = False, event.reason
    else:
        assert isinstance(event, IgnoredEvent)
        outcome, lic, created, detail = event.outcome, None, False, event.detail
    event_id = record_event(
        tx, delivery, outcome=outcome, kind=event.kind, order_id=event.order_id, detail=detail,
        license_id=lic["id"] if lic else None,
    )
    return Outcome(event_id=event_id, outcome=outcome, license=lic, created=created)


def process_delivery(
    db: Database, adapter: SourceAdapter, catalog: Catalog, signer: Signer,
    delivery: Delivery, now: datetime,
) -> Outcome:
    """Act on one delivery and audit it. Raises BadRequest for a body we cannot use (audited
    as `invalid`), StorageError or anything else for our own failures (audited as `error`,
    best effort) so the route answers 5xx and the storefront retries."""
    try:
        event = adapter.parse(delivery.body, delivery.content_type, catalog, now.date())
    except BadRequest as exc:
        with db.transaction() as tx:
            event_id = record_event(tx, delivery, outcome="invalid", detail=exc.message)
        log.warning("webhook invalid source=%s event=%s: %s", delivery.source, event_id, exc.message)
        raise
    try:
        with db.transaction() as tx:
            result = _apply(tx, event, signer, now, delivery)
    except Exception as exc:
        _record_failure(db, delivery, event, exc)
        raise
    level = logging.WARNING if result.outcome in NEEDS_OPERATOR else logging.INFO
    log.log(level, "webhook source=%s order=%s outcome=%s event=%s license=%s",
            delivery.source, event.order_id, result.outcome, result.event_id,
            result.license["lid"] if result.license else "-")
    return result


def _record_failure(db: Database, delivery: Delivery, event: Any, exc: Exception) -> None:
    try:
        with db.transaction() as tx:
            record_event(tx, delivery, outcome="error", kind=event.kind,
                         order_id=event.order_id, detail=f"{type(exc).__name__}: {exc}"[:500])
    except Exception:  # the database is down; the log line below is all that is left
        log.exception("webhook error source=%s order=%s: could not audit the failure",
                      delivery.source, event.order_id)
