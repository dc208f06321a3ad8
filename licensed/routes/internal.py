"""/internal/*: the operator's API (bin/dtadmin over an SSH tunnel), behind named Bearer tokens.

Every action that changes something is recorded in operator_actions with the token's name and
the answer, refusals included (`acting`); lists are paged (`before`, answered with `next`).
"""

from __future__ import annotations

import functools
import hmac
import json
import os
import signal
from datetime import date
from typing import Any, Callable, Mapping, Sequence

import bottle

from licensed import imports, operations, reports
from licensed.errors import BadRequest, ConfigError, Conflict, LicensedError, Unauthorized
from licensed.records import License, Refund, WebhookEvent, as_json
from licensed.routes import json_body, query_int, query_text, read_body
from licensed.settings import MAX_WEBHOOK_BODY

MAX_LIST = 500
TOKEN_NAME = "licensed.token_name"  # where the authenticated token's name waits in the environ

# The license fields the operator sees (docs/LICENSE-SERVER.md, plus a few more). `status` is
# the license's standing: `active`, `suspended` (a dispute is open) or `revoked`.
LICENSE_FIELDS = ("id", "lid", "source", "order_id", "name", "email", "product", "product_key",
                  "tier", "seats", "status", "blob", "kid", "issued", "updates_until", "expires",
                  "offer_code", "amount_minor", "currency", "test", "note", "created_at",
                  "revoked_at", "revoke_reason", "variant", "payer_email", "suspended_at",
                  "suspend_reason")
REFUND_FIELDS = ("full_refund", "amount_minor", "currency", "created_at")


def license_json(lic: License, refunds: Sequence[Refund] = ()) -> dict[str, Any]:
    """A license as /internal shows it (docs/LICENSE-SERVER.md: the field names are the contract),
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


def token_name(tokens: Mapping[str, bytes], header: str) -> str | None:
    """The name of the token an `Authorization: Bearer …` header carries, or None.

    Every token is compared, in constant time each, so the answer's timing does not tell
    which names exist or how much of a token matched.
    """
    scheme, _, given = header.partition(" ")
    presented = given.strip().encode("latin-1", errors="replace")
    found = None
    for name, token in tokens.items():
        if hmac.compare_digest(presented, token) and scheme.lower() == "bearer":
            found = name
    return found


def bearer_only(tokens: Mapping[str, bytes]) -> Callable:
    def decorate(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            name = token_name(tokens, bottle.request.get_header("Authorization", ""))
            if name is None:
                raise Unauthorized("missing or wrong bearer token", code="unauthorized")
            bottle.request.environ[TOKEN_NAME] = name
            return callback(*args, **kwargs)
        return wrapper
    return decorate


def actor() -> str:
    return bottle.request.environ[TOKEN_NAME]


def query_date(name: str) -> date | None:
    raw = query_text(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a day, YYYY-MM-DD", code="invalid_query") from None


def paging() -> dict[str, Any]:
    return {"limit": query_int("limit", 50, 1, MAX_LIST),
            "before": query_int("before", reports.FIRST_PAGE, 1, reports.FIRST_PAGE)}


def page_json(key: str, page: reports.Page, render: Callable[[Any], dict[str, Any]]) -> dict:
    return {key: [render(row) for row in page.rows], "next": page.next}


def keys_json(daemon) -> dict[str, Any]:
    """The key this process signs with and the keyring's kids and deny list, as they are now."""
    ring = daemon.keys.keyring()
    return {"kid": daemon.keys.kid, "keys": sorted(ring.keys), "denied": sorted(ring.denied)}


def register(app: bottle.Bottle, daemon) -> None:
    admin = bearer_only(daemon.secrets.admin_tokens)

    def acting(action: str) -> Callable:
        """Record a refused action (the successful ones record themselves, atomically)."""
        def decorate(callback: Callable) -> Callable:
            @functools.wraps(callback)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return callback(*args, **kwargs)
                except LicensedError as exc:
                    operations.record_refusal(daemon.db, action, daemon.clock(), actor=actor(),
                                              error=exc, target=kwargs)
                    raise
            return wrapper
        return decorate

    def shown(lic: License) -> dict[str, Any]:
        return license_json(lic, operations.refunds_of(daemon.db, [lic])[lic.id])

    @app.post("/internal/mint")
    @admin
    @acting("mint")
    def mint():
        result = operations.mint_manually(daemon.db, daemon.catalog, daemon.signer,
                                          read_body(MAX_WEBHOOK_BODY), daemon.clock(),
                                          actor=actor(),
                                          remote_addr=bottle.request.environ.get("REMOTE_ADDR"))
        bottle.response.status = 201 if result.created else 200
        if result.created:
            daemon.wake_mailer()
        assert result.license is not None, "a manual mint is a sale: it always has a license"
        return {"license": license_json(result.license)}

    @app.get("/internal/licenses")
    @admin
    def licenses():
        page = reports.list_licenses(
            daemon.db, email=query_text("email"), order_id=query_text("order"),
            lid=query_text("lid"), status=query_text("status"), source=query_text("source"),
            since=query_date("since"), text=query_text("q"), **paging(),
        )
        refunds = operations.refunds_of(daemon.db, page.rows)
        return page_json("licenses", page, lambda row: license_json(row, refunds[row.id]))

    @app.get("/internal/licenses/<license_id:int>")
    @admin
    def license_detail(license_id: int):
        return {"license": shown(operations.get_license(daemon.db, license_id))}

    @app.post("/internal/licenses/<license_id:int>/revoke")
    @admin
    @acting("revoke")
    def revoke(license_id: int):
        reason = json_body(MAX_WEBHOOK_BODY).get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise BadRequest("reason must be a non-empty string", code="invalid_field")
        row = operations.revoke_license(daemon.db, license_id, reason.strip(), daemon.clock(),
                                        actor=actor())
        return {"license": shown(row)}

    @app.post("/internal/licenses/<license_id:int>/resend")
    @admin
    @acting("resend")
    def resend(license_id: int):
        reactivated = json_body(MAX_WEBHOOK_BODY).get("reactivated", False)
        if not isinstance(reactivated, bool):
            raise BadRequest("reactivated must be true or false", code="invalid_field")
        row = operations.resend_license(daemon.db, license_id, daemon.clock(), actor=actor(),
                                        reactivated=reactivated)
        daemon.wake_mailer()
        bottle.response.status = 202
        return {"outbox": as_json(row)}

    @app.post("/internal/licenses/<license_id:int>/reissue")
    @admin
    @acting("reissue")
    def reissue(license_id: int):
        done = operations.reissue_license(daemon.db, daemon.signer, license_id, daemon.clock(),
                                          actor=actor())
        daemon.wake_mailer()
        return {"license": shown(done.license), "previous_kid": done.previous_kid,
                "outbox_id": done.outbox_id}

    @app.post("/internal/import")
    @admin
    @acting("import")
    def import_():
        report = imports.import_issued(
            daemon.db, daemon.adapters["offline"], daemon.catalog, daemon.signer,
            read_body(MAX_WEBHOOK_BODY), query_int("first_line", 1, 1, 10**9), daemon.clock(),
            actor=actor(), remote_addr=bottle.request.environ.get("REMOTE_ADDR"),
        )
        return {"imported": [license_json(lic) for lic in report.imported],
                "existing": [license_json(lic) for lic in report.existing],
                "rejected": [as_json(rejected) for rejected in report.rejected]}

    @app.get("/internal/keys")
    @admin
    def keys():
        return keys_json(daemon)

    @app.get("/internal/revocations")
    @admin
    def revocations():
        with daemon.db.transaction(write=False) as tx:
            lids = [lic.lid for lic in tx.many("revoked_licenses")]
        return {"list": daemon.signer.revocation_list(lids), "count": len(lids)}

    @app.post("/internal/keys/reload")
    @admin
    @acting("reload")
    def keys_reload():
        try:
            previous, kid = daemon.keys.reload()
        except ConfigError as exc:
            raise Conflict(f"still signing with {daemon.keys.kid}: {exc.message}",
                           code="keys_not_reloaded") from None
        if daemon.settings.processes > 1:
            # The other processes of `[server] processes` reload when the supervisor passes
            # its SIGHUP on (licensed/serving.py).
            os.kill(os.getppid(), signal.SIGHUP)
        with daemon.db.transaction() as tx:
            operations.record_action(tx, "reload", daemon.clock(), actor=actor(),
                                     answer="200 reloaded",
                                     detail={"previous_kid": previous, "kid": kid})
        return {**keys_json(daemon), "previous_kid": previous}

    @app.get("/internal/events")
    @admin
    def events():
        page = reports.list_events(
            daemon.db, outcome=query_text("outcome"), source=query_text("source"),
            order_id=query_text("order"), since=query_date("since"), **paging(),
        )
        return page_json("events", page, event_json)

    @app.post("/internal/events/<event_id:int>/replay")
    @admin
    @acting("replay")
    def replay(event_id: int):
        result = operations.replay_event(daemon.db, daemon.adapters, daemon.catalog,
                                         daemon.signer, event_id, daemon.clock(), actor=actor())
        if result.created:
            daemon.wake_mailer()
        return {"outcome": result.outcome, "event_id": result.event_id,
                "license": shown(result.license) if result.license else None}

    @app.get("/internal/outbox")
    @admin
    def outbox():
        page = reports.list_outbox(daemon.db, status=query_text("status"), **paging())
        return page_json("outbox", page, as_json)

    @app.get("/internal/actions")
    @admin
    def actions():
        page = reports.list_actions(daemon.db, action=query_text("action"),
                                    token_name=query_text("token"), since=query_date("since"),
                                    **paging())
        return page_json("actions", page, as_json)

    @app.get("/internal/stats")
    @admin
    def stats():
        figures = reports.sales_stats(daemon.db)
        revenue = [{**as_json(row), "net_minor": row.gross_minor - row.refunded_minor}
                   for row in figures.revenue]
        return {"by_tier": [as_json(row) for row in figures.by_tier],
                "by_source": [as_json(row) for row in figures.by_source],
                "by_month": [as_json(row) for row in figures.by_month], "revenue": revenue}
