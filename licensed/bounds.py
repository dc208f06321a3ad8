"""What storage can hold, checked on every event before it is acted on: one rule per type.

Adapters parse storefront text into events; a value the database cannot store (an integer past
its column, a NUL byte in PostgreSQL text, a date whose updates period runs past year 9999)
must be the body's fault (400, audited as `invalid`), not a driver error answered 500/503 that
the storefront would retry forever. The rules go by field type, so a new event type in
licensed/events.py is covered without a line here.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import date, datetime

from licensed.errors import BadRequest

# Integer columns are 32-bit (seats, quantities, months) except these 64-bit ones.
BIGINT_FIELDS = frozenset({"amount_minor"})
INT32 = 2**31 - 1
INT64 = 2**63 - 1
MAX_TEXT = 2000  # characters: names, addresses, order ids, notes
# Purchase dates a real sale can carry; keeps `updates_until` and later arithmetic in range.
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


def check_event(event: object) -> None:
    """Raise BadRequest (code `invalid_payload`) naming the first field storage cannot hold.

    Checks every dataclass field of `event` by its value's type: text (no NUL, at most MAX_TEXT
    characters), integers (32-bit, or 64-bit for BIGINT_FIELDS), dates and datetimes (EARLIEST–LATEST), and
    every property of the event (such as `updates_until`), which must compute without error.
    """
    if not dataclasses.is_dataclass(event):
        return
    for name in _fields(type(event)):
        _check_value(name, getattr(event, name))
    for name in _properties(type(event)):
        try:
            _check_value(name, getattr(event, name))
        except (OverflowError, ValueError):
            raise BadRequest(f"{name} is out of range", code="invalid_payload") from None


@functools.cache
def _fields(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


@functools.cache
def _properties(kind: type) -> tuple[str, ...]:
    return tuple(name for name in dir(kind) if isinstance(getattr(kind, name, None), property))


def _check_value(name: str, value: object) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise BadRequest(f"{name} holds a NUL character", code="invalid_payload")
        if len(value) > MAX_TEXT:
            raise BadRequest(f"{name} is longer than {MAX_TEXT} characters", code="invalid_payload")
    elif isinstance(value, int):
        limit = INT64 if name in BIGINT_FIELDS else INT32
        if not -limit <= value <= limit:
            raise BadRequest(f"{name} is out of range", code="invalid_payload")
    elif isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        if not EARLIEST <= day <= LATEST:
            raise BadRequest(f"{name} is out of range: {value.isoformat()}", code="invalid_payload")
    elif dataclasses.is_dataclass(value):  # an event inside an event (a subscription's sale)
        check_event(value)
