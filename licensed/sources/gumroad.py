"""Gumroad's Ping: form-encoded (or JSON) sales, refunds, disputes, gifts and renewals → events.

Wire facts (gumroad.com/ping; antiwork/gumroad
`app/modules/purchase/ping_notification.rb`): `price` is the total in USD cents whatever
`currency` says; `test=true` only when the seller buys; a refund arrives with the same `sale_id`
as its sale and `resource_name=refund`, with `refunded=true` only when it is full (a partial
refund says `refunded=false` and carries no amount); `dispute` and `dispute_won` are resources
of their own; a gift receiver's Ping has `price=0`, the amount in `gift_price` and the payer in
`gifter_email`; variants come as `variants[<category>]=<option>`.

Memberships (Gumroad's Ping docs, gumroad.com/ping, and its resource subscriptions, gumroad.com
/api#resource-subscriptions; antiwork/gumroad `app/modules/purchase/ping_notification.rb`):
every charge of a membership is a `sale` with a new `sale_id` and the same `subscription_id` —
the id that stays across renewals — with `recurrence` (monthly, quarterly, biannually, yearly,
every_two_years) and `is_recurring_charge=true` on every charge after the first. The
resources `cancellation` (`cancelled_at`), `subscription_ended` (`ended_at`, `ended_reason`:
cancelled, failed_payment, fixed_subscription_period_ended), `subscription_restarted`
(`restarted_at`) and `subscription_updated` (`type` upgrade/downgrade, `effective_as_of`,
`old_plan` / `new_plan` with `tier[name]`, `recurrence`, `quantity`) carry `subscription_id`,
`product_id`, `user_email` and no `sale_id`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import parse_qsl

from licensed.errors import BadRequest
from licensed.events import (DisputeEvent, Event, IgnoredEvent, RefundEvent, RenewalEvent, SaleEvent,
                             SubscriptionEvent)
from licensed.products import Catalog, Product
from licensed.sources import license_id_in, valid_email

# Resources recorded but not acted on: anything not named here or in SUBSCRIPTION_RESOURCES.
_SALE_RESOURCES = {"sale", ""}
# A membership's resources → (action, the field holding when it happened).
SUBSCRIPTION_RESOURCES = {
    "cancellation": ("cancelled", "cancelled_at"),
    "subscription_ended": ("ended", "ended_at"),
    "subscription_restarted": ("resumed", "restarted_at"),
    "subscription_updated": ("changed", "effective_as_of"),
}
# Gumroad's `recurrence` → the months one charge pays for.
RECURRENCE_MONTHS = {"monthly": 1, "quarterly": 3, "biannually": 6, "yearly": 12,
                     "every_two_years": 24}


def parse_fields(body: bytes, content_type: str) -> dict[str, str]:
    """The Ping's fields as text, decoded as UTF-8 (never Bottle's latin-1 forms). A JSON Ping's
    nested objects are flattened the way the form encoding spells them: `variants[Tier]`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8", code="invalid_payload") from None
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nested past Python's limit
            raise BadRequest("the body is not valid JSON", code="invalid_payload") from None
        if not isinstance(data, dict):
            raise BadRequest("the JSON body is not an object", code="invalid_payload")
        fields: dict[str, str] = {}
        _flatten(data, "", fields)
        return fields
    return dict(parse_qsl(text, keep_blank_values=True))


def _flatten(data: dict, prefix: str, fields: dict[str, str], depth: int = 0) -> None:
    """`{"new_plan": {"tier": {"name": "Pro"}}}` → `new_plan[tier][name]=Pro`, as the form
    encoding spells it (three levels deep at most; lists are skipped)."""
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict):
            if depth < 3:
                _flatten(value, name, fields, depth + 1)
        elif not isinstance(value, list):
            fields[name] = _as_text(value)


def seller_of(body: bytes, content_type: str) -> str | None:
    """The Ping's `seller_id`, or None when the body has none or cannot be read."""
    try:
        return parse_fields(body, content_type).get("seller_id") or None
    except BadRequest:
        return None


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _required(fields: dict[str, str], name: str) -> str:
    value = fields.get(name, "").strip()
    if not value:
        raise BadRequest(f"the Ping has no {name}", code="invalid_payload")
    return value


def _whole_number(fields: dict[str, str], name: str, default: int, minimum: int) -> int:
    raw = fields.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} is not a whole number: {raw[:20]!r}", code="invalid_payload") from None
    if value < minimum:
        raise BadRequest(f"{name} must be at least {minimum}", code="invalid_payload")
    return value


def _purchase_date(fields: dict[str, str], today: date) -> date:
    try:
        return datetime.fromisoformat(fields.get("sale_timestamp", "").strip()).date()
    except ValueError:
        return today


def _email(fields: dict[str, str], name: str) -> str:
    email = _required(fields, name)
    if not valid_email(email):
        raise BadRequest(f"{name} is not one plain address: {email[:60]!r}", code="invalid_payload")
    return email


def variant_names(fields: dict[str, str]) -> list[str]:
    """The options bought, in the Ping's order: `variants[Tier]=Team (5 seats)` → "Team (5 seats)"."""
    return [value.strip() for key, value in fields.items()
            if key.startswith("variants[") and value.strip()]


class GumroadAdapter:
    name = "gumroad"

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> Event:
        fields = parse_fields(body, content_type)
        resource = fields.get("resource_name", "").strip()
        if resource in SUBSCRIPTION_RESOURCES:
            return self._subscription_change(fields, resource, catalog, today)
        order_id = _required(fields, "sale_id")
        refunded = fields.get("refunded") == "true"
        if resource == "refund" or refunded:
            if refunded:
                return RefundEvent(self.name, order_id, "refunded at Gumroad")
            # Gumroad sends resource_name=refund with refunded=false for a partial refund and
            # no amount at all: recorded and flagged, the license stays (issue 16, item 2).
            return RefundEvent(self.name, order_id, "partially refunded at Gumroad (the Ping "
                               "carries no amount; see the sale in Gumroad)", full=False,
                               amount_minor=None, currency="USD")
        if resource == "dispute":
            return DisputeEvent(self.name, order_id, "opened", "dispute opened at Gumroad")
        if resource == "dispute_won":
            return DisputeEvent(self.name, order_id, "won", "dispute won at Gumroad")
        if resource not in _SALE_RESOURCES:
            return IgnoredEvent(self.name, order_id, "ignored_resource",
                                f"Gumroad resource {resource!r} is recorded, not acted on")
        permalink = fields.get("product_permalink", "").rstrip("/").rsplit("/", 1)[-1]
        candidates = [permalink, fields.get("permalink"), fields.get("short_product_id"),
                      fields.get("product_id")]
        product = catalog.find(*candidates)
        if product is None:
            named = ", ".join(repr(c) for c in candidates if c) or "no product id"
            return IgnoredEvent(self.name, order_id, "unknown_product",
                                f"no entry in products.toml for {named}")
        if product.renewal:
            return self._renewal(fields, order_id, product, today)
        sale = self._sale(fields, order_id, product, today)
        subscription_id = fields.get("subscription_id", "").strip()
        if not subscription_id or not isinstance(sale, SaleEvent):
            return sale
        # A membership's charge: the first one mints, every later one extends the same license.
        return SubscriptionEvent(
            source=self.name, order_id=order_id, subscription_id=subscription_id,
            action="payment", occurred_on=sale.purchased_on, sale=sale,
            period_months=sale.updates_months,
            initial=fields.get("is_recurring_charge") != "true",
            amount_minor=sale.amount_minor, currency=sale.currency, test=sale.test)

    def _paid(self, fields: dict[str, str]) -> tuple[int, str | None]:
        """(amount paid in USD cents, payer's address when it is a gift)."""
        if fields.get("is_gift_receiver_purchase") == "true":
            return (_whole_number(fields, "gift_price", default=0, minimum=0),
                    _email(fields, "gifter_email") if fields.get("gifter_email") else None)
        return _whole_number(fields, "price", default=0, minimum=0), None

    def _sale(self, fields: dict[str, str], order_id: str, product: Product,
              today: date) -> Event:
        email = _email(fields, "email")
        names = variant_names(fields)
        variant = " / ".join(names) or None
        offer = product.offer(names)
        if offer is None:
            known = ", ".join(repr(v) for v in product.variants)
            return IgnoredEvent(self.name, order_id, "unknown_variant",
                                f"variant {variant or '(none)'!r} of {product.key!r} is not in "
                                f"products.toml (it maps {known}); nothing minted")
        quantity = _whole_number(fields, "quantity", default=1, minimum=1)
        amount, payer = self._paid(fields)
        months = offer.updates_months
        if fields.get("subscription_id", "").strip() and months is not None:
            # A membership charge pays for its own recurrence, whatever products.toml says.
            months = RECURRENCE_MONTHS.get(fields.get("recurrence", "").strip(), months)
        return SaleEvent(
            source=self.name, order_id=order_id, product_key=product.key, tier=offer.tier,
            seats=offer.seats * quantity, updates_months=months, policy=offer.subscription,
            name=fields.get("full_name", "").strip() or email, email=email,
            amount_minor=amount,
            # Gumroad reports `price` in USD cents even when the product's currency differs.
            currency="USD",
            offer_code=fields.get("offer_code", "").strip() or None,
            test=fields.get("test") == "true",
            purchased_on=_purchase_date(fields, today), variant=variant, payer_email=payer,
        )

    def _renewal(self, fields: dict[str, str], order_id: str, product: Product,
                 today: date) -> RenewalEvent:
        custom = [v for k, v in fields.items() if k.startswith("custom_fields[")]
        assert product.updates_months is not None, "a renewal product has updates_months"
        amount, _ = self._paid(fields)
        return RenewalEvent(
            source=self.name, order_id=order_id, product_key=product.key,
            lid=license_id_in(*custom), email=_email(fields, "email"),
            months=product.updates_months * _whole_number(fields, "quantity", 1, 1),
            amount_minor=amount, currency="USD", test=fields.get("test") == "true",
            purchased_on=_purchase_date(fields, today),
        )

    def _subscription_change(self, fields: dict[str, str], resource: str, catalog: Catalog,
                             today: date) -> SubscriptionEvent:
        """A membership's cancellation, end, restart or tier change (no sale_id: the event is
        keyed by the subscription, the resource and when it happened)."""
        subscription_id = _required(fields, "subscription_id")
        action, when_field = SUBSCRIPTION_RESOURCES[resource]
        when = fields.get(when_field, "").strip()
        try:
            occurred = datetime.fromisoformat(when.replace("Z", "+00:00")).date()
        except ValueError:
            occurred = today
        tier = seats = None
        detail = ""
        if resource == "subscription_ended":
            reason = fields.get("ended_reason", "").strip() or "no reason given"
            detail = f"ended at Gumroad ({reason})"
        if resource == "subscription_updated":
            tier_name = fields.get("new_plan[tier][name]", "").strip()
            product = (catalog.find(fields.get("product_id"), fields.get("short_product_id"),
                                    fields.get("permalink")) or catalog.by_variant(tier_name))
            offer = product.offer([tier_name] if tier_name else []) if product else None
            if offer is not None:
                tier = offer.tier
                seats = offer.seats * _whole_number(fields, "new_plan[quantity]", 1, 1)
            detail = (f"{fields.get('type', '').strip() or 'change'} to "
                      f"{tier_name or 'an unnamed tier'}" +
                      ("" if offer else " (not in products.toml: the license stays as it is)"))
        return SubscriptionEvent(
            source=self.name, order_id=f"{subscription_id}/{resource}/{when or today}",
            subscription_id=subscription_id, action=action, occurred_on=occurred, tier=tier,
            seats=seats, detail=detail)
