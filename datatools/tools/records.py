"""Each row's whole record (its compared values joined), made for the rows a pass asks for.

`score_columns` scores the whole record of a pair beside its columns. Holding that text for
every row was one Python str per row (about 110 bytes with its pointer: 1.1 GB at ten million
rows, the largest part of `PreparedColumns`, DECISIONS 250). The record is only the row's
normalised values (`PreparedColumns.text`, legal-form words left out) joined by a space and
trimmed, so it is made again, by the same Arrow functions that made it before, for the rows of
each chunk of pairs. Only whether each row's record is empty is kept (a byte a row).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np

# Pairs whose records are made at once: their strings (about 100 bytes a row) are the memory
# the records cost while a batch is scored.
RECORD_CHUNK = 50_000


def joined_records(columns: Sequence) -> "object":
    """The records of the rows whose values `columns` hold (one Arrow string array or object
    array of str per column, all of one length): the values joined by a space in column order,
    white space at both ends trimmed (pyarrow's utf8_trim_whitespace). A pyarrow StringArray."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = [c if isinstance(c, (pa.Array, pa.ChunkedArray)) else pa.array(c, type=pa.string())
              for c in columns]
    return pc.utf8_trim_whitespace(pc.binary_join_element_wise(*arrays, " "))


class RowRecords:
    """The whole record of each row, by row number: `records[rows]` is an object array of str
    (rows an int array); `empty` a bool per row (True where every compared value is empty);
    `len(records)` the rows."""

    def __init__(self, text: Sequence["np.ndarray"], empty: "np.ndarray") -> None:
        self._text = list(text)
        self.empty = empty

    def __len__(self) -> int:
        return len(self.empty)

    def __getitem__(self, rows: "np.ndarray") -> "np.ndarray":
        import numpy as np

        joined = joined_records([column[rows] for column in self._text])
        return np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object)

    def token_sort_ratio(self, x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
        """rapidfuzz's token_sort_ratio (uint8 0–100) of the records of rows x[k] and y[k],
        made RECORD_CHUNK pairs at a time."""
        import numpy as np
        from rapidfuzz import fuzz, process

        scores = np.empty(len(x), dtype=np.uint8)
        for start in range(0, len(x), RECORD_CHUNK):
            end = start + RECORD_CHUNK
            scores[start:end] = process.cpdist(self[x[start:end]], self[y[start:end]],
                                               scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
        return scores
