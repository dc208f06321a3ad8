"""A compared column's per-row text held as one value per distinct text and each row's rank.

`PreparedColumns.text` and `.core` were object arrays of one pointer per row (8 bytes a row a
column: half a gigabyte of pointers for six columns at ten million rows) beside the ranks,
which already say which distinct value each row holds (equal normalised text, equal rank and
equal plain text and core). `RankedText` keeps only the values by rank and shares the ranks
array with `PreparedColumns.ranks` (DECISIONS 296).

A column of nearly unique values (a street with its house number: 8 million distinct values at
ten million rows) keeps them as an Arrow string array, about 20 bytes a value instead of a
Python str of about 60 and its pointer; the rows asked for are made into str when taken. Other
columns keep an object array of str, which indexing hands out as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# A column with more distinct values than this share of its rows keeps them in Arrow.
ARROW_FROM_SHARE = 0.25
# From this many rows asked at once, a column kept in Arrow makes each distinct value's str once.
DISTINCT_FROM = 1_000


def distinct_ranks(ranks: "np.ndarray") -> "tuple[np.ndarray, np.ndarray]":
    """(the distinct values of `ranks`, ascending; each entry's position among them), what
    np.unique(ranks, return_inverse=True) answers, by marking the ranks seen (ranks are small
    non-negative ints, fewer than the rows) instead of sorting: a pass, not a sort, over the
    pairs' ranks."""
    import numpy as np

    if not len(ranks):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    seen = np.zeros(int(ranks.max()) + 1, dtype=bool)
    seen[ranks] = True
    distinct = np.flatnonzero(seen)
    position = np.zeros(len(seen), dtype=np.int64)
    position[distinct] = np.arange(len(distinct))
    return distinct, position[ranks]


def words_sorted_of(texts: "pa.Array") -> "np.ndarray":
    """Each of `texts` (a pyarrow string array without nulls) with its words sorted, an object
    array of str: `" ".join(sorted(text.split()))`, token_sort_ratio's own preparation. Texts
    of letters, digits and single spaces (normalised text, nearly all) are split, sorted and
    joined in Arrow (its byte order of UTF-8 is the code-point order Python sorts by); any
    other is done in Python, as before."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    other = np.flatnonzero(np.asarray(pc.fill_null(pc.match_substring_regex(
        texts, r"[^\pL\pN ]"), True), dtype=bool))
    words = pc.split_pattern(pc.fill_null(texts, ""), " ")
    table = pa.table({"value": pc.list_parent_indices(words), "word": pc.list_flatten(words)})
    table = table.filter(pc.not_equal(table["word"], ""))
    table = table.take(pc.sort_indices(table, [("value", "ascending"), ("word", "ascending")]))
    counts = np.bincount(np.asarray(table["value"]), minlength=len(texts))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    joined = pc.binary_join(pa.LargeListArray.from_arrays(
        pa.array(offsets), table["word"].combine_chunks()), " ")
    ordered = np.asarray(pc.fill_null(joined, "").to_numpy(zero_copy_only=False), dtype=object)
    if len(other):
        ordered[other] = [" ".join(sorted(str(text).split()))
                          for text in texts.take(pa.array(other)).to_pylist()]
    return ordered


class RankedText:
    """Row r's text is `values[ranks[r]]`. Indexed like the object array it stands for:
    `text[row]` is a str, `text[rows]` (an int or bool array, or a slice) an object array of
    str; `text == s` and `text != s` a bool array per row; `len(text)` the rows; iterating or
    `np.asarray(text)` makes the whole object array (a pointer a row). `values` is an object
    array of str or a pyarrow string array, one value per rank."""

    __slots__ = ("values", "ranks")
    __hash__ = None

    def __init__(self, values: "np.ndarray | pa.Array", ranks: "np.ndarray") -> None:
        self.values = values
        self.ranks = ranks        # int array, one per row (shared with PreparedColumns.ranks)

    def __len__(self) -> int:
        return len(self.ranks)

    def __getitem__(self, rows):
        import numpy as np

        picked = self.ranks[rows]
        if isinstance(self.values, np.ndarray):
            return self.values[picked]
        if np.ndim(picked) == 0:
            return self.values[int(picked)].as_py()
        if len(picked) < DISTINCT_FROM:
            return self.values.take(picked).to_numpy(zero_copy_only=False)
        # Each distinct value made into a str once, then handed out by position: the pairs of
        # a column ask for each row a dozen times (600,000 pairs of 50,000 rows), and a str
        # made from Arrow costs more than the look-up (DECISIONS 480).
        distinct, position = distinct_ranks(picked)
        texts = np.asarray(self.values.take(distinct).to_numpy(zero_copy_only=False), dtype=object)
        return texts[position]

    def words_sorted(self, x: "np.ndarray", y: "np.ndarray") -> "tuple[np.ndarray, np.ndarray]":
        """The texts of rows x and of rows y (int arrays) with their words sorted, two object
        arrays of str: token_sort_ratio's own preparation (records.RowRecords.sorted_words),
        so fuzz.ratio of two of them is the values' token_sort_ratio. Each distinct value is
        sorted once, not once per pair in rapidfuzz."""
        import numpy as np

        return self.sorted_words(np.concatenate([x, y])).pairs(x, y)

    def sorted_words(self, rows: "np.ndarray") -> "SortedWords":
        """The texts of `rows` (an int array) with their words sorted, each distinct text
        once: `.pairs(x, y)` answers words_sorted for any rows x, y among `rows`. Made once
        for the pairs of a whole column, not once per chunk of its pairs: a column of nearly
        unique values (e-mails, phones) met each value again in every chunk."""
        import numpy as np

        import pyarrow as pa

        distinct, _ = distinct_ranks(self.ranks[rows])
        texts = (pa.array(self.values[distinct], pa.string())
                 if isinstance(self.values, np.ndarray) else self.values.take(distinct))
        ordered = words_sorted_of(texts)
        position = np.zeros(int(distinct[-1]) + 1 if len(distinct) else 0, dtype=np.int32)
        position[distinct] = np.arange(len(distinct), dtype=np.int32)
        return SortedWords(self.ranks, position, ordered)

    def _by_rank(self, other, equal: bool) -> "np.ndarray":
        import numpy as np
        import pyarrow.compute as pc

        if isinstance(self.values, np.ndarray):
            return self.values == other if equal else self.values != other
        # a missing value equals nothing, as None in an object array does
        found = pc.equal(self.values, other) if equal else pc.not_equal(self.values, other)
        return np.asarray(pc.fill_null(found, not equal), dtype=bool)

    def empty_ranks(self) -> "np.ndarray":
        """Per rank: is its text ""? (A bool array indexed by rank.)"""
        return self._by_rank("", True)

    def equal_filled(self, x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
        """Per pair of rows (x[k], y[k]): do both hold one text, not ""? A bool array. Rows of
        one rank hold one text; only rows of two ranks are compared as text (values that differ
        only in a legal form read alike), not every pair made into str."""
        import numpy as np

        same = self.ranks[x] == self.ranks[y]
        other = np.flatnonzero(~same)
        same[other] = self[x[other]] == self[y[other]]
        return same & ~self.empty_ranks()[self.ranks[x]]

    def __eq__(self, other):
        if isinstance(other, RankedText):
            return NotImplemented
        return self._by_rank(other, True)[self.ranks]

    def __ne__(self, other):
        if isinstance(other, RankedText):
            return NotImplemented
        return self._by_rank(other, False)[self.ranks]

    def __iter__(self):
        return iter(self[slice(None)])

    def __array__(self, dtype=None, copy=None):
        whole = self[slice(None)]
        return whole if dtype is None else whole.astype(dtype)

    def __arrow_array__(self, type=None):
        import pyarrow as pa

        import numpy as np

        values = pa.array(self.values, pa.string()) if isinstance(self.values, np.ndarray) else self.values
        return values.take(self.ranks) if type is None else values.take(self.ranks).cast(type)



class SortedWords:
    """Some ranks' texts with their words sorted (RankedText.sorted_words): `ordered[k]` is
    the text of rank r with position[r] == k."""

    __slots__ = ("ranks", "position", "ordered")

    def __init__(self, ranks: "np.ndarray", position: "np.ndarray", ordered: "np.ndarray") -> None:
        self.ranks, self.position, self.ordered = ranks, position, ordered

    def pairs(self, x: "np.ndarray", y: "np.ndarray") -> "tuple[np.ndarray, np.ndarray]":
        """The sorted texts of rows x and of rows y (int arrays of rows whose ranks were
        sorted), two object arrays of str."""
        return (self.ordered[self.position[self.ranks[x]]],
                self.ordered[self.position[self.ranks[y]]])
