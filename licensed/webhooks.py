"""One delivery, end to end: adapter → event → apply_event → audit row, in one transaction.

Storefront routes, manual mints and the operator's replay all call `process_delivery`; the audit
log gets exactly one row per attempt, whatever happens (an unusable body is recorded as
`invalid`, a failed transaction as `error` in a second one).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from licensed.db import Database, Transaction
from licensed.errors import BadRequest
from licensed.events import Event
from licensed.fulfilment import Delivery, Outcome, apply_event, record_event
from licensed.minting import Signer
from licensed.products import Catalog
from licensed.sources import SourceAdapter

log = logging.getLogger("licensed.webhooks")

# Outcomes that are answered 200 but need an operator's eye (shown by GET /internal/events).
NEEDS_OPERATOR = {"unknown_product", "unknown_variant", "refund_without_license",
                  "refunded_before_sale", "partial_refund", "partial_refund_without_license",
                  "suspended", "dispute_without_license", "renewal_unmatched",
                  "renewal_not_needed", "invalid", "error"}


def record_rejected(db: Database, delivery: Delivery,
                    reason: str = "wrong or missing webhook secret") -> int:
    """Audit a delivery that failed authentication, with why (the secret is never stored)."""
    with db.transaction() as tx:
        event_id = record_event(tx, delivery, outcome="rejected_secret", detail=reason)
    log.warning("webhook rejected source=%s event=%s remote=%s: %s",
                delivery.source, event_id, delivery.remote_addr, reason)
    return event_id


def process_delivery(
    db: Database, adapter: SourceAdapter, catalog: Catalog, signer: Signer,
    delivery: Delivery, now: datetime, *,
    also: Callable[[Transaction, Outcome], None] | None = None,
) -> Outcome:
    """Act on one delivery and audit it. `also` runs in the same transaction after the event
    (the operator_actions row of a manual mint or replay). Raises BadRequest for a body we
    cannot use (audited as `invalid`), StorageError or anything else for our own failures
    (audited as `error`, best effort) so the route answers 5xx and the storefront retries."""
    try:
        event = adapter.parse(delivery.body, delivery.content_type, catalog, now.date())
    except BadRequest as exc:
        with db.transaction() as tx:
            event_id = record_event(tx, delivery, outcome="invalid", detail=exc.message)
        log.warning("webhook invalid source=%s event=%s: %s", delivery.source, event_id, exc.message)
        raise
    try:
        with db.transaction() as tx:
            result = apply_event(tx, event, delivery, signer, now)
            if also is not None:
                also(tx, result)
    except Exception as exc:
        _record_failure(db, delivery, event, exc)
        raise
    level = logging.WARNING if result.outcome in NEEDS_OPERATOR else logging.INFO
    log.log(level, "webhook source=%s order=%s outcome=%s event=%s license=%s",
            delivery.source, event.order_id, result.outcome, result.event_id,
            result.license.lid if result.license else "-")
    return result


def _record_failure(db: Database, delivery: Delivery, event: Event, exc: Exception) -> None:
    try:
        with db.transaction() as tx:
            record_event(tx, delivery, outcome="error", kind=event.kind,
                         order_id=event.order_id, detail=f"{type(exc).__name__}: {exc}"[:500])
    except Exception:  # the database is down; the log line below is all that is left
        log.exception("webhook error source=%s order=%s: could not audit the failure",
                      delivery.source, event.order_id)
