"""GET /health: for monitoring — the version, whether the database answers, whether the
signer signs (reachable, and under its rate limits), and where mail goes. 503 names what is
wrong; mail written only to the spool folder is said, not a 503 (the development stack runs
that way by design)."""

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


SPOOL_ONLY = ("no Postmark token is set: license emails are written to the mail spool folder "
              "on the server, not sent to buyers")


def mail_health(daemon) -> dict[str, Any]:
    """What /health shows about mail: `postmark`, or `spool` with why nobody receives it (the
    folder itself is not named: /health answers anyone)."""
    worker = daemon.worker
    if worker is not None and worker.transport.spools:
        return {"transport": "spool", "message": SPOOL_ONLY}
    return {"transport": worker.transport.name if worker is not None else "none"}


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
        body["mail"] = mail_health(daemon)
        if signs and body["status"] == "ok":
            return body
        if body["status"] == "ok":
            body["status"] = "unavailable"
            body["error"] = {"code": f"signer_{body['signer']['status']}",
                             "message": body["signer"]["message"]}
        return bottle.HTTPResponse(json.dumps(body), status=503,
                                   headers={"Content-Type": "application/json"})
