"""A compared column's per-row text held as one str per distinct value and each row's rank.

`PreparedColumns.text` and `.core` were object arrays of one pointer per row (8 bytes a row a
column: half a gigabyte of pointers for six columns at ten million rows) beside the ranks,
which already say which distinct value each row holds (equal normalised text, equal rank and
equal plain text and core). `RankedText` keeps only the distinct values by rank and shares
the ranks array with `PreparedColumns.ranks`; indexing it gives the same str objects as the
object array did (DECISIONS 296).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class RankedText:
    """Row r's text is `values[ranks[r]]`. Indexed like the object array it stands for:
    `text[row]` is a str, `text[rows]` (an int or bool array, or a slice) an object array of
    str; `text == s` and `text != s` a bool array per row; `len(text)` the rows; iterating or
    `np.asarray(text)` makes the whole object array (a pointer a row)."""

    __slots__ = ("values", "ranks")
    __hash__ = None

    def __init__(self, values: "np.ndarray", ranks: "np.ndarray") -> None:
        self.values = values      # object array of str, one per rank
        self.ranks = ranks        # int array, one per row (shared with PreparedColumns.ranks)

    def __len__(self) -> int:
        return len(self.ranks)

    def __getitem__(self, rows):
        return self.values[self.ranks[rows]]

    def __eq__(self, other):
        if isinstance(other, RankedText):
            return NotImplemented
        return (self.values == other)[self.ranks]

    def __ne__(self, other):
        if isinstance(other, RankedText):
            return NotImplemented
        return (self.values != other)[self.ranks]

    def __iter__(self):
        return iter(self.values[self.ranks])

    def __array__(self, dtype=None, copy=None):
        whole = self.values[self.ranks]
        return whole if dtype is None else whole.astype(dtype)

    def __arrow_array__(self, type=None):
        import pyarrow as pa

        return pa.array(self.values, type=type or pa.string()).take(self.ranks)
