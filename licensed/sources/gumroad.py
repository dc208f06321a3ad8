"""Gumroad's Ping: form-encoded (or JSON) sale and refund notifications → events.

Wire facts (shared/reference/licensing-and-storefronts.md §3): `price` is the total in USD cents
whatever `currency` says; `test=true` only when the seller buys; a refund arrives with the same
`sale_id` as its sale and `refunded=true` / `resource_name=refund`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import parse_qsl

from licensed.errors import BadRequest
from licensed.products import Catalog
from licensed.events import Event, IgnoredEvent, RefundEvent, SaleEvent
from licensed.sources import valid_email

# Resources that reach us but carry nothing to mint or revoke (dispute, cancellation, …).
_ACTED_ON = {"sale", "refund"}


def parse_fields(body: bytes, content_type: str) -> dict[str, str]:
    """The Ping's top-level fields as text, decoded as UTF-8 (never Bottle's latin-1 forms)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8", code="invalid_payload") from None
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            data = json.loads(text)
        except ValueError:
            raise BadRequest("the body is not valid JSON", code="invalid_payload") from None
        if not isinstance(data, dict):
            raise BadRequest("the JSON body is not an object", code="invalid_payload")
        return {k: _as_text(v) for k, v in data.items() if not isinstance(v, (dict, list))}
    return dict(parse_qsl(text, keep_blank_values=True))


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


class GumroadAdapter:
    name = "gumroad"

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> Event:
        fields = parse_fields(body, content_type)
        order_id = _required(fields, "sale_id")
        resource = fields.get("resource_name", "sale") or "sale"
        if resource == "refund" or fields.get("refunded") == "true":
            return RefundEvent(source=self.name, order_id=order_id, reason="refunded at Gumroad")
        if resource not in _ACTED_ON:
            return IgnoredEvent(self.name, order_id, "ignored_resource",
                                f"Gumroad resource {resource!r} is recorded, not acted on")
        email = _required(fields, "email")
        if not valid_email(email):
            raise BadRequest(f"email is not an address: {email[:60]!r}", code="invalid_payload")
        permalink = fields.get("product_permalink", "").rstrip("/").rsplit("/", 1)[-1]
        candidates = [permalink, fields.get("permalink"), fields.get("short_product_id"),
                      fields.get("product_id")]
        product = catalog.find(*candidates)
        if product is None:
            named = ", ".join(repr(c) for c in candidates if c) or "no product id"
            return IgnoredEvent(self.name, order_id, "unknown_product",
                                f"no entry in products.toml for {named}")
        quantity = _whole_number(fields, "quantity", default=1, minimum=1)
        return SaleEvent(
            source=self.name,
            order_id=order_id,
            product_key=product.key,
            tier=product.tier,
            seats=product.seats * quantity,
            updates_months=product.updates_months,
            name=fields.get("full_name", "").strip() or email,
            email=email,
            amount_minor=_whole_number(fields, "price", default=0, minimum=0),
            # Gumroad reports `price` in USD cents even when the product's currency differs.
            currency="USD",
            offer_code=fields.get("offer_code", "").strip() or None,
            test=fields.get("test") == "true",
            purchased_on=_purchase_date(fields, today),
        )
