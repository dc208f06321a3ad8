"""A short, wide delimited file read as one stacked array of cells, and wide frames built cheaply.

pyarrow's CSV parser keeps a builder and a conversion per column: about 9 µs a column, 28 ms for
a survey of 3,000 columns × 30 rows against 2 ms for 10 × 9,000 (the same cells). A file of at
most `MAX_ROWS` rows and at least `MIN_COLUMNS` columns that holds no quote, carriage return or
NUL byte has nothing for a CSV parser to decide: its lines split at line feeds and its cells at
the delimiter. `split_cells` splits them with two pyarrow kernels over the whole file and
reorders the cells column after column (datatools/tools/stacked.py's layout), so each column is
a slice of one array. Any file it cannot read exactly as pyarrow would (a quote, a ragged row,
bytes that are not UTF-8, a `sep=` line) is left to pyarrow's parser (io/tables.py), which
decides as before.

The reader keeps such a table as its stacked `Cells` and builds the pandas frame only when a
tool asks for it (io/tables.py `Table.frame`): pandas' public construction costs about 5 µs a
column (20 ms for 3,000), more than the profile, which reads the stacked cells as they are
(tools/profile_stacked.py, DECISIONS 224).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
MIN_COLUMNS = 100
MAX_ROWS = 2000          # profile.SAMPLE: the tables the profile reads in one stacked pass
MAX_BYTES = 32 << 20


def split_cells(source: Path, delimiter: str, width: int, has_header: bool):
    """(the cells stacked column after column as one large_string array, the row count), or
    None when the file is not short, wide and free of quotes, carriage returns and NUL bytes,
    is not UTF-8, or has a row of other than `width` cells. Empty lines are skipped, as pyarrow's
    `ignore_empty_lines` skips them; with `has_header` the first line gives no row."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if width < MIN_COLUMNS or source.stat().st_size > MAX_BYTES:
        return None
    raw = source.read_bytes()
    if b'"' in raw or b"\r" in raw or b"\x00" in raw or raw.count(b"\n") > MAX_ROWS + 1:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = [line for line in text.split("\n") if line]
    if has_header:
        if not text.startswith(lines[0] if lines else "\n"):
            return None        # the header is not the first line: pyarrow decides
        lines = lines[1:]
    rows = len(lines)
    if not rows:
        return None
    parts = pc.split_pattern(pa.array(lines, pa.large_string()), delimiter)
    counts = pc.min_max(pc.list_value_length(parts))
    if counts["min"].as_py() != width or counts["max"].as_py() != width:
        return None
    order = np.arange(rows * width, dtype=np.int64).reshape(rows, width).T.ravel()
    return parts.flatten().take(pa.array(order)), rows


@dataclass
class Cells:
    """A short, wide table as the split gives it: every cell in one pyarrow large_string array
    (no nulls), column after column, `rows` cells per column, the columns named `names`."""

    stacked: object
    rows: int
    names: list[str]

    def column(self, index: int):
        """Column `index` (0-based) as a slice of the stacked array (no copy)."""
        return self.stacked.slice(index * self.rows, self.rows)

    def columns(self) -> list:
        """The columns, in order, as slices of the stacked array (no copy)."""
        return stacked_columns(self.stacked, self.rows, len(self.names))


def tidied(cells: Cells, has_header: bool) -> Cells | None:
    """`cells` without the rows that are empty in every column (io/tidy_rows.py `tidied_frame`'s rule);
    None when a row repeats the header (the forgiving path drops it and names its line)."""
    import numpy as np
    import pyarrow as pa

    from datatools.io.delimited import header_form
    from datatools.io.tidy_rows import empty_cells

    rows, width = cells.rows, len(cells.names)
    if has_header and width >= 2:
        names = [header_form(name) for name in cells.names]
        if len([n for n in names if n]) >= 2:
            for row, value in enumerate(cells.stacked.slice(0, rows).to_pylist()):
                if header_form(value) == names[0] and names == [
                        header_form(v) for v in cells.stacked.take(
                            pa.array(np.arange(width, dtype=np.int64) * rows + row)).to_pylist()]:
                    return None
    empty = np.asarray(empty_cells(cells.stacked), dtype=bool).reshape(width, rows)
    kept = np.flatnonzero(~empty.all(axis=0))
    if len(kept) == rows:
        return cells
    positions = (np.arange(width, dtype=np.int64)[:, None] * rows + kept[None, :]).ravel()
    return Cells(cells.stacked.take(pa.array(positions)), len(kept), cells.names)


def stacked_columns(stacked, rows: int, width: int) -> list:
    """The `width` columns of cells stacked column after column, as slices (no copy)."""
    return [stacked.slice(i * rows, rows) for i in range(width)]


def columns_holding(stacked, rows: int, text: str) -> list[int]:
    """The columns (0-based) of the stacked cells where some cell holds `text`."""
    import numpy as np
    import pyarrow.compute as pc

    hits = np.flatnonzero(np.asarray(pc.match_substring(stacked, text), dtype=bool))
    return np.unique(hits // max(rows, 1)).tolist()
