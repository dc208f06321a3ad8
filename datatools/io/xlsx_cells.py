"""The cells a workbook written from a workbook keeps: each cell a tool left as it read it goes
back with its stored value and number format (a date stays a date, 6103 under `00000` stays
that number, 0.15 under `0%` stays a percentage), not as the text the reader made of it.

The reader turns every cell into text (datatools/io/excel.py); `SheetOrigin` remembers where
each row of the table was in its sheet, so the writer can find the cell again. A cell is kept
only when the tool's text for it is the text read and the stored value still reads as that
text (a guard against any row or column shift); formula cells are never copied (an output
holds no formulas: datatools/io/excel.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from datatools.io.excel import cell_text

if TYPE_CHECKING:
    import pandas as pd

KEEPS_CELLS = (".xlsx", ".xlsm")      # the workbooks openpyxl reads back


@dataclass(frozen=True)
class SheetOrigin:
    """Where a spreadsheet's table was: its sheet, the 1-based sheet row of each table row (the
    header's excluded; blank rows the reader left out are missing) and the 1-based sheet column
    of its first column."""

    sheet: str
    rows: tuple[int, ...]
    first_column: int


@dataclass(frozen=True)
class SourceCells:
    """A table as read from the workbook `path` (`before`, text) and where it was (`origin`)."""

    path: Path
    origin: SheetOrigin
    before: "pd.DataFrame"


def source_cells(table) -> SourceCells | None:
    """The cells of a `datatools.io.tables.Table` read from a workbook, or None for any other."""
    if table is None or table.origin is None:
        return None
    return SourceCells(table.path, table.origin, table.frame)


def input_sheet(table, inputs) -> str | None:
    """The name of the sheet the input `Table` was read from, when it is the one spreadsheet
    among the run's `inputs` (paths; None for a CSV, no table, or two workbooks): an .xlsx
    output names its sheet so (DECISIONS 557)."""
    from datatools.io.excel import SPREADSHEET_SUFFIXES

    origin = getattr(table, "origin", None)
    sheets = [p for p in inputs if Path(p).suffix.lower() in SPREADSHEET_SUFFIXES]
    return origin.sheet if origin is not None and len(sheets) == 1 else None


# A stored value and its number format, or None: write the tool's text as before.
Kept = tuple[object, str]


def kept_rows(source: SourceCells | None, after: "pd.DataFrame") -> Iterator[list[Kept | None]] | None:
    """Per row of `after` (the tool's result, row for row and column for column the table read
    as `source.before`): per column, the source cell to write instead of the text, or None.

    Only cells that hold a number, date, time or truth value are given: a text cell is its
    text, and goes out through the writer's text cells (a `=…` text must never become a formula). None instead of rows when there is nothing to keep from: no source, a
    file openpyxl cannot read, or a result of another shape. `before` may be the first rows
    of the sheet's table only (a trial's cut).
    """
    if (source is None or source.path.suffix.lower() not in KEEPS_CELLS or not len(after)
            or after.shape != source.before.shape or len(source.origin.rows) < len(after)
            or list(after.columns) != list(source.before.columns)):
        return None
    try:
        from openpyxl import load_workbook

        book = load_workbook(source.path, read_only=True, data_only=False)
        sheet = book[source.origin.sheet]
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file it cannot read
        return None
    return _rows(book, sheet, source, after)


def _rows(book, sheet, source: SourceCells, after: "pd.DataFrame") -> Iterator[list[Kept | None]]:
    width, rows = after.shape[1], source.origin.rows[:len(after)]   # a trial reads the first rows
    origin = SheetOrigin(source.origin.sheet, rows, source.origin.first_column)
    wanted = iter(origin.rows)
    next_row = next(wanted, None)
    befores = source.before.itertuples(index=False, name=None)
    afters = after.itertuples(index=False, name=None)
    try:
        for number, cells in enumerate(sheet.iter_rows(
                min_row=origin.rows[0], max_row=origin.rows[-1], min_col=origin.first_column,
                max_col=origin.first_column + width - 1), start=origin.rows[0]):
            if number != next_row:
                continue
            next_row = next(wanted, None)
            pairs = zip(next(befores), next(afters))
            yield [_kept(cell, before, now) for cell, (before, now) in zip(cells, pairs)] \
                + [None] * (width - len(cells))
    finally:
        book.close()


def _kept(cell, before, now) -> Kept | None:
    value = getattr(cell, "value", None)
    if value is None or before != now or getattr(cell, "data_type", "") == "f":
        return None
    if isinstance(value, str):      # text goes out as text cells, never as a formula (excel.py)
        return None
    return (value, cell.number_format or "General") if reads_as(value, str(before)) else None


_NOT_DIGITS = re.compile(r"\D")


def reads_as(value: object, text: str) -> bool:
    """Does the stored `value` read as `text` (datatools/io/excel.py): the same cell text, a date
    shown with its midnight time, or a whole number shown padded or grouped (`06103`)."""
    shown = cell_text(value)
    if shown == text or (isinstance(value, (dt.date, dt.datetime)) and text.startswith(shown)):
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return _NOT_DIGITS.sub("", text).lstrip("0") == str(abs(int(value))).lstrip("0")
    return False
