"""Read delimited text (CSV, TSV, TXT) into text columns: sniffing, a fast path and a forgiving one.

Fast path: pandas' pyarrow engine with every column as text. It refuses ragged rows, stray
quotes and NUL bytes; then the forgiving path re-reads the text with the `csv` module, repairs
what it can and lists each repair (with its line number) as a warning.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from datatools.errors import BadInput
from datatools.notices import Notice, numbers
from datatools.progress import Progress

DELIMITERS = ",;\t|"
MAX_LISTED = 10          # warnings name this many lines, then give a count
_BINARY_MAGIC = {b"PK\x03\x04": "a ZIP archive (an .xlsx saved under another name?)",
                 b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                 b"\xd0\xcf\x11\xe0": "an old Office file (.xls/.doc)", b"\x1f\x8b": "a gzip archive",
                 b"SQLite format 3": "an SQLite database"}


@dataclass
class Parsed:
    header: list[str]
    rows: list[list[str]]
    warnings: list[str] = field(default_factory=list)


def binary_kind(head: bytes) -> str | None:
    """What kind of non-text file starts with `head` ("a PDF document" …), or None."""
    return next((what for magic, what in _BINARY_MAGIC.items() if head.startswith(magic)), None)


def refuse_binary(path: Path, head: bytes, encoding: str) -> None:
    """BadInput when the start of the file is not text at all."""
    what = binary_kind(head)
    if what:
        raise BadInput(f"{path} is {what}, not a text table.", code="binary_file", params={"file": path.name})
    if encoding.startswith(("utf-16", "utf-32")):
        return
    sample = head[:8192]
    controls = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 13, 12))
    if sample and controls / len(sample) > 0.1:
        raise BadInput(f"{path} looks like a binary file, not a text table "
                       f"({controls} control bytes in its first {len(sample)} bytes).",
                       code="binary_file", params={"file": path.name})


def sep_directive(text: str) -> tuple[str, int] | None:
    """Excel's `sep=;` first line: the delimiter it names and the length of that line, or None.

    Excel writes the line into CSVs it exports for other locales and honours it on reading
    (one character after `sep=`, nothing else on the line).
    """
    first, newline, _ = text.partition("\n")
    line = first.rstrip("\r")
    if len(line) == 5 and line.lower().startswith("sep=") and newline:
        return line[4], len(first) + 1
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields."""
    lines = text.splitlines()[:50]
    best, best_key = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:      # a field over the csv module's limit: not this delimiter
            continue
        if not counts:
            continue
        width, seen = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        key = (seen / len(counts), width)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """A first row of distinct non-numeric labels over rows that are not all labels."""
    if not first or any(not cell.strip() for cell in first) or len(set(first)) < len(first):
        return False
    if any(_numeric(cell) for cell in first):
        return False
    if not rest:
        return True
    columns = list(zip(*[row for row in rest[:50] if len(row) == len(first)]))
    return any(any(_numeric(value) for value in column) for column in columns) or \
        any(len(set(column)) > 1 and max(map(len, column)) > 3 * len(name) for name, column
            in zip(first, columns))


def _numeric(cell: str) -> bool:
    return cell.strip().replace(".", "", 1).replace(",", "", 1).replace("-", "", 1).isdigit()


def unique_names(names: list[str], warnings: list[str]) -> list[str]:
    """Name empty header cells `column_N` and number repeats `name_2`, saying so."""
    seen: set[str] = set()
    result = []
    for index, name in enumerate(names, start=1):
        name = name.strip()
        if not name:
            warnings.append(Notice(f"Column {index} has no name; it is called column_{index}.",
                                   "column_unnamed", index=index, name=f"column_{index}"))
            name = f"column_{index}"
        if name in seen:
            base, n = name, 2
            while f"{base}_{n}" in seen:
                n += 1
            warnings.append(Notice(f"Column {index} repeats the name {base!r}; it is called {base}_{n}.",
                                   "column_repeated", index=index, name=base, new=f"{base}_{n}"))
            name = f"{base}_{n}"
        seen.add(name)
        result.append(name)
    return result


def header_form(cell: str) -> str:
    """A header cell as compared with later rows: no byte-order mark, surrounding space or case."""
    return cell.lstrip("\ufeff").strip().casefold()


def drop_repeated_headers(header: list[str], rows: list[list[str]], lines: list[int]
                          ) -> tuple[list[list[str]], list[int], Notice | None]:
    """Rows that repeat the header (files joined with `cat`, each with its header, maybe its
    own byte-order mark) taken out, with the note naming their lines (`lines` are the rows'
    physical line numbers). A one-column table keeps them: a value may equal its column name.
    """
    repeat = HeaderRepeat(header)
    if not repeat.active:
        return rows, lines, None
    kept_rows, kept_lines, dropped = [], [], []
    for row, line in zip(rows, lines):
        if repeat.repeats(row):
            dropped.append(line)
        else:
            kept_rows.append(row)
            kept_lines.append(line)
    if not dropped:
        return rows, lines, None
    return kept_rows, kept_lines, repeated_header_notice(dropped, len(dropped))


def blank_rows_notice(count: int) -> Notice:
    """What every reader says of the `count` rows it left out because every cell in them was
    empty (a line holding only separators, as spreadsheets export below their data); lines
    with nothing on them are not rows and are not counted."""
    return Notice(f"{count:,} row(s) with every cell empty were left out.", "blank_rows_skipped",
                  count=count)


class HeaderRepeat:
    """The test `drop_repeated_headers` applies to each row, for readers that stream rows."""

    def __init__(self, header: list[str]):
        self.names = [header_form(cell) for cell in header]
        self.active = len([n for n in self.names if n]) >= 2   # a one-column table keeps them

    def repeats(self, row: list[str]) -> bool:
        """Whether `row` holds the header again (empty cells past it allowed)."""
        width = len(self.names)
        return self.active and len(row) >= width and bool(row) \
            and header_form(row[0]) == self.names[0] \
            and [header_form(cell) for cell in row[:width]] == self.names \
            and not any(cell.strip() for cell in row[width:])


def repeated_header_notice(lines: list[int], count: int) -> Notice:
    """The note on `count` rows dropped as repeated headers; `lines`: the first of their line
    numbers (at least MAX_LISTED + 1 of them when there are more)."""
    more = count - MAX_LISTED
    shown = ", ".join(map(str, lines[:MAX_LISTED])) + (f" and {more} more" if more > 0 else "")
    return Notice(f"{count:,} row(s) repeat the header and were dropped (line {shown}): "
                  "files joined one after another, each with its header?", "header_repeated",
                  count=count, lines=numbers(lines, MAX_LISTED))


def _listed(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:MAX_LISTED]))
    more = len(lines) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def parse_forgiving(text: str, delimiter: str, header: bool | str, progress: Progress,
                    limit: int | None = None, name: str = "", skipped: int = 0) -> Parsed:
    """Parse with the csv module; ragged rows are padded or widened, each repair reported.

    `skipped`: lines of the file before `text` (Excel's `sep=` line), so that every note names
    the file's own line numbers.

    BadInput (`no_rows`, `bad_csv_line`; `name`, the file's, fills their params) when the text
    holds no rows or a row the csv module refuses.
    """
    warnings: list[str] = []
    if "\x00" in text:
        count = text.count("\x00")
        lines = sorted({skipped + text.count("\n", 0, i) + 1 for i in _positions(text, "\x00", 50)})
        warnings.append(Notice(f"Removed {count} NUL byte(s) (line {_listed(lines)}).", "nul_removed",
                               count=count, lines=numbers(lines, MAX_LISTED)))
        text = text.replace("\x00", "")
    rows, line_numbers = _read_rows(text, delimiter, csv.QUOTE_MINIMAL, progress, limit, name, skipped)
    if _runaway_quote(rows, text):
        opened = line_numbers[len(rows) - 1] if rows else 1
        warnings.append(Notice(f"A quote opened on line {opened} never closes; quotes were read as "
                               "ordinary characters.", "quote_unclosed", line=opened))
        rows, line_numbers = _read_rows(text, delimiter, csv.QUOTE_NONE, progress, limit, name, skipped)
    # Blank rows go with their line numbers, so that every later note names the right line.
    kept = [at for at, row in enumerate(rows) if any(cell.strip() for cell in row)]
    blank = sum(1 for row in rows if row) - len(kept)     # [] is an empty line, not a row
    rows, line_numbers = [rows[at] for at in kept], [line_numbers[at] for at in kept]
    if not rows:
        raise BadInput("The file holds no rows.", code="no_rows", params={"file": name})
    first = rows[0]
    has_header = looks_like_header(first, rows[1:]) if header == "auto" else bool(header)
    body = rows[1:] if has_header else rows
    body_lines = line_numbers[1:] if has_header else line_numbers
    if has_header:
        body, body_lines, repeated = drop_repeated_headers(first, body, body_lines)
        if repeated is not None:
            warnings.append(repeated)
    width = len(first)
    short = [line for line, row in zip(body_lines, body) if len(row) < width]
    long = [line for line, row in zip(body_lines, body) if len(row) > width
            and any(cell.strip() for cell in row[width:])]
    widest = max((len(row) for row in body), default=width)
    if short:
        warnings.append(Notice(f"{len(short):,} row(s) have fewer than {width} fields and were padded "
                               f"with empty cells (line {_listed(short)}).", "rows_padded",
                               count=len(short), width=width, lines=numbers(short, MAX_LISTED)))
    if long:
        warnings.append(Notice(f"{len(long):,} row(s) have more than {width} fields; the extra values "
                               f"are kept in added columns (line {_listed(long)}).", "rows_widened",
                               count=len(long), width=width, lines=numbers(long, MAX_LISTED)))
    else:
        widest = width
    if blank:
        warnings.append(blank_rows_notice(blank))
    names = list(first) if has_header else [f"column_{i}" for i in range(1, width + 1)]
    names += [f"column_{i}" for i in range(len(names) + 1, widest + 1)]
    names = unique_names(names, warnings)
    fitted = [(row + [""] * (widest - len(row)))[:widest] for row in body]
    return Parsed(names, fitted, warnings=warnings)


def _positions(text: str, char: str, limit: int) -> list[int]:
    found, start = [], 0
    while len(found) < limit and (index := text.find(char, start)) >= 0:
        found.append(index)
        start = index + 1
    return found


def _read_rows(text: str, delimiter: str, quoting: int, progress: Progress,
               limit: int | None, name: str = "", skipped: int = 0) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    rows, lines = [], []
    total = max(len(text), 1)
    previous = 0
    try:
        for row in reader:
            lines.append(skipped + previous + 1)      # the physical line the row starts on
            previous = reader.line_num
            rows.append(row)
            if len(rows) % 20000 == 0:
                progress.update(min(len(rows) * 40 / total, 0.99), f"{len(rows):,} rows read")
            if limit is not None and len(rows) > limit:
                break
    except csv.Error as exc:
        raise BadInput(f"Line {skipped + reader.line_num}: {csv_error_text(exc)}.", code="bad_csv_line",
                       params={"file": name, "line": str(skipped + reader.line_num)}) from None
    return rows, lines


def csv_error_text(exc: csv.Error) -> str:
    """The csv module's error in a user's words: its "field larger than field limit (131072)"
    (a cell over csv.field_size_limit() characters) says what such a cell usually is."""
    found = re.search(r"field larger than field limit \((\d+)\)", str(exc))
    if not found:
        return str(exc)
    return (f"a cell holds more than {int(found.group(1)):,} characters, where a spreadsheet cell "
            "holds at most 32,767: a quote opened and never closed, or a file that is not a table")


def _runaway_quote(rows: list[list[str]], text: str) -> bool:
    """A stray opening quote swallows the rest of the file into the last row's last cell; a
    quoted line break in an earlier cell of that row was closed (the reader went on past it)."""
    return bool(rows) and bool(rows[-1]) and "\n" in rows[-1][-1] and \
        not text.rstrip("\r\n").endswith('"')
