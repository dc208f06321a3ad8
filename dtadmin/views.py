"""What each /internal record looks like in a table: the columns, in the order a person scans."""

from __future__ import annotations

import json
from typing import Any, Mapping

from dtadmin.tables import Column


def minute(key: str):
    """An ISO 8601 timestamp cut to the minute, `2026-11-23 12:00` (the daemon keeps UTC)."""

    def value(row: Mapping[str, Any]) -> str | None:
        text = row.get(key)
        return text[:16].replace("T", " ") if isinstance(text, str) else text

    return value


def day(key: str):
    def value(row: Mapping[str, Any]) -> str | None:
        text = row.get(key)
        return text[:10] if isinstance(text, str) else text

    return value


def key_values(detail: Any) -> str:
    """An action's JSON detail as `key=value` pairs, empty values left out."""
    try:
        data = json.loads(detail) if isinstance(detail, str) else {}
    except ValueError:
        return str(detail)
    if not isinstance(data, dict):
        return str(detail)
    parts = []
    for key, value in data.items():
        if value in (None, [], ""):
            continue
        text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}={text}")
    return " ".join(parts)


def money(row: Mapping[str, Any]) -> str:
    """Minor units as a decimal amount with its currency: 4900 EUR → `49.00 EUR`."""
    amount = row.get("amount_minor") or 0
    return f"{amount // 100}.{amount % 100:02d} {row.get('currency', '')}".strip()


LICENSES = (
    Column("ID", "id", right=True),
    Column("LID", "lid", limit=18),
    Column("CREATED", value=day("created_at")),
    Column("SOURCE", "source", limit=10),
    Column("TIER", "tier", limit=10),
    Column("STATUS", "status"),
    Column("EMAIL", "email", limit=32, shrink=True),
    Column("NAME", "name", limit=28, shrink=True),
)

EVENTS = (
    Column("ID", "id", right=True),
    Column("RECEIVED", value=minute("received_at")),
    Column("SOURCE", "source", limit=10),
    Column("KIND", "kind", limit=8),
    Column("ORDER", "order_id", limit=24, shrink=True),
    Column("OUTCOME", "outcome", limit=22),
    Column("LICENSE", "license_id", right=True),
    Column("DETAIL", "detail", limit=40, shrink=True),
)

OUTBOX = (
    Column("ID", "id", right=True),
    Column("LICENSE", "license_id", right=True),
    Column("PURPOSE", "purpose"),
    Column("TO", "recipient", limit=30, shrink=True),
    Column("STATUS", "status"),
    Column("TRIES", "attempts", right=True),
    Column("CODE", "error_code", right=True),
    Column("ERROR", "last_error", limit=40, shrink=True),
)

ACTIONS = (
    Column("ID", "id", right=True),
    Column("AT", value=minute("at")),
    Column("TOKEN", "token_name", limit=12),
    Column("ACTION", "action", limit=8),
    Column("LICENSE", "license_id", right=True),
    Column("ANSWER", "answer", limit=34),
    Column("DETAIL", value=lambda row: key_values(row.get("detail")), limit=60, shrink=True),
)

IMPORT_REJECTS = (
    Column("LINE", "line", right=True),
    Column("CODE", "code", limit=20),
    Column("PROBLEM", "message", limit=70, shrink=True),
)


def count_table(heading: str) -> tuple[Column, ...]:
    """A stats breakdown: the group, how many licenses, and what they brought in."""
    return (Column(heading, "key", limit=20), Column("LICENSES", "licenses", right=True),
            Column("TEST", "test", right=True))


REVENUE = (
    Column("CURRENCY", "currency"),
    Column("SALES", "sales", right=True),
    Column("GROSS", value=lambda r: money({**r, "amount_minor": r.get("gross_minor")}),
           right=True),
    Column("REFUNDS", "refunds", right=True),
    Column("REFUNDED", value=lambda r: money({**r, "amount_minor": r.get("refunded_minor")}),
           right=True),
    Column("NET", value=lambda r: money({**r, "amount_minor": r.get("net_minor")}), right=True),
)
