"""Cells of a compare that hold the same decimal number or date written another way.

A spreadsheet writes `4111.9` for the `4111.90` of a CSV it was saved from; an accountant reads
both as the same amount, so such cells are not changes (DECISIONS 310). Only trailing zeros
after a decimal point differ: `7`, `7.0` and `7.00` are one number. A German CSV's `1.299,00`
and `02.01.2024` against its own Excel export's `1299` and `2024-01-02` are the same number
and date too (DECISIONS 324): each version's column has its own decimal mark and date order,
decided from the whole column's values as `clean --numbers auto` and `--dates auto` decide
them (`column_evidence`, `decided_style`), and each cell is read in its own column's style.
Every other spelling stays a change, as it may be one: leading zeros (`007` is an identifier
or a postcode), a sign, a mark the column does not decide (`1.000` is a thousand in Germany
and one elsewhere), grouping in a column without a decided mark, exponents (`1E+11` is what a
spreadsheet makes of a long account number, its last digits lost), two-digit years, times.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.notices import Notice


def decimal_number(text: str) -> tuple[bool, str, str] | None:
    """`text` as (negative, whole digits, fraction digits without trailing zeros) when it is a
    decimal number of ASCII digits (`-12`, `4111.90`), else None. Linear in the text."""
    negative = text.startswith("-")
    whole, dot, fraction = text[1 if negative else 0:].partition(".")
    if not (whole.isascii() and whole.isdigit()) or dot and not (fraction.isascii() and fraction.isdigit()):
        return None
    return negative, whole, fraction.rstrip("0")


def same_number(before: str, after: str) -> bool:
    """Whether two cells that differ as written are one decimal number (`decimal_number`)."""
    number = decimal_number(before)
    return number is not None and number == decimal_number(after)


# A day/month-first date with a four-digit year and no time (bounded: no backtracking).
_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})([./-])(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
Style = tuple  # (decimal mark "," / "." / None, date order "day-first" / "month-first" / None)


def column_evidence(values: "pd.Series") -> tuple[bool, bool, bool, bool]:
    """What a column's text values (or one batch of them) prove: (a decimal comma, a decimal
    point, a day-first date, a month-first date), by the evidence `clean --numbers auto`
    (clean_batch.COMMA_DECIMAL, POINT_DECIMAL on the values shaped as numbers) and `clean
    --dates auto` (dates.order_evidence) use. Over batches, the evidence ORs."""
    import pandas as pd

    from datatools.tools import text_patterns as tp
    from datatools.tools.clean_batch import COMMA_DECIMAL, POINT_DECIMAL
    from datatools.tools.dates import date_parts, order_evidence

    distinct = pd.Series(pd.unique(values.dropna()), dtype=object).astype(str)
    numbers = distinct[tp.match(distinct, tp.DECIMAL).to_numpy(dtype=bool)]
    parts = date_parts(distinct)
    day, month = order_evidence(parts["first"].astype(int), parts["second"].astype(int))
    return (bool(numbers.str.contains(COMMA_DECIMAL, regex=True).any()),
            bool(numbers.str.contains(POINT_DECIMAL, regex=True).any()), bool(day.any()), bool(month.any()))


def decided_style(evidence: Sequence[bool]) -> Style:
    """The column's (decimal mark, date order) from its `column_evidence`; None where the
    evidence is of neither kind or of both (ambiguous or conflicting, as clean leaves them)."""
    comma, point, day, month = evidence
    return ("," if comma and not point else "." if point and not comma else None,
            "day-first" if day and not month else "month-first" if month and not day else None)


def frame_styles(frame: "pd.DataFrame", columns: Sequence[str]) -> dict[str, Style]:
    """`decided_style` of each of `columns` of `frame` (text) over its whole column."""
    return {c: decided_style(column_evidence(frame[c])) for c in columns}


class ParquetStyles(dict):
    """{column: `decided_style`} of a working copy (Parquet at `path`; `stored`: each column's
    name there), each found on first use over the whole column, a batch at a time (the
    evidence of the batches ORed): the duckdb engine reads only the columns whose cells differ."""

    def __init__(self, path, stored: dict[str, str]):
        super().__init__()
        self.path, self.stored = path, stored

    def __missing__(self, column: str) -> Style:
        import pyarrow.parquet as pq

        evidence = (False,) * 4
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=1 << 17, columns=[self.stored[column]]):
            evidence = tuple(a or b for a, b in zip(evidence, column_evidence(batch.column(0).to_pandas())))
        self[column] = decided_style(evidence)
        return self[column]


def styled_number(text: str, mark: str | None) -> tuple[bool, str, str] | None:
    """`text` as `decimal_number` gives it, read with the decimal mark `mark` of its column
    ("," or "."; None: undecided, so only a number without separators reads). Grouping by
    the other mark is allowed where the column has a mark: `1.299,00` under "," is 1299."""
    if mark is None:
        return None if "," in text or "." in text else decimal_number(text)
    negative = text.startswith("-")
    whole, dot, fraction = text[1 if negative else 0:].partition(mark)
    if dot and not (fraction.isascii() and fraction.isdigit()):
        return None
    groups = whole.split("." if mark == "," else ",")
    if len(groups) > 1 and not (0 < len(groups[0]) <= 3 and not groups[0].startswith("0")
                                and all(len(g) == 3 for g in groups[1:])):
        return None
    whole = "".join(groups)
    if not (whole.isascii() and whole.isdigit()):
        return None
    return negative, whole, fraction.rstrip("0")


def styled_date(text: str, order: str | None) -> datetime.date | None:
    """`text` as a calendar date: ISO `2024-01-02` always, `02.01.2024` (four-digit year, no
    time) read in the column's `order` (day-first, month-first; None: not read); None when it
    is neither or no real date."""
    iso = _ISO.fullmatch(text)
    found = iso or (_DATE.fullmatch(text) if order else None)
    if found is None:
        return None
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        first, _, second, _, year = found.groups()
        day, month = (int(first), int(second)) if order == "day-first" else (int(second), int(first))
        year = int(year)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def respelled_kind(before: str, after: str, styles: tuple[Style, Style] | None) -> str | None:
    """"number" or "date" when two cells that differ as written are one decimal number or one
    date, each read in its own version's column style (`styles`: old's, new's; None: only
    the trailing-zero rule `same_number`), else None. With styles, a cell with a separator
    reads only in a column whose mark is decided: `1.000` in a column of such values alone
    may be a thousand or one, and stays a change."""
    if styles is None:
        return "number" if same_number(before, after) else None
    (old_mark, old_order), (new_mark, new_order) = styles
    number = styled_number(before, old_mark)
    if number is not None and number == styled_number(after, new_mark):
        return "number"
    date = styled_date(before, old_order)
    return "date" if date is not None and date == styled_date(after, new_order) else None


def respelled_numbers(differs: "np.ndarray", old_columns: Sequence, new: "pd.DataFrame",
                      shared: Sequence[str], old_of_new: "np.ndarray",
                      styles: tuple[dict, dict] | None = None) -> dict[str, dict[str, Any]]:
    """Take out of `differs` (new rows × `shared` columns, modified in place) the cells whose
    old value (`old_columns[k]`, pyarrow text arrays, row `old_of_new[row]`) and new value are
    one number or date (`respelled_kind`; `styles`: each version's {column: Style}), and count
    them per column: {column: {"cells", "row" (the first such new row, 1-based), "old", "new"
    (its two spellings), and "kind": "date" when that example is a date}}; columns without
    any are left out."""
    import numpy as np

    found = {}
    for k, column in enumerate(shared):
        rows = np.flatnonzero(differs[:, k])
        if not len(rows):
            continue
        before = old_columns[k].take(old_of_new[rows]).to_pylist()
        after = new[column].to_numpy(dtype=object)[rows].tolist()
        pair = (styles[0][column], styles[1][column]) if styles else None
        kinds = [respelled_kind(b, str(a), pair) for b, a in zip(before, after)]
        same = np.fromiter((kind is not None for kind in kinds), dtype=bool, count=len(rows))
        if same.any():
            differs[rows[same], k] = False
            first = int(np.argmax(same))
            found[column] = {"cells": int(same.sum()), "row": int(rows[first]) + 1,
                             "old": before[first], "new": str(after[first])}
            if kinds[first] == "date":
                found[column]["kind"] = "date"
    return found


def respelled_summed(total: dict[str, dict[str, Any]], more: dict[str, dict[str, Any]],
                     columns: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Two batches' `respelled_numbers` (rows numbered over the whole file) as one: the cells
    summed, the example of the earlier row kept, in the order of `columns` (as one batch
    of the whole would give them)."""
    summed = {}
    for column in columns:
        found = [f for f in (total.get(column), more.get(column)) if f]
        if found:
            summed[column] = {**min(found, key=lambda f: f["row"]), "cells": sum(f["cells"] for f in found)}
    return summed


def respelled_notes(respelled: dict[str, dict[str, Any]]) -> list["Notice"]:
    """One note per column whose cells hold the same numbers (or dates) written another way."""
    from datatools.notices import Notice

    return [Notice(f"{column}: {f['cells']:,} cell{'' if f['cells'] == 1 else 's'} hold the same "
                   f"{f.get('kind', 'number')} written another way (new row {f['row']:,}: {f['old']} → {f['new']}); "
                   "not counted as changes.", "compare_numbers_respelled", column=column, **f)
            for column, f in respelled.items()]
