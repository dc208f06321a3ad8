"""Stream a table file into a UTF-8 Parquet file, deciding everything the way `read_table` does.

The decisions are the reading front end's own (datatools/io/tables.py): the encoding (proved
over the whole file, mixed UTF-8/code-page lines repaired), Excel's `sep=` line, the delimiter,
the header, unnamed and repeated column names, and the notes they make. Only the parsing
differs: pyarrow's CSV reader runs block by block instead of over the whole file, and the
forgiving path (ragged rows, stray quotes, NUL bytes) reads line by line with the `csv` module,
so memory stays at a few blocks whatever the file's size. Columns are stored as `c0`, `c1`, …
(the names travel beside the file), so no SQL ever spells a user's column name.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from datatools.errors import BadInput
from datatools.io import delimited, excel
from datatools.io import tables as front
from datatools.io.detect import EncodingReport, detect_encoding
from datatools.io.lossy import LossCounter, notice_of
from datatools.io.mixed import MixedDecoder
from datatools.large.groups import ROWS_PER_GROUP, GroupWriter
from datatools.large.rising import RisingColumns
from datatools.notices import Notice, numbers
from datatools.progress import Progress

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


def stored_names(count: int) -> list[str]:
    """The Parquet names of `count` columns: c0, c1, …"""
    return [f"c{i}" for i in range(count)]


def copy_table(source: Path, target: Path, *, encoding: str | None = None,
               delimiter: str | None = None, header: bool | str = True,
               sheet: str | int | None = None, progress: Progress) -> CopyInfo:
    """Read `source` once (twice when the fast path gives up) into Parquet file `target`.

    Raises what `read_table` raises for the same file (BadInput naming the line); the
    caller removes `target` on any exception.
    """
    front._open_check(source)
    if source.suffix.lower() in excel.SPREADSHEET_SUFFIXES:
        table = front.read_table(source, header=header, sheet=sheet, progress=progress.stage(0, 0.9))
        _write_frame(table.frame, target)
        return CopyInfo([str(c) for c in table.frame.columns], len(table.frame), "", "",
                        table.header, list(table.warnings), None, table.sheet)
    if encoding is None:
        head = detect_encoding(source, progress.stage(0, 0.02), max_bytes=front.PREVIEW_BYTES)
        if head.encoding in ("ascii", "utf-8") and not head.verified:
            # As in read_table: pyarrow validates UTF-8 while it parses, so a clean streamed
            # read proves the encoding for the whole file without a separate pass.
            claim = EncodingReport("utf-8", 1.0, False, True, reason="the whole file parsed as valid UTF-8")
            info = _copy_delimited(source, target, claim, delimiter, header, progress.stage(0.02, 1.0),
                                   fast_only=True)
            if info is not None:
                return info
    detection = front._encoding(source, encoding, progress.stage(0.02, 0.3), None)
    info = _copy_delimited(source, target, detection, delimiter, header, progress.stage(0.3, 1.0))
    assert info is not None
    return info


def _write_frame(frame, target: Path) -> None:
    import pyarrow as pa

    arrays = [pa.array(frame[c].astype("str").fillna("").tolist(), pa.string()) for c in frame.columns]
    table = pa.Table.from_arrays(arrays, names=stored_names(len(arrays)))
    with GroupWriter(target, table.schema) as writer:
        writer.write(table)


def _copy_delimited(source: Path, target: Path, detection: EncodingReport, delimiter: str | None,
                    header: bool | str, progress: Progress, fast_only: bool = False) -> CopyInfo | None:
    with open(source, "rb") as handle:
        head = handle.read(65536)
    delimited.refuse_binary(source, head, detection.encoding)
    sample = front._decode_head(source, detection, front._sample_size(source))
    if fast_only and "\ufffd" in sample:
        return None
    if not sample.strip():
        raise BadInput(f"{source} holds only blank space.", code="blank_file", params={"file": source.name})
    warnings = front._encoding_notes(detection, None)
    sample, skip, delimiter = front.dialect(sample, delimiter, warnings)
    front._refuse_wide(source, front._first_line_fields(source, sample, delimiter, detection.encoding))
    has_header = front._header_flag(header, sample, delimiter)
    if "\x00" not in sample and not detection.encoding.startswith("utf-32") and detection.legacy is None:
        info = _fast_copy(source, target, detection, delimiter, has_header, sample, warnings, skip, progress)
        if info is not None:
            return info
    if fast_only:
        return None
    return _forgiving_copy(source, target, detection, delimiter, has_header, warnings, skip, progress)


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
    rows = 0
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
                if batch.num_rows and batch.num_columns:
                    batch = _without_blank_rows(batch)
                if repeats is not None and batch.num_rows and repeats.found_in(batch):
                    return None   # the forgiving path drops those rows and names their lines
                if batch.num_rows:
                    writer.write(batch)
                    for i in range(batch.num_columns):
                        losses.add(i, batch.column(i))
                        filled[i] += _filled(batch.column(i))
                    rising.add(batch)
                    rows += batch.num_rows
                    last = batch.slice(batch.num_rows - 1, 1)
                progress.update(min(handle.tell() / size, 0.99), f"{rows:,} rows read")
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    finally:
        handle.close()
    if last is not None and any("\n" in str(last.column(i)[0]) for i in range(last.num_columns)):
        return None   # maybe a quote that never closes: the forgiving path says where
    warnings.extend(names_warnings)
    _note_losses(losses, warnings)
    progress.update(1.0, f"{rows:,} rows read")
    return CopyInfo(names, rows, detection.encoding, delimiter, has_header, warnings, detection,
                    filled=filled, rising=rising.result())


def _filled(array) -> int:
    """The cells of the string array `array` (no nulls) that are not empty."""
    import pyarrow.compute as pc

    return len(array) - (pc.sum(pc.equal(array, "")).as_py() or 0)


def _without_blank_rows(batch):
    """`batch` without the rows whose every cell is empty (as `read_table` drops them); a
    column with no empty cell ends the look, so most batches cost one comparison."""
    import pyarrow.compute as pc

    blank = None
    for i in range(batch.num_columns):
        empty = pc.equal(batch.column(i), "")
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
    `_repeats_header`): one regex kernel over each batch's first column finds the few rows
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


class _Utf8Stream(io.RawIOBase):
    """The file's bytes decoded (mixed lines repaired) and given back as UTF-8, NULs removed."""

    def __init__(self, source: Path, detection: EncodingReport, progress: Callable[[int], None]):
        self._handle = open(source, "rb")
        self._mixed = MixedDecoder(detection.legacy) if detection.legacy is not None else None
        self._decoder = None if self._mixed else codecs.getincrementaldecoder(detection.encoding)("strict")
        self._encoding = detection.encoding
        self._pending = b""
        self._done = False
        self._progress = progress
        self._read = 0
        self._newlines = 0
        self.source = source
        self.nul_count = 0
        self.nul_lines: list[int] = []
        self.tail = ""                    # the text's last character before its final line ends
        self._text_lines = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._handle.close()
        super().close()

    def readinto(self, buffer) -> int:
        while not self._pending and not self._done:
            raw = self._handle.read(1 << 20)
            final = not raw
            self._done = final
            try:
                text = (self._mixed.decode(raw, final=final) if self._mixed
                        else self._decoder.decode(raw, final=final))
            except UnicodeDecodeError as exc:
                line = self._newlines + raw.count(b"\n", 0, max(exc.start, 0)) + 1
                raise BadInput(f"{self.source}: line {line} is not valid {self._encoding} "
                               f"(byte {self._read + max(exc.start, 0)}); name the file's encoding with "
                               "--encoding.", code="bad_bytes",
                               params={"file": self.source.name, "line": str(line),
                                       "encoding": self._encoding}) from None
            self._read += len(raw)
            self._newlines += raw.count(b"\n")
            if "\x00" in text:
                self._note_nuls(text)
                text = text.replace("\x00", "")
            self._text_lines += text.count("\n")
            if text.rstrip("\r\n"):
                self.tail = text.rstrip("\r\n")[-1]
            self._pending = text.encode("utf-8")
            self._progress(self._read)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _note_nuls(self, text: str) -> None:
        self.nul_count += text.count("\x00")
        start = 0
        while len(self.nul_lines) < 50 and (index := text.find("\x00", start)) >= 0:
            self.nul_lines.append(self._text_lines + text.count("\n", 0, index) + 1)
            start = index + 1


@dataclass
class _Shape:
    """One pass of the forgiving reader: widths and line numbers, as parse_forgiving reports them."""

    width: int = 0
    widest: int = 0
    first: list[str] = field(default_factory=list)
    rows: int = 0
    short: list[int] = field(default_factory=list)
    short_count: int = 0
    long: list[int] = field(default_factory=list)
    long_count: int = 0
    runaway: bool = False
    last_line: int = 1
    nul_count: int = 0
    nul_lines: list[int] = field(default_factory=list)
    ends_with_quote: bool = False
    repeated: list[int] = field(default_factory=list)
    repeated_count: int = 0


def _rows(source: Path, detection: EncodingReport, delimiter: str, skip: int, quoting: int,
          progress: Callable[[int], None], shape: "_Shape | None" = None) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, fields) for each non-blank row, in order; at the end, what the
    decoded text held (NULs removed, its last character) goes into `shape`."""
    raw = _Utf8Stream(source, detection, progress)
    text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding="utf-8", newline="")
    try:
        if skip:
            text.readline()
        reader = csv.reader(text, delimiter=delimiter, quoting=quoting)
        previous = skip
        try:
            for row in reader:
                line = previous + 1
                previous = reader.line_num + skip
                if any(cell.strip() for cell in row):
                    yield line, row
        except csv.Error as exc:
            raise BadInput(f"Line {reader.line_num + skip}: {exc}.", code="bad_csv_line",
                           params={"file": source.name, "line": str(reader.line_num + skip)}) from None
        if shape is not None:
            shape.nul_count, shape.nul_lines = raw.nul_count, raw.nul_lines
            shape.ends_with_quote = raw.tail == '"'

    finally:
        text.close()


def _measure(source: Path, detection: EncodingReport, delimiter: str, skip: int, quoting: int,
             has_header: bool, progress: Callable[[int], None]) -> _Shape:
    shape = _Shape()
    last_row: list[str] = []
    header = None
    for line, row in _rows(source, detection, delimiter, skip, quoting, progress, shape):
        if not shape.rows:
            shape.first, shape.width, shape.widest = row, len(row), len(row)
            shape.rows = 1
            if has_header:
                last_row = row
                header = delimited.HeaderRepeat(row)
                continue
        else:
            shape.rows += 1
        last_row = row
        if header is not None and header.repeats(row):
            shape.repeated_count += 1
            if len(shape.repeated) < delimited.MAX_LISTED + 1:
                shape.repeated.append(line)
            continue
        if len(row) < shape.width:
            shape.short_count += 1
            if len(shape.short) < delimited.MAX_LISTED + 1:
                shape.short.append(line)
        elif len(row) > shape.width and any(cell.strip() for cell in row[shape.width:]):
            shape.long_count += 1
            if len(shape.long) < delimited.MAX_LISTED + 1:
                shape.long.append(line)
        shape.widest = max(shape.widest, len(row))
        shape.last_line = line
    shape.runaway = quoting != csv.QUOTE_NONE and any("\n" in cell for cell in last_row)
    return shape


def _forgiving_copy(source: Path, target: Path, detection: EncodingReport, delimiter: str,
                    has_header: bool, warnings: list, skip: int, progress: Progress) -> CopyInfo:
    """Two streamed passes with the `csv` module: the first finds widths and ragged lines, the
    second writes; the notes are parse_forgiving's, word for word."""
    import pyarrow as pa

    size = max(source.stat().st_size, 1)
    measuring = progress.stage(0, 0.5)
    quoting = csv.QUOTE_MINIMAL
    shape = _measure(source, detection, delimiter, skip, quoting, has_header,
                     lambda n: measuring.update(n / size, "checking rows"))
    notes: list = []
    if shape.nul_count:
        lines = sorted(set(shape.nul_lines))
        notes.append(Notice(f"Removed {shape.nul_count} NUL byte(s) (line {_listed(lines)}).", "nul_removed",
                            count=shape.nul_count, lines=numbers(lines, delimited.MAX_LISTED)))
    if shape.runaway and not shape.ends_with_quote:
        notes.append(Notice(f"A quote opened on line {shape.last_line} never closes; quotes were read "
                            "as ordinary characters.", "quote_unclosed", line=shape.last_line))
        quoting = csv.QUOTE_NONE
        shape = _measure(source, detection, delimiter, skip, quoting, has_header,
                         lambda n: measuring.update(n / size, "checking rows"))
    if not shape.rows:
        raise BadInput("The file holds no rows.", code="no_rows", params={"file": source.name})
    if shape.repeated_count:
        notes.append(delimited.repeated_header_notice(shape.repeated, shape.repeated_count))
    width = shape.width
    widest = shape.widest if shape.long_count else width
    front._refuse_wide(source, widest)
    if shape.short_count:
        notes.append(Notice(f"{shape.short_count} row(s) have fewer than {width} fields and were padded "
                            f"with empty cells (line {_listed(shape.short, shape.short_count)}).",
                            "rows_padded", count=shape.short_count, width=width,
                            lines=numbers(shape.short, delimited.MAX_LISTED)))
    if shape.long_count:
        notes.append(Notice(f"{shape.long_count} row(s) have more than {width} fields; the extra values "
                            f"are kept in added columns (line {_listed(shape.long, shape.long_count)}).",
                            "rows_widened", count=shape.long_count, width=width,
                            lines=numbers(shape.long, delimited.MAX_LISTED)))
    names = list(shape.first) if has_header else [f"column_{i}" for i in range(1, width + 1)]
    names += [f"column_{i}" for i in range(len(names) + 1, widest + 1)]
    names = delimited.unique_names(names, notes)
    stored = stored_names(widest)
    schema = pa.schema([(n, pa.string()) for n in stored])
    writing = progress.stage(0.5, 1.0)
    batch: list[list[str]] = []
    rows = 0
    skip_first = has_header
    header = delimited.HeaderRepeat(shape.first) if has_header and shape.repeated_count else None
    losses = LossCounter(names)
    filled = [0] * widest
    rising = RisingColumns(widest)
    with GroupWriter(target, schema) as writer:
        def flush() -> None:
            arrays = [pa.array(c, pa.string()) for c in zip(*batch)]
            written = pa.RecordBatch.from_arrays(arrays, schema=schema)
            writer.write(written)
            rising.add(written)
            for i, array in enumerate(arrays):
                losses.add(i, array)
                filled[i] += _filled(array)
            batch.clear()

        for _, row in _rows(source, detection, delimiter, skip, quoting,
                            lambda n: writing.update(n / size, f"{rows:,} rows written")):
            if skip_first:
                skip_first = False
                continue
            if header is not None and header.repeats(row):
                continue
            batch.append((row + [""] * (widest - len(row)))[:widest])
            rows += 1
            if len(batch) >= ROWS_PER_GROUP:
                flush()
        if batch:
            flush()
    _note_losses(losses, notes)
    return CopyInfo(names, rows, detection.encoding, delimiter, has_header, warnings + notes, detection,
                    filled=filled, rising=rising.result())


def _listed(lines: list[int], count: int | None = None) -> str:
    """parse_forgiving's `3, 7 and 12 more` from the first lines kept and the full count."""
    shown = ", ".join(str(n) for n in lines[:delimited.MAX_LISTED])
    more = (len(lines) if count is None else count) - delimited.MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")
