"""Subscriptions and memberships: one license per storefront subscription, extended and signed
again for each paid period (docs/LICENSE-SERVER.md, "Subscriptions").

A subscription is keyed by the id its storefront keeps across renewals; its license is minted
by whichever of its deliveries arrives first with the buyer and the product in it (Gumroad's
first sale or a later charge, Stripe's Checkout Session or first invoice, Lemon Squeezy's
order). A paid period covers `paid_on` … `paid_through` (the storefront's period end when it
says, else `paid_on` plus the period); the license's `updates_until` becomes the latest
`paid_through` paid (and `expires` follows it for a tier sold with `subscription = "expires"`).
A payment for a period already covered changes nothing, so deliveries in any order end in the
same license. A payment that arrives before the subscription's license is known is kept and
applied when the license is linked.

The renewed blob is mailed when it lets the buyer do more than the blob they hold: a later
`updates_until` or `expires`, another tier or seat count. Nothing is mailed for a payment inside
a covered period, a cancellation, a failed payment, an end, or a resumption that changes no
signed field. All signing goes through `Signer.sign`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from licensed.db import Transaction
from licensed.events import RefundEvent, SubscriptionEvent, add_months, expiry_for
from licensed.minting import Signer, blob_fields, blob_kid, mint_from_sale
from licensed.outbox import queue_license_mail
from licensed.records import License, Subscription

# Every outcome of a subscription event: (what it does to the license, what the buyer is
# mailed). docs/LICENSE-SERVER.md, "Subscriptions", shows this table (a test compares them);
# `dtadmin events --outcome NAME` lists the events of each.
OUTCOMES = {
    "minted": ("minted", "the license"),
    "minted_from_renewal": ("minted from a later payment", "the license"),
    "renewed": ("signed again with a later window", "the renewed license"),
    "renewed_by_address": ("found by the buyer's address, signed again with a later window",
                           "the renewed license"),
    "tier_changed": ("signed again with the new tier and seats", "the renewed license"),
    "duplicate": ("unchanged", "nothing"),
    "period_already_covered": ("unchanged", "nothing"),
    "renewal_not_needed": ("unchanged: lifetime updates", "nothing"),
    "period_unknown": ("unchanged", "nothing"),
    "payment_before_license": ("none yet: the payment waits for its order", "nothing"),
    "subscription_before_order": ("none yet: linked when its order arrives", "nothing"),
    "subscription_linked": ("unchanged: linked to its subscription", "nothing"),
    "subscription_updated": ("unchanged", "nothing"),
    "subscription_cancelled": ("unchanged: works as paid until its window ends", "nothing"),
    "subscription_resumed": ("unchanged", "nothing"),
    "payment_failed": ("unchanged", "nothing"),
    "subscription_ended": ("unchanged: the product's policy applies", "nothing"),
    "subscription_payment_refunded": ("unchanged: not revoked for a later charge", "nothing"),
}
# What each action that changes no license is recorded as (dtadmin events --outcome …).
STATUS_OUTCOMES = {"cancelled": "subscription_cancelled", "payment_failed": "payment_failed",
                   "ended": "subscription_ended", "resumed": "subscription_resumed"}
STATUSES = {"cancelled": "cancelled", "payment_failed": "past_due", "ended": "ended",
            "resumed": "active"}


@dataclass(frozen=True)
class Applied:
    outcome: str
    license: License | None
    detail: str | None
    created: bool  # a new license or blob (and its email) was committed


def lock_subscription(tx: Transaction, source: str, subscription_id: str) -> None:
    """Apply one subscription's events one after the other (the orders' advisory lock, under a
    key no order id can take)."""
    tx.exec("lock_order", source=source, order_id=f"subscription\x1f{subscription_id}")


def _subscription(tx: Transaction, event: SubscriptionEvent, now: datetime) -> Subscription:
    """The event's subscription row, made or completed with what the event tells."""
    product_key = event.sale.product_key if event.sale else None
    sub = tx.one("subscription_by_id", source=event.source, subscription_id=event.subscription_id)
    if sub is None:
        return tx.one("insert_subscription", source=event.source,
                      subscription_id=event.subscription_id, license_id=None,
                      first_order_id=event.first_order_id, product_key=product_key,
                      period_months=event.period_months, now=now)
    if event.first_order_id or product_key or event.period_months:
        return tx.one("complete_subscription", id=sub.id, license_id=None,
                      first_order_id=event.first_order_id, product_key=product_key,
                      period_months=event.period_months, now=now)
    return sub


def _link(tx: Transaction, sub: Subscription, lic: License, now: datetime) -> Subscription:
    return tx.one("complete_subscription", id=sub.id, license_id=lic.id, first_order_id=None,
                  product_key=None, period_months=None, now=now)


def paid_through_of(paid_on: date, paid_through: date | None, months: int | None) -> date | None:
    """The last day a payment covers: the storefront's period end, else `paid_on` + months."""
    if paid_through is not None:
        return paid_through
    return add_months(paid_on, months) if months else None


def _resign(tx: Transaction, lic: License, signer: Signer, **changes) -> License:
    """Sign `lic` again with `changes` (updates_until, expires, tier, seats) and store it."""
    fields = blob_fields(lic, **changes)
    blob = signer.sign(fields)
    return tx.one("resign_subscription_license", id=lic.id, updates_until=fields["updates_until"],
                  expires=fields["expires"], tier=fields["tier"], seats=fields["seats"],
                  blob=blob, kid=blob_kid(blob))


def _extend(tx: Transaction, lic: License, through: date, signer: Signer) -> License | None:
    """Move `lic`'s window to end at `through` (and its expiry, for an expiring tier); None
    when the window already reaches it or the license has lifetime updates."""
    if lic.updates_until is None or through <= date.fromisoformat(lic.updates_until):
        return None
    policy = "expires" if lic.expires is not None else "updates"
    expires = expiry_for(policy, through)
    return _resign(tx, lic, signer, updates_until=through.isoformat(),
                   expires=expires.isoformat() if expires else None)


def _record_payment(tx: Transaction, event: SubscriptionEvent, before: License | None,
                    after: License | None, through: date | None, now: datetime) -> None:
    changed = after is not None and before is not None and after.blob != before.blob
    tx.one("insert_subscription_payment", source=event.source, payment_id=event.order_id,
           subscription_id=event.subscription_id, license_id=before.id if before else None,
           paid_on=event.occurred_on.isoformat(),
           paid_through=through.isoformat() if through else None,
           period_months=event.period_months,
           previous_updates_until=before.updates_until if changed else None,
           updates_until=(after or before).updates_until if before else None,
           previous_blob=before.blob if changed else None, amount_minor=event.amount_minor,
           currency=event.currency, mailed=changed, now=now)


def apply_pending(tx: Transaction, sub: Subscription, lic: License, signer: Signer,
                  now: datetime) -> tuple[License, int]:
    """Apply the payments that arrived before `sub` had a license, oldest first; returns the
    license as it is now and how many periods moved its window (one mail covers them all)."""
    moved = 0
    for payment in tx.many("pending_subscription_payments", source=sub.source,
                           subscription_id=sub.subscription_id):
        through = paid_through_of(date.fromisoformat(payment.paid_on),
                                  date.fromisoformat(payment.paid_through)
                                  if payment.paid_through else None,
                                  payment.period_months or sub.period_months)
        extended = _extend(tx, lic, through, signer) if through else None
        tx.exec("apply_subscription_payment", id=payment.id, license_id=lic.id,
                paid_through=through.isoformat() if through else None,
                previous_updates_until=lic.updates_until if extended else None,
                updates_until=(extended or lic).updates_until,
                previous_blob=lic.blob if extended else None, mailed=extended is not None)
        if extended is not None:
            lic, moved = extended, moved + 1
    return lic, moved


def link_order(tx: Transaction, source: str, order_id: str, lic: License, signer: Signer,
               now: datetime) -> License:
    """After a sale minted `lic`: when a subscription already named this order as its first
    (it arrived before the order), link it and apply its waiting payments; returns the license
    as it is now (its mail is the sale's own, queued by the caller after this)."""
    sub = tx.one("subscription_by_first_order", source=source, order_id=order_id)
    if sub is None or sub.license_id is not None:
        return lic
    sub = _link(tx, sub, lic, now)
    lic, _ = apply_pending(tx, sub, lic, signer, now)
    return lic


def apply_subscription(tx: Transaction, event: SubscriptionEvent, signer: Signer,
                       now: datetime) -> Applied:
    """Act on one subscription event inside the caller's transaction (see the module's rules).

    Outcomes: minted, minted_from_renewal, renewed, period_already_covered, duplicate,
    renewal_not_needed, payment_before_license, period_unknown, subscription_linked,
    subscription_before_order, tier_changed, subscription_updated, subscription_cancelled,
    subscription_resumed, payment_failed, subscription_ended. Raises StorageError when the
    database fails (the caller's transaction rolls back).
    """
    lock_subscription(tx, event.source, event.subscription_id)
    sub = _subscription(tx, event, now)
    if sub.first_order_id:
        # The order's own lock too: a sale of that order links this subscription under it.
        tx.exec("lock_order", source=event.source, order_id=sub.first_order_id)
    lic = tx.one("license_by_id", id=sub.license_id) if sub.license_id else None
    if lic is None and sub.first_order_id:
        lic = tx.one("license_by_order", source=event.source, order_id=sub.first_order_id)
        if lic is not None:
            sub = _link(tx, sub, lic, now)
            lic, moved = apply_pending(tx, sub, lic, signer, now)
            if moved:
                queue_license_mail(tx, lic, now, purpose="renewal")
                if event.action == "linked":
                    return Applied("renewed", lic, f"{moved} earlier payment(s) applied: "
                                   f"updates until {lic.updates_until}", True)
    if event.action == "payment":
        return _payment(tx, event, sub, lic, signer, now)
    if event.action == "linked":
        if lic is None:
            return Applied("subscription_before_order", None,
                           f"its order {sub.first_order_id} has not arrived yet", False)
        return Applied("subscription_linked", lic, f"subscription {sub.subscription_id}", False)
    if event.action == "changed" or (event.action == "resumed" and event.tier is not None):
        changed = _change_tier(tx, event, lic, signer, now)
        if event.action == "resumed":
            tx.one("set_subscription_status", id=sub.id, status="active", ends_on=None, now=now)
        if changed is not None:
            return changed
    if event.action in STATUSES:
        ends_on = (event.ends_on.isoformat() if event.ends_on
                   else lic.updates_until if lic and event.action == "cancelled" else None)
        tx.one("set_subscription_status", id=sub.id, status=STATUSES[event.action],
               ends_on=ends_on if event.action == "cancelled" else None, now=now)
        detail = event.detail or None
        if event.action == "cancelled":
            detail = f"the license stays as it is; paid until {ends_on or 'unknown'}"
        return Applied(STATUS_OUTCOMES[event.action], lic, detail, False)
    return Applied("subscription_updated", lic, event.detail or None, False)


def _change_tier(tx: Transaction, event: SubscriptionEvent, lic: License | None,
                 signer: Signer, now: datetime) -> Applied | None:
    """Sign the license again with the event's tier and seats; None when they are the same."""
    if lic is None or event.tier is None or event.seats is None:
        return None
    if (lic.tier, lic.seats) == (event.tier, event.seats):
        return None
    before = lic
    lic = _resign(tx, lic, signer, tier=event.tier, seats=event.seats)
    queue_license_mail(tx, lic, now, purpose="renewal")
    return Applied("tier_changed", lic, f"{before.tier} × {before.seats} → {lic.tier} × "
                   f"{lic.seats}", True)


def _payment(tx: Transaction, event: SubscriptionEvent, sub: Subscription,
             lic: License | None, signer: Signer, now: datetime) -> Applied:
    if tx.one("subscription_payment_by_id", source=event.source,
              payment_id=event.order_id) is not None:
        return Applied("duplicate", lic, None, False)
    period = event.period_months or sub.period_months
    through = paid_through_of(event.occurred_on, event.paid_through, period)
    if lic is None and event.sale is not None and not event.initial:
        # A later charge of a subscription this daemon has not seen start: its license may be
        # one sold before subscriptions were kept (an older daemon minted it from the first
        # charge). Extended and flagged rather than minted a second time.
        known = tx.one("unlinked_license_for_buyer", source=event.source,
                       email=event.sale.email, product_key=event.sale.product_key,
                       issued=event.occurred_on.isoformat())
        if known is not None:
            sub = _link(tx, sub, known, now)
            extended = _extend(tx, known, through, signer) if through else None
            _record_payment(tx, event, known, extended, through, now)
            if extended is not None:
                queue_license_mail(tx, extended, now, purpose="renewal")
            return Applied("renewed_by_address", extended or known,
                           f"license {known.lid} (order {known.order_id}) has no subscription "
                           f"yet: linked to {sub.subscription_id} by the buyer's address; "
                           f"updates until {(extended or known).updates_until}",
                           extended is not None)
    if lic is None and event.sale is not None:
        minted = mint_from_sale(tx, event.sale, signer, now)
        lic = minted.license
        sub = _link(tx, sub, lic, now)
        if minted.created and through is not None:
            # The storefront's own period end (Stripe) rules over products.toml's months.
            lic = _extend(tx, lic, through, signer) or lic
        if not minted.created:  # its sale was delivered before as a plain sale: now linked
            _record_payment(tx, event, lic, lic, through, now)
            return Applied("subscription_linked", lic, f"subscription {sub.subscription_id}",
                           False)
        _record_payment(tx, event, lic, lic, through, now)
        lic, _ = apply_pending(tx, sub, lic, signer, now)
        queue_license_mail(tx, lic, now)
        if event.initial:
            return Applied("minted", lic, event.detail or None, True)
        return Applied("minted_from_renewal", lic, "the first payment of this subscription has "
                       "not arrived: minted from this one", True)
    if lic is None:
        _record_payment(tx, event, None, None, event.paid_through, now)
        return Applied("payment_before_license", None, "kept: applied when the subscription's "
                       "order arrives", False)
    if sub.status == "past_due":  # a retried charge went through
        tx.one("set_subscription_status", id=sub.id, status="active", ends_on=None, now=now)
    if through is None:
        _record_payment(tx, event, lic, lic, None, now)
        return Applied("period_unknown", lic, "the storefront named no period and products.toml "
                       "maps none for this subscription", False)
    extended = _extend(tx, lic, through, signer)
    _record_payment(tx, event, lic, extended, through, now)
    if extended is None:
        if lic.updates_until is None:
            return Applied("renewal_not_needed", lic, "the license has lifetime updates", False)
        return Applied("period_already_covered", lic, f"paid through {through}; updates until "
                       f"{lic.updates_until} already", False)
    queue_license_mail(tx, extended, now, purpose="renewal")
    return Applied("renewed", extended, f"updates until {lic.updates_until} → "
                   f"{extended.updates_until}", True)


def refund_of_renewal_charge(tx: Transaction, event: RefundEvent) -> Applied | None:
    """A refund of a subscription's later charge (Gumroad refunds by the charge's sale_id):
    the license the other periods paid for is not revoked; the refund is recorded and flagged
    for the operator. None when the refunded order is not such a charge (a license's own order
    is refunded as any sale)."""
    payment = tx.one("subscription_payment_by_id", source=event.source, payment_id=event.order_id)
    if payment is None or payment.license_id is None or tx.one(
            "license_by_order", source=event.source, order_id=event.order_id) is not None:
        return None
    return Applied("subscription_payment_refunded", tx.one("license_by_id", id=payment.license_id),
                   f"{event.reason}: a renewal charge of subscription {payment.subscription_id}",
                   False)
