"""All cells of a short, wide table as one column, so a per-cell step runs once, not per column.

pandas and pyarrow pay a fixed cost for every call on a Series (about a millisecond for a
string method, whatever its length): a table of 3,000 columns × 30 rows paid it 3,000 times
per step and took ten times as long as 10 × 9,000 cells. Stacking the cells column after
column (`stacked_arrow`) lets a step run once over every cell; the cell at position p belongs to
column p // rows, which is how the profile (profile_stacked.py), the tidy steps of clean
(clean_tidy.py) and the first passes of the readers and writers (`columns_where`) book what
they find. Only steps that look at each cell alone (replace, normalise, strip, compare) may run
stacked: their result for a cell is the same whichever column it sits in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pandas as pd

SHORT_ROWS = 5000   # tables up to this many rows check their columns stacked first


def columns_where(frame: "pd.DataFrame", test: Callable[["pd.Series"], "pd.Series"]) -> list:
    """`frame`'s columns, in order, except the text columns where `test` (a per-cell Series →
    bool Series) is False for every cell: a cheap first pass for a per-column scan, run once over
    the stacked cells of a short table. Tall tables, and columns that are not text, are all kept
    (their own scan decides)."""
    if not frame.columns.is_unique:
        return list(frame.columns)
    return [frame.columns[i] for i in positions_where(frame, test)]


def positions_where(frame: "pd.DataFrame", test: Callable[["pd.Series"], "pd.Series"]) -> list[int]:
    """`columns_where` by position (0-based), for tables whose names repeat too."""
    import numpy as np
    import pandas as pd

    width = frame.shape[1]
    if len(frame) > SHORT_ROWS or width < 2:
        return list(range(width))
    arrays = column_arrays(frame)
    text = [i for i, array in enumerate(arrays)
            if array.dtype == object or isinstance(array.dtype, pd.StringDtype)]
    if not text:
        return list(range(width))
    stacked = stacked_arrow(frame, arrays if len(text) == width else [arrays[i] for i in text])
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    cells = pd.Series(pd.arrays.ArrowStringArray(stacked, dtype=dtype), copy=False)
    hits = np.flatnonzero(test(cells).fillna(False).to_numpy(dtype=bool))
    hit = {text[p] for p in np.unique(hits // max(len(frame), 1)).tolist()}
    plain = set(text) - hit
    return [i for i in range(width) if i not in plain]


def column_arrays(frame: "pd.DataFrame") -> list:
    """`frame`'s columns as pandas arrays, in order, without building a Series for each: the
    blocks' arrays when each block is one extension column (text frames), else pandas'
    own column iterator where it has one (a Series costs tens of microseconds, a table of
    10^6 columns has 10^6 of them), else column by column."""
    blocks = getattr(getattr(frame, "_mgr", None), "blocks", None)
    if blocks is not None and all(getattr(block, "is_extension", False) for block in blocks):
        # Every block holds one column (pandas' extension blocks do): its array, by position.
        return [blocks[number].values for number in frame._mgr.blknos.tolist()]
    arrays = getattr(frame, "_iter_column_arrays", None)
    if arrays is not None:
        return list(arrays())
    return [frame.iloc[:, i].array for i in range(frame.shape[1])]


def stacked_arrow(frame: "pd.DataFrame", arrays: list | None = None):
    """The text of every cell of `frame` (or of its column `arrays`, from `column_arrays`),
    column after column, as one pyarrow large_string array with "" for missing cells: text
    columns without a copy per column, others as `str` gives them."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    large = pa.large_string()
    arrays = column_arrays(frame) if arrays is None else arrays
    kind = pd.arrays.ArrowStringArray
    if all(type(array) is kind for array in arrays):
        # pandas' text arrays: each holds a large_string ChunkedArray (checked when built).
        chunks = [chunk for array in arrays for chunk in array.__arrow_array__().chunks]
        arrays = []
    else:
        chunks = []
    for array in arrays:
        if isinstance(array.dtype, pd.StringDtype) and hasattr(array, "__arrow_array__"):
            data = array.__arrow_array__()
        else:
            data = pa.array(pd.Series(array).astype("str"), from_pandas=True)
        if data.type != large:
            data = data.cast(large)
        chunks.extend(data.chunks if isinstance(data, pa.ChunkedArray) else (data,))
    if not chunks:
        return pa.array([], large)
    cells = pa.concat_arrays(chunks)
    return pc.fill_null(cells, "") if cells.null_count else cells


def text_stacked(frame: "pd.DataFrame") -> "StackedText | None":
    """`frame`'s cells stacked (`stacked_arrow`) as a StackedText when every column of `frame`
    is pandas text (StringDtype), else None: what the CSV writer's passes share for one part
    of a table."""
    import pandas as pd

    arrays = column_arrays(frame)
    if isinstance(frame.columns, pd.MultiIndex) or not frame.shape[1] or not all(
            isinstance(array.dtype, pd.StringDtype) for array in arrays):
        return None
    return StackedText(stacked_arrow(frame, arrays), len(frame), frame.shape[1])


class StackedText:
    """A table's text cells stacked column after column (`stacked_arrow`: a pyarrow
    large_string array, `width` columns of `rows` cells), with questions about each column
    answered from its UTF-8 bytes at once, not cell by cell."""

    def __init__(self, cells, rows: int, width: int) -> None:
        import numpy as np

        self.cells, self.rows, self.width = cells, rows, width
        _, offset_buffer, data_buffer = cells.buffers()
        # cell k is the bytes offsets[k]:offsets[k + 1] (a null cell's too: stacked_arrow
        # leaves none, and a byte under one could only make `holding` answer True)
        self.offsets = np.frombuffer(offset_buffer, dtype=np.int64)[
            cells.offset:cells.offset + len(cells) + 1]
        self._data = data_buffer
        self._bytes: bytes | None = None

    def holding(self, characters: str) -> list[bool]:
        """Per column: might a cell hold one of `characters`? False only when none does (the
        column's bytes searched by bytes.find, memchr)."""
        if self._bytes is None:
            self._bytes = self._data.to_pybytes() if self._data is not None else b""
        wanted = [character.encode("utf-8") for character in dict.fromkeys(characters)]
        found = []
        for at in range(self.width):
            start, end = int(self.offsets[at * self.rows]), int(self.offsets[(at + 1) * self.rows])
            found.append(any(self._bytes.find(character, start, end) >= 0 for character in wanted))
        return found

    def starting(self, characters: str) -> list[bool]:
        """Per column: does a non-empty cell start with one of `characters` (ASCII: a UTF-8
        value's first byte tells)? Each cell's first byte read at once."""
        import numpy as np

        starts = np.zeros(256, dtype=bool)
        starts[np.frombuffer(characters.encode("ascii"), np.uint8)] = True
        raw = (np.frombuffer(self._data, dtype=np.uint8) if self._data is not None
               else np.zeros(0, np.uint8))
        if not len(raw):
            return [False] * self.width
        first = starts[raw[np.minimum(self.offsets[:-1], len(raw) - 1)]]
        first &= self.offsets[1:] > self.offsets[:-1]
        return [bool(first[at * self.rows:(at + 1) * self.rows].any()) for at in range(self.width)]
