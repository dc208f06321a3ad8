"""What the operator reads through /internal: paged, filtered lists and the sales stats.

Lists are newest first and paged by id (keyset paging: a page never skips or repeats a row
when new rows arrive between requests); `Page.next` is the `before` of the next page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any, Generic, TypeVar

from licensed.db import Database, Transaction
from licensed.errors import BadRequest
from licensed.records import LicenseCount, Revenue

Row = TypeVar("Row")

# `before` of the first page and `since` when not filtering: bounds no row can pass.
FIRST_PAGE = 2**62
DISTANT_PAST = datetime(1970, 1, 1, tzinfo=timezone.utc)
OUTBOX_STATES = ("pending", "sending", "sent", "spooled", "failed", "cancelled", "bounced")
LICENSE_STATES = ("active", "suspended", "revoked")


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    next: int | None  # None: this is the last page


@dataclass(frozen=True)
class Stats:
    by_tier: list[LicenseCount]
    by_source: list[LicenseCount]
    by_month: list[LicenseCount]  # key YYYY-MM, UTC
    revenue: list[Revenue]


def _page(tx: Transaction, query: str, *, limit: int, before: int | None,
          **filters: Any) -> Page[Any]:
    rows = tx.many(query, before=before or FIRST_PAGE, limit=limit + 1, **filters)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows=rows, next=rows[-1].id if more else None)


def _since(day: date | None) -> datetime:
    return datetime.combine(day, time(), timezone.utc) if day else DISTANT_PAST


def _one_of(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}", code="invalid_query")
    return value


def like_pattern(text: str | None) -> str | None:
    """`%text%` lower-cased for LIKE, with LIKE's own wildcards dropped from the text."""
    if not text:
        return None
    return "%" + text.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"


def list_licenses(db: Database, *, email: str | None = None, order_id: str | None = None,
                  lid: str | None = None, status: str | None = None, source: str | None = None,
                  since: date | None = None, text: str | None = None, limit: int = 50,
                  before: int | None = None) -> Page[Any]:
    """Licenses matching every given filter (email exact in any case; `text` a substring of
    name, email, order id or lid; `since` a UTC day). Raises BadRequest for an unknown status."""
    with db.transaction(write=False) as tx:
        return _page(tx, "list_licenses", limit=limit, before=before, email=email,
                     order_id=order_id, lid=lid, status=_one_of("status", status, LICENSE_STATES),
                     source=source, since=_since(since), pattern=like_pattern(text))


def list_events(db: Database, *, outcome: str | None = None, source: str | None = None,
                order_id: str | None = None, since: date | None = None, limit: int = 50,
                before: int | None = None) -> Page[Any]:
    """The webhook audit log (every delivery, manual mint, replay and import)."""
    with db.transaction(write=False) as tx:
        return _page(tx, "list_events", limit=limit, before=before, outcome=outcome,
                     source=source, order_id=order_id, since=_since(since))


def list_outbox(db: Database, *, status: str | None = None, limit: int = 50,
                before: int | None = None) -> Page[Any]:
    """Email rows; without `status` every row not sent yet. Raises BadRequest for a status
    that is not an outbox state."""
    with db.transaction(write=False) as tx:
        return _page(tx, "list_outbox", limit=limit, before=before,
                     status=_one_of("status", status, OUTBOX_STATES))


def list_actions(db: Database, *, action: str | None = None, token_name: str | None = None,
                 since: date | None = None, limit: int = 50,
                 before: int | None = None) -> Page[Any]:
    """The operator actions log."""
    with db.transaction(write=False) as tx:
        return _page(tx, "list_actions", limit=limit, before=before, action=action,
                     token_name=token_name, since=_since(since))


def sales_stats(db: Database) -> Stats:
    """Licenses by tier, source and month; paid licenses and refunds by currency."""
    with db.transaction(write=False) as tx:
        return Stats(by_tier=tx.many("stats_by_tier"), by_source=tx.many("stats_by_source"),
                     by_month=tx.many("stats_by_month"), revenue=tx.many("stats_revenue"))
