"""Stripe's webhooks, without the Stripe SDK: paid Checkout Sessions → sales, `charge.refunded`
→ refunds (full or partial), `charge.dispute.*` → disputes, invoices and `customer.subscription.*`
→ the subscription's events; other event types are recorded.

Wire facts (docs.stripe.com/webhooks/signature; stripe/stripe-python
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

Subscriptions (docs.stripe.com/billing/subscriptions/webhooks, docs.stripe.com/api/invoices
/object, docs.stripe.com/api/subscriptions/object): the subscription's id (`sub_…`) stays
across renewals; its license is stored under that id as its order. A Checkout Session in
`mode: subscription` names it as `subscription`. Each paid period is an `invoice.paid` whose
`billing_reason` is `subscription_create` (the first) or `subscription_cycle` (a renewal),
with `subscription` (API versions before 2025-03-31; later ones put it in
`parent.subscription_details.subscription`), `customer_email`, `customer_name`,
`amount_paid`, `currency`, and `lines.data[].period.end` (the paid period's end, Unix seconds)
and `lines.data[].price.id` (later versions: `pricing.price_details.price`). Stripe may send
no Checkout Session at all (a subscription made in the Dashboard or by the API), so the first
invoice mints as well. `invoice.payment_failed` is a failed charge;
`customer.subscription.updated` carries `cancel_at_period_end`, `status`, the items' price and
`data.previous_attributes` (what changed); `customer.subscription.deleted` is its end.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from licensed.events import (DisputeEvent, Event, IgnoredEvent, RefundEvent, RenewalEvent, SaleEvent,
                             SubscriptionEvent)
from licensed.products import Catalog
from licensed.sources import license_id_in
from licensed.sources.jsonbody import (address, iso_date, json_object, member, minor_units,
                                       need_order, text)

TOLERANCE_SECONDS = 300
_PAID = {"paid", "no_payment_required"}
_SESSION_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
# Subscription events → what they do (licensed/subscriptions.py; docs/LICENSE-SERVER.md).
SUBSCRIPTION_EVENTS = {
    "checkout.session.completed": "payment (mode subscription: mints, with no new period)",
    "invoice.paid": "payment (subscription_create, subscription_cycle), else noted",
    "invoice.payment_failed": "payment_failed",
    "customer.subscription.updated": "cancelled, resumed, payment_failed, changed or noted",
    "customer.subscription.deleted": "ended",
}


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
            if member(obj, "mode") == "subscription" and text(obj, "subscription",
                                                              required=False):
                return self._subscription_session(obj, catalog, today)
            return self._session(obj, order_id, catalog, today)
        if kind in SUBSCRIPTION_EVENTS and kind.startswith("invoice."):
            return self._invoice(data, kind, obj, catalog, today)
        if kind in SUBSCRIPTION_EVENTS and kind.startswith("customer.subscription."):
            return self._subscription_change(data, kind, obj, catalog, today)
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

    def _offer(self, catalog: Catalog, prices: list[tuple[str, int]]):
        """(product, offer, quantity) of the first mapped price, or (None, None, 1)."""
        for price, count in prices:
            product = catalog.find(price)
            if product is not None and not product.renewal:
                return product, product.offer([]), count
        return None, None, 1

    def _sale(self, order_id: str, product, offer, quantity: int, email: str, name: str | None,
              amount: int, currency: str, test: bool, purchased: date) -> SaleEvent:
        return SaleEvent(
            source=self.name, order_id=order_id, product_key=product.key, tier=offer.tier,
            seats=offer.seats * quantity, updates_months=offer.updates_months,
            policy=offer.subscription, name=name or email, email=email, amount_minor=amount,
            currency=currency, offer_code=None, test=test, purchased_on=purchased)

    def _subscription_session(self, session: object, catalog: Catalog,
                              today: date) -> Event:
        """A paid Checkout Session that started a subscription: mints its license, unless the
        first invoice did already."""
        subscription_id = text(session, "subscription")
        assert subscription_id is not None
        status = text(session, "payment_status", required=False)
        if status not in _PAID:
            return IgnoredEvent(self.name, subscription_id, "not_paid", f"payment_status {status!r}")
        product, offer, quantity = self._offer(catalog, price_ids(session))
        if product is None or offer is None:
            named = ", ".join(repr(p) for p, _ in price_ids(session)) or "no price id"
            return IgnoredEvent(self.name, subscription_id, "unknown_product",
                                f"no entry in products.toml for {named}")
        purchased = iso_date(member(session, "created"), today)
        amount = minor_units(session, "amount_total") or 0
        currency = (text(session, "currency") or "").upper()
        test = member(session, "livemode") is False
        sale = self._sale(subscription_id, product, offer, quantity,
                          address(session, "customer_details", "email"),
                          text(session, "customer_details", "name", required=False),
                          amount, currency, test, purchased)
        return SubscriptionEvent(
            source=self.name, order_id=need_order(text(session, "id", required=False)),
            subscription_id=subscription_id, action="payment", occurred_on=purchased, sale=sale,
            period_months=offer.updates_months, initial=True, amount_minor=0,
            currency=currency, test=test, detail="Checkout Session (its first invoice is the payment)")

    def _invoice(self, data: dict, kind: str, invoice: object, catalog: Catalog,
                 today: date) -> Event:
        invoice_id = need_order(text(invoice, "id", required=False))
        subscription_id = (text(invoice, "subscription", required=False) or
                           text(invoice, "parent", "subscription_details", "subscription",
                                required=False))
        if not subscription_id:
            return IgnoredEvent(self.name, invoice_id, "ignored_event",
                                f"Stripe {kind} for an invoice of no subscription")
        lines = member(invoice, "lines", "data")
        lines = [line for line in lines if isinstance(line, dict)] if isinstance(lines, list) else []
        prices = []
        period_end = None
        for line in lines:
            price = (text(line, "price", "id", required=False)
                     or text(line, "pricing", "price_details", "price", required=False))
            if price:
                prices.append((price, minor_units(line, "quantity", default=1) or 1))
            end = member(line, "period", "end")
            if isinstance(end, int) and not isinstance(end, bool):
                period_end = max(period_end or end, end)
        occurred = iso_date(member(invoice, "status_transitions", "paid_at")
                            or member(invoice, "created"), today)
        currency = (text(invoice, "currency", required=False) or "").upper()
        test = member(invoice, "livemode") is False
        reason = text(invoice, "billing_reason", required=False)
        if kind == "invoice.payment_failed":
            return SubscriptionEvent(self.name, invoice_id, subscription_id, "payment_failed",
                                     occurred, currency=currency, test=test,
                                     detail=f"Stripe invoice {invoice_id} not paid")
        if reason not in ("subscription_create", "subscription_cycle"):
            return SubscriptionEvent(self.name, invoice_id, subscription_id, "noted", occurred,
                                     currency=currency, test=test,
                                     detail=f"Stripe invoice paid ({reason}): no new period")
        product, offer, quantity = self._offer(catalog, prices)
        sale = None
        email = text(invoice, "customer_email", required=False)
        if product is not None and offer is not None and email:
            sale = self._sale(subscription_id, product, offer, quantity,
                              address(invoice, "customer_email"),
                              text(invoice, "customer_name", required=False),
                              minor_units(invoice, "amount_paid") or 0, currency, test, occurred)
        return SubscriptionEvent(
            source=self.name, order_id=invoice_id, subscription_id=subscription_id,
            action="payment", occurred_on=occurred, sale=sale,
            paid_through=iso_date(period_end, today) if period_end else None,
            period_months=offer.updates_months if offer else None,
            initial=reason == "subscription_create",
            amount_minor=minor_units(invoice, "amount_paid") or 0, currency=currency, test=test)

    def _subscription_change(self, data: dict, kind: str, sub: object, catalog: Catalog,
                             today: date) -> SubscriptionEvent:
        subscription_id = need_order(text(sub, "id", required=False))
        event_id = text(data, "id", required=False) or f"{kind}/{subscription_id}"
        occurred = iso_date(member(data, "created"), today)
        previous = member(data, "data", "previous_attributes") or {}
        previous = previous if isinstance(previous, dict) else {}
        items = member(sub, "items", "data")
        items = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
        period_end = member(sub, "current_period_end") or next(
            (member(item, "current_period_end") for item in items
             if member(item, "current_period_end")), None)
        ends = iso_date(period_end, today) if period_end else None
        status = text(sub, "status", required=False)
        if kind == "customer.subscription.deleted":
            return SubscriptionEvent(self.name, event_id, subscription_id, "ended", occurred,
                                     detail=f"Stripe subscription ended ({status})")
        prices = [(text(item, "price", "id", required=False) or "",
                   minor_units(item, "quantity", default=1) or 1) for item in items]
        _, offer, quantity = self._offer(catalog, [p for p in prices if p[0]])
        tier = seats = None
        if "items" in previous and offer is not None:
            tier, seats = offer.tier, offer.seats * quantity
        action, detail = "noted", f"Stripe subscription updated ({status})"
        if member(sub, "cancel_at_period_end") is True and previous.get("cancel_at_period_end") is False:
            action, detail = "cancelled", ""
        elif member(sub, "cancel_at_period_end") is False and previous.get("cancel_at_period_end") is True:
            action, detail = "resumed", "Stripe subscription no longer cancels at the period's end"
        elif status in ("past_due", "unpaid") and previous.get("status") not in (None, status):
            action, detail = "payment_failed", f"Stripe subscription {status}"
        elif tier is not None:
            action, detail = "changed", "Stripe subscription's price changed"
        return SubscriptionEvent(self.name, event_id, subscription_id, action, occurred,
                                 ends_on=ends, tier=tier, seats=seats, detail=detail)
