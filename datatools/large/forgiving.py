"""The forgiving path of the working copy: files pyarrow's CSV reader refuses (ragged rows,
stray quotes, NUL bytes, mixed encodings), read line by line with the `csv` module in two
streamed passes, with parse_forgiving's notes word for word (datatools/large/reading.py
decides everything else and calls `forgiving_copy`).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from datatools.errors import BadInput
from datatools.io import delimited
from datatools.io import tables as front
from datatools.io.detect import EncodingReport
from datatools.io.lossy import LossCounter
from datatools.io.mixed import MixedDecoder
from datatools.large.groups import ROWS_PER_GROUP, GroupWriter
from datatools.large.reading import CopyInfo, _filled, _note_losses, stored_names
from datatools.large.rising import RisingColumns
from datatools.notices import Notice, numbers
from datatools.progress import Progress


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
    blank_count: int = 0        # rows whose every cell is empty (left out)
    last_cell_lines: bool = False   # the last row's last cell holds a line break


def _rows(source: Path, detection: EncodingReport, delimiter: str, skip: int, quoting: int,
          progress: Callable[[int], None], shape: "_Shape | None" = None) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, fields) for each non-blank row, in order; at the end, what the
    decoded text held (NULs removed, its last character) goes into `shape`."""
    raw = _Utf8Stream(source, detection, progress)
    text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding="utf-8", newline="")
    try:
        for _ in range(skip):
            text.readline()
        reader = csv.reader(text, delimiter=delimiter, quoting=quoting)
        previous = skip
        row: list[str] = []
        try:
            for row in reader:
                line = previous + 1
                previous = reader.line_num + skip
                if any(cell.strip() for cell in row):
                    yield line, row
                elif row and shape is not None:
                    shape.blank_count += 1
        except csv.Error as exc:
            raise BadInput(f"Line {reader.line_num + skip}: {delimited.csv_error_text(exc)}.", code="bad_csv_line",
                           params={"file": source.name, "line": str(reader.line_num + skip)}) from None
        if shape is not None:
            shape.nul_count, shape.nul_lines = raw.nul_count, raw.nul_lines
            shape.last_cell_lines = bool(row) and "\n" in row[-1]
            shape.ends_with_quote = raw.tail == '"'

    finally:
        text.close()


def _measure(source: Path, detection: EncodingReport, delimiter: str, skip: int, quoting: int,
             has_header: bool, progress: Callable[[int], None]) -> _Shape:
    shape = _Shape()
    header = None
    for line, row in _rows(source, detection, delimiter, skip, quoting, progress, shape):
        if not shape.rows:
            shape.first, shape.width, shape.widest = row, len(row), len(row)
            shape.rows = 1
            if has_header:
                header = delimited.HeaderRepeat(row)
                continue
        else:
            shape.rows += 1
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
    # A quote that never closes swallows the rest of the file into the last row's last cell
    # (delimited._runaway_quote's rule).
    shape.runaway = quoting != csv.QUOTE_NONE and shape.last_cell_lines
    return shape


def forgiving_copy(source: Path, target: Path, detection: EncodingReport, delimiter: str,
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
        notes.append(Notice(f"{shape.short_count:,} row(s) have fewer than {width} fields and were padded "
                            f"with empty cells (line {_listed(shape.short, shape.short_count)}).",
                            "rows_padded", count=shape.short_count, width=width,
                            lines=numbers(shape.short, delimited.MAX_LISTED)))
    if shape.long_count:
        notes.append(Notice(f"{shape.long_count:,} row(s) have more than {width} fields; the extra values "
                            f"are kept in added columns (line {_listed(shape.long, shape.long_count)}).",
                            "rows_widened", count=shape.long_count, width=width,
                            lines=numbers(shape.long, delimited.MAX_LISTED)))
    if shape.blank_count:
        notes.append(delimited.blank_rows_notice(shape.blank_count))
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
                    filled=filled, rising=rising.result(), running=rising.running())


def _listed(lines: list[int], count: int | None = None) -> str:
    """parse_forgiving's `3, 7 and 12 more` from the first lines kept and the full count."""
    shown = ", ".join(str(n) for n in lines[:delimited.MAX_LISTED])
    more = (len(lines) if count is None else count) - delimited.MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")
