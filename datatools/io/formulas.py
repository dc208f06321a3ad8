"""Read what cell readers miss in an .xlsx/.xlsm sheet, streaming its XML once: formulas
without a computed result, and numbers whose format pads their digits.

A workbook written by a program (openpyxl, XlsxWriter) stores each formula's text but not its
result: only a spreadsheet program computes and saves results. Readers (python-calamine,
pandas, openpyxl with data_only) then see an empty cell, or the placeholder `0` that
XlsxWriter and rust_xlsxwriter store while asking Excel to recalculate on opening
(`<calcPr fullCalcOnLoad="1"/>`). The sheet's XML says so plainly: a `<c>` element with an `<f>`
child and no (or an empty) `<v>`, or `<v>0</v>` in such a workbook.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from datatools.io.number_formats import TIME_FORMAT_IDS, Render, pad_format, shows_time

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


def _recalculates_on_open(book: zipfile.ZipFile) -> bool:
    """`<calcPr fullCalcOnLoad="1">`: the writer asks the spreadsheet to compute every formula
    when it opens the file, because the results it stored are placeholders (XlsxWriter,
    rust_xlsxwriter and others store 0)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    calc = workbook.find(f"{_MAIN}calcPr")
    return calc is not None and calc.get("fullCalcOnLoad", "").lower() in ("1", "true")


def _styles(book: zipfile.ZipFile) -> tuple[dict[str, Render], set[str]]:
    """Cell style index (the `s` attribute) → renderer, for styles whose number format only
    pads or groups digits (datatools/io/number_formats.py); and the style indexes whose
    format shows a time (`shows_time`, or a built-in time format)."""
    try:
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    except KeyError:
        return {}, set()
    codes = {f.get("numFmtId"): f.get("formatCode", "") for f in styles.iter(f"{_MAIN}numFmt")}
    formats = {number: pad_format(code) for number, code in codes.items()}
    cell_xfs = styles.find(f"{_MAIN}cellXfs")
    if cell_xfs is None:
        return {}, set()
    found, timed = {}, set()
    for index, xf in enumerate(cell_xfs.iter(f"{_MAIN}xf")):
        number = xf.get("numFmtId")
        render = formats.get(number)
        if render is not None:
            found[str(index)] = render
        if number in TIME_FORMAT_IDS or number in codes and shows_time(codes[number]):
            timed.add(str(index))
    return found, timed


@dataclass
class SheetScan:
    """What the sheet's XML says that a cell reader does not: see `scan_sheet`."""

    unsaved: list[str] = field(default_factory=list)        # formula cells with no stored result
    placeholders: list[str] = field(default_factory=list)   # formula cells holding a placeholder 0
    shown: dict[str, str] = field(default_factory=dict)     # cell → the padded text Excel shows

    @property
    def uncomputed(self) -> list[str]:
        """Every formula cell without a computed result, in sheet order."""
        return sorted(self.unsaved + self.placeholders, key=_cell_order)


def scan_sheet(path: Path, sheet: str) -> SheetScan:
    """Formula cells without a computed result and padded numbers of an .xlsx/.xlsm sheet.

    A formula cell has no computed result when it stores none, or stores `0` (or nothing) in a
    workbook that asks to be recalculated on opening. A number cell whose style's format only
    pads or groups digits comes back as the text Excel shows (`6103` under `00000` → `06103`).
    The sheet's XML is parsed only when it holds formulas or the workbook has such a format.
    Any other file, or a damaged one, gives an empty scan (the reader reports its own errors).
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return SheetScan()
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            if part is None:
                return SheetScan()
            padded = _styles(book)[0]
            if not padded and not _has_formulas(book, part):
                return SheetScan()
            recalculates = _recalculates_on_open(book)
            with book.open(part) as handle:
                return _scan_cells(handle, padded, recalculates)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return SheetScan()


def timed_cells(path: Path, sheet: str, columns: list[str]) -> set[str]:
    """The cells (`C7`) in `columns` (letters) of an .xlsx/.xlsm sheet whose number format
    shows a time (`_styles`).

    Read without parsing the sheet: a byte search for `<c r="…" s="N"` with N one of those
    styles, the attribute order Excel, LibreOffice, openpyxl and XlsxWriter write (a cell
    written otherwise is not found, and reads as its value says). Linear in the sheet; any
    other file, or a damaged one, gives no cells."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    found: set[str] = set()
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            timed = _styles(book)[1] if part is not None else set()
            if not timed:
                return found
            styles = b"|".join(s.encode() for s in sorted(timed))
            letters = b"|".join(c.encode() for c in columns if c.isalpha() and c.isupper())
            cell = re.compile(rb'<c r="((?:' + letters + rb')[0-9]{1,7})" s="(?:' + styles + rb')"')
            tail = b""
            with book.open(part) as handle:
                while chunk := handle.read(1 << 22):
                    found.update(m.decode() for m in cell.findall(tail + chunk))
                    tail = chunk[-64:]        # a tag cut by the chunk's end is found next time
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return set()
    return found


def _scan_cells(handle, padded: dict[str, Render], recalculates: bool) -> SheetScan:
    scan = SheetScan()
    for _, element in ElementTree.iterparse(handle, events=("end",)):
        if element.tag == f"{_MAIN}row":
            element.clear()            # keeps memory flat on a sheet of a million rows
        if element.tag != f"{_MAIN}c":
            continue
        formula = element.find(f"{_MAIN}f")
        value = element.find(f"{_MAIN}v")
        stored = (value.text or "").strip() if value is not None else ""
        kind = element.get("t", "n")
        if formula is not None and not stored:
            scan.unsaved.append(element.get("r", ""))
        elif formula is not None and recalculates and stored == "0" and kind != "e":
            scan.placeholders.append(element.get("r", ""))
        elif kind == "n" and stored and element.get("s") in padded:
            text = _padded(padded[element.get("s")], stored)
            if text is not None:
                scan.shown[element.get("r", "")] = text
        element.clear()
    return scan


def _padded(render: Render, stored: str) -> str | None:
    """The shown text of a stored whole number, or None (a fraction, a huge or odd value)."""
    try:
        number = float(stored)
    except ValueError:
        return None
    if not number.is_integer() or abs(number) >= 1e15:
        return None
    try:
        return render(int(number))
    except ValueError:
        return None


def _cell_order(cell: str) -> tuple[int, int]:
    letters = column_letters(cell)
    return int(cell[len(letters):] or 0), column_index(letters)


def column_letters(cell: str) -> str:
    """`C2` → `C`."""
    found = _COLUMN.match(cell)
    return found.group() if found else ""


def column_name(index: int) -> str:
    """0 → `A`, 2 → `C`, 26 → `AA` (as `column_index` reads them)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """`A` → 0, `C` → 2, `AA` → 26."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1
