"""Storefront adapters: each turns one storefront's webhook body into an event (licensed/events.py).

An adapter only parses; it never touches the database or HTTP (tests/test_boundaries.py holds
that). Acting on the event lives in licensed/fulfilment.py, one path for every source.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from licensed.events import Event
from licensed.products import Catalog


class SourceAdapter(Protocol):
    """What every storefront adapter provides."""

    name: str

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> Event:
        """Normalise a raw body; raises licensed.errors.BadRequest when it cannot be used."""
        ...


def valid_email(text: str) -> bool:
    """A plausible address: something@domain.tld, no whitespace (the storefront checked more)."""
    local, at, domain = text.rpartition("@")
    return bool(at and local and "." in domain and not any(c.isspace() for c in text))
