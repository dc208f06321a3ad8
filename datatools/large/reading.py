"""Stream a table file into a UTF-8 Parquet file, deciding everything the way `read_table` does.

The decisions are the reading front end's own (datatools/io/tables.py): the encoding (proved
over the whole file, mixed UTF-8/code-page lines repaired), Excel's `sep=` line, the delimiter,
the header, unnamed and repeated column names, and the notes they make. Only the parsing
differs: pyarrow's CSV reader runs block by block instead of over the whole file, and the
forgiving path (ragged rows, stray quotes, NUL bytes; datatools/large/forgiving.py) reads line
by line with the `csv` module, so memory stays at a few blocks whatever the file's size. While
it writes, the reader counts each column's filled cells and finds running row numbers, which
profile and compare would otherwise read the copy again for. Columns are stored as `c0`,
`c1`, … (the names travel beside the file), so no SQL ever spells a user's column name.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from datatools.errors import BadInput
from datatools.io import delimited, excel
from datatools.io import tables as front
from datatools.io.detect import EncodingReport, detect_encoding
from datatools.io.lossy import LossCounter, notice_of
from datatools.io.prose import (looks_like_text, split_header, split_text, split_text_notice,
                                 text_notice)
from datatools.io.text_start import encoding_notes, table_start
from datatools.large.groups import GroupWriter
from datatools.large.rising import RisingColumns, Running
from datatools.progress import Progress

if TYPE_CHECKING:
    from datatools.io.xlsx_cells import SheetOrigin

BLOCK = 8 << 20            # bytes pyarrow parses at a time (as the in-memory fast path)


@dataclass
class CopyInfo:
    """What reading found: the names, the row count, and how the file was read."""

    names: list[str]
    rows: int
    encoding: str
    delimiter: str
    header: bool
    warnings: list = field(default_factory=list)
    detection: EncodingReport | None = None
    sheet: str | None = None
    filled: list[int] | None = None     # per column, the cells not empty (None: not counted)
    rising: list[bool | None] | None = None   # per column, RisingColumns.result (None: not read)
    running: list[Running | None] | None = None   # per column, RisingColumns.running (None: not read)
    origin: "SheetOrigin | None" = None   # a spreadsheet's: where each row was in its sheet


def stored_names(count: int) -> list[str]:
    """The Parquet names of `count` columns: c0, c1, …"""
    return [f"c{i}" for i in range(count)]


def copy_table(source: Path, target: Path, *, encoding: str | None = None,
               delimiter: str | None = None, header: bool | str = True,
               sheet: str | int | None = None, progress: Progress,
               header_row: int | None = None) -> CopyInfo:
    """Read `source` once (twice when the fast path gives up) into Parquet file `target`.

    Raises what `read_table` raises for the same file (BadInput naming the line); the
    caller removes `target` on any exception.
    """
    front._open_check(source)
    header = True if header_row is not None else header
    if source.suffix.lower() in excel.SPREADSHEET_SUFFIXES:
        table = front.read_table(source, header=header, sheet=sheet, progress=progress.stage(0, 0.9),
                                 header_row=header_row)
        _write_frame(table.frame, target)
        return CopyInfo([str(c) for c in table.frame.columns], len(table.frame), "", "",
                        table.header, list(table.warnings), None, table.sheet, origin=table.origin)
    if encoding is None:
        head = detect_encoding(source, progress.stage(0, 0.02), max_bytes=front.PREVIEW_BYTES)
        if head.encoding in ("ascii", "utf-8") and not head.verified:
            # As in read_table: pyarrow validates UTF-8 while it parses, so a clean streamed
            # read proves the encoding for the whole file without a separate pass.
            claim = EncodingReport("utf-8", 1.0, False, True, reason="the whole file parsed as valid UTF-8")
            info = _copy_delimited(source, target, claim, delimiter, header, progress.stage(0.02, 1.0),
                                   header_row, fast_only=True)
            if info is not None:
                return _note_text(info, target)
    detection = front._encoding(source, encoding, progress.stage(0.02, 0.3), None)
    info = _copy_delimited(source, target, detection, delimiter, header, progress.stage(0.3, 1.0),
                           header_row)
    assert info is not None
    return _note_text(info, target)


def _note_text(info: CopyInfo, target: Path) -> CopyInfo:
    """`info`, its warnings saying when the file reads as a letter rather than a table (a
    one-column file of sentences, io/prose.py), as `read_table` says it: from the first 1,000
    values of the copy."""
    if info.header and len(info.names) == 1:
        import pyarrow.parquet as pq

        batch = next(pq.ParquetFile(target).iter_batches(batch_size=1000, columns=["c0"]), None)
        values = batch.column(0).to_pylist() if batch is not None else []
        if looks_like_text(info.names[0], [value or "" for value in values]):
            info.warnings.append(text_notice(info.names[0]))
    elif info.header and split_header(info.names):
        import pyarrow.parquet as pq

        batch = next(pq.ParquetFile(target).iter_batches(batch_size=1000), None)
        rows = [[str(value) for value in row.values() if value is not None]
                for row in batch.to_pylist()] if batch is not None else []
        if split_text(info.names, rows):
            info.warnings.append(split_text_notice(info.names[0], len(info.names)))
    return info


def _write_frame(frame, target: Path) -> None:
    import pyarrow as pa

    arrays = [pa.array(frame[c].astype("str").fillna("").tolist(), pa.string()) for c in frame.columns]
    table = pa.Table.from_arrays(arrays, names=stored_names(len(arrays)))
    with GroupWriter(target, table.schema) as writer:
        writer.write(table)


def _copy_delimited(source: Path, target: Path, detection: EncodingReport, delimiter: str | None,
                    header: bool | str, progress: Progress, header_row: int | None = None,
                    fast_only: bool = False) -> CopyInfo | None:
    with open(source, "rb") as handle:
        head = handle.read(65536)
    delimited.refuse_binary(source, head, detection.encoding)
    sample = front._decode_head(source, detection, front._sample_size(source))
    if fast_only and "\ufffd" in sample:
        return None
    if not sample.strip():
        raise BadInput(f"{source} holds only blank space.", code="blank_file", params={"file": source.name})
    warnings = encoding_notes(detection, None)
    sample, skip, delimiter = table_start(sample, delimiter, header, header_row, warnings)
    front._refuse_wide(source, front._first_line_fields(source, sample, delimiter, detection.encoding))
    has_header = front._header_flag(header, sample, delimiter)
    if "\x00" not in sample and not detection.encoding.startswith("utf-32") and detection.legacy is None:
        info = _fast_copy(source, target, detection, delimiter, has_header, sample, warnings, skip, progress)
        if info is not None:
            return info
    if fast_only:
        return None
    from datatools.large.forgiving import forgiving_copy

    return forgiving_copy(source, target, detection, delimiter, has_header, warnings, skip, progress)


def _fast_copy(source: Path, target: Path, detection: EncodingReport, delimiter: str,
               has_header: bool, sample: str, warnings: list, skip: int,
               progress: Progress) -> CopyInfo | None:
    """pyarrow's streaming CSV reader, every column text; None when the file needs the
    forgiving path (the partial Parquet file is left for the caller to overwrite)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first = next(csv.reader(sample.splitlines()[:1], delimiter=delimiter), [])
    if not first:
        return None
    names_warnings: list = []
    names = (delimited.unique_names(list(first), names_warnings) if has_header
             else [f"column_{i}" for i in range(1, len(first) + 1)])
    codec = codecs.lookup(detection.encoding).name
    arrow_encoding = "utf8" if codec in ("utf-8", "ascii", "utf-8-sig") else codec
    stored = stored_names(len(names))
    schema = pa.schema([(name, pa.string()) for name in stored])
    if names and codec == "utf-8-sig":
        names[0] = names[0].lstrip("\ufeff")
    repeats = _HeaderRepeats(names) if has_header else None
    losses = LossCounter(names)
    filled = [0] * len(stored)
    rising = RisingColumns(len(stored))
    size = max(source.stat().st_size, 1)
    rows = blank = parsed = 0
    last = None
    try:
        handle = pa.OSFile(str(source))
        reader = pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(encoding=arrow_encoding, column_names=stored,
                                           skip_rows=skip + (1 if has_header else 0), block_size=BLOCK),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in stored},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
        with GroupWriter(target, schema) as writer:
            for batch in reader:
                parsed += _text_bytes(batch)
                if batch.num_rows and batch.num_columns:
                    read = batch.num_rows
                    last = batch.slice(read - 1, 1)    # before blank rows go, as read_table looks
                    batch = _without_blank_rows(batch)
                    blank += read - batch.num_rows
                if repeats is not None and batch.num_rows and repeats.found_in(batch):
                    return None   # the forgiving path drops those rows and names their lines
                if batch.num_rows:
                    writer.write(batch)
                    for i in range(batch.num_columns):
                        losses.add(i, batch.column(i))
                        filled[i] += _filled(batch.column(i))
                    rising.add(batch)
                    rows += batch.num_rows
                # pyarrow reads ahead of what it parsed: the bytes the batches hold say how far
                # the reading went (the file position would race to the end first).
                progress.update(min(parsed, handle.tell()) / size * 0.99, f"{rows:,} rows read")
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    finally:
        handle.close()
    if last is not None and any("\n" in str(last.column(i)[0]) for i in range(last.num_columns)):
        return None   # maybe a quote that never closes: the forgiving path says where
    warnings.extend(names_warnings)
    if blank:
        warnings.append(delimited.blank_rows_notice(blank))
    _note_losses(losses, warnings)
    progress.update(1.0, f"{rows:,} rows read")
    return CopyInfo(names, rows, detection.encoding, delimiter, has_header, warnings, detection,
                    filled=filled, rising=rising.result(), running=rising.running())


def _text_bytes(batch) -> int:
    """About the bytes of input that `batch` (string columns, no nulls) was parsed from: its
    text plus one delimiter or line end per cell (quotes and a header not counted)."""
    return sum(column.nbytes - 4 * (len(column) + 1) for column in batch.columns) \
        + batch.num_rows * batch.num_columns


def _filled(array) -> int:
    """The cells of the string array `array` (no nulls) that are not empty: the non-zero steps
    of its offsets (a fortieth of the time of comparing every cell with "")."""
    import numpy as np
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        return sum(_filled(chunk) for chunk in array.chunks)
    if not len(array):
        return 0
    if array.null_count:        # a null slot's length is not defined: compare (nulls count as filled)
        import pyarrow.compute as pc

        return len(array) - (pc.sum(pc.equal(array, "")).as_py() or 0)
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width)[array.offset:array.offset + len(array) + 1]
    return int(np.count_nonzero(np.diff(offsets)))


def _without_blank_rows(batch):
    """`batch` without the rows whose every cell is empty or white space (as `read_table` drops
    them); a column with no such cell ends the look, so most batches cost one column's look."""
    import pyarrow.compute as pc

    from datatools.io.tidy_rows import empty_cells

    blank = None
    for i in range(batch.num_columns):
        empty = empty_cells(batch.column(i))
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            return batch
    return batch.filter(pc.invert(blank))


def _note_losses(losses: LossCounter, warnings: list) -> None:
    notice = notice_of(losses.result())
    if notice is not None:
        warnings.append(notice)


def _literal(text: str) -> str:
    """`text` as an RE2 pattern matching it literally (every other character as `\\x{..}`)."""
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in text)


class _HeaderRepeats:
    """The fast path's look for rows that repeat the column names (as `read_table`'s
    `tidy_rows.repeats_header`): one regex kernel over each batch's first column finds the few rows
    whose first cell could be the first name, and only those are compared cell by cell."""

    SPACE = r"[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]"

    def __init__(self, names: list[str]):
        self.names = [delimited.header_form(name) for name in names]
        self.active = len([n for n in self.names if n]) >= 2
        # Case-insensitive in RE2's simple folding; str.casefold (the exact test below) also
        # folds ß to ss, so a first name holding a letter casefold changes is tested whole.
        self.pattern = (f"(?i)^\\x{{feff}}*{self.SPACE}*{_literal(self.names[0])}{self.SPACE}*$"
                        if self.active and self.names[0].isascii() else None)

    def found_in(self, batch) -> bool:
        """Whether some row of `batch` (text columns in the names' order) repeats the names."""
        import pyarrow.compute as pc

        if not self.active:
            return False
        first = batch.column(0)
        if self.pattern is not None:
            hits = pc.indices_nonzero(pc.match_substring_regex(first, self.pattern)).to_pylist()
        else:
            hits = [i for i, v in enumerate(first.to_pylist()) if delimited.header_form(v) == self.names[0]]
        return any([delimited.header_form(batch.column(c)[i].as_py()) for c in range(batch.num_columns)]
                   == self.names for i in hits)
