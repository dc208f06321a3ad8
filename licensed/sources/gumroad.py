"""Gumroad's Ping: form-encoded (or JSON) sales, refunds, disputes, gifts and renewals → events.

Wire facts (shared/reference/licensing-and-storefronts.md §3, antiwork/gumroad
`app/modules/purchase/ping_notification.rb`): `price` is the total in USD cents whatever
`currency` says; `test=true` only when the seller buys; a refund arrives with the same `sale_id`
as its sale and `resource_name=refund`, with `refunded=true` only when it is full (a partial
refund says `refunded=false` and carries no amount); `dispute` and `dispute_won` are resources
of their own; a gift receiver's Ping has `price=0`, the amount in `gift_price` and the payer in
`gifter_email`; variants come as `variants[<category>]=<option>`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import parse_qsl

from licensed.errors import BadRequest
from licensed.events import DisputeEvent, Event, IgnoredEvent, RefundEvent, RenewalEvent, SaleEvent
from licensed.products import Catalog, Product
from licensed.sources import license_id_in, valid_email

# Resources recorded but not acted on (cancellation, subscription_* …): anything else.
_SALE_RESOURCES = {"sale", ""}


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
        for key, value in data.items():
            if isinstance(value, dict):
                fields.update({f"{key}[{inner}]": _as_text(v) for inner, v in value.items()
                               if not isinstance(v, (dict, list))})
            elif not isinstance(value, list):
                fields[key] = _as_text(value)
        return fields
    return dict(parse_qsl(text, keep_blank_values=True))


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
        order_id = _required(fields, "sale_id")
        resource = fields.get("resource_name", "").strip()
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
        return self._sale(fields, order_id, product, today)

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
        return SaleEvent(
            source=self.name, order_id=order_id, product_key=product.key, tier=offer.tier,
            seats=offer.seats * quantity, updates_months=offer.updates_months,
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
