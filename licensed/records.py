"""The rows the query layer returns: one frozen dataclass per table a named query reads.

A `:one` or `:many` query names its record in its header (`-- name: license_by_id :one
-> License`); licensed/db.py builds the record from the row, so callers get attributes with
fixed Python types on both databases (timestamps as ISO 8601 UTC text, `test` as bool, blobs
as bytes) instead of dicts.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping


@dataclass(frozen=True)
class License:
    """A row of `licenses`: the authoritative customer record, unique on (source, order_id)."""

    id: int
    lid: str
    source: str
    order_id: str
    name: str
    email: str
    product: str
    product_key: str
    tier: str
    seats: int
    issued: str
    updates_until: str | None
    expires: str | None
    kid: str
    blob: str
    offer_code: str | None
    amount_minor: int
    currency: str
    test: bool
    note: str | None
    status: str
    revoked_at: str | None
    revoke_reason: str | None
    created_at: str
    variant: str | None = None         # the storefront's variant bought (Gumroad `variants[…]`)
    payer_email: str | None = None     # who paid, when it is not the licensee (a gift)
    suspended_at: str | None = None    # set while a dispute is open
    suspend_reason: str | None = None

    @property
    def standing(self) -> str:
        """`active`, `suspended` (a dispute is open) or `revoked`: what the operator is shown."""
        if self.status == "active" and self.suspended_at is not None:
            return "suspended"
        return self.status


@dataclass(frozen=True)
class WebhookEvent:
    """A row of `webhook_events`: one delivery attempt (or manual mint, or replay), append-only."""

    id: int
    source: str
    received_at: str
    remote_addr: str | None
    request_id: str | None
    headers: str  # JSON object of the audited headers
    body: bytes
    kind: str | None
    order_id: str | None
    outcome: str
    detail: str | None
    license_id: int | None
    replay_of: int | None


@dataclass(frozen=True)
class OutboxRow:
    """A row of `outbox`: one email to send; states pending → sending → sent | spooled | failed
    (and cancelled, bounced: licensed/outbox.py)."""

    id: int
    license_id: int
    purpose: str
    recipient: str
    status: str
    attempts: int
    next_attempt_at: str
    claimed_by: str | None
    claimed_until: str | None
    error_code: int | None
    last_error: str | None
    message_id: str | None
    created_at: str
    sent_at: str | None
    bounce_type: str | None = None     # Postmark's bounce Type, once the message came back
    bounced_at: str | None = None
    language: str | None = None        # the catalog the mail is written in; None: English


@dataclass(frozen=True)
class Refund:
    """A row of `refunds`: a full or partial refund the storefront reported for an order."""

    id: int
    license_id: int | None
    source: str
    order_id: str
    full_refund: bool
    amount_minor: int | None  # None: the storefront did not say how much (Gumroad)
    currency: str | None
    event_id: int | None
    created_at: str


@dataclass(frozen=True)
class Renewal:
    """A row of `renewals`: one renewal order that extended one license's updates."""

    id: int
    source: str
    order_id: str
    license_id: int
    months: int
    previous_updates_until: str | None
    updates_until: str
    previous_blob: str
    amount_minor: int
    currency: str
    created_at: str


@dataclass(frozen=True)
class Subscription:
    """A row of `subscriptions`: one storefront subscription and the one license it pays for."""

    id: int
    source: str
    subscription_id: str
    license_id: int | None  # None until the order that started it is known
    first_order_id: str | None
    product_key: str | None
    period_months: int | None
    status: str  # active, cancelled, past_due, ended
    ends_on: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class SubscriptionPayment:
    """A row of `subscription_payments`: one paid period and what it did to the license."""

    id: int
    source: str
    payment_id: str
    subscription_id: str
    license_id: int | None  # None: waiting for the subscription's license
    paid_on: str
    paid_through: str | None
    period_months: int | None
    previous_updates_until: str | None
    updates_until: str | None
    previous_blob: str | None
    amount_minor: int
    currency: str
    mailed: bool
    created_at: str


@dataclass(frozen=True)
class Suppression:
    """A row of `suppressions`: an address Postmark reported as undeliverable."""

    email: str
    bounce_type: str
    message_id: str | None
    detail: str | None
    created_at: str


@dataclass(frozen=True)
class AppliedMigration:
    """A row of `schema_migrations`."""

    version: int
    name: str
    applied_at: str


@dataclass(frozen=True)
class OperatorAction:
    """A row of `operator_actions`: what one named token did through /internal, and the answer."""

    id: int
    at: str
    action: str  # mint, revoke, resend, replay, reissue, import
    license_id: int | None
    event_id: int | None
    detail: str  # JSON object
    request_id: str | None
    token_name: str | None  # None for rows written before migration 004
    answer: str | None  # e.g. "201 minted", "409 already_revoked"


@dataclass(frozen=True)
class LicenseCount:
    """One group of the operator's stats: licenses (and how many are test ones) per key."""

    key: str
    licenses: int
    test: int


@dataclass(frozen=True)
class Revenue:
    """Paid, non-test licenses of one currency, and the refunded ones among them."""

    currency: str
    sales: int
    gross_minor: int
    refunds: int
    refunded_minor: int


RECORDS: Mapping[str, type] = {
    cls.__name__: cls for cls in (License, WebhookEvent, OutboxRow, AppliedMigration,
                                  OperatorAction, LicenseCount, Revenue, Refund, Renewal,
                                  Suppression, Subscription, SubscriptionPayment)
}


@lru_cache(maxsize=None)
def _bool_fields(cls: type) -> frozenset[str]:
    hints = typing.get_type_hints(cls)
    return frozenset(f.name for f in dataclasses.fields(cls) if hints[f.name] is bool)


def from_row(cls: type, row: Mapping[str, Any]) -> Any:
    """Build record `cls` from a row's columns; SQLite's 0/1 booleans become bool.

    Raises TypeError when the columns and the record's fields differ (a migration added a
    column the record does not know: add it to the record).
    """
    values = dict(row)
    for name in _bool_fields(cls):
        if name in values and values[name] is not None:
            values[name] = bool(values[name])
    return cls(**values)


def as_json(record: Any) -> dict[str, Any]:
    """A record's fields as a JSON-ready dict (bytes are not JSON: callers drop or decode them)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
