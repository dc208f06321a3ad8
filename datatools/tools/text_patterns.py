"""Regular expressions and value shapes that `clean` and `profile` both recognise."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

INTEGER = r"^[+-]?\d+$"
# 1234.5, 1,234.56, 1.234,56, 1 234,5 — a thousands separator, then an optional decimal part.
# The separators inside a number: written as the characters themselves, not `\u` escapes, which
# send pandas to Python's `re` cell by cell (RE2 reads them the same).
NUMBER_SEPARATORS = ",. \u00a0\u202f'"
DECIMAL = r"^[+-]?(?:\d{1,3}(?:[" + NUMBER_SEPARATORS + r"]\d{3})+|\d+)(?:[.,]\d+)?$"
DATE_DMY_OR_MDY = r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?"
DATETIME_DMY_OR_MDY = r"^\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})[ T]" + _CLOCK + "$"
# The parts `clean --dates` reads (datatools/tools/dates.py): a date, then optionally a time.
DATE_TIME_PARTS = (r"^(?P<first>\d{1,2})(?P<sep1>[./-])(?P<second>\d{1,2})(?P<sep2>[./-])"
                   r"(?P<year>\d{4}|\d{2})(?:(?P<t>[ T])(?P<hour>\d{1,2}):(?P<minute>\d{2})"
                   r"(?::(?P<sec>\d{2}))?(?P<ampm> ?[AaPp][Mm])?)?$")
DATE_ISO = r"^\d{4}-\d{2}-\d{2}$"
DATETIME_ISO = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
PHONE = r"^(?:\+|00)?[\d(][\d\s().\-/]{5,}\d$"
# An amount with one decimal mark and no leading zero (986.384, 12,5): PHONE's shape, but a
# number — a phone number written with one dot starts with 0 or + (trial 5: an amount column
# `Umsatz` was rewritten to +49986384).
AMOUNT = r"^[+-]?(?:0|[1-9]\d*)[.,]\d+$"
BOOLEAN = r"^(?i:true|false|yes|no|y|n|ja|nein|oui|non|0|1)$"
# Debris left by a wrong decoding: UTF-8 read as cp1252 ("Ã©", "â€™") or replacement characters.
ENCODING_DEBRIS = "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]|â€|\ufffd"

# Every character Python's `\d` matches (Unicode Nd) is an ASCII digit or not ASCII at all.
MAY_HOLD_DIGIT = r"[0-9]|[^\x00-\x7f]"


def match(s: "pd.Series", pattern: str, needs: str = MAY_HOLD_DIGIT) -> "pd.Series":
    """`s.str.match(pattern)` (bool, False for missing cells) with Python's `re` run only on
    the cells where RE2 finds `needs`, a pattern every match of `pattern` contains (default:
    a character that may be a digit). pandas runs `re` cell by cell for `\\d` and `\\s` on a
    column holding non-ASCII text; most cells of such a column (names, e-mails) hold no digit,
    so the answer is the same at a fraction of the cost."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = s.astype("str")
    found = np.zeros(len(text), dtype=bool)
    may = pc.fill_null(pc.match_substring_regex(pa.array(text, pa.string(), from_pandas=True), needs), False)
    at = np.flatnonzero(np.asarray(may))
    if len(at):
        found[at] = text.iloc[at].str.match(pattern).fillna(False).to_numpy(dtype=bool)
    return pd.Series(found, index=s.index, name=s.name)


def date_shaped(s: "pd.Series") -> tuple["pd.Series", "pd.Series"]:
    """The cells shaped like a day/month-first date (DATE_TIME_PARTS), and those or ISO dates
    and date-times (`clean --dates`' share). Each pattern's `match` looks only at cells
    holding a date separator, which every match holds (a column of amounts or identifiers
    is skipped in one vectorised call)."""
    dated = match(s, DATE_TIME_PARTS, needs="[./-]")
    return dated, dated | match(s, DATE_ISO, needs="-") | match(s, DATETIME_ISO, needs="-")


_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "A" * 26 + "a" * 26 + "9" * 10)
_LETTER_RUNS = re.compile(r"(?:A|a)+")


def shape(value: str, limit: int = 24) -> str:
    """A value's pattern: capitals A, small letters a, digits 9, other characters kept.

    Runs of letters shrink to their first two classes (`Ann` → `Aa`, `IBAN` → `A`), digits stay
    one per character so lengths of codes show (`01234` → `99999`).
    """
    masked = value.translate(_SHAPE)
    if not masked.isascii():
        masked = "".join(c if c.isascii() else ("a" if c.islower() else "A" if c.isupper() else c)
                         for c in masked)
    collapsed = _LETTER_RUNS.sub(lambda m: m.group()[0] + ("a" if "a" in m.group()[1:2] else ""),
                                 masked)
    return collapsed if len(collapsed) <= limit else collapsed[:limit] + "…"


def phone_like(folded: "pd.Series") -> "pd.Series":
    """The cells of `folded` (text, NFKC form) shaped like a phone number (bool): PHONE, and
    not a date or an amount (AMOUNT). `clean`'s phone step runs on a column only when enough
    of its filled cells are such, so a column of amounts or dates is skipped (both engines)."""
    return (match(folded, PHONE) & ~match(folded, DATE_DMY_OR_MDY) & ~match(folded, DATE_ISO)
            & ~match(folded, AMOUNT))
