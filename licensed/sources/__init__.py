"""Storefront adapters: each turns one storefront's webhook body into an event (licensed/events.py).

An adapter only parses; it never touches the database or HTTP (tests/test_boundaries.py holds
that). Acting on the event lives in licensed/fulfilment.py, one path for every source.
"""

from __future__ import annotations

import re
from datetime import date
from email.errors import NonASCIILocalPartDefect
from email.headerregistry import HeaderRegistry
from typing import Protocol

from licensed.events import Event
from licensed.products import Catalog

_HEADERS = HeaderRegistry()
# A dot-atom local part @ a dot-atom domain of two labels or more, in letters, digits and
# `_ + -` (local) or `-` (domain): a subset of RFC 5322's addr-spec (section 3.4.1; atext,
# section 3.2.3) that the header parser below always reads as exactly this one address, so
# valid_email answers True for it without the parser (a tenth of a mint's CPU otherwise).
# tests/daemon/test_addresses.py holds the two ways to agree.
PLAIN_ADDRESS_RE = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A license id as licensed/minting.py makes them, wherever a buyer typed it (custom fields).
LID_RE = re.compile(r"\bL-[A-Z2-7]{16}\b")


class SourceAdapter(Protocol):
    """What every storefront adapter provides."""

    name: str

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> Event:
        """Normalise a raw body; raises licensed.errors.BadRequest when it cannot be used."""
        ...


def valid_email(text: str) -> bool:
    """Whether `text` is exactly one plain address (RFC 5322 addr-spec, as the standard library's
    header parser reads it): no display name, no list, no comment, no quoted local part, no
    whitespace or control characters, and a domain with a dot.

    A `,` `<` `>` or `;` makes the parser see a second address, a display name or a defect, so
    such text can never become a second recipient of a mail (issue 16, item 7).
    """
    if not text or len(text) > 254:
        return False
    if PLAIN_ADDRESS_RE.fullmatch(text):
        return True
    return _parsed_as_one_address(text)


def _parsed_as_one_address(text: str) -> bool:
    """valid_email's rule through the standard library's header parser (any address)."""
    if any(c.isspace() or ord(c) < 32 or c == "\x7f" for c in text):
        return False
    header = _HEADERS("To", text)
    if any(not isinstance(defect, NonASCIILocalPartDefect) for defect in header.defects):
        return False
    if len(header.addresses) != 1:
        return False
    (address,) = header.addresses
    return (not address.display_name and address.addr_spec == text
            and text == f"{address.username}@{address.domain}" and bool(address.username)
            and "." in address.domain.strip(".") and not address.domain.startswith("["))


def license_id_in(*texts: str | None) -> str | None:
    """The first license id (`L-` and 16 base32 letters) found in any of `texts`, or None."""
    for text in texts:
        match = LID_RE.search(text or "")
        if match:
            return match.group(0)
    return None
