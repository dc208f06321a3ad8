"""POST /webhooks/gumroad?secret=…: Gumroad's Ping, authenticated by the URL secret."""

from __future__ import annotations

import hmac

import bottle

from licensed.routes import read_body
from licensed.settings import MAX_WEBHOOK_BODY
from licensed.logs import request_id_var
from licensed.fulfilment import Delivery
from licensed.webhooks import process_delivery, record_rejected

# Headers kept in the audit log: enough to tell deliveries apart, nothing secret.
AUDITED_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "X-Forwarded-For",
                   "X-Real-Ip", "X-Request-Id")


def current_delivery(source: str, body: bytes, received_at) -> Delivery:
    request = bottle.request
    headers = {name: request.get_header(name) for name in AUDITED_HEADERS
               if request.get_header(name) is not None}
    return Delivery(
        source=source, body=body, content_type=request.content_type or "",
        headers=headers, remote_addr=request.environ.get("REMOTE_ADDR"),
        request_id=request_id_var.get(), received_at=received_at,
    )


def secret_matches(expected: bytes) -> bool:
    # Bottle hands out query values as latin-1 text; encoding back yields the bytes sent.
    given = bottle.request.query.get("secret", "").encode("latin-1")
    return hmac.compare_digest(given, expected)


def register(app: bottle.Bottle, daemon) -> None:
    @app.post("/webhooks/gumroad")
    def gumroad():
        received_at = daemon.clock()
        body = read_body(MAX_WEBHOOK_BODY)
        delivery = current_delivery("gumroad", body, received_at)
        if not secret_matches(daemon.secrets.gumroad_secret):
            record_rejected(daemon.db, delivery)
            # Same answer as a route that does not exist: nothing to learn by probing.
            return bottle.HTTPResponse(status=404, body="")
        result = process_delivery(daemon.db, daemon.adapters["gumroad"], daemon.catalog,
                                  daemon.signer, delivery, received_at)
        if result.created:
            daemon.wake_mailer()
        return {"outcome": result.outcome}
