"""Storefront-shaped webhook bodies, signed the way each storefront documents it (test side).

Lemon Squeezy: JSON:API order bodies, `X-Signature` = hex HMAC-SHA256 of the body. Stripe:
event envelopes around Checkout Sessions, charges and disputes, `Stripe-Signature: t=…,v1=…`
over `"{t}.{body}"`. Postmark: Bounce records behind HTTP Basic auth. Gumroad field cases: the
`.form` bodies under tests/data/field_cases/gumroad/.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from pathlib import Path
from typing import Any, Callable

from tests.daemon.harness import (LEMONSQUEEZY_SECRET, POSTMARK_WEBHOOK, STRIPE_SECRET,
                                  GUMROAD_SECRET, LiveDaemon, Response)

FIELD_CASES = Path(__file__).resolve().parent.parent / "data" / "field_cases" / "gumroad"


def field_case(name: str) -> bytes:
    """A Gumroad Ping body from the field cases, byte for byte."""
    return (FIELD_CASES / f"{name}.form").read_bytes()


def post_form(live: LiveDaemon, body: bytes, secret: str = GUMROAD_SECRET) -> Response:
    return live.post(f"/webhooks/gumroad?secret={secret}", body,
                     {"Content-Type": "application/x-www-form-urlencoded"})


# ---------------------------------------------------------------- Lemon Squeezy

def lemon_order(order_id: str = "5550001", event: str = "order_created", **attributes: Any) -> dict:
    """An order webhook as docs.lemonsqueezy.com shows it (amounts in cents of `currency`)."""
    attrs = {
        "store_id": 1, "customer_id": 77, "identifier": "104e18a2-d755-4d4b-80c4-a6c1dcbe1c10",
        "order_number": 1042, "user_name": "Inès Lefèvre", "user_email": "ines@example.fr",
        "currency": "EUR", "currency_rate": "1.08", "subtotal": 4900, "discount_total": 0,
        "tax": 0, "total": 4900, "status": "paid", "refunded": False, "refunded_at": None,
        "refunded_amount": 0, "test_mode": False, "created_at": "2026-11-20T09:30:00.000000Z",
        "first_order_item": {"id": 9, "order_id": int(order_id), "product_id": 30001,
                             "variant_id": 401001, "product_name": "DataTools",
                             "variant_name": "Pro", "price": 4900, "quantity": 1},
    }
    attrs.update(attributes)
    return {"meta": {"event_name": event, "custom_data": {}},
            "data": {"type": "orders", "id": order_id, "attributes": attrs}}


def lemon_post(live: LiveDaemon, payload: dict | bytes, secret: str = LEMONSQUEEZY_SECRET,
               signature: str | None = None) -> Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sig = signature if signature is not None else hmac.new(secret.encode(), body,
                                                           hashlib.sha256).hexdigest()
    event = json.loads(body).get("meta", {}).get("event_name", "") if body.startswith(b"{") else ""
    return live.post("/webhooks/lemonsqueezy", body, {
        "Content-Type": "application/json", "X-Event-Name": event, "X-Signature": sig})


# ---------------------------------------------------------------- Stripe

def stripe_event(kind: str, obj: dict, event_id: str = "evt_1") -> dict:
    return {"id": event_id, "object": "event", "api_version": "2024-06-20", "type": kind,
            "created": 1795600000, "livemode": obj.get("livemode", True),
            "data": {"object": obj}}


def stripe_session(session_id: str = "cs_live_a1", intent: str | None = "pi_3Sale1",
                   price: str = "price_1ProEUR", **fields: Any) -> dict:
    """A Checkout Session as `checkout.session.completed` carries it (no line items: Stripe
    does not include them; a Payment Link copies its metadata, here the price id)."""
    session = {
        "id": session_id, "object": "checkout.session", "mode": "payment",
        "payment_status": "paid", "status": "complete", "amount_total": 4900,
        "currency": "eur", "livemode": True, "created": 1795600000, "payment_intent": intent,
        "customer_details": {"email": "jonas@example.de", "name": "Jonas Weiß"},
        "metadata": {"price_id": price}, "custom_fields": [],
    }
    session.update(fields)
    return session


def stripe_charge(intent: str = "pi_3Sale1", amount_refunded: int = 4900, refunded: bool = True,
                  currency: str = "eur") -> dict:
    return {"id": "ch_3Sale1", "object": "charge", "amount": 4900,
            "amount_refunded": amount_refunded, "refunded": refunded, "currency": currency,
            "payment_intent": intent, "livemode": True}


def stripe_dispute(intent: str = "pi_3Sale1", status: str = "needs_response") -> dict:
    return {"id": "dp_1", "object": "dispute", "amount": 4900, "charge": "ch_3Sale1",
            "payment_intent": intent, "reason": "fraudulent", "status": status,
            "currency": "eur", "livemode": True}


def stripe_header(body: bytes, timestamp: int, secret: str = STRIPE_SECRET,
                  extra_v1: tuple[str, ...] = ()) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return ",".join([f"t={timestamp}", *(f"v1={v}" for v in extra_v1), f"v1={mac}"])


def stripe_post(live: LiveDaemon, payload: dict | bytes, *, timestamp: int | None = None,
                header: str | None = None, secret: str = STRIPE_SECRET) -> Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    when = int(live.clock().timestamp()) if timestamp is None else timestamp
    return live.post("/webhooks/stripe", body, {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": header if header is not None else stripe_header(body, when, secret)})


# ---------------------------------------------------------------- Postmark

def postmark_bounce(message_id: str, email: str, bounce_type: str = "HardBounce",
                    inactive: bool = True) -> dict:
    """A bounce webhook body (Postmark's Bounce record)."""
    return {"RecordType": "Bounce", "ID": 4323372036854775807, "Type": bounce_type,
            "TypeCode": 1, "Name": "Hard bounce", "Tag": "license", "MessageID": message_id,
            "ServerID": 23, "MessageStream": "outbound", "Description": "The server was unable "
            "to deliver your message (ex: unknown user, mailbox not found).",
            "Details": "Test bounce details", "Email": email, "From": "licenses@example.com",
            "BouncedAt": "2026-11-23T12:05:00Z", "DumpAvailable": True, "Inactive": inactive,
            "CanActivate": True, "Subject": "Your DataTools Pro license", "Metadata": {}}


def postmark_post(live: LiveDaemon, payload: dict, credentials: str = POSTMARK_WEBHOOK) -> Response:
    auth = base64.b64encode(credentials.encode()).decode()
    return live.post("/webhooks/postmark", json.dumps(payload).encode(), {
        "Content-Type": "application/json", "Authorization": f"Basic {auth}"})


# ---------------------------------------------------------------- concurrency

def release_together(calls: list[Callable[[], Response]]) -> list[int]:
    """Make every call at the same moment (one thread each, released by one barrier); returns
    the HTTP statuses in the order of `calls`."""
    statuses: list[int] = [0] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int) -> None:
        start.wait()
        statuses[index] = calls[index]().status

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
