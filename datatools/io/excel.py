"""Read spreadsheets (.xlsx, .xlsm, .xls, .ods) with python-calamine and write .xlsx with openpyxl.

Formula cells without a computed result (workbooks written by programs) read as empty and are
named in a warning.

Cells come back as text the way the sheet shows them where that is unambiguous: whole numbers
without ".0", numbers under a format that pads or groups digits as Excel shows them (`00000`:
06103), dates as ISO dates (a date-time with its time, also at midnight where its column
holds times or its format shows one: `sheet_texts`), booleans as TRUE/FALSE. Text cells (leading zeros, ZIP codes) are
already text in the file and stay as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from datatools.errors import BadInput
from datatools.notices import Notice, numbers
from datatools.io.formulas import (MAX_LISTED, SheetScan, column_index, column_letters,
                                   column_name, scan_sheet, timed_cells)

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


@dataclass
class SheetRows:
    rows: list[list[str]]
    name: str                  # the sheet read
    first_column: int          # 0-based sheet column of rows[i][0] (calamine skips empty ones)
    scan: SheetScan | None = None   # formulas without results, padded numbers (formulas.py)
    first_row: int = 0         # 0-based sheet row of rows[0]


def read_sheet_rows(path: Path, sheet: str | int | None, warnings: list[str]) -> SheetRows:
    """All rows of one sheet as text; BadInput for a file calamine cannot open or a wrong sheet."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise BadInput(f"{path} is not a readable spreadsheet ({exc}).", code="bad_spreadsheet",
                       params={"file": path.name}) from None
    names = list(book.sheet_names)
    if not names:
        raise BadInput(f"{path} has no sheets.", code="bad_spreadsheet", params={"file": path.name})
    if sheet is None:
        chosen = names[0]
        if len(names) > 1:
            warnings.append(Notice(f"Read the first sheet, {chosen!r}; the file also has "
                                   + ", ".join(repr(n) for n in names[1:]) + ".", "first_sheet",
                                   sheet=chosen, others=", ".join(names[1:])))
    elif isinstance(sheet, int) or str(sheet).isdigit():
        index = int(sheet)
        if not 0 <= index < len(names):
            raise BadInput(f"{path} has {len(names)} sheet(s); there is no sheet number {index}.",
                           code="no_such_sheet", params={"file": path.name, "sheets": ", ".join(names)})
        chosen = names[index]
    elif sheet in names:
        chosen = sheet
    else:
        raise BadInput(f"{path} has no sheet {sheet!r}; its sheets are "
                       + ", ".join(repr(n) for n in names) + ".", code="no_such_sheet",
                       params={"file": path.name, "sheets": ", ".join(names)})
    data = book.get_sheet_by_name(chosen)
    values = data.to_python(skip_empty_area=True)
    start = data.start or (0, 0)
    scan = scan_sheet(path, chosen)
    rows = sheet_texts(values, lambda ks: {where for cell in timed_cells(
        path, chosen, [column_name(k + start[1]) for k in ks]) if (where := _place(cell, start))})
    _apply_scan(rows, scan, start)
    return SheetRows(rows, chosen, start[1], scan, start[0])


def sheet_texts(values: list[list[object]], timed: Callable[[list[int]], set]) -> list[list[str]]:
    """The sheet's cells as text (`cell_text`), except that a date-time at midnight keeps its
    time (`2026-01-05 00:00:00`) when its column holds a date-time with another time, or its
    position (row, column of `values`) is in `timed(columns)` (its number format shows a
    time; asked once, for the columns that hold dates alone): a column of timestamps stays
    one shape.
    python-calamine gives a date-time at midnight as a date, so a date is such a cell. The
    cells' types are looked at column by column; only columns holding dates are walked."""
    from itertools import zip_longest
    from operator import itemgetter

    rows = [[cell_text(value) for value in row] for row in values]
    if dt.date not in {type(value) for row in values for value in row}:
        return rows
    rectangular = len(set(map(len, values))) == 1
    columns = ([list(map(itemgetter(k), values)) for k in range(len(values[0]))] if rectangular
               else [list(c) for c in zip_longest(*values)])
    dates_alone = []
    for k, column in enumerate(columns):
        kinds = set(map(type, column))
        if dt.date not in kinds:
            continue
        if dt.datetime in kinds and any(type(v) is dt.datetime and v.time() != dt.time() for v in column):
            for r, value in enumerate(column):    # the column holds times: every date keeps one
                if type(value) is dt.date:
                    rows[r][k] = value.isoformat() + " 00:00:00"
        else:
            dates_alone.append(k)
    for r, k in timed(dates_alone) if dates_alone else ():
        if 0 <= r < len(rows) and 0 <= k < len(columns) and type(columns[k][r]) is dt.date:
            rows[r][k] = columns[k][r].isoformat() + " 00:00:00"
    return rows


def _place(cell: str, start: tuple[int, int]) -> tuple[int, int] | None:
    """A cell reference (`C7`) as (row, column) of the rows read from `start`, or None."""
    letters = column_letters(cell)
    if not letters or not cell[len(letters):].isdigit():
        return None
    return int(cell[len(letters):]) - 1 - start[0], column_index(letters) - start[1]


def _apply_scan(rows: list[list[str]], scan: SheetScan, start: tuple[int, int]) -> None:
    """Padded numbers as shown; placeholder results of formulas blanked, as unsaved ones read."""
    def place(cell: str) -> tuple[int, int] | None:
        where = _place(cell, start)
        if where is None:
            return None
        row, column = where
        return (row, column) if 0 <= row < len(rows) and 0 <= column < len(rows[row]) else None

    for cell, text in scan.shown.items():
        if (where := place(cell)) is not None:
            rows[where[0]][where[1]] = text
    for cell in scan.placeholders:
        if (where := place(cell)) is not None:
            rows[where[0]][where[1]] = ""


def formula_warning(path: Path, sheet: SheetRows, names: list[str]) -> Notice | None:
    """The reader's note naming each column and cell whose formula has no computed result."""
    scan = sheet.scan if sheet.scan is not None else scan_sheet(path, sheet.name)
    cells = scan.uncomputed
    if not cells:
        return None
    by_column: dict[str, list[str]] = {}
    for cell in cells:
        index = column_index(column_letters(cell)) - sheet.first_column
        name = names[index] if 0 <= index < len(names) else column_letters(cell)
        by_column.setdefault(name, []).append(cell)
    parts, cells_param = [], []
    for name, refs in by_column.items():
        cells_param.append(f"{name} ({numbers(refs, MAX_LISTED)})")
        shown = ", ".join(refs[:MAX_LISTED]) + (
            f" and {len(refs) - MAX_LISTED} more" if len(refs) > MAX_LISTED else "")
        parts.append(f"column {name!r} (cell{'s' if len(refs) > 1 else ''} {shown})")
    stored_zero = (f" ({len(scan.placeholders)} of them store 0 only as a placeholder: the "
                   "workbook asks to be recalculated when it is opened)" if scan.placeholders else "")
    return Notice(f"{len(cells):,} formula cell(s) hold no saved result, so they read as empty"
                  f"{stored_zero}: " + "; ".join(parts) + ". The workbook was written by a "
                  "program that does not calculate; open it in a spreadsheet program, save it "
                  "once, and read it again.",
                  "formulas_without_results", count=len(cells), columns=", ".join(by_column),
                  cells="; ".join(cells_param),
                  **({"placeholders": len(scan.placeholders)} if scan.placeholders else {}))


def sheet_names(path: Path) -> list[str]:
    """The sheets of a spreadsheet file, in the workbook's order; BadInput when unreadable."""
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise BadInput(f"{path} is not a readable spreadsheet ({exc}).", code="bad_spreadsheet",
                       params={"file": path.name}) from None


def write_xlsx(frame, target: BinaryIO, progress=None, source=None, sheet_name: str | None = None) -> None:
    """Write `frame` into the open binary file `target` as one sheet, named `sheet_name`
    (`Sheet1` when None): text cells, except the columns that hold only plain numbers
    (amounts), written as numbers with their decimals, and those that hold only ISO dates,
    written as dates (datatools/io/xlsx_numbers.py).

    With `source` (a datatools.io.xlsx_cells.SourceCells: the workbook `frame` was made from,
    row for row), each cell `frame` holds as it was read goes back as the workbook stored it,
    its value and number format (`xlsx_cells.kept_rows`), in a sheet of the source's name.

    Every cell is a text cell, whatever it starts with: `=HYPERLINK(…)` stays the text it was
    (openpyxl would store it as a live formula, and `#N/A` as an error), and a cell a spreadsheet
    would run as a formula (datatools/io/formula_cells.py) also gets Excel's "quote prefix"
    style, so editing it in Excel keeps it text. Control characters XML cannot hold are written
    as Excel's `_xHHHH_` escapes (ECMA-376 Part 1, 22.9.2.19 ST_Xstring), as Excel does.
    openpyxl's streaming writer; `target` comes from the guarded writer (datatools/safe_write.py).
    `progress` (a datatools.progress.Progress) hears the fraction of rows written.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from datatools.io.xlsx_cells import kept_rows
    from datatools.io.xlsx_numbers import DATE_FORMAT, date_cell, date_columns, number_cell, number_columns

    book = Workbook(write_only=True)
    kept = kept_rows(source, frame)
    sheet = book.create_sheet(source.origin.sheet if kept is not None else sheet_name or "Sheet1")
    numbers = number_columns(frame)
    days = date_columns(frame)
    special = _special_cells(frame)
    sheet.append([_text_cell(sheet, str(c)) for c in frame.columns])

    def cell(position: int, value, as_text_cell: bool, stored=None):
        if stored is not None:
            written = WriteOnlyCell(sheet, value=stored[0])
            written.number_format = stored[1]
            return written
        if position in numbers:
            number, style = number_cell(value, numbers[position])
            written = WriteOnlyCell(sheet, value=number)
            written.number_format = style
            return written
        if position in days:
            written = WriteOnlyCell(sheet, value=date_cell(value))
            written.number_format = DATE_FORMAT
            return written
        text = "" if value is None else str(value)
        return _text_cell(sheet, text) if as_text_cell else text

    total = max(len(frame), 1)
    try:
        for number, row in enumerate(frame.itertuples(index=False, name=None), start=1):
            needs_text_cells = special[number - 1]
            stored = next(kept, None) if kept is not None else None
            if stored and any(stored):
                sheet.append([cell(k, v, needs_text_cells, stored[k]) for k, v in enumerate(row)])
            elif numbers or days or needs_text_cells:
                sheet.append([cell(k, v, needs_text_cells) for k, v in enumerate(row)])
            else:
                sheet.append(["" if v is None else str(v) for v in row])
            if progress is not None and number % 5_000 == 0:
                progress.update(0.9 * number / total, "writing rows")   # the last tenth: zipping
    finally:
        if kept is not None:
            kept.close()      # the input workbook, open while its rows were read
    book.save(target)


# Cells openpyxl would not store as the plain text they are: a formula or error code, a
# character XML 1.0 cannot hold, an `_xHHHH_` look-alike (Excel would decode it).
_SPECIAL = r"^[=#]|[\x00-\x08\x0b-\x1f]|_x[0-9A-Fa-f]{4}_"
_ESCAPED = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def _special_cells(frame) -> list[bool]:
    """Per row: does any of its cells need `_text_cell` (one vectorised look per column)."""
    import numpy as np

    from datatools.io.formula_cells import formula_like

    rows = np.zeros(len(frame), dtype=bool)
    for column in frame.columns:
        values = frame[column].fillna("").astype("str")
        rows |= (values.str.contains(_SPECIAL, regex=True) | formula_like(values)).to_numpy()
    return rows.tolist()


def _text_cell(sheet, value: str):
    """`value` as a cell openpyxl writes as text (a plain str when nothing is special in it)."""
    from openpyxl.cell import WriteOnlyCell

    from datatools.io.formula_cells import is_formula_like

    escaped = _ESCAPED.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_",
                           value)
    if escaped == value and not value.startswith(("=", "#")) and not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet)
    cell._value = escaped          # past openpyxl's value setter, which makes "=…" a formula
    cell.data_type = "s"
    if is_formula_like(value):
        cell.quotePrefix = True
    return cell
