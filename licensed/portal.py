"""The buyer's re-delivery portal: a form, one answer for every address, rate limits, CSRF.

A buyer types an address; every active license bought with it is queued to be mailed again —
to the address on record, never to what was typed. The answer is the same page, byte for byte,
whether or not the address has licenses (or has bounced before): the lookup and the queueing
happen after the answer, on the portal's own thread, so neither the words, the status nor the
time tell one case from the other. Limits per address and per client stop both enumeration by
volume and mail-bombing a buyer.

Every process of a daemon (`[server] processes`) shares the portal's state through the
database: the key that signs its CSRF tokens (table daemon_keys) and its rate-limit counters
(table rate_limits). Each process runs its own queue thread beside its mail worker; `licensed
serve` starts both (`Daemon.start`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
# The daemon_keys row holding the key of CSRF tokens and rate-limit keys.
PORTAL_KEY = "portal"


class SharedLimits:
    """At most `count` requests per key in a window of `seconds` that starts at the key's first
    request, counted in the database so every daemon process shares one count
    (`[server] processes`). Keys are stored as an HMAC under the portal's key: the table never
    holds an address a buyer typed or a client's IP address."""

    def __init__(self, db: Database, bucket: str, count: int, seconds: float, key: bytes):
        self.db, self.bucket, self.count, self.seconds = db, bucket, count, seconds
        self._key = key

    def allow(self, key: str, now: datetime) -> bool:
        """Count a request for `key` at `now`; False when it is over the limit. Raises
        StorageError when the database is unreachable (the route answers 503)."""
        hashed = hmac.new(self._key, key.encode("utf-8"), hashlib.sha256).hexdigest()
        with self.db.transaction() as tx:
            hits = tx.scalar("count_rate_hit", bucket=self.bucket, key=hashed, now=now,
                             window_from=now - timedelta(seconds=self.seconds))
        return int(hits) <= self.count


def prune_limits(db: Database, now: datetime) -> None:
    """Forget every rate-limit window that has ended (run after each portal request)."""
    longest = max(ADDRESS_LIMIT[1], CLIENT_LIMIT[1])
    with db.transaction() as tx:
        tx.exec("prune_rate_limits", before=now - timedelta(seconds=longest))


def portal_key(db: Database, now: datetime) -> bytes:
    """The portal's secret key, made by the first process that starts and shared by all of
    them through the database: a form issued by one process is accepted by any other."""
    with db.transaction() as tx:
        tx.exec("insert_daemon_key", name=PORTAL_KEY, value=secrets.token_hex(32), now=now)
        return bytes.fromhex(tx.scalar("daemon_key", name=PORTAL_KEY))


@dataclass
class CsrfGuard:
    """Double-submit tokens: the form carries `issued.mac`, where mac is an HMAC of the issue
    time and a random nonce kept in a SameSite=Strict cookie; a forged cross-site POST has
    neither the cookie nor a token that matches it."""

    key: bytes = field(repr=False)

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


def resend_to_address(db: Database, email: str, now: datetime, language: str | None = None) -> int:
    """Queue a re-send of every active license bought with `email` (any case), each to the
    address on record and in the portal's `language`; nothing for a suppressed address.
    Returns how many were queued."""
    with db.transaction() as tx:
        if tx.one("suppression_for", email=email) is not None:
            return 0
        licenses = tx.many("active_licenses_for_email", email=email)
        for lic in licenses:
            queue_license_mail(tx, lic, now, purpose="resend", language=language)
    return len(licenses)


class PortalQueue:
    """Runs portal requests after they were answered, one at a time, on its own thread."""

    def __init__(self, db: Database, clock: Callable[[], datetime],
                 wake_mailer: Callable[[], None]):
        self.db, self.clock, self.wake_mailer = db, clock, wake_mailer
        self._requests: queue.Queue[tuple[str, str] | None] = queue.Queue(maxsize=10_000)
        self._thread: threading.Thread | None = None

    def submit(self, email: str, language: str = "en") -> None:
        """Queue a request whose mail is written in `language` (dropped with a log line when
        the queue is full: a flood)."""
        try:
            self._requests.put_nowait((email, language))
        except queue.Full:
            log.warning("portal queue full: request dropped")

    def run_pending(self) -> int:
        """Handle every queued request now (tests, and the thread's loop); returns how many."""
        handled = 0
        while True:
            try:
                request = self._requests.get_nowait()
            except queue.Empty:
                return handled
            if request is None:
                return handled
            self._handle(*request)
            handled += 1

    def _handle(self, email: str, language: str) -> None:
        try:
            queued = resend_to_address(self.db, email, self.clock(), language)
        except LicensedError as exc:
            log.error("portal request failed: %s", exc.message)
            return
        # No address in the log: the count alone tells the operator it works.
        log.info("portal request handled queued=%d", queued)
        try:
            prune_limits(self.db, self.clock())
        except LicensedError as exc:
            log.error("portal: could not prune rate limits: %s", exc.message)
        if queued:
            self.wake_mailer()

    def _loop(self) -> None:
        while True:
            request = self._requests.get()
            if request is None:
                return
            self._handle(*request)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="portal", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._requests.put(None)
            self._thread.join(10)
