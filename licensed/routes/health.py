"""GET /health: for monitoring — the version, and whether the database answers."""

from __future__ import annotations

import json

import bottle

from licensed.errors import StorageError


def register(app: bottle.Bottle, daemon) -> None:
    @app.get("/health")
    def health():
        try:
            with daemon.db.transaction(write=False, timeout=2) as tx:
                tx.scalar("ping")
        except StorageError as exc:
            body = {"status": "unavailable", "version": daemon.version, "database": "unreachable",
                    "error": {"code": "database_unreachable", "message": exc.message}}
            return bottle.HTTPResponse(json.dumps(body), status=503,
                                       headers={"Content-Type": "application/json"})
        return {"status": "ok", "version": daemon.version, "database": "ok"}
