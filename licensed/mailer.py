"""Mail transports: Postmark's HTTP API over urllib, or .eml files in a spool folder.

A transport's `send(message)` returns the message id, or raises MailRetryable (try again
later: network, timeout, 429, 5xx, Postmark ErrorCode 100) or MailRejected (never retry: bad
token, sender signature problems, inactive or invalid recipient).
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import ssl
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Callable, Protocol

from licensed.errors import LicensedError
from licensed.files import write_private_text
from licensed.message import Message

log = logging.getLogger("licensed.mail")

# Postmark ErrorCodes worth another try (100: maintenance). All others in a 422 are final.
RETRYABLE_ERROR_CODES = {100}
RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


class MailError(LicensedError):
    """A message was not accepted; `error_code` is Postmark's ErrorCode or the HTTP status."""

    code = "mail"

    def __init__(self, message: str, *, error_code: int | None = None):
        super().__init__(message)
        self.error_code = error_code


class MailRetryable(MailError):
    code = "mail_retryable"


class MailRejected(MailError):
    code = "mail_rejected"


class Transport(Protocol):
    name: str
    spools: bool  # True: `send` only writes a file on this machine; nobody receives the mail

    def send(self, message: Message) -> str: ...


def backoff_delay(attempt: int, *, base: float, cap: float,
                  rng: Callable[[], float] = random.random) -> float:
    """Exponential backoff with full jitter: a random delay in [0.5, 1.5) × base·2^(attempt-1)."""
    return min(cap, base * 2 ** max(0, attempt - 1)) * (0.5 + rng())


def _postmark_error(status: int, body: bytes) -> MailError:
    try:
        data = json.loads(body.decode("utf-8"))
        error_code, text = int(data.get("ErrorCode")), str(data.get("Message", ""))
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError, RecursionError):
        error_code, text = None, body[:200].decode("utf-8", errors="replace")
    described = f"Postmark answered HTTP {status}" + (
        f", ErrorCode {error_code}: {text}" if error_code is not None else f": {text}")
    # The row keeps Postmark's ErrorCode when it gave one (10, 300, 406, …), else the status.
    code = error_code if error_code else status
    if status in RETRYABLE_STATUSES or (status == 422 and error_code in RETRYABLE_ERROR_CODES):
        return MailRetryable(described, error_code=code)
    return MailRejected(described, error_code=code)


class PostmarkTransport:
    """`POST {api_url}/email` with the server token; TLS verified by the default context.

    Transient failures are retried `attempts` times with backoff inside one `send`; what is
    still failing after that goes back to the outbox, which retries on a longer schedule.
    """

    name = "postmark"
    spools = False

    def __init__(self, api_url: str, token: str, *, timeout: float = 10.0, attempts: int = 3,
                 backoff_base: float = 1.0, sleep: Callable[[float], None] = time.sleep):
        self.url = api_url.rstrip("/") + "/email"
        self._token = token
        self.timeout = timeout
        self.attempts = attempts
        self.backoff_base = backoff_base
        self._sleep = sleep
        self._tls = ssl.create_default_context()

    def _payload(self, message: Message) -> bytes:
        return json.dumps({
            "From": message.sender, "To": str(message.to), "Subject": message.subject,
            "TextBody": message.text, "HtmlBody": message.html, "Tag": message.tag,
            "Metadata": dict(message.metadata), "MessageStream": "outbound",
        }, ensure_ascii=False).encode("utf-8")

    def _send_once(self, body: bytes) -> str:
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Accept": "application/json", "Content-Type": "application/json",
            "X-Postmark-Server-Token": self._token,
        })
        try:
            context = self._tls if self.url.startswith("https:") else None
            with urllib.request.urlopen(request, timeout=self.timeout, context=context) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            with exc:
                raise _postmark_error(exc.code, exc.read()) from None
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError,
                http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise MailRetryable(f"cannot reach Postmark: {reason}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
            message_id = str(data["MessageID"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            # Accepted (200) but unreadable: sending again could double the mail. Record it.
            return "unknown (Postmark answered 200 without a MessageID)"
        if data.get("ErrorCode", 0) not in (0, None):
            raise _postmark_error(422, raw)
        return message_id

    def send(self, message: Message) -> str:
        body = self._payload(message)
        for attempt in range(1, self.attempts + 1):
            try:
                return self._send_once(body)
            except MailRetryable as exc:
                if attempt == self.attempts:
                    raise
                delay = backoff_delay(attempt, base=self.backoff_base, cap=30)
                log.info("mail retry attempt=%d in=%.1fs: %s", attempt, delay, exc.message)
                self._sleep(delay)
        raise AssertionError("unreachable")


class SpoolTransport:
    """Without a Postmark token: each message becomes an .eml file under `folder`."""

    name = "spool"
    spools = True

    def __init__(self, folder: Path, clock: Callable[[], datetime] | None = None):
        self.folder = folder
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    def send(self, message: Message) -> str:
        mail = EmailMessage()
        mail["From"] = message.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(self._clock())
        mail["Message-ID"] = make_msgid(domain="datatools.invalid")
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = self._clock().strftime("%Y%m%dT%H%M%S")
            lid, outbox_id = message.metadata.get("lid", "mail"), message.metadata.get("outbox_id", "0")
            name = f"{stamp}-{lid}-{outbox_id}.eml"
            write_private_text(self.folder / name, mail.as_string())
        except OSError as exc:
            raise MailRetryable(f"cannot write to the mail spool {self.folder}: {exc}") from None
        log.info("mail spooled file=%s", self.folder / name)
        return name
