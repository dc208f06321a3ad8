"""What an operator can do through /internal: mint by hand, look up, revoke, replay — each
action recorded in operator_actions in the same transaction as its effect.

A manual mint is a delivery from source `manual` (licensed/sources/manual.py) and goes through
the same `process_delivery` → `apply_event` path as a storefront's, audit row included.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from licensed.db import Database, Transaction
from licensed.errors import BadRequest, Conflict, NotFound
from licensed.fulfilment import Delivery, Outcome
from licensed.logs import request_id_var
from licensed.minting import Signer, revoke
from licensed.outbox import queue_license_mail
from licensed.products import Catalog
from licensed.records import License, OutboxRow, WebhookEvent
from licensed.sources import SourceAdapter
from licensed.sources.manual import ManualAdapter, with_order_id
from licensed.webhooks import process_delivery


def record_action(tx: Transaction, action: str, now: datetime, *, license_id: int | None = None,
                  event_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    tx.exec("insert_action", at=now, action=action, license_id=license_id, event_id=event_id,
            detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
            request_id=request_id_var.get())


def mint_manually(db: Database, catalog: Catalog, signer: Signer, body: bytes, now: datetime,
                  *, remote_addr: str | None = None) -> Outcome:
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
        if result.created and result.license is not None:
            record_action(tx, "mint", now, license_id=result.license.id, event_id=result.event_id,
                          detail={"order_id": result.license.order_id, "note": result.license.note})

    return process_delivery(db, ManualAdapter(), catalog, signer, delivery, now, also=record_mint)


def get_license(db: Database, license_id: int) -> License:
    with db.transaction(write=False) as tx:
        row = tx.one("license_by_id", id=license_id)
    if row is None:
        raise NotFound(f"no license with id {license_id}", code="no_such_license")
    return row


def find_licenses(db: Database, *, email: str | None, order_id: str | None, text: str | None,
                  limit: int) -> list[License]:
    pattern = None
    if text:
        escaped = text.lower().replace("\\", "").replace("%", "").replace("_", "")
        pattern = f"%{escaped}%"
    with db.transaction(write=False) as tx:
        return tx.many("find_licenses", email=email, order_id=order_id, pattern=pattern,
                       limit=limit)


def revoke_license(db: Database, license_id: int, reason: str, now: datetime) -> License:
    with db.transaction() as tx:
        if tx.one("license_by_id", id=license_id) is None:
            raise NotFound(f"no license with id {license_id}", code="no_such_license")
        row = revoke(tx, license_id, reason, now)
        if row is None:
            raise Conflict(f"license {license_id} is already revoked", code="already_revoked")
        record_action(tx, "revoke", now, license_id=license_id, detail={"reason": reason})
    return row


def find_events(db: Database, *, outcome: str | None, order_id: str | None,
                limit: int) -> list[WebhookEvent]:
    with db.transaction(write=False) as tx:
        return tx.many("find_events", outcome=outcome, order_id=order_id, limit=limit)


def replay_event(db: Database, adapters: dict[str, SourceAdapter], catalog: Catalog,
                 signer: Signer, event_id: int, now: datetime) -> Outcome:
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
        record_action(tx, "replay", now, event_id=event_id,
                      license_id=result.license.id if result.license else None,
                      detail={"new_event": result.event_id, "outcome": result.outcome})

    return process_delivery(db, adapter, catalog, signer, delivery, now, also=record_replay)


def resend_license(db: Database, license_id: int, now: datetime) -> OutboxRow:
    """Queue the license email again (after the buyer lost it, or Postmark reactivated them)."""
    with db.transaction() as tx:
        lic = tx.one("license_by_id", id=license_id)
        if lic is None:
            raise NotFound(f"no license with id {license_id}", code="no_such_license")
        if lic.status != "active":
            raise Conflict(f"license {license_id} is revoked; it is not sent again",
                           code="license_revoked")
        outbox_id = queue_license_mail(tx, lic, now, purpose="resend")
        record_action(tx, "resend", now, license_id=license_id, detail={"outbox_id": outbox_id})
        row = tx.one("outbox_by_id", id=outbox_id)
    assert row is not None
    return row


OUTBOX_STATES = ("pending", "sending", "sent", "failed")


def find_outbox(db: Database, *, status: str | None, limit: int) -> list[OutboxRow]:
    if status is not None and status not in OUTBOX_STATES:
        raise BadRequest(f"status must be one of {', '.join(OUTBOX_STATES)}", code="invalid_query")
    with db.transaction(write=False) as tx:
        return tx.many("find_outbox", status=status, limit=limit)
