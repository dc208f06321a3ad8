"""/internal/*: the operator's API (bin/dtadmin over an SSH tunnel), behind a Bearer token."""

from __future__ import annotations

import functools
import hmac
import json
from typing import Any, Callable, Sequence

import bottle

from licensed import operations
from licensed.errors import BadRequest, Unauthorized
from licensed.records import License, Refund, WebhookEvent, as_json
from licensed.routes import json_body, query_int, query_text, read_body
from licensed.settings import MAX_WEBHOOK_BODY

MAX_LIST = 500

# The license fields the operator sees (DESIGN.md contract 2, plus a few more). `status` is
# the license's standing: `active`, `suspended` (a dispute is open) or `revoked`.
LICENSE_FIELDS = ("id", "lid", "source", "order_id", "name", "email", "product", "product_key",
                  "tier", "seats", "status", "blob", "kid", "issued", "updates_until", "expires",
                  "offer_code", "amount_minor", "currency", "test", "note", "created_at",
                  "revoked_at", "revoke_reason", "variant", "payer_email", "suspended_at",
                  "suspend_reason")
REFUND_FIELDS = ("full_refund", "amount_minor", "currency", "created_at")


def license_json(lic: License, refunds: Sequence[Refund] = ()) -> dict[str, Any]:
    """A license as /internal shows it (DESIGN.md contract 2: the field names are the contract),
    with the refunds its order received (full or partial, amount when the storefront said)."""
    out = {name: getattr(lic, name) for name in LICENSE_FIELDS}
    out["status"] = lic.standing
    out["refunds"] = [{name: getattr(r, name) for name in REFUND_FIELDS} for r in refunds]
    return out


def event_json(event: WebhookEvent) -> dict[str, Any]:
    """An audit row with its headers as an object and its body as text."""
    out = as_json(event)
    out["headers"] = json.loads(event.headers)
    out["body"] = event.body.decode("utf-8", errors="replace")
    return out


def bearer_only(token: bytes) -> Callable:
    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            header = bottle.request.get_header("Authorization", "")
            scheme, _, given = header.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode("latin-1", errors="replace"), token
            ):
                raise Unauthorized("missing or wrong bearer token", code="unauthorized")
            return callback(*args, **kwargs)
        return wrapper
    return decorate


def register(app: bottle.Bottle, daemon) -> None:
    admin = bearer_only(daemon.secrets.admin_token)

    def shown(lic: License) -> dict[str, Any]:
        return license_json(lic, operations.refunds_of(daemon.db, [lic])[lic.id])

    @app.post("/internal/mint")
    @admin
    def mint():
        result = operations.mint_manually(daemon.db, daemon.catalog, daemon.signer,
                                          read_body(MAX_WEBHOOK_BODY), daemon.clock(),
                                          remote_addr=bottle.request.environ.get("REMOTE_ADDR"))
        bottle.response.status = 201 if result.created else 200
        if result.created:
            daemon.wake_mailer()
        assert result.license is not None, "a manual mint is a sale: it always has a license"
        return {"license": license_json(result.license)}

    @app.get("/internal/licenses")
    @admin
    def licenses():
        rows = operations.find_licenses(
            daemon.db, email=query_text("email"), order_id=query_text("order"),
            text=query_text("q"), limit=query_int("limit", 50, 1, MAX_LIST),
        )
        refunds = operations.refunds_of(daemon.db, rows)
        return {"licenses": [license_json(row, refunds[row.id]) for row in rows]}

    @app.get("/internal/licenses/<license_id:int>")
    @admin
    def license_detail(license_id: int):
        return {"license": shown(operations.get_license(daemon.db, license_id))}

    @app.post("/internal/licenses/<license_id:int>/revoke")
    @admin
    def revoke(license_id: int):
        reason = json_body(MAX_WEBHOOK_BODY).get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise BadRequest("reason must be a non-empty string", code="invalid_field")
        row = operations.revoke_license(daemon.db, license_id, reason.strip(), daemon.clock())
        return {"license": shown(row)}

    @app.get("/internal/events")
    @admin
    def events():
        rows = operations.find_events(
            daemon.db, outcome=query_text("outcome"), order_id=query_text("order"),
            limit=query_int("limit", 50, 1, MAX_LIST),
        )
        return {"events": [event_json(row) for row in rows]}

    @app.post("/internal/events/<event_id:int>/replay")
    @admin
    def replay(event_id: int):
        result = operations.replay_event(daemon.db, daemon.adapters, daemon.catalog,
                                         daemon.signer, event_id, daemon.clock())
        if result.created:
            daemon.wake_mailer()
        return {"outcome": result.outcome, "event_id": result.event_id,
                "license": shown(result.license) if result.license else None}

    @app.post("/internal/licenses/<license_id:int>/resend")
    @admin
    def resend(license_id: int):
        reactivated = json_body(MAX_WEBHOOK_BODY).get("reactivated", False)
        if not isinstance(reactivated, bool):
            raise BadRequest("reactivated must be true or false", code="invalid_field")
        row = operations.resend_license(daemon.db, license_id, daemon.clock(),
                                        reactivated=reactivated)
        daemon.wake_mailer()
        bottle.response.status = 202
        return {"outbox": as_json(row)}

    @app.get("/internal/outbox")
    @admin
    def outbox():
        rows = operations.find_outbox(daemon.db, status=query_text("status"),
                                      limit=query_int("limit", 50, 1, MAX_LIST))
        return {"outbox": [as_json(row) for row in rows]}
