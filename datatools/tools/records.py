"""Each row's whole record (its compared values joined), made for the rows a pass asks for.

`score_columns` scores the whole record of a pair beside its columns. Holding that text for
every row was one Python str per row (about 110 bytes with its pointer: 1.1 GB at ten million
rows, the largest part of `PreparedColumns`, DECISIONS 250). The record is only the row's
normalised values (`PreparedColumns.text`, legal-form words left out) joined by a space and
trimmed, so it is made again, by the same Arrow functions that made it before, for the rows of
each chunk of pairs. Only whether each row's record is empty is kept (a byte a row).

Each column's values are taken from its distinct values, an Arrow string array indexed by the
value's rank (`PreparedColumns.ranks`, held anyway): an Arrow `take` of the rows' ranks, not a
conversion of Python strings to Arrow, which was a third of the records' cost (DECISIONS 282).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

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
    `len(records)` the rows.

    Per column, `by_rank` is a pyarrow string array of the compared value of each rank and
    `ranks` an int array of each row's rank (row r's value is by_rank[ranks[r]])."""

    def __init__(self, by_rank: Sequence["pa.Array"], ranks: Sequence["np.ndarray"],
                 empty: "np.ndarray") -> None:
        self._by_rank = list(by_rank)
        self._ranks = list(ranks)
        self.empty = empty
        self._holding: dict[tuple[str, ...], list["np.ndarray"]] = {}

    def __len__(self) -> int:
        return len(self.empty)

    def __getitem__(self, rows: "np.ndarray") -> "np.ndarray":
        import numpy as np

        joined = joined_records([values.take(ranks[rows])
                                 for values, ranks in zip(self._by_rank, self._ranks)])
        return np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object)

    def holding(self, rows: "np.ndarray", words: tuple[str, ...]) -> "np.ndarray":
        """Per row of `rows` (an int array): does one of its compared values hold one of
        `words` as a word of its own (between characters that are no letter or digit, or
        the value's ends)? A bool array, True for every row whose values, split on white
        space, hold one of them (and perhaps for a few more: `jr.` in a value normalize_text
        did not make). Each column's distinct values are looked at once per `words` (in
        Arrow), the rows by their ranks."""
        import re

        import numpy as np
        import pyarrow.compute as pc

        if words not in self._holding:
            alternatives = "|".join(re.escape(word) for word in words)
            pattern = rf"(^|[^\pL\pN])({alternatives})([^\pL\pN]|$)"
            self._holding[words] = [
                np.asarray(pc.fill_null(pc.match_substring_regex(values, pattern), False), dtype=bool)
                for values in self._by_rank]
        found = np.zeros(len(rows), dtype=bool)
        for hits, ranks in zip(self._holding[words], self._ranks):
            found |= hits[ranks[rows]]
        return found

    def sorted_words(self, rows: "np.ndarray") -> "np.ndarray":
        """The records of `rows` (an int array) with their words sorted, an object array of str:
        token_sort_ratio's own preparation (rapidfuzz's reference implementation splits with
        str.split and sorts the words), so fuzz.ratio of two of them is the records'
        token_sort_ratio. (rapidfuzz's compiled split differs from str.split only on U+0085
        and U+00A0, checked over every code point; normalize_text makes both a space.) Made
        RECORD_CHUNK rows at a time."""
        import numpy as np

        from datatools.tools.ranked import words_sorted_of

        ordered = np.empty(len(rows), dtype=object)
        for start in range(0, len(rows), RECORD_CHUNK):
            chunk = rows[start:start + RECORD_CHUNK]
            ordered[start:start + RECORD_CHUNK] = words_sorted_of(joined_records(
                [values.take(ranks[chunk]) for values, ranks in zip(self._by_rank, self._ranks)]))
        return ordered

    def token_sort_ratio(self, x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
        """rapidfuzz's token_sort_ratio (uint8 0–100) of the records of rows x[k] and y[k],
        made RECORD_CHUNK pairs at a time."""
        import numpy as np
        from rapidfuzz import fuzz

        from datatools.tools import pairwise

        scores = np.empty(len(x), dtype=np.uint8)
        for start in range(0, len(x), RECORD_CHUNK):
            end = start + RECORD_CHUNK
            scores[start:end] = pairwise.cpdist(self[x[start:end]], self[y[start:end]],
                                                scorer=fuzz.token_sort_ratio, dtype=np.uint8)
        return scores
