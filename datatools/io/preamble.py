"""Lines above a table's header: the title, date and filter lines that exports put first.

Accounting tools, ERPs and banks write a few lines before the table ("Kundenliste Stand
01.12.2026", a blank line, "Exportiert von …", `Zeitraum: …`), in .xlsx and CSV alike; read as
they are, the title becomes the only column name and the real header a data row. The readers
(io/tables.py, large/reading.py) ask `find_header` where the header is and leave out the lines
above it with a notice naming them; `--header-row N` names the header's line instead.

The detection is narrow on purpose, because a row it wrongly calls a title is a buyer's row
lost: the first row that could be a header (`_header_like`: two or more cells, every one
filled, distinct, none a number, a date or a `label:`) ends the look at once when it is the first row, so a
file that starts with its header never loses a row, however sparse its first data rows are.
A later row is the header only when one of the non-blank lines above it reads as a title (a
cell of two words or more, or a `label:`), the rows below it are no wider than it and most of
them fill more cells than any line above, and either the file's structure says so (every line
above has fewer fields than the header, every row below exactly its fields: a text export's
title lines) or every line above fills a single cell or fewer than half of the header's and
the row reads as a header over the rows below (`delimited.looks_like_header`: some column below
holds numbers, or values much longer than its name). Anything else keeps the first line as the
header, as before.
"""

from __future__ import annotations

import csv
import re

from datatools.errors import BadOption
from datatools.io import delimited
from datatools.notices import Notice

MAX_PREAMBLE = 20        # lines looked at above a header: bank exports write up to about 15
BELOW = 30               # rows under a candidate header compared with it
SHOWN = 3                # preamble lines quoted in the notice
_NUMBER = re.compile(r"^[\s\d.,:/+\-–%€$£()']*\d[\s\d.,:/+\-–%€$£()']*$")


def _width(row: list[str]) -> int:
    """The cells of `row` up to its last filled one (0 for a blank row)."""
    for at in range(len(row) - 1, -1, -1):
        if row[at].strip():
            return at + 1
    return 0


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _header_like(row: list[str]) -> bool:
    """Two or more cells up to the last filled one, each filled, distinct, none a number or a
    date (`01.12.2026`, `1.234,56`) nor a label (`Kontonummer:`, a bank export's first line)."""
    cells = [cell.strip() for cell in row[:_width(row)]]
    return len(cells) >= 2 and all(cells) and len({c.casefold() for c in cells}) == len(cells) \
        and not any(_NUMBER.match(cell) or cell.endswith(":") for cell in cells)


def _titled(row: list[str]) -> bool:
    """Whether a line reads as a title or a label: a cell of two words or more, or ending in
    ":" (single words, such as the first cells of sparse data rows, do not)."""
    return any(len(cell.split()) >= 2 or cell.strip().endswith(":") for cell in row)


def find_header(rows: list[list[str]]) -> int:
    """The index in `rows` (a file's first rows in order, blank ones included as `[]` or empty
    cells) of the header row under a preamble, 0 when there is none (see the module's rules)."""
    if not rows or _header_like(rows[0]):
        return 0
    return next((at for at in range(1, min(len(rows), MAX_PREAMBLE + 1)) if _under_preamble(rows, at)), 0)


def _under_preamble(rows: list[list[str]], at: int) -> bool:
    """Whether `rows[at]` is a header and the non-blank rows above it its preamble."""
    row = rows[at]
    if not _header_like(row):
        return False
    width = _width(row)
    above = [r for r in rows[:at] if _width(r)]
    below = [r for r in rows[at + 1:at + 1 + BELOW] if _width(r)]
    if not above or not below or not any(_titled(r) for r in above) \
            or any(_width(r) > width for r in below):
        return False
    # Lines of fewer fields than the header (a text file's title, written without the table's
    # separators) over rows of exactly the header's fields: the file's own structure says it.
    shorter = all(len(r) < len(row) for r in above) and all(len(r) == len(row) for r in below)
    if not shorter and any(_filled(r) > 1 and _filled(r) * 2 >= width for r in above):
        return False
    most = max(_filled(r) for r in above)
    if sum(1 for r in below if _filled(r) > most) * 2 <= len(below):
        return False
    return shorter or delimited.looks_like_header(row[:width], [(r + [""] * width)[:width] for r in below])


def text_rows(lines: list[str], delimiter: str) -> list[list[str]]:
    """Each physical line of `lines` split at `delimiter` on its own (a preamble line seldom
    holds a quoted line break; one that does is split wrongly and so ends the look)."""
    rows = []
    for line in lines:
        try:
            rows.append(next(csv.reader([line.rstrip("\r")], delimiter=delimiter), []))
        except csv.Error:
            rows.append([line])
    return rows


def header_line(header_row: int | None, lines: int, what: str = "line") -> int:
    """The 0-based index of a 1-based `header_row` among `lines` lines (or rows); BadOption
    `header_row_past_end` when the file has fewer."""
    if header_row is None:
        return 0
    if header_row > lines:
        raise BadOption(f"--header-row {header_row}: the file's start has only {lines:,} {what}s.",
                        code="header_row_past_end", params={"row": str(header_row), "lines": str(lines)})
    return header_row - 1


def cut_text_preamble(sample: str, delimiter: str, header: bool | str, header_row: int | None,
                      skip: int) -> tuple[str, int, Notice | None]:
    """The sample from the header on, the lines of the file before it (`skip`: those already
    left out, Excel's `sep=` line) and the notice naming the lines left out, or None.

    `header_row` (1-based, the file's own line numbers) names the header's line; without it the
    header is found (`find_header`) unless `header` is False. BadOption when `header_row` lies
    past the sample's lines or names a blank line."""
    if header is False and header_row is None:
        return sample, skip, None
    if header_row is not None:
        count = sample.count("\n") + (0 if sample.endswith("\n") else 1)
        at = max(0, header_line(header_row, skip + count) - skip)
    else:
        look = MAX_PREAMBLE + BELOW + 1
        at = find_header(text_rows(sample.split("\n", look)[:look], delimiter))
    parts = sample.split("\n", at)            # the `at` lines above, then the rest, uncopied
    rest = parts[at] if at else sample
    if header_row is not None and not _width(text_rows([rest.split("\n", 1)[0]], delimiter)[0]):
        raise BadOption(f"--header-row {header_row}: that line is blank.", code="header_row_blank",
                        params={"row": str(header_row)})
    if not at:
        return sample, skip, None
    return rest, skip + at, preamble_notice(skip + 1, skip + at, _texts(text_rows(parts[:at], delimiter)))


def preamble_notice(first: int, last: int, texts: list[str], sheet: bool = False) -> Notice | None:
    """What the readers say of lines (`sheet`: rows) `first`–`last` (1-based) left out above the
    header: their numbers and the first few of their filled texts; None when all are blank
    (blank lines above a header were never rows)."""
    if not any(texts):
        return None
    shown = [text[:60] + ("…" if len(text) > 60 else "") for text in texts if text][:SHOWN]
    quoted = ", ".join(repr(text) for text in shown)
    span = str(first) if first == last else f"{first}–{last}"
    what, code = ("row", "preamble_rows_skipped") if sheet else ("line", "preamble_skipped")
    return Notice(f"Left out {what}{'s' if first != last else ''} {span} above the header ({what} "
                  f"{last + 1}), a title rather than part of the table: {quoted}. --header-row "
                  f"names another {what} as the header.", code, lines=span, header=last + 1, texts=quoted,
                  count=last - first + 1)


def sheet_header(rows: list[list[str]], header: bool | str, header_row: int | None,
                 first_row: int) -> tuple[int, Notice | None]:
    """The index in a sheet's `rows` (the first at 0-based sheet row `first_row`) of its header
    row and the notice naming the rows left out above it, or None (see `cut_text_preamble`)."""
    if header is False and header_row is None:
        return 0, None
    if header_row is not None:
        at = header_line(header_row, first_row + len(rows), "row") - first_row
        if at < 0 or not _width(rows[at]):
            raise BadOption(f"--header-row {header_row}: that row is empty.", code="header_row_blank",
                            params={"row": str(header_row)})
    else:
        at = find_header(rows[:MAX_PREAMBLE + BELOW + 1])
    if not at:
        return 0, None
    return at, preamble_notice(first_row + 1, first_row + at, _texts(rows[:at]), sheet=True)


def _texts(rows: list[list[str]]) -> list[str]:
    """Each row's filled cells joined by a space."""
    return [" ".join(cell.strip() for cell in row if cell.strip()) for row in rows]
