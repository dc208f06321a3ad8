"""What a storefront delivery (or an operator) asks of the daemon: a sale, a refund, or nothing.

Adapters in licensed/sources/ produce these; licensed/fulfilment.py acts on them. They carry
no storage or HTTP detail, so a new storefront only has to produce one of them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime


# The `product` every license names; the desktop refuses licenses for anything else. Spelled
# here rather than imported, because the daemon may import only the codec from datatools/.
LICENSE_PRODUCT = "datatools"


@dataclass(frozen=True)
class SaleEvent:
    """A paid (or test) order that should produce exactly one license, keyed (source, order_id)."""

    source: str
    order_id: str
    product_key: str
    tier: str
    seats: int
    updates_months: int | None
    name: str
    email: str
    amount_minor: int
    currency: str
    offer_code: str | None
    test: bool
    purchased_on: date
    note: str | None = None

    kind = "sale"

    @property
    def updates_until(self) -> date | None:
        """The last day of included updates; None for lifetime updates."""
        if self.updates_months is None:
            return None
        return add_months(self.purchased_on, self.updates_months)


@dataclass(frozen=True)
class RefundEvent:
    """The storefront refunded an order: its license is revoked, the record kept."""

    source: str
    order_id: str
    reason: str

    kind = "refund"


@dataclass(frozen=True)
class IgnoredEvent:
    """A well-formed delivery we record but do not act on (unknown product, other resource)."""

    source: str
    order_id: str | None
    outcome: str
    detail: str

    kind = "ignored"


@dataclass(frozen=True)
class ImportEvent:
    """A license minted offline by dtmint, signature already checked: store it as it was mailed.

    Keyed like a sale on (source "offline", order_id = lid), so importing it again is a no-op.
    """

    source: str
    order_id: str
    lid: str
    kid: str
    blob: str  # exactly the text that was mailed; stored byte for byte
    product: str
    product_key: str
    tier: str
    seats: int
    name: str
    email: str
    issued: date
    updates_until: date | None
    expires: date | None
    note: str | None
    minted_at: datetime

    kind = "import"


Event = SaleEvent | RefundEvent | IgnoredEvent | ImportEvent


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (Jan 31 + 1 → Feb 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
