"""The buyer's re-delivery portal: a form, one answer for every address, rate limits, CSRF.

A buyer types an address; every active license bought with it is queued to be mailed again —
to the address on record, never to what was typed. The answer is the same page, byte for byte,
whether or not the address has licenses (or has bounced before): the lookup and the queueing
happen after the answer, on the portal's own thread, so neither the words, the status nor the
time tell one case from the other. Limits per address and per client stop both enumeration by
volume and mail-bombing a buyer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from licensed.db import Database
from licensed.errors import LicensedError
from licensed.outbox import queue_license_mail

log = logging.getLogger("licensed.portal")

LANGUAGES = ("en", "de", "es", "fr")
# How long a form stays valid, and the limits (count, window in seconds) for one address and
# for one client. An address gets its licenses a few times an hour at most; a client (one
# office behind one NAT) may ask for several colleagues.
FORM_LIFETIME = 2 * 3600
ADDRESS_LIMIT = (3, 3600.0)
CLIENT_LIMIT = (10, 600.0)


class SlidingWindow:
    """At most `count` hits per key in any `seconds`-long window (kept in memory: one daemon)."""

    def __init__(self, count: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.count, self.seconds, self.clock = count, seconds, clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record a hit for `key`; False when it is over the limit (the hit is not counted)."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.count:
                return False
            hits.append(now)
            if len(self._hits) > 100_000:  # bounded memory under a flood of distinct keys
                self._hits = {k: v for k, v in self._hits.items()
                              if v and v[-1] > now - self.seconds}
            return True


@dataclass
class CsrfGuard:
    """Double-submit tokens: the form carries `issued.mac`, where mac is an HMAC of the issue
    time and a random nonce kept in a SameSite=Strict cookie; a forged cross-site POST has
    neither the cookie nor a token that matches it."""

    key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def new_nonce(self) -> str:
        return secrets.token_urlsafe(18)

    def token(self, nonce: str, issued: int) -> str:
        mac = hmac.new(self.key, f"{issued}.{nonce}".encode(), hashlib.sha256).hexdigest()
        return f"{issued}.{mac}"

    def valid(self, nonce: str | None, token: str | None, now: int) -> bool:
        if not nonce or not token or "." not in token:
            return False
        issued, _, _ = token.partition(".")
        if not (issued.isascii() and issued.isdigit()) or not 0 <= now - int(issued) <= FORM_LIFETIME:
            return False
        return hmac.compare_digest(self.token(nonce, int(issued)).encode(), token.encode())


def resend_to_address(db: Database, email: str, now: datetime) -> int:
    """Queue a re-send of every active license bought with `email` (any case), each to the
    address on record; nothing for a suppressed address. Returns how many were queued."""
    with db.transaction() as tx:
        if tx.one("suppression_for", email=email) is not None:
            return 0
        licenses = tx.many("active_licenses_for_email", email=email)
        for lic in licenses:
            queue_license_mail(tx, lic, now, purpose="resend")
    return len(licenses)


class PortalQueue:
    """Runs portal requests after they were answered, one at a time, on its own thread."""

    def __init__(self, db: Database, clock: Callable[[], datetime],
                 wake_mailer: Callable[[], None]):
        self.db, self.clock, self.wake_mailer = db, clock, wake_mailer
        self._requests: queue.Queue[str | None] = queue.Queue(maxsize=10_000)
        self._thread: threading.Thread | None = None

    def submit(self, email: str) -> None:
        """Queue a request (dropped with a log line when the queue is full: a flood)."""
        try:
            self._requests.put_nowait(email)
        except queue.Full:
            log.warning("portal queue full: request dropped")

    def run_pending(self) -> int:
        """Handle every queued request now (tests, and the thread's loop); returns how many."""
        handled = 0
        while True:
            try:
                email = self._requests.get_nowait()
            except queue.Empty:
                return handled
            if email is None:
                return handled
            self._handle(email)
            handled += 1

    def _handle(self, email: str) -> None:
        try:
            queued = resend_to_address(self.db, email, self.clock())
        except LicensedError as exc:
            log.error("portal request failed: %s", exc.message)
            return
        # No address in the log: the count alone tells the operator it works.
        log.info("portal request handled queued=%d", queued)
        if queued:
            self.wake_mailer()

    def _loop(self) -> None:
        while True:
            email = self._requests.get()
            if email is None:
                return
            self._handle(email)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="portal", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._requests.put(None)
            self._thread.join(10)
