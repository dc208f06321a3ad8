"""/internal/*: the operator's API (bin/dtadmin over an SSH tunnel), behind a Bearer token."""

from __future__ import annotations

import functools
import hmac
import json
from typing import Any, Callable

import bottle

from licensed import operations
from licensed.errors import BadRequest, Unauthorized
from licensed.records import License, WebhookEvent, as_json
from licensed.routes import json_body, query_int, query_text, read_body
from licensed.settings import MAX_WEBHOOK_BODY

MAX_LIST = 500

# The license fields the operator sees (DESIGN.md contract 2, plus a few more).
LICENSE_FIELDS = ("id", "lid", "source", "order_id", "name", "email", "product", "product_key",
                  "tier", "seats", "status", "blob", "kid", "issued", "updates_until", "expires",
                  "offer_code", "amount_minor", "currency", "test", "note", "created_at",
                  "revoked_at", "revoke_reason")


def license_json(lic: License) -> dict[str, Any]:
    """A license as /internal shows it (DESIGN.md contract 2: the field names are the contract)."""
    return {name: getattr(lic, name) for name in LICENSE_FIELDS}


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
        return {"licenses": [license_json(row) for row in rows]}

    @app.get("/internal/licenses/<license_id:int>")
    @admin
    def license_detail(license_id: int):
        return {"license": license_json(operations.get_license(daemon.db, license_id))}

    @app.post("/internal/licenses/<license_id:int>/revoke")
    @admin
    def revoke(license_id: int):
        reason = json_body(MAX_WEBHOOK_BODY).get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise BadRequest("reason must be a non-empty string", code="invalid_field")
        row = operations.revoke_license(daemon.db, license_id, reason.strip(), daemon.clock())
        return {"license": license_json(row)}

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
                "license": license_json(result.license) if result.license else None}

    @app.post("/internal/licenses/<license_id:int>/resend")
    @admin
    def resend(license_id: int):
        row = operations.resend_license(daemon.db, license_id, daemon.clock())
        daemon.wake_mailer()
        bottle.response.status = 202
        return {"outbox": as_json(row)}

    @app.get("/internal/outbox")
    @admin
    def outbox():
        rows = operations.find_outbox(daemon.db, status=query_text("status"),
                                      limit=query_int("limit", 50, 1, MAX_LIST))
        return {"outbox": [as_json(row) for row in rows]}
