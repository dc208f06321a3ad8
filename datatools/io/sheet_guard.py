"""Check a spreadsheet package before any reader trusts it: sizes, compression, DTDs, far cells.

An `.xlsx`/`.xlsm`/`.ods` file is a zip of XML parts, and each part can lie in ways that make a
reader allocate without limit: a 4 KB sheet naming a cell at `XFD1048576` asks for a grid of
17 billion cells; a 700 KB part that inflates to gigabytes (a zip bomb); a shared-strings part
declaring four billion strings; a DTD defining entities that expand exponentially ("billion
laughs") or name a file on the machine (XXE, OWASP's XML External Entity page). Office files
never carry a DTD (ECMA-376 Part 2 §8.1.4 forbids them in package parts), so one is refused,
never expanded. Everything here reads the zip directory and streams the XML once, in bounded
memory; `check_workbook` raises BadInput with one clear message per kind.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from datatools.errors import BadInput

MAX_CELLS = 50_000_000          # rows × columns of the area a sheet's cells span
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384          # Excel's own grid (XFD1048576)
MAX_PART_BYTES = 2 << 30        # one XML part, inflated
MAX_TOTAL_BYTES = 4 << 30       # all parts, inflated
MAX_RATIO = 100                 # inflated / stored, for parts over RATIO_FLOOR
RATIO_FLOOR = 16 << 20          # small parts may compress as well as they like
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_CHUNK = 1 << 20
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Za-z]+)([0-9]+)\"")
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"([0-9]+)\"")
_ROOT = re.compile(rb"<[A-Za-z_]")
_UNIQUE = re.compile(rb"\buniqueCount=\"([0-9]+)\"")


def check_workbook(path: Path) -> None:
    """Refuse a spreadsheet package a reader must not open; nothing for other kinds of file.

    BadInput codes: `bad_spreadsheet` (not a zip, or its directory is damaged),
    `spreadsheet_bomb` (a part inflates past MAX_PART_BYTES/MAX_TOTAL_BYTES or more than
    MAX_RATIO times), `spreadsheet_dtd` (a part declares a DTD), `sheet_too_large` (cells span
    more than MAX_CELLS, lie outside Excel's grid, or shared strings claim more than the part holds).
    """
    if path.suffix.lower() not in ZIP_SUFFIXES:
        return
    params = {"file": path.name}
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadInput(f"{path.name} is not a readable spreadsheet: it is not a complete zip "
                       "package (damaged, cut off, or another kind of file renamed).",
                       code="bad_spreadsheet", params=params) from None
    with book:
        members = book.infolist()
        _check_sizes(path, members)
        try:
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    _check_part(path, book, member)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise BadInput(f"{path.name} is not a readable spreadsheet: its part "
                           f"{member.filename} is damaged ({exc}).", code="bad_spreadsheet",
                           params=params) from None


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    total = sum(m.file_size for m in members)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_PART_BYTES or (member.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise BadInput(f"{path.name} is refused: its part {member.filename} would inflate "
                           f"from {member.compress_size:,} to {member.file_size:,} bytes "
                           f"({ratio:,.0f} times), the mark of a zip bomb, not of a workbook.",
                           code="spreadsheet_bomb", params={"file": path.name,
                                                            "part": member.filename})
    if total > MAX_TOTAL_BYTES:
        raise BadInput(f"{path.name} is refused: its parts would inflate to {total:,} bytes, "
                       "more than DataTools reads from one workbook.", code="spreadsheet_bomb",
                       params={"file": path.name, "part": ""})


def _check_part(path: Path, book: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """One streaming pass over an XML part: its prolog, then (sheets) its cells' extent."""
    name = member.filename.lower()
    with book.open(member) as handle:
        head = handle.read(65536)
        _refuse_dtd(path, member.filename, head)
        if "sharedstrings" in name:
            _check_shared_strings(path, member, head)
        elif "worksheets/" in name:
            _check_extent(path, member.filename, head, handle)


def _refuse_dtd(path: Path, part: str, head: bytes) -> None:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    root = _ROOT.search(head)
    prolog = head[: root.start()] if root else head
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise BadInput(f"{path.name} is refused: its part {part} declares a DTD, which no "
                       "spreadsheet program writes and which can expand entities without end "
                       "or read other files. Open it in a spreadsheet program and save it again.",
                       code="spreadsheet_dtd", params={"file": path.name, "part": part})


def _check_shared_strings(path: Path, member: zipfile.ZipInfo, head: bytes) -> None:
    found = _UNIQUE.search(head)
    if not found:
        return
    claimed = int(found.group(1))
    room = member.file_size // 5 + 1          # `<si/>` is the shortest string entry
    if claimed > min(room, MAX_CELLS):
        raise BadInput(f"{path.name} is refused: its shared-strings part declares {claimed:,} "
                       f"strings but holds room for at most {room:,}.", code="sheet_too_large",
                       params={"file": path.name, "cells": f"{claimed:,}"})


def _check_extent(path: Path, part: str, head: bytes, handle) -> None:
    """The rectangle the sheet's cells span (as a reader allocates it), checked as it streams."""
    low_row = low_col = 1 << 62
    high_row = high_col = 0
    buffer = head
    while True:
        more = handle.read(_CHUNK)
        buffer += more
        cut = buffer.rfind(b">") + 1 if more and len(buffer) < 16 * _CHUNK else len(buffer)
        chunk, buffer = buffer[:cut], buffer[cut:]       # never split a tag between chunks
        for match in _CELL.finditer(chunk):
            column, row = _column_number(match.group(1)), int(match.group(2))
            low_col, high_col = min(low_col, column), max(high_col, column)
            low_row, high_row = min(low_row, row), max(high_row, row)
        for match in _ROW.finditer(chunk):
            row = int(match.group(1))
            low_row, high_row = min(low_row, row), max(high_row, row)
        if high_row > MAX_ROW or high_col > MAX_COLUMN or (
                high_col and (high_row - low_row + 1) * (high_col - low_col + 1) > MAX_CELLS):
            cells = (high_row - low_row + 1) * max(high_col - low_col + 1, 1)
            raise BadInput(f"{path.name} is refused: the cells of its sheet ({part}) span "
                           f"{cells:,} cells (up to row {high_row:,}, column {high_col:,}); "
                           f"DataTools reads sheets of up to {MAX_CELLS:,} cells. Delete the "
                           "far-away cells in a spreadsheet program, or save the sheet as CSV.",
                           code="sheet_too_large", params={"file": path.name, "cells": f"{cells:,}"})
        if not more:
            return


def _column_number(letters: bytes) -> int:
    """`A` → 1, `XFD` → 16384; anything longer than three letters is past Excel's grid."""
    if len(letters) > 3:
        return MAX_COLUMN + 1
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number
