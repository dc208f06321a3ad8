"""Write tables atomically through the guarded writer: CSV/TSV with the input's habits, or .xlsx.

Every table output passes through `write_table` (or `write_csv_parts` for a table that arrives in
parts, as the large-file engine streams it); the returned `Written` counts the cells a
spreadsheet would run as formulas.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from datatools.io import excel, formula_cells
from datatools.io.formula_cells import FormulaCells, formula_notice
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.safe_write import open_output

if TYPE_CHECKING:
    import pandas as pd

    from datatools.io.xlsx_cells import SourceCells
    from datatools.tools.stacked import StackedText


@dataclass(frozen=True)
class Written:
    """A table `write_table` wrote: its path and the formula-like cells it held."""

    path: Path
    formulas: FormulaCells = FormulaCells()

    def __fspath__(self) -> str:      # a Written is still the path it was before
        return str(self.path)

    def notices(self) -> list[Notice]:
        """What the user is told about the file (a CSV's formula-like cells), as Notices."""
        notice = formula_notice(self.formulas, self.path.name)
        return [notice] if notice is not None else []


def write_table(frame: "pd.DataFrame", path: str | os.PathLike[str], *, force: bool = False,
                bom: bool = False, inputs: Iterable[str | os.PathLike[str]] = (),
                delimiter: str = ",", encoding: str = "utf-8", newline: str = "\n",
                sep_line: bool = False, escape_formulas: bool = False,
                progress: Progress | None = None, source: "SourceCells | None" = None,
                sheet: str | None = None) -> Written:
    """Write `frame` as CSV (or .xlsx by suffix) through the guarded writer.

    `sheet`: an .xlsx's sheet name (the input workbook's sheet, so `登録者` stays `登録者`;
    `Sheet1` when None). A CSV ignores it.

    `source`: the workbook `frame` was made from, row for row and column for column; an .xlsx
    then keeps each cell `frame` did not change as the workbook stored it, value and number
    format (datatools/io/xlsx_cells.py). A CSV is text and ignores it.

    Formulas: an .xlsx holds every cell as text, never a formula (datatools/io/excel.py). A
    CSV keeps each value as it is, and the returned `Written` counts the cells a spreadsheet
    would run as formulas (datatools/io/formula_cells.py); `escape_formulas` writes those with
    a leading apostrophe (OWASP's CSV-injection advice) and the count says so.

    CSV: `delimiter`, `encoding` (`bom` adds a UTF-8 byte order mark) and `newline` ("\n" or
    "\r\n") let an output follow its input's habits; the default is plain UTF-8 with commas.
    `sep_line` starts the file with Excel's `sep=<delimiter>` directive line (after the BOM),
    for an input that had one: Excel then splits it the same way whatever its locale.
    `inputs` are the run's input files: the target may never be one of them (WouldOverwriteInput,
    even with `force`); an existing target needs `force` (OutputExists); BadInput when the disk
    refuses; UnicodeEncodeError when a value cannot be written in `encoding` (nothing written).
    `progress` hears the fraction of rows written. The file appears whole or not at all
    (datatools/safe_write.py).
    """
    progress = progress or silent()
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        with open_output(target, inputs=inputs, force=force) as handle:
            excel.write_xlsx(frame, handle, progress, source, sheet)
        return Written(target)
    step = 50_000      # rows per slice: progress moves and Cancel is heard on big tables
    slices = ((frame.iloc[start:start + step], min(1.0, (start + step) / max(len(frame), 1)))
              for start in range(0, max(len(frame), 1), step))
    return write_csv_parts(slices, target, force=force, bom=bom, inputs=inputs, delimiter=delimiter,
                           encoding=encoding, newline=newline, sep_line=sep_line,
                           escape_formulas=escape_formulas, progress=progress)


def write_csv_parts(parts: Iterable[tuple["pd.DataFrame", float]], path: str | os.PathLike[str], *,
                    force: bool = False, bom: bool = False, inputs: Iterable[str | os.PathLike[str]] = (),
                    delimiter: str = ",", encoding: str = "utf-8", newline: str = "\n",
                    sep_line: bool = False, escape_formulas: bool = False,
                    progress: Progress | None = None, source: "SourceCells | None" = None,
                    sheet: str | None = None) -> Written:
    """Write a table that arrives in parts — (rows, fraction done) pairs, the first part's column
    names as the header — as one CSV through the guarded writer; options as `write_table` (a
    workbook `source` serves an .xlsx target only), and the formula-like cells of every part
    counted (or escaped) into the returned `Written`.

    The large-file engine streams its results through here, so a file written part by part is
    byte for byte the file `write_table` writes from the whole table. A target named .xlsx gets
    the parts joined into one workbook by `write_table` (a sheet holds at most 1,048,576 rows).
    """
    progress = progress or silent()
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        import pandas as pd

        whole = pd.concat([part for part, _ in parts], ignore_index=True)
        return write_table(whole, target, force=force, inputs=inputs, progress=progress,
                           source=source, sheet=sheet)
    from datatools.tools.stacked import text_stacked

    if bom and codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"
    with open_output(target, inputs=inputs, force=force, text=True, encoding=encoding,
                     newline="") as handle:
        if sep_line:
            handle.write(f"sep={delimiter}{newline}")
        count, examples, escaped = 0, [], False
        for index, (part, done) in enumerate(parts):
            # A text part's cells stacked once for the passes below (stacked.text_stacked).
            cells = text_stacked(part)
            escaped_part, found = formula_cells.escape_formulas(part, escape_formulas, cells)
            if escaped_part is not part:
                part, cells = escaped_part, text_stacked(escaped_part)
            if index:      # the column names were counted with the first part
                found = formula_cells.FormulaCells(
                    found.count - sum(formula_cells.is_formula_like(str(c)) for c in part.columns),
                    found.escaped, found.examples)
            count, escaped = count + found.count, escaped or found.escaped
            examples += list(found.examples)[:3 - len(examples)]
            if newline == "\n" and _has_bare_cr(part, cells):
                _write_quoting_cr(handle, part, index == 0, delimiter, newline)
            elif not _write_text_rows(handle, part, index == 0, delimiter, newline, cells):
                part.to_csv(handle, index=False, header=index == 0, sep=delimiter,
                            lineterminator=newline)
            progress.update(done, "writing rows")
    return Written(target, formula_cells.FormulaCells(count, escaped, tuple(examples)))


def _has_bare_cr(frame: "pd.DataFrame", cells: "StackedText | None" = None) -> bool:
    """Does a cell hold a CR? Python's csv writer (and so pandas) quotes a cell only for the
    characters of its line terminator: with "\n" ends, a CR would go out bare and split the row.
    `cells`: `frame`'s text stacked (stacked.text_stacked), searched at once when given."""
    from datatools.tools.stacked import columns_where

    def has_cr(cells: "pd.Series") -> "pd.Series":
        return cells.astype("str").str.contains("\r", regex=False)

    if any("\r" in str(c) for c in frame.columns):
        return True
    if cells is not None:
        return any(cells.holding("\r"))
    return any(has_cr(frame[c]).any() for c in columns_where(frame, has_cr))


def _write_text_rows(handle, frame: "pd.DataFrame", header: bool, delimiter: str,
                     newline: str, cells: "StackedText | None" = None) -> bool:
    """`frame` written as `to_csv(index=False)` writes it, byte for byte, when every column is
    text (False, nothing written, otherwise): Python's csv writer with pandas' settings, fed the
    cells stacked in one pass (`cells`, stacked.text_stacked's, when the caller has them).
    `to_csv` fetches each column's values on its own: a millisecond a column, seconds for a
    table of thousands of columns."""
    import csv

    from datatools.tools.stacked import text_stacked

    cells = text_stacked(frame) if cells is None else cells
    if cells is None:
        return False
    writer = csv.writer(handle, delimiter=delimiter, lineterminator=newline,
                        quoting=csv.QUOTE_MINIMAL, quotechar='"', doublequote=True)
    if header:
        writer.writerow([str(name) for name in frame.columns])
    rows = len(frame)
    if rows and frame.shape[1]:
        _write_text(handle, _csv_text(cells, delimiter, newline), newline)
    return True


def _csv_text(stacked: "StackedText", delimiter: str, newline: str):
    """The rows of `stacked` (stacked.StackedText: pyarrow text, columns stacked one after
    another) as Python's csv writer writes them with `_write_text_rows`' settings, built in
    pyarrow: a cell holding the delimiter, a quote or a character of `newline` is quoted (its
    quotes doubled), and a row that is one empty cell is written `""`. A pyarrow large_string
    scalar, the last line not yet ended; only the columns holding such a cell are quoted (most
    columns hold none, and quoting costs more than finding)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(value: str):
        return pa.scalar(value, pa.large_string())

    cells, rows, width = stacked.cells, stacked.rows, stacked.width
    quoted = stacked.holding(delimiter + '"' + newline)
    columns = []
    for at in range(width):
        column = cells.slice(at * rows, rows)
        if not quoted[at]:       # no cell to quote: its bytes hold none of the characters
            columns.append(column)
            continue
        special = None
        for character in dict.fromkeys(delimiter + '"' + newline):
            found = pc.match_substring(column, character)
            special = found if special is None else pc.or_(special, found)
        if pc.any(special).as_py():
            column = pc.if_else(special, pc.binary_join_element_wise(
                text('"'), pc.replace_substring(column, '"', '""'), text('"'), text("")), column)
        columns.append(column)
    if width == 1:
        columns[0] = pc.if_else(pc.equal(columns[0], text("")), text('""'), columns[0])
    lines = pc.binary_join_element_wise(*columns, text(delimiter))
    return pc.binary_join(pa.LargeListArray.from_arrays(pa.array([0, rows], pa.int64()), lines), text(newline))[0]


def _write_text(handle, text, end: str) -> None:
    """Write the pyarrow text scalar `text` and then `end` to the text file `handle`: its UTF-8
    bytes as they are when the file is UTF-8 (no Python string made and encoded again)."""
    import codecs

    if codecs.lookup(handle.encoding).name in ("utf-8", "utf-8-sig") and hasattr(handle, "buffer"):
        handle.flush()          # what the text layer holds (the header, a BOM) goes first
        handle.buffer.write(text.as_buffer())
        handle.write(end)
    else:
        handle.write(text.as_py() + end)


def _write_quoting_cr(handle, frame: "pd.DataFrame", header: bool, delimiter: str,
                      newline: str) -> None:
    """`frame` as `to_csv` writes it, but quoting every cell that holds a CR or LF too."""
    special = (delimiter, '"', "\r", "\n")

    def field(value) -> str:
        text = "" if value is None else str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in special) else text

    rows = frame.itertuples(index=False, name=None)
    if header:
        handle.write(delimiter.join(field(c) for c in frame.columns) + newline)
    for row in rows:
        handle.write(delimiter.join(field(v) for v in row) + newline)
