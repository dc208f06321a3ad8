"""POST /webhooks/*: storefront and Postmark webhooks. Each route authenticates the raw body the
storefront's way, then hands it to process_delivery; nothing storefront-specific goes further.

Gumroad: the URL secret and the configured seller id. Lemon Squeezy: hex HMAC-SHA256 of the
body. Stripe: `t=…,v1=…` HMAC over `"{t}.{body}"`, 300 s tolerance. Postmark: HTTP Basic auth.
A failed check is audited (`rejected_secret`, never the secret) and answered the same way as a
route that does not exist (Gumroad, Postmark: the JSON 404 of no route) or as the storefront's
docs expect (Lemon Squeezy, Stripe: a JSON 401), so probing teaches nothing.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from typing import Callable

import bottle

from licensed.errors import PayloadTooLarge
from licensed.fulfilment import Delivery
from licensed.logs import request_id_var
from licensed.routes import error_response, not_found, read_body
from licensed.settings import MAX_WEBHOOK_BODY
from licensed.sources import gumroad, lemonsqueezy, stripe
from licensed.webhooks import process_delivery, record_rejected

log = logging.getLogger("licensed.webhooks")

# Headers kept in the audit log: enough to tell deliveries apart, nothing secret (the
# signatures are kept: they prove what was checked, and reveal no secret).
AUDITED_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "X-Forwarded-For",
                   "X-Real-Ip", "X-Request-Id", "X-Event-Name", "X-Signature",
                   "Stripe-Signature")


def current_delivery(source: str, body: bytes, received_at) -> Delivery:
    request = bottle.request
    headers = {}
    for name in AUDITED_HEADERS:  # each read once: Bottle decodes a header on every read
        value = request.get_header(name)
        if value is not None:
            headers[name] = value
    return Delivery(
        source=source, body=body, content_type=request.content_type or "",
        headers=headers, remote_addr=request.environ.get("REMOTE_ADDR"),
        request_id=request_id_var.get(), received_at=received_at,
    )


def secret_matches(expected: bytes) -> bool:
    # Bottle hands out query values as latin-1 text; encoding back yields the bytes sent.
    given = bottle.request.query.get("secret", "").encode("latin-1")
    return hmac.compare_digest(given, expected)


def basic_auth_matches(expected: bytes | None) -> bool:
    """Whether `Authorization: Basic …` carries exactly `user:password` (constant-time)."""
    scheme, _, token = bottle.request.get_header("Authorization", "").partition(" ")
    if expected is None or scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(given, expected)


def empty_404() -> bottle.HTTPResponse:
    # Same answer as a route that does not exist, byte for byte: nothing to learn by probing.
    return not_found()


def register(app: bottle.Bottle, daemon) -> None:
    def deliver(source: str, authentic: Callable[[bytes, Delivery], str | None],
                refusal: Callable[[], bottle.HTTPResponse],
                known_sender: Callable[[], bool] = lambda: False):
        """Read, authenticate (`authentic` returns why not, or None), process, answer.

        A body over the limit from a sender not known by what can be checked without it
        (`known_sender`: the URL secret, Basic auth) gets the route's refusal, as a wrong
        secret does: a 413 would tell a prober that the route exists.
        """
        received_at = daemon.clock()
        try:
            body = read_body(MAX_WEBHOOK_BODY)
        except PayloadTooLarge:
            if known_sender():
                raise
            log.warning("webhook refused source=%s remote=%s: a body over %d bytes from an "
                        "unknown sender", source, bottle.request.environ.get("REMOTE_ADDR"),
                        MAX_WEBHOOK_BODY)
            return refusal()
        delivery = current_delivery(source, body, received_at)
        problem = authentic(body, delivery)
        if problem is not None:
            record_rejected(daemon.db, delivery, problem, daemon.rejections)
            return refusal()
        result = process_delivery(daemon.db, daemon.adapters[source], daemon.catalog,
                                  daemon.signer, delivery, received_at)
        if result.created:
            daemon.wake_mailer()
        return {"outcome": result.outcome}

    def unauthorized() -> bottle.HTTPResponse:
        return error_response(401, "unauthorized", "missing or wrong signature")

    @app.post("/webhooks/gumroad")
    def gumroad_ping():
        def authentic(body: bytes, delivery: Delivery) -> str | None:
            if not secret_matches(daemon.secrets.gumroad_secret):
                return "wrong or missing webhook secret"
            seller = daemon.settings.gumroad_seller_id
            if not seller:  # the body is parsed once, by the adapter, when no seller is set
                return None
            given = gumroad.seller_of(body, delivery.content_type) or ""
            if not hmac.compare_digest(given.encode(), seller.encode()):
                return "seller_id is not the configured [gumroad] seller_id"
            return None
        return deliver("gumroad", authentic, empty_404,
                       lambda: secret_matches(daemon.secrets.gumroad_secret))

    @app.post("/webhooks/lemonsqueezy")
    def lemonsqueezy_webhook():
        def authentic(body: bytes, delivery: Delivery) -> str | None:
            secret = daemon.secrets.lemonsqueezy_secret
            if secret is None:
                return "Lemon Squeezy is not set up (no secrets/lemonsqueezy-secret)"
            if not lemonsqueezy.signature_valid(body, bottle.request.get_header("X-Signature"),
                                                secret):
                return "wrong or missing X-Signature"
            return None
        return deliver("lemonsqueezy", authentic, unauthorized)

    @app.post("/webhooks/stripe")
    def stripe_webhook():
        def authentic(body: bytes, delivery: Delivery) -> str | None:
            secret = daemon.secrets.stripe_secret
            if secret is None:
                return "Stripe is not set up (no secrets/stripe-secret)"
            if not stripe.signature_valid(body, bottle.request.get_header("Stripe-Signature"),
                                          secret, daemon.clock().timestamp()):
                return "wrong, missing or stale Stripe-Signature"
            return None
        def refusal() -> bottle.HTTPResponse:
            # A header that is not ASCII cannot be a signature: a malformed request, not a
            # wrong secret (`t=²` once reached int() and answered 500).
            if not (bottle.request.get_header("Stripe-Signature") or "").isascii():
                return error_response(400, "invalid_signature_header",
                                      "the Stripe-Signature header is not ASCII text")
            return unauthorized()
        return deliver("stripe", authentic, refusal)

    @app.post("/webhooks/postmark")
    def postmark_bounce():
        def authentic(body: bytes, delivery: Delivery) -> str | None:
            if not basic_auth_matches(daemon.secrets.postmark_webhook):
                return "wrong or missing Basic auth"
            return None
        return deliver("postmark", authentic, empty_404,
                       lambda: basic_auth_matches(daemon.secrets.postmark_webhook))
