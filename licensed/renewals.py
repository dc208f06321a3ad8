"""Renewals: a paid renewal order moves one license's `updates_until` on and mails the new blob.

The license keeps its lid, tier, seats and buyer; only the updates window and therefore the
signature change. The old blob keeps working for every release it covered (ARCHITECTURE.md, "The license blob";
a release made before `updates_until` verifies), so nothing the buyer has stops working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from licensed.db import Transaction
from licensed.events import RenewalEvent, add_months
from licensed.minting import Signer, blob_fields, blob_kid
from licensed.outbox import queue_license_mail
from licensed.records import License


@dataclass(frozen=True)
class Renewed:
    outcome: str  # renewed, duplicate, renewal_unmatched, renewal_not_needed
    license: License | None
    detail: str | None
    created: bool  # a new blob (and its email) was committed


def new_updates_until(current: str | None, purchased_on: date, months: int) -> date:
    """Extend from the later of the current window's end and the renewal's date (a lapsed
    window restarts on the day of the renewal, an open one is extended from its end)."""
    start = max(date.fromisoformat(current), purchased_on) if current else purchased_on
    return add_months(start, months)


def find_renewed_license(tx: Transaction, event: RenewalEvent) -> License | None:
    """The license named by the renewal's license id, else the buyer's newest active license
    that has an updates window; None when neither exists (revoked and disputed licenses are
    not renewed)."""
    if event.lid is not None:
        found = tx.one("license_by_lid", lid=event.lid)
        return found if found is not None and found.standing == "active" else None
    for lic in tx.many("active_licenses_for_email", email=event.email):
        if lic.updates_until is not None:
            return lic
    return None


def apply_renewal(tx: Transaction, event: RenewalEvent, signer: Signer, now: datetime) -> Renewed:
    """Renew once per (source, order_id), inside the caller's transaction (which holds the
    order's lock). A renewal that matches no license is flagged, never dropped: the audit row
    keeps the body for a replay once the operator knows which license it is for."""
    done = tx.one("renewal_by_order", source=event.source, order_id=event.order_id)
    if done is not None:
        return Renewed("duplicate", tx.one("license_by_id", id=done.license_id), None, False)
    target = find_renewed_license(tx, event)
    if target is None:
        detail = (f"no active license with id {event.lid}" if event.lid else
                  f"no active license with an updates window for {event.email}")
        return Renewed("renewal_unmatched", None, detail, False)
    lic = tx.one("license_for_update", id=target.id)
    assert lic is not None
    if lic.updates_until is None:
        return Renewed("renewal_not_needed", lic, "the license already has lifetime updates", False)
    until = new_updates_until(lic.updates_until, event.purchased_on, event.months).isoformat()
    blob = signer.sign(blob_fields(lic, updates_until=until))
    renewed = tx.one("renew_license", id=lic.id, updates_until=until, blob=blob,
                     kid=blob_kid(blob))
    tx.exec("insert_renewal", source=event.source, order_id=event.order_id, license_id=lic.id,
            months=event.months, previous_updates_until=lic.updates_until, updates_until=until,
            previous_blob=lic.blob, amount_minor=event.amount_minor, currency=event.currency,
            now=now)
    queue_license_mail(tx, renewed, now, purpose="renewal")
    return Renewed("renewed", renewed, f"updates until {lic.updates_until} → {until}", True)
