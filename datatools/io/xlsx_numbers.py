"""Which text columns a workbook should hold as numbers: amounts like `120.50` or `12,5` become
numbers Excel can sum, shown with the decimals they had; codes stay text. Dates as the reader
writes a workbook's date cells (`2025-10-26`) become date cells again (DECISIONS 557).

A column is written as numbers only when every filled cell is a plain number in one style —
decimal point, or decimal comma with one or two decimals (a comma with three, `1,234`, may be a
thousands separator and stays text) — with no leading zero (`01067` is a postcode, not 1067)
and at most 15 digits (Excel keeps 15 significant digits; a longer account number would be
rounded). One linear pass per column.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_POINT = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.(\d{1,6}))?")
_COMMA = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:,(\d{1,2}))?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMAT = "yyyy-mm-dd"


def number_columns(frame: "pd.DataFrame") -> dict[int, str]:
    """{column position: "." or ","} for the columns to write as numbers."""
    found = {}
    for position, column in enumerate(frame.columns):
        values = [str(v).strip() for v in frame.iloc[:, position].tolist() if v is not None and str(v).strip()]
        if not values:
            continue
        for mark, pattern in ((".", _POINT), (",", _COMMA)):
            if all(pattern.fullmatch(v) for v in values):
                found[position] = mark
                break
    return found


def date_columns(frame: "pd.DataFrame") -> set[int]:
    """The positions of the columns whose every filled cell is an ISO date (`2025-10-26`, what
    datatools/io/excel.py makes of a workbook's date cell) that is a real day; one pass each."""
    import datetime as dt

    found = set()
    for position in range(frame.shape[1]):
        values = [str(v).strip() for v in frame.iloc[:, position].tolist() if v is not None and str(v).strip()]
        if not values or not all(_ISO_DATE.fullmatch(v) for v in values):
            continue
        try:
            for value in dict.fromkeys(values):
                dt.date.fromisoformat(value)
        except ValueError:
            continue
        found.add(position)
    return found


def date_cell(text: Any):
    """A cell of a date column: the `datetime.date` (None for an empty cell)."""
    import datetime as dt

    text = "" if text is None else str(text).strip()
    return dt.date.fromisoformat(text) if text else None


def number_cell(text: Any, mark: str) -> tuple[float | int | None, str]:
    """A cell of a number column: the value (None for an empty cell) and the number format that
    shows as many decimals as the text had (`0.00` for `120.50`; `0` for whole numbers)."""
    text = "" if text is None else str(text).strip()
    if not text:
        return None, "General"
    whole, _, decimals = text.partition(mark)
    if not decimals:
        return int(whole), "0"
    return float(f"{whole}.{decimals}"), "0." + "0" * len(decimals)
