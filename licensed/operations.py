"""What an operator can do through /internal: mint by hand, revoke, resend, replay, reissue —
each recorded in operator_actions (the token's name, what, when, the answer) in the same
transaction as its effect; refusals are recorded too, in a transaction of their own.

A manual mint is a delivery from source `manual` (licensed/sources/manual.py) and goes through
the same `process_delivery` → `apply_event` path as a storefront's, audit row included.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from licensed.db import Database, Transaction
from licensed.errors import Conflict, LicensedError, NotFound
from licensed.fulfilment import Delivery, Outcome
from licensed.logs import request_id_var
from licensed.minting import Signer, reissue, revoke
from licensed.outbox import queue_license_mail
from licensed.products import Catalog
from licensed.records import License, OutboxRow, Refund
from licensed.sources import SourceAdapter
from licensed.sources.manual import ManualAdapter, with_order_id
from licensed.webhooks import process_delivery

log = logging.getLogger("licensed.operations")


def record_action(tx: Transaction, action: str, now: datetime, *, actor: str, answer: str,
                  license_id: int | None = None, event_id: int | None = None,
                  detail: dict[str, Any] | None = None) -> None:
    """Append one operator_actions row: `actor` is the token's name, `answer` what the
    operator was told (`201 minted`, `409 already_revoked`)."""
    tx.exec("insert_action", at=now, action=action, license_id=license_id, event_id=event_id,
            detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
            request_id=request_id_var.get(), token_name=actor, answer=answer)


def record_refusal(db: Database, action: str, now: datetime, *, actor: str,
                   error: LicensedError, target: dict[str, Any]) -> None:
    """Record an action the daemon refused (its own transaction: the refused one rolled back).

    `target` names what was asked for (`{"license_id": 99}`); it goes into `detail`, not into
    the foreign keys, since it may not exist. Best effort: a database that is down is logged.
    """
    try:
        with db.transaction() as tx:
            record_action(tx, action, now, actor=actor, answer=f"{error.status} {error.code}",
                          detail={**target, "message": error.message})
    except Exception:
        log.exception("could not record the refused %s by %s", action, actor)


def _active_license(tx: Transaction, license_id: int) -> License:
    lic = tx.one("license_by_id", id=license_id)
    if lic is None:
        raise NotFound(f"no license with id {license_id}", code="no_such_license")
    if lic.standing != "active":  # revoked, or held by an open dispute
        raise Conflict(f"license {license_id} is {lic.standing}",
                       code="license_revoked" if lic.status == "revoked" else "license_suspended")
    return lic


def mint_manually(db: Database, catalog: Catalog, signer: Signer, body: bytes, now: datetime,
                  *, actor: str, remote_addr: str | None = None) -> Outcome:
    """Mint from an operator's JSON request (name, email, tier, seats, note, order_id, …).

    Without an `order_id` one is generated and written into the audited body, so a replay of
    the audit row finds the same order (outcome `duplicate`) instead of minting again. Raises
    BadRequest for an unusable body (audited as `invalid`).
    """
    body = with_order_id(body)
    delivery = Delivery(
        source=ManualAdapter.name, body=body, content_type="application/json",
        headers={"Content-Type": "application/json"}, remote_addr=remote_addr,
        request_id=request_id_var.get(), received_at=now,
    )

    def record_mint(tx: Transaction, result: Outcome) -> None:
        assert result.license is not None, "a manual mint is a sale: it always has a license"
        record_action(tx, "mint", now, actor=actor,
                      answer="201 minted" if result.created else f"200 {result.outcome}",
                      license_id=result.license.id, event_id=result.event_id,
                      detail={"order_id": result.license.order_id, "note": result.license.note})

    return process_delivery(db, ManualAdapter(), catalog, signer, delivery, now, also=record_mint)


def get_license(db: Database, license_id: int) -> License:
    with db.transaction(write=False) as tx:
        row = tx.one("license_by_id", id=license_id)
    if row is None:
        raise NotFound(f"no license with id {license_id}", code="no_such_license")
    return row


def refunds_of(db: Database, licenses: Sequence[License]) -> dict[int, list[Refund]]:
    """The refunds each license's order received, oldest first, keyed by license id."""
    with db.transaction(write=False) as tx:
        return {lic.id: tx.many("refunds_for_order", source=lic.source, order_id=lic.order_id)
                for lic in licenses}


def revoke_license(db: Database, license_id: int, reason: str, now: datetime, *,
                   actor: str) -> License:
    with db.transaction() as tx:
        if tx.one("license_by_id", id=license_id) is None:
            raise NotFound(f"no license with id {license_id}", code="no_such_license")
        row = revoke(tx, license_id, reason, now)
        if row is None:
            raise Conflict(f"license {license_id} is already revoked", code="already_revoked")
        record_action(tx, "revoke", now, actor=actor, answer="200 revoked",
                      license_id=license_id, detail={"reason": reason})
    return row


def replay_event(db: Database, adapters: dict[str, SourceAdapter], catalog: Catalog,
                 signer: Signer, event_id: int, now: datetime, *, actor: str) -> Outcome:
    """Run a stored raw body through its adapter again (after fixing products.toml, say).

    Refuses bodies that failed authentication: only a storefront's own deliveries mint.
    """
    with db.transaction(write=False) as tx:
        stored = tx.one("event_by_id", id=event_id)
    if stored is None:
        raise NotFound(f"no webhook event with id {event_id}", code="no_such_event")
    if stored.outcome == "rejected_secret":
        raise Conflict(f"event {event_id} failed authentication; it cannot be replayed",
                       code="not_replayable")
    adapter = adapters.get(stored.source)
    if adapter is None:
        raise Conflict(f"no adapter for source {stored.source!r}", code="not_replayable")
    headers = json.loads(stored.headers)
    delivery = Delivery(
        source=stored.source, body=stored.body,
        content_type=headers.get("Content-Type", ""), headers=headers,
        remote_addr=stored.remote_addr, request_id=request_id_var.get(), received_at=now,
        replay_of=event_id,
    )

    def record_replay(tx: Transaction, result: Outcome) -> None:
        record_action(tx, "replay", now, actor=actor, answer=f"200 {result.outcome}",
                      event_id=event_id,
                      license_id=result.license.id if result.license else None,
                      detail={"new_event": result.event_id, "outcome": result.outcome})

    return process_delivery(db, adapter, catalog, signer, delivery, now, also=record_replay)


def resend_license(db: Database, license_id: int, now: datetime, *, actor: str,
                   reactivated: bool = False) -> OutboxRow:
    """Queue the license email again (after the buyer lost it, or Postmark reactivated them).

    Refuses a revoked or disputed license, and an address Postmark reported as undeliverable
    unless the operator says it was reactivated there (`reactivated`: the suppression is
    lifted, in the same transaction). Raises NotFound or Conflict.
    """
    with db.transaction() as tx:
        lic = _active_license(tx, license_id)
        suppressed = tx.one("suppression_for", email=lic.email)
        if suppressed is not None and not reactivated:
            raise Conflict(f"mail to this license's address bounced ({suppressed.bounce_type}); "
                           "reactivate it in Postmark, then resend with reactivated=true",
                           code="address_suppressed")
        if suppressed is not None:
            tx.exec("delete_suppression", email=lic.email)
        outbox_id = queue_license_mail(tx, lic, now, purpose="resend")
        detail: dict[str, Any] = {"outbox_id": outbox_id}
        if suppressed is not None:
            detail["reactivated"] = True  # the operator lifted a bounce's suppression
        record_action(tx, "resend", now, actor=actor, answer="202 queued",
                      license_id=license_id, detail=detail)
        row = tx.one("outbox_by_id", id=outbox_id)
    assert row is not None
    return row


@dataclass(frozen=True)
class Reissued:
    license: License
    previous_kid: str
    outbox_id: int


def reissue_license(db: Database, signer: Signer, license_id: int, now: datetime, *,
                    actor: str) -> Reissued:
    """Re-sign an active license with the current key (same lid and fields) and queue its
    `reissue` email: for buyers whose license's key was denied. Raises NotFound, or Conflict
    when the license is revoked or already signed with the current key."""
    current = signer.current_kid()
    with db.transaction() as tx:
        lic = _active_license(tx, license_id)
        if lic.kid == current:
            raise Conflict(f"license {license_id} is already signed with the current key "
                           f"{current}", code="already_current")
        new = reissue(tx, lic, signer)
        assert new is not None, "the row was active inside this transaction"
        outbox_id = queue_license_mail(tx, new, now, purpose="reissue")
        record_action(tx, "reissue", now, actor=actor, answer="200 reissued",
                      license_id=license_id,
                      detail={"previous_kid": lic.kid, "kid": new.kid, "outbox_id": outbox_id})
    return Reissued(license=new, previous_kid=lic.kid, outbox_id=outbox_id)
