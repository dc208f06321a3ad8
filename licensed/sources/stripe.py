"""Stripe's webhooks, without the Stripe SDK: paid Checkout Sessions → sales, `charge.refunded`
→ refunds (full or partial), `charge.dispute.*` → disputes; other event types are recorded.

Wire facts (shared/reference/licensing-and-storefronts.md §4; stripe/stripe-python
`stripe/_webhook.py`; docs.stripe.com/checkout/fulfillment): `Stripe-Signature: t=<unix>,
v1=<hex>[,v1=…]`, each v1 the hex HMAC-SHA256 of `"{t}.{raw body}"` keyed with the whole
`whsec_…` secret, any v1 may match, `t` older than 300 s is refused; a session is fulfilled
only when `payment_status` is `paid` (or `no_payment_required`), on `checkout.session.completed`
or `checkout.session.async_payment_succeeded`; `charge.refunded` has `refunded=true` only when
fully refunded, `amount_refunded` is the running total.

Orders are keyed by the session's payment intent (`pi_…`), the one id the session, its charge,
refunds and disputes all carry — so a refund racing its sale locks the same order — and by the
session id when there is no payment intent (a free session). The products.toml key is the
price id: from the session's `line_items` when the event carries them, else its
`metadata.price_id` (Payment Links copy their metadata onto each session).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from licensed.events import DisputeEvent, Event, IgnoredEvent, RefundEvent, RenewalEvent, SaleEvent
from licensed.products import Catalog
from licensed.sources import license_id_in
from licensed.sources.jsonbody import (address, iso_date, json_object, member, minor_units,
                                       need_order, text)

TOLERANCE_SECONDS = 300
_PAID = {"paid", "no_payment_required"}
_SESSION_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}


def signature_valid(body: bytes, header: str | None, secret: bytes, now: float,
                    tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether `Stripe-Signature` signs `body` under `secret` and is at most `tolerance` seconds
    old at `now` (Unix seconds). Any v1 may match (secret rolls); v0 and others are ignored."""
    if not header:
        return False
    timestamp, signatures = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1" and value:
            signatures.append(value.encode("ascii", "replace"))
    # isascii: str.isdigit() also takes "²" and "٣", which int() and .encode("ascii") refuse.
    if timestamp is None or not (timestamp.isascii() and timestamp.isdigit()) or not signatures:
        return False
    expected = hmac.new(secret, timestamp.encode("ascii") + b"." + body,
                        hashlib.sha256).hexdigest().encode("ascii")
    # compare_digest for every candidate: no early exit that would time the position.
    matched = [hmac.compare_digest(candidate, expected) for candidate in signatures]
    return any(matched) and int(timestamp) >= now - tolerance


def order_key(obj: object) -> str | None:
    """The order id of a session, charge or dispute: its payment intent, else its own id."""
    intent = member(obj, "payment_intent")
    if isinstance(intent, dict):  # expanded
        intent = intent.get("id")
    return str(intent) if intent else text(obj, "id", required=False)


def price_ids(session: object) -> list[tuple[str, int]]:
    """(price id, quantity) of each line item, or of `metadata.price_id` when none are given."""
    items = member(session, "line_items", "data")
    found = []
    if isinstance(items, list):
        for item in items:
            price = text(item, "price", "id", required=False)
            if price:
                found.append((price, minor_units(item, "quantity", default=1) or 1))
    if not found:
        price = text(session, "metadata", "price_id", required=False)
        if price:
            found.append((price, 1))
    return found


def custom_texts(session: object) -> list[str]:
    """Everything a buyer or seller may have put a license id into: metadata and custom fields."""
    values = [str(v) for v in (member(session, "metadata") or {}).values()]
    for field in member(session, "custom_fields") or []:
        values.append(str(member(field, "text", "value") or ""))
    return values


class StripeAdapter:
    name = "stripe"

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> Event:
        data = json_object(body)
        kind = text(data, "type")
        obj = member(data, "data", "object")
        order_id = order_key(obj)
        if kind in _SESSION_EVENTS:
            return self._session(obj, order_id, catalog, today)
        if kind == "charge.refunded":
            full = member(obj, "refunded") is True
            amount = minor_units(obj, "amount_refunded", default=None)
            return RefundEvent(self.name, need_order(order_id), "refunded at Stripe" if full else
                               "partially refunded at Stripe (amount: the refunds so far)",
                               full=full, amount_minor=amount,
                               currency=(text(obj, "currency", required=False) or "").upper() or None)
        if kind == "charge.dispute.created":
            return DisputeEvent(self.name, need_order(order_id), "opened",
                                f"dispute opened at Stripe ({text(obj, 'reason', required=False)})")
        if kind == "charge.dispute.closed":
            status = text(obj, "status", required=False)
            if status == "lost":
                return DisputeEvent(self.name, need_order(order_id), "lost", "dispute lost at Stripe")
            if status in ("won", "warning_closed"):
                return DisputeEvent(self.name, need_order(order_id), "won", f"dispute {status} at Stripe")
        return IgnoredEvent(self.name, order_id, "ignored_event",
                            f"Stripe event {kind!r} is recorded, not acted on")

    def _session(self, session: object, order_id: str | None, catalog: Catalog,
                 today: date) -> Event:
        status = text(session, "payment_status", required=False)
        if status not in _PAID:
            # Delayed payment methods: fulfilled on checkout.session.async_payment_succeeded.
            return IgnoredEvent(self.name, order_id, "not_paid", f"payment_status {status!r}")
        prices = price_ids(session)
        product, quantity = None, 1
        for price, count in prices:
            product, quantity = catalog.find(price), count
            if product is not None:
                break
        if product is None:
            named = ", ".join(repr(p) for p, _ in prices) or "no price id"
            return IgnoredEvent(self.name, order_id, "unknown_product",
                                f"no entry in products.toml for {named}")
        email = address(session, "customer_details", "email")
        amount = minor_units(session, "amount_total") or 0
        currency = (text(session, "currency") or "").upper()
        test = member(session, "livemode") is False
        purchased = iso_date(member(session, "created"), today)
        if product.renewal:
            assert product.updates_months is not None
            return RenewalEvent(
                source=self.name, order_id=need_order(order_id), product_key=product.key,
                lid=license_id_in(*custom_texts(session)), email=email,
                months=product.updates_months * quantity, amount_minor=amount,
                currency=currency, test=test, purchased_on=purchased)
        offer = product.offer([])
        if offer is None:
            return IgnoredEvent(self.name, order_id, "unknown_variant",
                                f"{product.key!r} maps variants; a Stripe price is one variant")
        return SaleEvent(
            source=self.name, order_id=need_order(order_id), product_key=product.key, tier=offer.tier,
            seats=offer.seats * quantity, updates_months=offer.updates_months,
            name=text(session, "customer_details", "name", required=False) or email,
            email=email, amount_minor=amount, currency=currency,
            offer_code=text(session, "metadata", "discount_code", required=False),
            test=test, purchased_on=purchased,
        )
