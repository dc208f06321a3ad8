"""Operator mints through POST /internal/mint: a JSON body → a SaleEvent with source "manual".

Registered beside the storefront adapters, so an audited manual mint can be replayed.
"""

from __future__ import annotations

import json
import secrets
from datetime import date

from licensed.errors import BadRequest
from licensed.products import Catalog
from licensed.events import SaleEvent
from licensed.sources import valid_email


def _text(data: dict, name: str, *, required: bool) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{name} must be a non-empty string", code="invalid_field")
    return value.strip()


def _int(data: dict, name: str, default: int, minimum: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BadRequest(f"{name} must be a whole number ≥ {minimum}", code="invalid_field")
    return value


def with_order_id(body: bytes) -> bytes:
    """The request body with a generated `order_id` (M- and 16 hex digits) when it has none.

    The mint is then keyed like any storefront order, and the audited body replays to the same
    order. A body that is not a JSON object is returned unchanged (parse() refuses it).
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):   # nested too deep
        return body
    if not isinstance(data, dict) or data.get("order_id") is not None:
        return body
    data["order_id"] = f"M-{secrets.token_hex(8)}"
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


class ManualAdapter:
    """Parses an operator's mint request; the operator names the order or with_order_id() did."""

    name = "manual"

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> SaleEvent:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):   # nested too deep
            raise BadRequest("the body must be a JSON object", code="invalid_json") from None
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object", code="invalid_json")
        unknown = set(data) - {"name", "email", "tier", "seats", "note", "order_id",
                               "amount_minor", "currency"}
        if unknown:
            raise BadRequest(f"unknown field {sorted(unknown)[0]}", code="invalid_field")
        email = _text(data, "email", required=True)
        assert email is not None
        if not valid_email(email):
            raise BadRequest(f"email is not an address: {email[:60]!r}", code="invalid_field")
        tier = _text(data, "tier", required=True)
        product = catalog.for_tier(tier or "")
        if product is None:
            known = ", ".join(sorted(catalog.tiers()))
            raise BadRequest(f"unknown tier {tier!r} (products.toml has: {known})",
                             code="invalid_field")
        # An operator may name the order (e.g. an invoice number) so a retried mint is a no-op.
        order_id = _text(data, "order_id", required=True) or ""
        return SaleEvent(
            source=self.name,
            order_id=order_id,
            product_key=product.key,
            tier=product.tier,
            seats=_int(data, "seats", product.seats, 1),
            updates_months=product.updates_months,
            name=_text(data, "name", required=True) or "",
            email=email,
            amount_minor=_int(data, "amount_minor", 0, 0),
            currency=(_text(data, "currency", required=False) or "USD").upper(),
            offer_code=None,
            test=False,
            purchased_on=today,
            note=_text(data, "note", required=False),
        )
