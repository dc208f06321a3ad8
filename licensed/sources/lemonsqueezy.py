"""Lemon Squeezy's webhooks: `order_created` → sale, `order_refunded` → refund (full or partial),
`subscription_*` → the subscription's events.

Wire facts (docs.lemonsqueezy.com/help/webhooks/signing-requests; docs.lemonsqueezy.com/help/
webhooks): `X-Signature` is the hex HMAC-SHA256 of the raw body keyed with the signing secret;
the body is JSON:API `{meta: {event_name, custom_data}, data: {type: "orders", id, attributes:
{user_email, user_name, currency, total, status, refunded, refunded_amount, first_order_item:
{product_id, variant_id, variant_name, quantity}, test_mode}}}`; amounts are cents of the
order's currency; `order_refunded` fires for partial refunds too (`refunded` is then false).
The products.toml key is the variant id.

Subscriptions (docs.lemonsqueezy.com/help/webhooks/event-types, …/api/subscriptions,
…/api/subscription-invoices): a subscription's first order arrives as `order_created` (no
subscription id in it), then `subscription_created` (`data.type` "subscriptions", `data.id` =
the subscription id, which stays across renewals; `attributes.order_id` names that first order,
`variant_id` its variant, `renews_at`, `ends_at`). Each charge is `subscription_payment_success`
(`data.type` "subscription-invoices", `data.id` = the invoice id; `attributes.subscription_id`,
`billing_reason` initial / renewal / updated, `total`, `currency`, `created_at`); it names no
variant and no period, so a payment buys the months products.toml gives the subscription's
variant (`updates_months`). `subscription_payment_failed`, `subscription_cancelled` (`ends_at`:
the end of the paid period), `subscription_resumed`, `subscription_expired`,
`subscription_paused` / `subscription_unpaused` and `subscription_updated` (`variant_id` after
a plan change) carry the subscription as `data`.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from licensed.events import (Event, IgnoredEvent, RefundEvent, RenewalEvent, SaleEvent,
                             SubscriptionEvent)
from licensed.products import Catalog
from licensed.sources import license_id_in
from licensed.sources.jsonbody import (address, iso_date, json_object, member, minor_units,
                                       need_order, text)


def signature_valid(body: bytes, signature: str | None, secret: bytes) -> bool:
    """Whether `X-Signature` is the hex HMAC-SHA256 of the raw `body` under `secret`
    (constant-time; checked before the body is parsed)."""
    if not signature:
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature.strip().lower().encode("ascii", "replace"),
                               expected.encode("ascii"))


# Subscription events → what they do (licensed/subscriptions.py).
SUBSCRIPTION_EVENTS = {
    "subscription_created": "linked", "subscription_payment_success": "payment",
    "subscription_payment_failed": "payment_failed", "subscription_cancelled": "cancelled",
    "subscription_resumed": "resumed", "subscription_unpaused": "resumed",
    "subscription_expired": "ended", "subscription_updated": "changed",
    "subscription_paused": "noted", "subscription_payment_refunded": "noted",
    "subscription_payment_recovered": "noted",
}


class LemonSqueezyAdapter:
    name = "lemonsqueezy"

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> Event:
        data = json_object(body)
        event_name = text(data, "meta", "event_name")
        attributes = member(data, "data", "attributes")
        order_id = text(data, "data", "id")
        if event_name == "order_refunded":
            full = member(attributes, "refunded") is True
            amount = minor_units(attributes, "refunded_amount", default=None)
            return RefundEvent(self.name, need_order(order_id), "refunded at Lemon Squeezy" if full
                               else "partially refunded at Lemon Squeezy", full=full,
                               amount_minor=amount,
                               currency=(text(attributes, "currency", required=False) or "").upper()
                               or None)
        if event_name in SUBSCRIPTION_EVENTS:
            return self._subscription(data, event_name, attributes, catalog, today)
        if event_name != "order_created":
            return IgnoredEvent(self.name, order_id, "ignored_event",
                                f"Lemon Squeezy event {event_name!r} is recorded, not acted on")
        if text(attributes, "status", required=False) != "paid":
            return IgnoredEvent(self.name, order_id, "not_paid",
                                f"order status {text(attributes, 'status', required=False)!r}")
        variant_id = text(attributes, "first_order_item", "variant_id")
        product = catalog.find(variant_id, text(attributes, "first_order_item", "product_id",
                                                required=False))
        if product is None:
            return IgnoredEvent(self.name, order_id, "unknown_product",
                                f"no entry in products.toml for variant {variant_id!r}")
        email = address(attributes, "user_email")
        currency = (text(attributes, "currency") or "").upper()
        amount = minor_units(attributes, "total") or 0
        test = member(attributes, "test_mode") is True or member(data, "meta", "test_mode") is True
        quantity = minor_units(attributes, "first_order_item", "quantity", default=1) or 1
        purchased = iso_date(member(attributes, "created_at"), today)
        custom = member(data, "meta", "custom_data") or {}
        if product.renewal:
            assert product.updates_months is not None
            return RenewalEvent(
                source=self.name, order_id=need_order(order_id), product_key=product.key,
                lid=license_id_in(*(str(v) for v in custom.values())) if isinstance(custom, dict)
                else None, email=email, months=product.updates_months * quantity,
                amount_minor=amount, currency=currency, test=test, purchased_on=purchased)
        variant_name = text(attributes, "first_order_item", "variant_name", required=False)
        offer = product.offer([variant_name] if variant_name else [])
        if offer is None:
            return IgnoredEvent(self.name, order_id, "unknown_variant",
                                f"variant {variant_name!r} of {product.key!r} is not in products.toml")
        return SaleEvent(
            source=self.name, order_id=need_order(order_id), product_key=product.key, tier=offer.tier,
            seats=offer.seats * quantity, updates_months=offer.updates_months,
            policy=offer.subscription,
            name=text(attributes, "user_name", required=False) or email, email=email,
            amount_minor=amount, currency=currency,
            offer_code=(str(custom.get("discount_code")) if isinstance(custom, dict)
                        and custom.get("discount_code") else None),
            test=test, purchased_on=purchased, variant=variant_name,
        )

    def _subscription(self, data: dict, event_name: str, attributes: object, catalog: Catalog,
                      today: date) -> SubscriptionEvent:
        action = SUBSCRIPTION_EVENTS[event_name]
        own_id = need_order(text(data, "data", "id"))
        invoice = text(data, "data", "type", required=False) == "subscription-invoices"
        subscription_id = (text(attributes, "subscription_id") if invoice else own_id)
        assert subscription_id is not None
        occurred = iso_date(member(attributes, "created_at"), today)
        test = member(attributes, "test_mode") is True or member(data, "meta", "test_mode") is True
        reason = text(attributes, "billing_reason", required=False)
        if action == "payment" and reason not in ("initial", "renewal"):
            # `updated`: a proration charged for a plan change, not a new period.
            action = "noted"
        product = catalog.find(text(attributes, "variant_id", required=False),
                               text(attributes, "product_id", required=False))
        offer = None
        if product is not None and not product.renewal:
            name = text(attributes, "variant_name", required=False)
            offer = product.offer([name] if name else [])
        ends = member(attributes, "ends_at")
        if action == "payment":
            occurred = iso_date(member(attributes, "created_at"), today)
        elif action != "linked":
            occurred = iso_date(member(attributes, "updated_at"), today)
        return SubscriptionEvent(
            source=self.name,
            # An invoice is one payment; any other event is keyed by its name and subscription.
            order_id=own_id if invoice else f"{event_name}/{own_id}/"
                     f"{text(attributes, 'updated_at', required=False) or occurred}",
            subscription_id=subscription_id, action=action, occurred_on=occurred,
            first_order_id=text(attributes, "order_id", required=False) if not invoice else None,
            period_months=offer.updates_months if offer else None,
            initial=reason == "initial",
            ends_on=iso_date(ends, today) if ends else None,
            amount_minor=(minor_units(attributes, "total") or 0) if invoice else 0,
            currency=(text(attributes, "currency", required=False) or "").upper(),
            tier=offer.tier if offer and action in ("changed", "resumed") else None,
            seats=offer.seats if offer and action in ("changed", "resumed") else None,
            test=test, detail=f"Lemon Squeezy {event_name}"
            + (f" ({text(attributes, 'status', required=False)})" if not invoice else ""))
