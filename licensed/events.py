"""What a storefront delivery (or an operator) asks of the daemon: sale, refund, dispute, renewal,
subscription.

Adapters in licensed/sources/ produce these; licensed/fulfilment.py acts on them. They carry
no storage or HTTP detail, so a new storefront only has to produce one of them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta


# The `product` every license names; the desktop refuses licenses for anything else. Spelled
# here rather than imported, because the daemon may import only the codec from datatools/.
LICENSE_PRODUCT = "datatools"
# A tier sold as a subscription with `subscription = "expires"` (products.toml) is signed to
# expire this many days after its paid period ends: storefronts retry a failed renewal charge
# for days (Stripe's Smart Retries, Lemon Squeezy's dunning), and the renewed license must
# reach the buyer before the old one stops.
EXPIRY_GRACE_DAYS = 14
# What a paid period does to the license of a subscription (products.toml `subscription`):
# "updates" moves updates_until and the license never expires; "expires" moves both.
SUBSCRIPTION_POLICIES = ("updates", "expires")


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
    variant: str | None = None       # the storefront's variant as bought, recorded on the license
    payer_email: str | None = None   # a gift: who paid (the license goes to `email`)
    policy: str = "updates"          # products.toml `subscription`: "expires" for a term tier

    kind = "sale"

    @property
    def updates_until(self) -> date | None:
        """The last day of included updates; None for lifetime updates."""
        if self.updates_months is None:
            return None
        return add_months(self.purchased_on, self.updates_months)

    @property
    def expires(self) -> date | None:
        """The day the license stops working: None (perpetual) unless the tier is sold as an
        expiring subscription, then the end of the paid period plus EXPIRY_GRACE_DAYS."""
        return expiry_for(self.policy, self.updates_until)


SUBSCRIPTION_ACTIONS = ("payment", "linked", "cancelled", "resumed", "changed",
                        "payment_failed", "ended", "noted")


@dataclass(frozen=True)
class SubscriptionEvent:
    """Something a storefront says about one subscription (a membership): a paid period, the
    link to the order that started it, a cancellation, a resumption, a tier change, a failed
    payment or its end. licensed/subscriptions.py acts on it.

    `subscription_id` is the id the storefront keeps across renewals (Gumroad
    `subscription_id`, Lemon Squeezy's subscription id, Stripe's `sub_…`); the subscription has
    one license. `order_id` is this event's own id (a charge's sale id, an invoice id, a
    webhook event id): a payment is recorded once per (source, order_id).
    """

    source: str
    order_id: str
    subscription_id: str
    action: str                     # one of SUBSCRIPTION_ACTIONS
    occurred_on: date
    # What to mint when this event is the first the daemon hears of the subscription (Gumroad's
    # charges and Stripe's invoices carry the buyer and the product; Lemon Squeezy's do not).
    sale: SaleEvent | None = None
    first_order_id: str | None = None  # the order that started it (Lemon Squeezy)
    paid_through: date | None = None   # the paid period's last day, when the storefront says
    period_months: int | None = None   # else the period one payment buys
    initial: bool = False              # the first period's payment (its order minted already)
    ends_on: date | None = None        # a cancellation: the last paid day
    tier: str | None = None            # a tier change: the new tier and seats (products.toml)
    seats: int | None = None
    amount_minor: int = 0
    currency: str = ""
    test: bool = False
    detail: str = ""

    kind = "subscription"

    def __post_init__(self) -> None:
        if self.action not in SUBSCRIPTION_ACTIONS:
            raise ValueError(f"subscription action must be one of {SUBSCRIPTION_ACTIONS}, "
                             f"not {self.action!r}")


def expiry_for(policy: str, paid_through: date | None) -> date | None:
    """A license's `expires` under a subscription policy: None for "updates" (and for
    lifetime updates), the paid period's end plus EXPIRY_GRACE_DAYS for "expires"."""
    if policy != "expires" or paid_through is None:
        return None
    return paid_through + timedelta(days=EXPIRY_GRACE_DAYS)


@dataclass(frozen=True)
class RefundEvent:
    """The storefront refunded an order. A full refund revokes its license (the record stays);
    a partial one is recorded with its amount and flagged, and the license stays active."""

    source: str
    order_id: str
    reason: str
    full: bool = True
    amount_minor: int | None = None  # None: the storefront did not say (Gumroad's Ping)
    currency: str | None = None

    kind = "refund"


DISPUTE_STAGES = ("opened", "won", "lost")


@dataclass(frozen=True)
class DisputeEvent:
    """A chargeback: `opened` suspends the license, `won` reinstates it, `lost` revokes it."""

    source: str
    order_id: str
    stage: str  # one of DISPUTE_STAGES
    reason: str

    kind = "dispute"

    def __post_init__(self) -> None:
        if self.stage not in DISPUTE_STAGES:
            raise ValueError(f"dispute stage must be one of {DISPUTE_STAGES}, not {self.stage!r}")


@dataclass(frozen=True)
class RenewalEvent:
    """A paid renewal order: extends `updates_until` of one license by `months`.

    The license is the one named by `lid` (a custom field at checkout) or, without one, the
    newest active license of `email` that has an updates window.
    """

    source: str
    order_id: str
    product_key: str
    lid: str | None
    email: str
    months: int
    amount_minor: int
    currency: str
    test: bool
    purchased_on: date

    kind = "renewal"


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


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (Jan 31 + 1 → Feb 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class BounceEvent:
    """Postmark reported that a message came back: its outbox row is marked bounced, and an
    address Postmark deactivated (`inactive`) is suppressed for every later mail."""

    source: str
    message_id: str
    email: str
    bounce_type: str
    inactive: bool
    detail: str

    kind = "bounce"
    order_id = None


Event = (SaleEvent | RefundEvent | DisputeEvent | RenewalEvent | BounceEvent | IgnoredEvent
         | ImportEvent | SubscriptionEvent)
