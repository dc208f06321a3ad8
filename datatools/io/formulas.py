"""Find formula cells that hold no saved result in an .xlsx/.xlsm sheet, streaming its XML once.

A workbook written by a program (openpyxl, XlsxWriter) stores each formula's text but not its
result: only a spreadsheet program computes and saves results. Readers (python-calamine,
pandas, openpyxl with data_only) then see an empty cell where the sheet shows a number. The
sheet's XML says so plainly: a `<c>` element with an `<f>` child and no (or an empty) `<v>`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COLUMN = re.compile(r"[A-Z]+")
MAX_LISTED = 20


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding `sheet`'s cells (workbook.xml names it, its .rels file locates it)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rel_id = next((s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet")
                   if s.get("name") == sheet), None)
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{_PACKAGE_REL}Relationship")
                   if r.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join("xl", target))


def _has_formulas(book: zipfile.ZipFile, part: str) -> bool:
    """A quick streaming look for `<f` before parsing: most sheets hold no formulas at all."""
    tail = b""
    with book.open(part) as handle:
        while chunk := handle.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def formulas_without_results(path: Path, sheet: str) -> list[str]:
    """Cell references (`C2`) of `sheet`'s formulas that hold no saved result, in sheet order.

    Only .xlsx/.xlsm files are looked at; any other file, or a damaged one, gives [] (the
    reader has already opened it, and reports its own errors).
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            if part is None or not _has_formulas(book, part):
                return []
            with book.open(part) as handle:
                return _scan_cells(handle)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return []


def _scan_cells(handle) -> list[str]:
    cells: list[str] = []
    for _, element in ElementTree.iterparse(handle, events=("end",)):
        if element.tag == f"{_MAIN}row":
            element.clear()            # keeps memory flat on a sheet of a million rows
        if element.tag != f"{_MAIN}c":
            continue
        formula = element.find(f"{_MAIN}f")
        value = element.find(f"{_MAIN}v")
        if formula is not None and (value is None or not (value.text or "").strip()):
            cells.append(element.get("r", ""))
        element.clear()
    return cells


def column_letters(cell: str) -> str:
    """`C2` → `C`."""
    found = _COLUMN.match(cell)
    return found.group() if found else ""


def column_index(letters: str) -> int:
    """`A` → 0, `C` → 2, `AA` → 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1
