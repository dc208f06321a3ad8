"""Read any supported table file into a `Table` of text columns (writing: datatools/io/writing.py).

`read_table` detects the encoding (verified over the whole file), the delimiter and, if asked,
the header; then reads with pyarrow's CSV parser, falling back to the forgiving `csv`-module
path when the file is broken (ragged rows, stray quotes, NUL bytes). Problems it could work
around come back in `Table.warnings`; problems it could not raise `BadInput` naming the line.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from datatools.errors import BadInput
from datatools.io import delimited, excel, sheet_process
from datatools.io.detect import EncodingReport, detect_encoding
from datatools.io.lossy import count_losses, losses_notice, notice_of
from datatools.io.mixed import decode_mixed
from datatools.io.prose import (looks_like_text, split_header, split_text, split_text_notice,
                                 text_notice)
from datatools.io.short_wide import Cells, columns_holding, split_cells, tidied
from datatools.io.preamble import sheet_header
from datatools.io.text_start import after_lines, encoding_notes, table_start
from datatools.io.tidy_rows import tidied_frame
from datatools.io.byte_progress import CountingFile
from datatools.io.xlsx_cells import SheetOrigin
from datatools.progress import Progress, silent

if TYPE_CHECKING:
    import pandas as pd

PREVIEW_BYTES = 1 << 20
MAX_COLUMNS = 16_384      # Excel's own limit (column XFD): no spreadsheet holds a wider table
MAX_SAMPLE = 16 << 20        # the longest first lines sniffed whole (16,384 columns of 1 KiB)


@dataclass
class Table:
    frame: "pd.DataFrame"          # every column text, missing cells "" (see `_frame_of`)
    path: Path
    encoding: str                  # "" for spreadsheets
    delimiter: str                 # "" for spreadsheets
    warnings: list[str] = field(default_factory=list)
    header: bool = True            # the first row gave the column names
    detection: EncodingReport | None = None
    sheet: str | None = None
    # A short, wide file's stacked cells (io/short_wide.py) while its frame is not built yet:
    # the profile reads them as they are; `frame` builds the DataFrame on first use.
    cells: Cells | None = None
    origin: SheetOrigin | None = None   # a spreadsheet's: where each row was in its sheet
    header_line: int | None = None  # 1-based line (a sheet's row) of the header; None: no header


def _frame_of(table: Table) -> "pd.DataFrame":
    """`Table.frame`: the frame given, else built once from the stacked cells."""
    if table._frame is None and table.cells is not None:
        table._frame = text_frame(table.cells.names, table.cells.columns())
    return table._frame


def _set_frame(table: Table, frame: "pd.DataFrame | None") -> None:
    """A frame set (or cut, `table.frame = table.frame.head(n)`) replaces the stacked cells."""
    table._frame = frame
    if frame is not None:
        table.cells = None


Table.frame = property(_frame_of, _set_frame)   # the dataclass's __init__ sets it through this


def _open_check(source: Path) -> int:
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise BadInput(f"Cannot open {source}: {exc.strerror}.", code="cannot_open",
                       params={"file": source.name, "reason": str(exc.strerror)}) from None
    if source.is_dir():
        raise BadInput(f"{source} is a folder, not a file.", code="is_folder", params={"file": source.name})
    if size == 0:
        raise BadInput(f"{source} is empty (0 bytes).", code="empty_file", params={"file": source.name})
    return size


def _refuse_wide(source: Path, columns: int) -> None:
    """BadInput `too_many_columns` past MAX_COLUMNS: a million columns would take minutes to
    lay out and could not be opened in any spreadsheet program anyway."""
    if columns > MAX_COLUMNS:
        raise BadInput(f"{source.name} has {columns:,} or more columns; DataTools reads tables of "
                       f"up to {MAX_COLUMNS:,} columns, the most a spreadsheet holds. Check the "
                       "separator (--delimiter), or split the file.", code="too_many_columns",
                       params={"file": source.name, "columns": f"{columns:,}"})


def _first_line_fields(source: Path, sample: str, delimiter: str, encoding: str) -> int:
    """Fields of the first line (by its delimiters), looking past the sample when that line is
    longer: streamed in 1 MiB steps, stopping at its end or once past MAX_COLUMNS."""
    line = sample.split("\n", 1)[0]
    if "\n" in sample or codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        return line.count(delimiter) + 1
    mark, count = delimiter.encode("ascii", "ignore") or b",", 0
    with open(source, "rb") as handle:
        while count <= MAX_COLUMNS and (chunk := handle.read(1 << 20)):
            end = chunk.find(b"\n")
            count += chunk.count(mark, 0, end if end >= 0 else len(chunk))
            if end >= 0:
                break
    return count + 1


def _frame(names: list[str], rows: list[list[str]], source: Path | None = None) -> "pd.DataFrame":
    """Text columns (pandas' `str` dtype) built straight from pyarrow arrays: a pandas Series
    per column costs a millisecond, minutes on a table of thousands of columns. With `source`,
    BadInput `too_many_columns` past MAX_COLUMNS."""
    import pyarrow as pa

    if source is not None:
        _refuse_wide(source, len(names))

    columns = list(zip(*rows)) if rows else [()] * len(names)
    return text_frame(names, [pa.array(col, type=pa.string()) for col in columns])


def text_frame(names: list[str], arrays: list) -> "pd.DataFrame":
    """A DataFrame of `str` columns wrapping the pyarrow string `arrays` without copying
    (large_string ones; others are cast to it, as pandas would cast them one by one)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    large = pa.large_string()
    arrays = [array if array.type == large else array.cast(large) for array in arrays]
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)      # what dtype="str" gives
    columns = [pd.arrays.ArrowStringArray(array, dtype=dtype) for array in arrays]
    from_blocks = getattr(getattr(pd.api, "internals", None), "create_dataframe_from_blocks", None)
    if from_blocks is None or len(set(names)) < len(names):
        return pd.DataFrame(dict(zip(names, columns)), copy=False)
    # One block per column, handed over as they are: pandas' checks per column cost tens of
    # microseconds each, seconds on a table of 10^5 columns (pandas >= 3.0).
    return from_blocks([(column, np.array([i])) for i, column in enumerate(columns)],
                       index=pd.RangeIndex(len(columns[0]) if columns else 0),
                       columns=pd.Index(names))


def read_table(path: str | os.PathLike[str], *, encoding: str | None = None,
               delimiter: str | None = None, header: bool | str = True,
               sheet: str | int | None = None, progress: Progress | None = None,
               header_row: int | None = None) -> Table:
    """Read a CSV/TSV/TXT or spreadsheet file; `header` is True, False or "auto";
    `header_row` (1-based line, a sheet's row) names the header, else a title above the table
    is found and left out (io/preamble.py)."""
    progress = progress or silent()
    source = Path(path)
    _open_check(source)
    header = True if header_row is not None else header
    if source.suffix.lower() in excel.SPREADSHEET_SUFFIXES:
        return _read_spreadsheet(source, header, sheet, progress, header_row)
    if encoding is None:
        head = detect_encoding(source, progress.stage(0, 0.05), max_bytes=PREVIEW_BYTES)
        if head.encoding in ("ascii", "utf-8") and not head.verified:
            # pyarrow checks every string column is valid UTF-8 while it parses, so a clean
            # fast read proves the encoding for the whole file: no separate verifying pass.
            claim = EncodingReport("utf-8", 1.0, False, True,
                                   reason="the whole file parsed as valid UTF-8")
            table = _read_delimited(source, claim, delimiter, header, progress.stage(0.05, 1.0),
                                    None, fast_only=True, header_row=header_row)
            if table is not None:
                return table
    # After a fast read that failed, detection goes on from where the first look at the head
    # left the bar (0.05), instead of starting it again.
    detection = _encoding(source, encoding, progress.stage(0.05 if encoding is None else 0, 0.3), None)
    return _read_delimited(source, detection, delimiter, header, progress.stage(0.3, 1.0), None,
                           header_row=header_row)


def preview_table(path: str | os.PathLike[str], rows: int = 20, *, encoding: str | None = None,
                  delimiter: str | None = None, header: bool | str = True,
                  sheet: str | int | None = None, progress: Progress | None = None,
                  header_row: int | None = None) -> Table:
    """The first `rows` rows, reading only the start of a text file."""
    progress = progress or silent()
    source = Path(path)
    _open_check(source)
    header = True if header_row is not None else header
    if source.suffix.lower() in excel.SPREADSHEET_SUFFIXES:
        table = _read_spreadsheet(source, header, sheet, progress, header_row)
        table.frame = table.frame.head(rows)
        return table
    detection = _encoding(source, encoding, progress, PREVIEW_BYTES)
    return _read_delimited(source, detection, delimiter, header, progress, rows, header_row=header_row)


def _encoding(source: Path, encoding: str | None, progress: Progress,
              max_bytes: int | None) -> EncodingReport:
    if encoding is None:
        return detect_encoding(source, progress, max_bytes=max_bytes)
    from datatools.registry import check_codec

    name = codecs.lookup(check_codec(encoding)).name     # BadOption for rot13, base64, idna…
    return EncodingReport(name, 1.0, False, False, reason="given by the user")


def _read_spreadsheet(source: Path, header: bool | str, sheet: str | int | None,
                      progress: Progress, header_row: int | None = None) -> Table:
    warnings: list[str] = []
    progress.update(0.05, "opening spreadsheet")
    sheet_rows = sheet_process.read_sheet(source, sheet, warnings, progress)
    start, preamble = (sheet_header(sheet_rows.rows, header, header_row, sheet_rows.first_row)
                       if sheet_rows.rows else (0, None))
    if preamble is not None:
        warnings.append(preamble)
    filled = [at for at, row in enumerate(sheet_rows.rows) if at >= start and any(c.strip() for c in row)]
    rows = [sheet_rows.rows[at] for at in filled]
    blank = sum(1 for row in sheet_rows.rows[start:] if row) - len(rows)
    if not rows:
        raise BadInput(f"{source} has no filled cells in that sheet.", code="empty_sheet",
                       params={"file": source.name})
    has_header = (delimited.looks_like_header(rows[0], rows[1:]) if header == "auto"
                  else bool(header))
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    names = rows[0] if has_header else [f"column_{i}" for i in range(1, width + 1)]
    names = delimited.unique_names(names, warnings)
    if blank:
        warnings.append(delimited.blank_rows_notice(blank))
    formulas = excel.formula_warning(source, sheet_rows, names)
    if formulas:
        warnings.append(formulas)
    frame = _frame(names, rows[1:] if has_header else rows, source)
    progress.update(1.0, f"{len(frame):,} rows read")
    origin = SheetOrigin(sheet_rows.name, tuple(sheet_rows.first_row + at + 1
                                                for at in filled[1 if has_header else 0:]),
                         sheet_rows.first_column + 1)
    return _with_losses(Table(frame, source, "", "", warnings, has_header, None,
                              None if sheet is None else str(sheet), origin=origin,
                              header_line=sheet_rows.first_row + filled[0] + 1 if has_header else None))


def _with_losses(table: Table, candidates: list[int] | None = None) -> Table:
    """The table, its warnings naming letters lost to `?` by a lossy export (io/lossy.py);
    `candidates`: the only columns holding a `?`, when the reader knows them."""
    if table.cells is not None:
        cells = table.cells
        columns = range(len(cells.names)) if candidates is None else candidates
        notice = notice_of(count_losses(cells.names, [(i, cells.column(i)) for i in columns]))
    else:
        notice = losses_notice(table.frame, candidates)
    if notice is not None:
        table.warnings.append(notice)
    names = table.cells.names if table.cells is not None else list(table.frame.columns)
    if table.header and len(names) == 1:
        column = table.frame.iloc[:1000, 0].fillna("").astype(str)
        if looks_like_text(str(names[0]), column):
            table.warnings.append(text_notice(str(names[0])))
    elif table.header and split_header([str(name) for name in names]):
        # Only the header's first cell is filled: read the first rows (of the cells when the
        # reader kept them, so a short wide file still builds no frame) to see whether it is text.
        if table.cells is not None:
            columns = [table.cells.column(i)[:1000].to_pylist() for i in range(len(names))]
            rows = [["" if value is None else str(value) for value in row] for row in zip(*columns)]
        else:
            rows = table.frame.iloc[:1000].fillna("").astype(str).values.tolist()
        if split_text([str(name) for name in names], rows):
            table.warnings.append(split_text_notice(str(names[0]), len(names)))
    return table


def _decode_head(source: Path, detection: EncodingReport, size: int) -> str:
    with open(source, "rb") as handle:
        raw = handle.read(size)
    if detection.legacy is not None:
        text = decode_mixed(raw, detection.legacy, final=len(raw) < size)
    else:
        try:
            text = codecs.getincrementaldecoder(detection.encoding)(errors="replace").decode(raw)
        except UnicodeError:          # utf-16 asked for, no byte order mark and odd bytes…
            raise _not_in(source, detection.encoding, raw, 0) from None
    cut = text.rfind("\n")
    return text[: cut + 1] if cut > 0 and len(raw) == size else text


def _read_delimited(source: Path, detection: EncodingReport, delimiter: str | None,
                    header: bool | str, progress: Progress, limit: int | None,
                    fast_only: bool = False, header_row: int | None = None) -> Table | None:
    """The table, or None when `fast_only` and the fast path cannot read the file."""
    with open(source, "rb") as handle:
        head = handle.read(65536)
    delimited.refuse_binary(source, head, detection.encoding)
    sample = _decode_head(source, detection, _sample_size(source))
    if fast_only and "\ufffd" in sample:
        return None
    if not sample.strip():
        raise BadInput(f"{source} holds only blank space.", code="blank_file", params={"file": source.name})
    warnings = encoding_notes(detection, limit)
    sample, skip, delimiter = table_start(sample, delimiter, header, header_row, warnings)
    _refuse_wide(source, _first_line_fields(source, sample, delimiter, detection.encoding))
    if limit is None and "\x00" not in sample and not detection.encoding.startswith("utf-32") \
            and detection.legacy is None:
        read = _fast_read(source, detection.encoding, delimiter, header, sample, warnings, skip,
                          progress)
        if read is not None:
            frame, candidates = read
            cells = frame if isinstance(frame, Cells) else None
            progress.update(1.0, f"{cells.rows if cells else len(frame):,} rows read")
            has_header = _header_flag(header, sample, delimiter)
            return _with_losses(Table(None if cells else frame, source, detection.encoding,
                                      delimiter, warnings, has_header, detection, cells=cells,
                                      header_line=skip + 1 if has_header else None), candidates)
    if fast_only:
        return None
    text = (_decode_head(source, detection, PREVIEW_BYTES) if limit is not None
            else _decode_all(source, detection))
    text = after_lines(text, skip)
    parsed = delimited.parse_forgiving(text, delimiter, header, progress, limit, source.name, skip)
    rows = parsed.rows[:limit] if limit is not None else parsed.rows
    frame = _frame(parsed.header, rows, source)
    progress.update(1.0, f"{len(frame):,} rows read")
    has_header = _header_flag(header, sample, delimiter)
    return _with_losses(Table(frame, source, detection.encoding, delimiter,
                              warnings + parsed.warnings, has_header, detection,
                              header_line=skip + 1 if has_header else None))


def _sample_size(source: Path) -> int:
    """Bytes to sniff: 64 KiB, or more when the first two lines are longer (a wide table's
    header), up to MAX_SAMPLE; the delimiter, header and names come from whole lines."""
    size = 65536
    with open(source, "rb") as handle:
        data = handle.read(size)
        while data.count(b"\n") < 2 and len(data) == size and size < MAX_SAMPLE:
            more = handle.read(size)
            data += more
            size *= 2
            if not more:
                break
    return max(65536, min(size, MAX_SAMPLE))


def _header_flag(header: bool | str, sample: str, delimiter: str) -> bool:
    if header != "auto":
        return bool(header)
    import csv
    rows = list(csv.reader(sample.splitlines()[:51], delimiter=delimiter))
    return bool(rows) and delimited.looks_like_header(rows[0], rows[1:])


def _decode_all(source: Path, detection: EncodingReport) -> str:
    raw = source.read_bytes()
    if detection.legacy is not None:
        return decode_mixed(raw, detection.legacy)
    try:
        return raw.decode(detection.encoding)
    except UnicodeError as exc:
        raise _not_in(source, detection.encoding, raw, getattr(exc, "start", 0)) from None


def _not_in(source: Path, encoding: str, raw: bytes, start: int) -> BadInput:
    """BadInput `bad_bytes`: the file's bytes from `start` on are not text in `encoding`."""
    line = raw.count(b"\n", 0, start) + 1
    return BadInput(f"{source}: line {line} is not valid {encoding} (byte {start}); name the "
                    "file's encoding with --encoding.", code="bad_bytes",
                    params={"file": source.name, "line": str(line), "encoding": encoding})


def _fast_read(source: Path, encoding: str, delimiter: str, header: bool | str, sample: str,
               warnings: list[str], skip: int = 0, progress: Progress | None = None
               ) -> "tuple[pd.DataFrame | Cells, list[int] | None] | None":
    """pyarrow's parser, every column as text, or io/short_wide.py's split (its `Cells`, with the
    columns holding a `?`); None when the file needs the forgiving path. `progress` hears the
    share of the file's bytes parsed (io/byte_progress.py); Cancelled when asked to stop."""
    import csv

    import pyarrow as pa

    first = next(csv.reader(sample.splitlines()[:1], delimiter=delimiter), [])
    if not first:
        return None
    has_header = _header_flag(header, sample, delimiter)
    names_warnings: list[str] = []
    names = (delimited.unique_names(list(first), names_warnings) if has_header
             else [f"column_{i}" for i in range(1, len(first) + 1)])
    python_codec = codecs.lookup(encoding).name
    arrow_encoding = "utf8" if python_codec in ("utf-8", "ascii", "utf-8-sig") else python_codec
    split = (split_cells(source, delimiter, len(names), has_header)
             if not skip and python_codec in ("utf-8", "ascii") else None)
    if split is not None:       # a short, wide file: one stacked array (io/short_wide.py)
        warnings.extend(names_warnings)
        read = Cells(*split, names)
        cells = tidied(read, has_header)
        if cells is not None and cells.rows < read.rows:
            warnings.append(delimited.blank_rows_notice(read.rows - cells.rows))
        return None if cells is None else (cells, columns_holding(cells.stacked, cells.rows, "?"))
    try:
        with CountingFile(source, progress or silent()) as counted:
            table = _arrow_read(counted, arrow_encoding, names, skip + (1 if has_header else 0), delimiter)
            counted.raise_if_cancelled()
    except (pa.ArrowInvalid, UnicodeError, LookupError):
        counted.raise_if_cancelled()
        return None
    if has_header and python_codec == "utf-8-sig" and names and names[0].startswith("\ufeff"):
        return None
    if table.num_rows and any("\n" in value for value in
                              table.slice(table.num_rows - 1).to_pylist()[0].values() if value):
        return None   # maybe a quote that never closes: the forgiving path says where
    warnings.extend(names_warnings)
    frame = text_frame(table.column_names, [column.chunk(0) if column.num_chunks == 1
                                            else column.combine_chunks() for column in table.columns])
    if python_codec == "utf-8-sig":
        frame.columns = [str(frame.columns[0]).lstrip("\ufeff"), *frame.columns[1:]]
    frame = tidied_frame(frame, has_header, warnings)
    return None if frame is None else (frame, None)


def _arrow_read(source, arrow_encoding: str, names: list[str], skip: int, delimiter: str):
    """pyarrow's whole-file parse of `source` (a path or file), every column text."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(encoding=arrow_encoding, column_names=names,
                                       skip_rows=skip, block_size=8 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=True),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.large_string() for name in names},   # pandas' own
            strings_can_be_null=False, quoted_strings_can_be_null=False))
