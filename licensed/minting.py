"""Sale → license: sign a DTLIC2 blob and store it once per (source, order_id); refunds revoke,
disputes hold and release, renewals sign the same license again with a later updates window."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from datatools import license as codec
from licensed.db import Transaction
from licensed.events import LICENSE_PRODUCT, DisputeEvent, ImportEvent, RefundEvent, SaleEvent
from licensed.records import License


class Signer(Protocol):
    """The one way the daemon gets a signature: licensed.signer.client.SignerClient, which asks
    the signer process (the daemon never holds a private key)."""

    def sign(self, fields: dict[str, Any]) -> str:
        """The DTLIC2 blob for license `fields` (contract 1, without `v` and `kid`)."""

    def current_kid(self) -> str:
        """The kid that signs new licenses now."""


def blob_kid(blob: str) -> str:
    """The kid a signed blob's payload names (the signer put it there; read, not verified)."""
    payload = blob.split(":", 1)[1].split(".", 1)[0]
    return json.loads(codec.b64url_decode(payload))["kid"]


@dataclass(frozen=True)
class Minted:
    license: License
    created: bool  # False: the order already had this license (a duplicate delivery)


new_lid = codec.new_license_id  # one spelling of a lid, shared with the offline minter


def blob_fields(lic: License, **changes: Any) -> dict[str, Any]:
    """The signed fields of stored license `lic` (ARCHITECTURE.md, "The license blob"), with `changes` applied."""
    fields = {"lid": lic.lid, "product": lic.product, "tier": lic.tier, "seats": lic.seats,
              "name": lic.name, "email": lic.email, "issued": lic.issued,
              "updates_until": lic.updates_until, "expires": lic.expires}
    fields.update(changes)
    return fields


def mint_from_sale(tx: Transaction, event: SaleEvent, signer: Signer, now: datetime) -> Minted:
    """Insert the license for `event`'s order, or find the one already there.

    Idempotent under concurrency: the caller holds the order's lock (`lock_order`), so a
    repeated delivery finds the stored license here and asks for no signature (each signature
    is a chain entry, and one never stored would show as a signature without a license in
    `dtadmin signatures`); the unique (source, order_id) key still lets exactly one insert
    win. A stored blob is never re-signed.
    """
    existing = tx.one("license_by_order", source=event.source, order_id=event.order_id)
    if existing is not None:
        return Minted(license=existing, created=False)
    lid = new_lid()
    updates_until, expires = event.updates_until, event.expires
    fields = {
        "lid": lid, "product": LICENSE_PRODUCT, "tier": event.tier, "seats": event.seats,
        "name": event.name, "email": event.email, "issued": event.purchased_on.isoformat(),
        "updates_until": updates_until.isoformat() if updates_until else None,
        "expires": expires.isoformat() if expires else None,
    }
    blob = signer.sign(fields)
    row = tx.one(
        "insert_license",
        lid=lid, source=event.source, order_id=event.order_id, name=event.name,
        email=event.email, product=LICENSE_PRODUCT, product_key=event.product_key,
        tier=event.tier, seats=event.seats, issued=fields["issued"],
        updates_until=fields["updates_until"], expires=fields["expires"], kid=blob_kid(blob),
        blob=blob,
        offer_code=event.offer_code, amount_minor=event.amount_minor, currency=event.currency,
        test=event.test, note=event.note, created_at=now, variant=event.variant,
        payer_email=event.payer_email,
    )
    if row is not None:
        return Minted(license=row, created=True)
    existing = tx.one("license_by_order", source=event.source, order_id=event.order_id)
    assert existing is not None, "ON CONFLICT skipped the insert, so the row exists"
    return Minted(license=existing, created=False)


def revoke(tx: Transaction, license_id: int, reason: str, now: datetime) -> License | None:
    """Mark a license revoked (the record stays) and cancel its mail not yet sent; None when it
    was already revoked."""
    row = tx.one("revoke_license", id=license_id, reason=reason, revoked_at=now)
    if row is not None:
        tx.exec("cancel_pending_mail", license_id=license_id, reason=f"license revoked: {reason}")
    return row


def revoke_for_refund(
    tx: Transaction, event: RefundEvent, now: datetime
) -> tuple[str, License | None]:
    """Revoke a fully refunded order's license (a partial refund leaves it active); returns
    (outcome, license row or None)."""
    existing = tx.one("license_by_order", source=event.source, order_id=event.order_id)
    if not event.full:
        return ("partial_refund" if existing else "partial_refund_without_license"), existing
    if existing is None:
        return "refund_without_license", None
    revoked = revoke(tx, existing.id, event.reason, now)
    if revoked is None:
        return "already_revoked", existing
    return "revoked", revoked


def apply_dispute(tx: Transaction, event: DisputeEvent, now: datetime) -> tuple[str, License | None]:
    """Hold (`opened`), release (`won`) or revoke (`lost`) the disputed order's license.

    Returns (outcome, license or None): suspended / already_suspended, reinstated /
    not_suspended, revoked / already_revoked, or dispute_without_license.
    """
    existing = tx.one("license_by_order", source=event.source, order_id=event.order_id)
    if existing is None:
        return "dispute_without_license", None
    if event.stage == "opened":
        held = tx.one("suspend_license", id=existing.id, reason=event.reason, now=now)
        return ("suspended", held) if held else ("already_suspended", existing)
    if event.stage == "won":
        released = tx.one("reinstate_license", id=existing.id)
        return ("reinstated", released) if released else ("not_suspended", existing)
    revoked = revoke(tx, existing.id, event.reason, now)
    return ("revoked", revoked) if revoked else ("already_revoked", existing)


def store_imported(tx: Transaction, event: ImportEvent) -> tuple[str, License | None]:
    """Store a license minted offline; (outcome, license).

    `imported` for a new row; `duplicate` when the same blob is already stored (a second
    import); `lid_conflict` (and the row that holds it) when its lid or order is stored with
    another blob, which is never overwritten.
    """
    row = tx.one(
        "insert_imported_license",
        lid=event.lid, source=event.source, order_id=event.order_id, name=event.name,
        email=event.email, product=event.product, product_key=event.product_key,
        tier=event.tier, seats=event.seats, issued=event.issued.isoformat(),
        updates_until=event.updates_until.isoformat() if event.updates_until else None,
        expires=event.expires.isoformat() if event.expires else None, kid=event.kid,
        blob=event.blob, currency="USD", test=False, note=event.note,
        created_at=event.minted_at,
    )
    if row is not None:
        return "imported", row
    existing = (tx.one("license_by_lid", lid=event.lid)
                or tx.one("license_by_order", source=event.source, order_id=event.order_id))
    if existing is not None and existing.blob == event.blob:
        return "duplicate", existing
    return "lid_conflict", existing


def reissue(tx: Transaction, lic: License, signer: Signer) -> License | None:
    """Sign `lic`'s fields again with `signer` (same lid, tier, seats, buyer, dates) and store
    the new blob; None when the license is not active."""
    blob = signer.sign(blob_fields(lic))
    return tx.one("reissue_license", id=lic.id, blob=blob, kid=blob_kid(blob))
