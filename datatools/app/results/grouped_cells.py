"""A large dedupe review's grouped cells, read from disk (DECISIONS 471, 526).

The in-memory review (`datatools.app.review.GroupCells`) turns the grouped rows' cells into
Python strings twice (the cells, their casefolded copy) to find the columns each group differs
in: 86 million cells on issue 27's 10 M-row export, 14 GB before the first page (DECISIONS 447).
Here the cells stay in the grouped rows' file (`grouped_rows.GroupedRows`, in group order),
"differs in" is worked out one column at a time over the column's distinct values, the text
filter likewise, and a group's cells become Python lists only when it is shown, a batch of
neighbouring groups (neighbouring rows of the file) at a time, the last few thousand groups kept.
"""

from __future__ import annotations

from collections import OrderedDict
from itertools import chain
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from datatools.app.review import GroupCells
from datatools.memory import give_back

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import pyarrow as pa

    from datatools.app.results.grouped_rows import GroupedRows
    from datatools.app.review import _Group

BATCH = 64           # groups read into lists at once (a take of 64 groups costs about one's)
KEPT = 4096          # groups whose lists are kept (a page shows 10)


def _distinct(column: "pa.ChunkedArray") -> tuple["pa.Array", "np.ndarray"]:
    """A column's distinct values (a pyarrow array: made Python strings a slice at a time by
    its users, DECISIONS 583) and each cell's place among them (-1 for a missing cell)."""
    import pyarrow.compute as pc

    values = pc.unique(column)
    places = pc.fill_null(pc.index_in(column, value_set=values), -1)
    return values, places.to_numpy()


class FileGroupCells(GroupCells):
    """`GroupCells` of the grouped rows on disk (`grouped`, in group order: group k's rows are
    the file rows from `starts[k]`, the frame rows `grouped.order` there)."""

    def __init__(self, columns: list[str], grouped: "GroupedRows", starts: "np.ndarray") -> None:
        super().__init__(columns, None, starts.tolist(), _differs(grouped, starts))
        self.grouped = grouped
        self.rows = grouped.order
        self.bounds = starts
        self._kept: OrderedDict[int, dict[int, list[str]]] = OrderedDict()
        self._found: tuple[str, "np.ndarray"] | None = None       # the last text searched, its groups

    def cells(self, group: "_Group") -> dict[int, list[str]]:
        found = self._kept.get(group.index)
        if found is None:
            self._read(group.index)
            found = self._kept[group.index]
        self._kept.move_to_end(group.index)
        return found

    def _read(self, first: int) -> None:
        """Groups first … first + BATCH - 1 as lists, read from their row groups at once."""
        import numpy as np

        last = min(first + BATCH, len(self.bounds))
        end = self.bounds[last] if last < len(self.bounds) else len(self.rows)
        rows = self.rows[self.bounds[first]:end]
        table = self.grouped.at(np.arange(self.bounds[first], end))
        lines = [list(cells) for cells in zip(*(column.to_pylist() for column in table.columns))]
        for index in range(first, last):
            lo = self.bounds[index] - self.bounds[first]
            hi = (self.bounds[index + 1] if index + 1 < len(self.bounds) else end) - self.bounds[first]
            self._kept[index] = dict(zip(rows[lo:hi].tolist(), lines[lo:hi]))
            self._kept.move_to_end(index)
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)

    def text_test(self, text: str, groups: list["_Group"]) -> Callable[["_Group"], bool]:
        """As `GroupCells.text_test`, one column at a time over its distinct values casefolded
        (a cell holds the text, as in a group's text). Text holding a tab or a line break, which
        the group's text puts between cells, is sought in that text."""
        import numpy as np

        if "\t" in text or "\n" in text:
            return super().text_test(text, groups)
        if self._found is None or self._found[0] != text:
            hit = np.zeros(len(self.rows), bool)
            for k in range(len(self.columns)):
                values, places = _distinct(self.grouped.column(k))
                holds = np.zeros(len(values) + 1, bool)                  # last: -1, missing
                for at in range(0, len(values), FOLD_SLICE):             # as _folded_codes
                    some = values.slice(at, FOLD_SLICE).to_pandas().str.casefold()
                    holds[at:at + len(some)] = some.str.contains(text, regex=False).to_numpy(
                        dtype=bool, na_value=False)
                hit |= holds[places]
                del values, places
                give_back()
            self._found = (text, np.logical_or.reduceat(hit, self.bounds))
        found = self._found[1]
        return lambda group: bool(found[group.index])


def _differs(grouped: "GroupedRows", starts: "np.ndarray") -> "np.ndarray":
    """Per group and column, whether the group's rows hold more than one value there (stripped
    and casefolded as `DuplicateReview` compares them; missing cells not counted), one column at
    a time: bool, groups × columns."""
    import numpy as np

    differs = np.zeros((len(starts), len(grouped.names)), bool)
    for k in range(len(grouped.names)):
        values, places = _distinct(grouped.column(k))
        folded = _folded_codes(values)                                   # -1: missing
        codes = np.append(folded, -1)[places]
        highest = np.maximum.reduceat(codes, starts)
        lowest = np.minimum.reduceat(np.where(codes < 0, np.iinfo(codes.dtype).max, codes), starts)
        differs[:, k] = highest > lowest
        del values, places, folded, codes
        give_back()         # one column's text at a time (DECISIONS 583)
    return differs


FOLD_SLICE = 100_000     # distinct values made Python strings at a time by _folded_codes


def _folded_codes(values: "pa.Array") -> "np.ndarray":
    """A code per distinct value (`values`, a pyarrow string array), equal where the values
    are equal once stripped and casefolded as `DuplicateReview` folds them (Python's
    str.strip and str.casefold), -1 for a missing one: int64. The values become Python strings
    FOLD_SLICE at a time, and their folded forms go back to Arrow at once: all of a column's
    at once were three copies of every distinct value as Python strings (3.4 GB of the
    window's review of issue 27's 10 M-row export, DECISIONS 583)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(values):
        return np.empty(0, np.int64)
    folded = [pa.array(values.slice(at, FOLD_SLICE).to_pandas().str.strip().str.casefold(),
                       type=pa.large_string(), from_pandas=True)
              for at in range(0, len(values), FOLD_SLICE)]
    encoded = pc.dictionary_encode(pa.concat_arrays(folded))
    return pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy()


class GroupedReasons:
    """The grouped rows' match_reason texts on disk (`path`, Parquet, row k of the review's
    frame in row k, ROWS to a row group), read a page's rows at a time. Held in the frame they
    were a third of its bytes (about 330 characters a row) and, read at once, 1.2 GB of Python
    strings on issue 27's 10 M-row export (DECISIONS 471); the review's frame holds "" instead."""

    ROWS = 1024

    def __init__(self, path: "Path") -> None:
        self.path = path

    def write(self, parts: "Iterable[np.ndarray]") -> None:
        """Write the texts, `parts` (object arrays of str) one after another in row order; every
        row group but the last holds ROWS rows."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([("text", pa.string())])
        left = np.empty(0, object)
        with pq.ParquetWriter(self.path, schema, compression="snappy") as writer:
            for texts in chain(parts, [None]):     # None: the end, the rest written
                left = np.concatenate([left, texts]) if texts is not None else left
                whole = len(left) if texts is None else len(left) - len(left) % self.ROWS
                if whole:
                    writer.write_table(pa.table({"text": pa.array(left[:whole], pa.string())}),
                                       row_group_size=self.ROWS)
                    left = left[whole:]

    def take(self, rows: "Sequence[int]") -> list[str]:
        """The texts of `rows` (places in the review's frame), in the order given."""
        import numpy as np
        import pyarrow.parquet as pq

        rows = np.asarray(rows, np.int64)
        if not len(rows):
            return []
        groups = np.unique(rows // self.ROWS)
        texts = pq.ParquetFile(self.path).read_row_groups(groups.tolist()).column(0)
        at = np.searchsorted(groups, rows // self.ROWS) * self.ROWS + rows % self.ROWS
        return texts.take(at).to_pylist()
