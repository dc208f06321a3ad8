"""The transactional email outbox and its delivery worker.

A license's email is a row written in the license's own transaction, so neither can exist
without the other. The worker claims due rows (SKIP LOCKED on PostgreSQL, the single writer
on SQLite), sends each through the transport, and records the result; a row is `sent` only
after Postmark accepted it, with the message id kept, and `spooled` when the spool transport
(no Postmark token) wrote it to a file that nobody receives. States:

    pending ──claim──▶ sending ──accepted──▶ sent ──Postmark's bounce webhook──▶ bounced
       │ ▲                │ ├──written to the spool folder──▶ spooled
       │ │                │ ├──rejected / gave up──▶ failed
       │ └─retryable error┘ └──license revoked or held, address suppressed──▶ cancelled
       └──license revoked──▶ cancelled   (a claim that outlives its lease is claimed again)
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from licensed.db import Database, Transaction
from licensed.events import BounceEvent
from licensed.errors import StorageError
from licensed.mailer import MailError, MailRetryable, Transport, backoff_delay
from licensed.message import DEFAULT_LANGUAGE, license_message
from licensed.records import License, OutboxRow
from licensed.settings import Settings

log = logging.getLogger("licensed.outbox")

# A claim lasts longer than any send can (Postmark timeout × attempts + backoff), so only a
# worker that died loses its rows to another.
LEASE = timedelta(minutes=5)
RETRY_BASE_SECONDS = 60.0
RETRY_CAP_SECONDS = 3600.0
MAX_ATTEMPTS = 20  # with the cap, about a day of trying before a row is marked failed


def queue_license_mail(tx: Transaction, lic: License, now: datetime,
                       purpose: str = "license", language: str | None = None) -> int:
    """Queue the email for license `lic` inside the caller's transaction, written in `language`
    (a licensed/i18n catalog; None: English); returns the outbox id."""
    return tx.scalar("queue_mail", license_id=lic.id, purpose=purpose,
                     recipient=lic.email, now=now, language=language)


def record_bounce(tx: Transaction, event: BounceEvent,
                  now: datetime) -> tuple[str, License | None, str]:
    """Mark the bounced message's outbox row `bounced` with Postmark's bounce type, and
    suppress the address when Postmark deactivated it. Returns (outcome, license, detail):
    `bounced`, or `bounce_unmatched` for a message we have no record of sending."""
    row = tx.one("mark_mail_bounced", message_id=event.message_id,
                 bounce_type=event.bounce_type, bounced_at=now,
                 detail=event.detail or None)
    if event.inactive:
        tx.exec("insert_suppression", email=event.email, bounce_type=event.bounce_type,
                message_id=event.message_id, detail=event.detail or None, now=now)
    detail = f"{event.bounce_type}{' (address suppressed)' if event.inactive else ''}"
    if row is None:
        return "bounce_unmatched", None, detail
    return "bounced", tx.one("license_by_id", id=row.license_id), detail


@dataclass
class DeliveryReport:
    """Rows of one pass by result; `spooled` rows were written to the spool folder, not sent."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    spooled: int = 0

    def __add__(self, other: "DeliveryReport") -> "DeliveryReport":
        return DeliveryReport(self.sent + other.sent, self.retrying + other.retrying,
                              self.failed + other.failed, self.cancelled + other.cancelled,
                              self.spooled + other.spooled)


class DeliveryWorker:
    """Sends due outbox rows; `run_once()` for cron and tests, `start()` for a thread."""

    def __init__(self, db: Database, transport: Transport, *, sender: str,
                 clock: Callable[[], datetime], batch: int = 20, poll_seconds: float = 2.0,
                 rng: Callable[[], float] = random.random,
                 portal_url: str = Settings.portal_url,
                 support_email: str = Settings.support_email):
        self.db = db
        self.transport = transport
        self.sender = sender
        self.portal_url = portal_url
        self.support_email = support_email
        self.clock = clock
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.rng = rng
        self.worker_id = f"w-{secrets.token_hex(6)}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ one pass

    def claim(self) -> list[OutboxRow]:
        now = self.clock()
        with self.db.transaction() as tx:
            return tx.many("claim_due_mail", worker=self.worker_id, now=now,
                           lease_until=now + LEASE, limit=self.batch)

    def deliver(self, row: OutboxRow) -> str:
        """Send one claimed row and record what happened; returns sent/spooled/retrying/failed/
        cancelled (`spooled`: the transport only wrote it to the spool folder)."""
        with self.db.transaction(write=False, snapshot=False) as tx:
            lic = tx.one("license_by_id", id=row.license_id)
            suppressed = tx.one("suppression_for", email=row.recipient)
        assert lic is not None, "outbox rows reference licenses"
        # Checked right before sending: a refund or dispute that committed after the claim
        # still stops the mail; a bounced address is not tried blindly again.
        if lic.standing != "active":
            return self._record(row, "cancelled", error=f"license {lic.standing}")
        if suppressed is not None:
            return self._record(row, "cancelled", error=f"address suppressed after a "
                                f"{suppressed.bounce_type} bounce")
        try:
            message = license_message(lic, sender=self.sender, purpose=row.purpose,
                                      language=row.language or DEFAULT_LANGUAGE,
                                      outbox_id=row.id, portal_url=self.portal_url,
                                      support_email=self.support_email)
            message_id = self.transport.send(message)
        except MailError as exc:
            return self._record_mail_error(row, exc)
        except Exception as exc:
            # A message we cannot even build or hand over is our bug, not the network's: it
            # fails alone and visibly (status failed, the error kept), and the rest of the
            # batch goes on. Retrying it would fail the same way.
            log.exception("mail outbox=%s: could not build or send the message", row.id)
            return self._record(row, "failed", error=f"{type(exc).__name__}: {exc}"[:500])
        return self._record(row, "spooled" if self.transport.spools else "sent",
                            message_id=message_id)

    def _record_mail_error(self, row: OutboxRow, exc: MailError) -> str:
        if isinstance(exc, MailRetryable) and row.attempts < MAX_ATTEMPTS:
            return self._record(row, "retrying", error=exc.message, error_code=exc.error_code)
        if isinstance(exc, MailRetryable):
            return self._record(row, "failed", error=f"gave up after {row.attempts} attempts: "
                                f"{exc.message}", error_code=exc.error_code)
        return self._record(row, "failed", error=exc.message, error_code=exc.error_code)

    def _record(self, row: OutboxRow, result: str, *, error: str | None = None,
                error_code: int | None = None, message_id: str | None = None) -> str:
        now = self.clock()
        with self.db.transaction() as tx:
            if result in ("sent", "spooled"):
                kept = tx.scalar("mark_mail_sent", id=row.id, worker=self.worker_id,
                                 status=result, message_id=message_id, now=now)
            elif result == "retrying":
                delay = backoff_delay(row.attempts, base=RETRY_BASE_SECONDS,
                                      cap=RETRY_CAP_SECONDS, rng=self.rng)
                kept = tx.scalar("mark_mail_retry", id=row.id, worker=self.worker_id,
                              next_attempt_at=now + timedelta(seconds=delay),
                              error=error, error_code=error_code)
            elif result == "cancelled":
                kept = tx.scalar("mark_mail_cancelled", id=row.id, worker=self.worker_id,
                                 reason=error)
            else:
                kept = tx.scalar("mark_mail_failed", id=row.id, worker=self.worker_id,
                              error=error, error_code=error_code)
        if kept is None:
            log.error("mail outbox=%s result=%s not recorded: the claim expired", row.id, result)
        level = {"sent": logging.INFO, "spooled": logging.INFO, "retrying": logging.WARNING,
                 "cancelled": logging.WARNING}.get(result, logging.ERROR)
        log.log(level, "mail outbox=%s license=%s attempt=%s result=%s%s", row.id,
                row.license_id, row.attempts, result,
                f" message_id={message_id}" if message_id else f" error_code={error_code}: {error}")
        return result

    def run_once(self) -> DeliveryReport:
        """Claim and deliver every row due now (batch by batch); return the counts."""
        report = DeliveryReport()
        while not self._stop.is_set():
            rows = self.claim()
            if not rows:
                break
            for row in rows:
                result = self.deliver(row)
                report += DeliveryReport(sent=result == "sent", retrying=result == "retrying",
                                         failed=result == "failed",
                                         cancelled=result == "cancelled",
                                         spooled=result == "spooled")
            if len(rows) < self.batch:
                break
        return report

    # ------------------------------------------------------------------ as a thread

    def wake(self) -> None:
        """Deliver now instead of at the next poll (called after a license is committed)."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except StorageError as exc:
                log.error("mail worker: database error, will retry: %s", exc.message)
            except Exception:  # a bug must not silently end delivery for good
                log.exception("mail worker: unexpected error, will retry")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="mail-worker", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Block until the thread ends (after `stop()`, or never)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(1)

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
