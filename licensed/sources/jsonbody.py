"""Reading the JSON webhooks (Lemon Squeezy, Stripe): the object, typed fields, one clear error."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from licensed.errors import BadRequest
from licensed.sources import valid_email


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object; raises BadRequest when it is not UTF-8 JSON or not an object."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nested past Python's limit
        raise BadRequest("the body is not UTF-8 JSON", code="invalid_payload") from None
    if not isinstance(data, dict):
        raise BadRequest("the JSON body is not an object", code="invalid_payload")
    return data


def member(data: Any, *path: str) -> Any:
    """`data[path[0]][path[1]]…`, or None as soon as a step is missing or not an object."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def text(data: Any, *path: str, required: bool = True) -> str | None:
    """A string (or integer id) at `path`; raises BadRequest naming the path when required."""
    value = member(data, *path)
    if isinstance(value, bool) or value is None or value == "":
        if required:
            raise BadRequest(f"the body has no {'.'.join(path)}", code="invalid_payload")
        return None
    if isinstance(value, (int, str)):
        return str(value).strip()
    raise BadRequest(f"{'.'.join(path)} must be a string", code="invalid_payload")


def minor_units(data: Any, *path: str, default: int | None = 0) -> int | None:
    """A non-negative whole number of minor units (cents) at `path`."""
    value = member(data, *path)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRequest(f"{'.'.join(path)} must be a whole number ≥ 0", code="invalid_payload")
    return value


def address(data: Any, *path: str) -> str:
    """One plain email address at `path` (licensed.sources.valid_email)."""
    value = text(data, *path)
    assert value is not None
    if not valid_email(value):
        raise BadRequest(f"{'.'.join(path)} is not one plain address: {value[:60]!r}",
                         code="invalid_payload")
    return value


def iso_date(value: Any, default: date) -> date:
    """The date of an ISO 8601 timestamp (Lemon Squeezy) or Unix seconds (Stripe)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).date()
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    return default


def need_order(order_id: str | None) -> str:
    """The order id an event must have; raises BadRequest when the body named none."""
    if not order_id:
        raise BadRequest("the body names no order (no object id)", code="invalid_payload")
    return order_id
