"""One delivery, end to end: adapter → event → apply_event → audit row, in one transaction.

Storefront routes, manual mints and the operator's replay all call `process_delivery`; the audit
log gets exactly one row per attempt, whatever happens (an unusable body is recorded as
`invalid`, a failed transaction as `error` in a second one).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Callable

from licensed.bounds import check_event
from licensed.db import Database, Transaction
from licensed.errors import BadRequest, StorageError
from licensed.events import Event
from licensed.fulfilment import Delivery, Outcome, apply_event, record_event
from licensed.minting import Signer
from licensed.products import Catalog
from licensed.rejections import KEPT_BYTES, RejectionLimiter, client_key, digest
from licensed.sources import SourceAdapter

log = logging.getLogger("licensed.webhooks")

# Outcomes that are answered 200 but need an operator's eye (shown by GET /internal/events).
NEEDS_OPERATOR = {"unknown_product", "unknown_variant", "refund_without_license",
                  "refunded_before_sale", "partial_refund", "partial_refund_without_license",
                  "suspended", "dispute_without_license", "renewal_unmatched",
                  "renewal_not_needed", "invalid", "error",
                  # Subscriptions (licensed/subscriptions.py): a delivery order the storefronts
                  # do not promise, or a payment the daemon cannot place.
                  "minted_from_renewal", "payment_before_license", "period_unknown",
                  "subscription_payment_refunded", "renewed_by_address"}


def record_rejected(db: Database, delivery: Delivery,
                    reason: str = "wrong or missing webhook secret",
                    limiter: RejectionLimiter | None = None) -> int | None:
    """Audit a delivery that failed authentication, with why, as a bounded digest (size,
    SHA-256, the first bytes; the secret is never stored). With a `limiter`, a client over its
    budget writes no row (None); its next row counts what was skipped."""
    suppressed = 0
    if limiter is not None:
        admitted, suppressed = limiter.admit(client_key(delivery.remote_addr))
        if not admitted:
            return None
    kept, described = digest(delivery.body)
    detail = f"{reason}; {described}" + (
        f"; {suppressed} earlier attempt(s) from this client not recorded (rate limit)"
        if suppressed else "")
    headers = {name: value[:KEPT_BYTES] for name, value in delivery.headers.items()}
    with db.transaction() as tx:
        event_id = record_event(tx, replace(delivery, body=kept, headers=headers),
                                outcome="rejected_secret", detail=detail)
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
        check_event(event)
    except Exception as exc:
        # Whatever stops a body from becoming a usable event is the body's fault (deep JSON
        # nesting, a number past the storage's range, a NUL): 400 with its audit row, never a
        # 500 the storefront would retry forever. A BadRequest says why; anything else is
        # also logged with its traceback, in case it is ours.
        if isinstance(exc, BadRequest):
            refused = exc
        else:
            log.exception("webhook source=%s: the adapter failed on this body", delivery.source)
            refused = BadRequest(f"the body cannot be read ({type(exc).__name__})",
                                 code="invalid_payload")
        with db.transaction() as tx:
            event_id = record_event(tx, delivery, outcome="invalid", detail=refused.message)
        log.warning("webhook invalid source=%s event=%s: %s", delivery.source, event_id,
                    refused.message)
        if refused is exc:
            raise
        raise refused from None
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
    except StorageError as again:
        # The database is down or full: one line per request, no traceback (a full disk
        # answered thousands a second, and tracebacks wrote 19 MB of log in 10 s).
        log.error("webhook error source=%s order=%s: %s; could not audit it: %s",
                  delivery.source, event.order_id, getattr(exc, "message", exc), again.message)
    except Exception:  # a bug in the audit path itself: keep the traceback
        log.exception("webhook error source=%s order=%s: could not audit the failure",
                      delivery.source, event.order_id)
