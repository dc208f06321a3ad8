"""GET /health: for monitoring — the version, whether the database answers, and whether the
signer signs (reachable, and under its rate limits). 503 names what is wrong."""

from __future__ import annotations

import json
from typing import Any

import bottle

from licensed.errors import LicensedError, StorageError


def signer_health(daemon) -> tuple[bool, dict[str, Any]]:
    """(signs now, what /health shows about the signer)."""
    try:
        status = daemon.signer.status()
    except LicensedError as exc:
        return False, {"status": "unreachable", "code": exc.code, "message": exc.message}
    limits = status.get("limits") or {}
    shown = {"status": "ok", "kid": status.get("kid"), "limits": limits}
    if limits.get("limited"):
        return False, {**shown, "status": "rate_limited", "message": limits["limited"]}
    return True, shown


def register(app: bottle.Bottle, daemon) -> None:
    @app.get("/health")
    def health():
        body: dict[str, Any] = {"status": "ok", "version": daemon.version, "database": "ok"}
        try:
            with daemon.db.transaction(write=False, timeout=2, snapshot=False) as tx:
                tx.scalar("ping")
        except StorageError as exc:
            body.update(status="unavailable", database="unreachable",
                        error={"code": "database_unreachable", "message": exc.message})
        signs, body["signer"] = signer_health(daemon)
        if signs and body["status"] == "ok":
            return body
        if body["status"] == "ok":
            body["status"] = "unavailable"
            body["error"] = {"code": f"signer_{body['signer']['status']}",
                             "message": body["signer"]["message"]}
        return bottle.HTTPResponse(json.dumps(body), status=503,
                                   headers={"Content-Type": "application/json"})
