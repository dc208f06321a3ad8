"""UTF-16 and UTF-32 without a byte-order mark, told by where their code units hold zero bytes.

Text in a Latin, Cyrillic or Greek script has a zero byte in every other position in UTF-16
(every 2nd and 3rd of 4 in UTF-32); CJK text in UTF-16 has few zeros, but every ASCII digit,
delimiter and line end it holds puts one on the same side. The zero pattern alone is not
enough for the weaker CJK case: the head must also decode into readable, plausible text.
"""

from __future__ import annotations

from datatools.io.plausible import score_unicode, unreadable

PLAUSIBLE = 0.4


def _zero_share(data: bytes, offset: int, step: int) -> float:
    part = data[offset::step]
    return part.count(0) / len(part) if part else 0.0


def _readable(head: bytes, encoding: str, unit: int) -> bool:
    data = head[: len(head) // unit * unit]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 4:       # only a character cut at the very end is forgiven
            return False
        text = data[: exc.start].decode(encoding)
    if unreadable(text, controls=True) is not None:
        return False
    return text.isascii() or score_unicode(text) >= PLAUSIBLE


def without_bom(head: bytes) -> str | None:
    """`utf-32-le/-be` or `utf-16-le/-be` when the head (the first 64 KiB) has their shape and
    reads as text, else None."""
    if len(head) < 4 or 0 not in head:
        return None
    shares4 = [_zero_share(head, i, 4) for i in range(4)]
    if shares4[2] > 0.95 and shares4[3] > 0.95 and shares4[0] < 0.5 and _readable(head, "utf-32-le", 4):
        return "utf-32-le"
    if shares4[0] > 0.95 and shares4[1] > 0.95 and shares4[3] < 0.5 and _readable(head, "utf-32-be", 4):
        return "utf-32-be"
    even, odd = _zero_share(head, 0, 2), _zero_share(head, 1, 2)
    # Latin-like text: zeros on one side in every other byte; CJK text: a few, all on one side.
    if (odd > 0.3 and even < 0.05) or (odd > 0.02 and even < odd / 10):
        if _readable(head, "utf-16-le", 2):
            return "utf-16-le"
    if (even > 0.3 and odd < 0.05) or (even > 0.02 and odd < even / 10):
        if _readable(head, "utf-16-be", 2):
            return "utf-16-be"
    return None
