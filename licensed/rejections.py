"""Rejected deliveries (wrong or missing secret): a bounded digest, a per-client rate limit.

A wrong-secret POST is nobody's sale, so its audit row keeps only what tells attempts apart:
the size and SHA-256 of the body and its first KEPT_BYTES bytes. One client can still send
thousands a second, so each client gets a token bucket of audit rows; attempts beyond it are
answered the same way (a 404 like any unknown route) and counted in the next row it may write.
`licensed prune-rejected` removes old rejected rows (and only those) from the audit log.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Callable

# What a rejected row keeps of the body; the rest is summarised by size and hash.
KEPT_BYTES = 256
# Per client: a burst of 20 rows, then 2 a second (a misconfigured storefront retrying is
# still visible; a flood costs at most 2 rows a second per address).
BURST = 20.0
PER_SECOND = 2.0
# Clients remembered at once; beyond this the table starts afresh (a spoofed-address flood
# must not grow memory without bound).
MAX_CLIENTS = 10_000


def digest(body: bytes) -> tuple[bytes, str]:
    """(the first KEPT_BYTES bytes, a one-line description with the size and SHA-256)."""
    return body[:KEPT_BYTES], (f"body {len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()}"
                               f", first {min(len(body), KEPT_BYTES)} kept")


def client_key(remote_addr: str | None) -> str:
    """Who is sending: REMOTE_ADDR, which waitress already took from nginx's X-Forwarded-For
    when (and only when) the peer is the trusted proxy on 127.0.0.1 (licensed/serving.py)."""
    return (remote_addr or "-")[:64]


@dataclass
class _Bucket:
    tokens: float
    updated: float
    suppressed: int = 0


class RejectionLimiter:
    """A token bucket per client; `admit(key)` says whether to write an audit row now and how
    many attempts from that client went unrecorded since its last row."""

    def __init__(self, burst: float = BURST, per_second: float = PER_SECOND,
                 clock: Callable[[], float] = time.monotonic):
        self.burst = burst
        self.per_second = per_second
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def admit(self, key: str) -> tuple[bool, int]:
        """(record this attempt?, attempts suppressed before it); thread-safe."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._buckets.clear()
                bucket = self._buckets[key] = _Bucket(tokens=self.burst, updated=now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
            bucket.updated = now
            if bucket.tokens < 1:
                bucket.suppressed += 1
                return False, bucket.suppressed
            bucket.tokens -= 1
            suppressed, bucket.suppressed = bucket.suppressed, 0
            return True, suppressed
