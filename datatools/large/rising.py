"""Running row numbers, found batch by batch while the reader writes the working copy.

`compare` sets a running row number aside (datatools/tools/compare_key.py `is_row_counter`):
whole numbers rising row by row over the whole file. `RisingColumns` keeps, per column, whether
every value so far is 1–18 digits and rises, and the first and last value, so the reader
answers it in the pass it makes anyway and compare does not read both copies again. It also
keeps what the profile needs of such a column (`Running`: its lengths, ends and first values),
so the profile counts it without a query: every value differs from every other.
"""

from __future__ import annotations

from dataclasses import dataclass

HEAD = 5     # first values kept per running column: the profile's top values (profile.TOP)


@dataclass
class Running:
    """A column of whole numbers rising row by row, as the reader saw it: every cell filled,
    1–18 ASCII digits, each value unique. Lengths in characters (= bytes: digits)."""

    first: int
    last: int
    min_length: int
    max_length: int
    length_sum: int
    head: list[str]      # the first HEAD values (fewer in a shorter file), as written


class RisingColumns:
    """Feed every batch of a table in order (`add`), then `result()`."""

    def __init__(self, width: int) -> None:
        self.alive = [True] * width
        self.first: list[int | None] = [None] * width
        self.last: list[int | None] = [None] * width
        self.lengths = [(1 << 62, 0, 0)] * width     # min, max, sum
        self.head: list[list[str]] = [[] for _ in range(width)]
        self.count = 0

    def add(self, batch) -> None:
        """The next rows (a RecordBatch of string columns, no nulls)."""
        import pyarrow.compute as pc

        if not batch.num_rows:
            return
        for i, alive in enumerate(self.alive):
            if not alive:
                continue
            values = batch.column(i)
            # 1-18 ASCII digits each (`^\d{1,18}$` in RE2, several times slower)
            if not pc.all(pc.ascii_is_decimal(values)).as_py():
                self.alive[i] = False
                continue
            lengths = pc.binary_length(values)
            span = pc.min_max(lengths).as_py()
            if span["max"] > 18:
                self.alive[i] = False
                continue
            numbers = pc.cast(values, "int64").to_numpy()
            last = self.last[i]
            if (last is not None and numbers[0] <= last) or (numbers[1:] <= numbers[:-1]).any():
                self.alive[i] = False
                continue
            self.first[i] = int(numbers[0]) if self.first[i] is None else self.first[i]
            self.last[i] = int(numbers[-1])
            low, high, total = self.lengths[i]
            self.lengths[i] = (min(low, span["min"]), max(high, span["max"]),
                               total + pc.sum(lengths).as_py())
            if len(self.head[i]) < HEAD:
                self.head[i] += values.slice(0, HEAD - len(self.head[i])).to_pylist()
        self.count += batch.num_rows

    def result(self) -> list[bool | None]:
        """Per column: None unless every value is 1–18 digits and rises; else whether it runs
        from 0 or 1 without a gap."""
        return [None if not alive or first is None else (first in (0, 1) and last - first == self.count - 1)
                for alive, first, last in zip(self.alive, self.first, self.last)]

    def running(self) -> list[Running | None]:
        """Per column: its `Running` when every value is 1–18 digits and rises, else None."""
        return [Running(first, last, *self.lengths[i], list(self.head[i]))
                if alive and first is not None else None
                for i, (alive, first, last) in enumerate(zip(self.alive, self.first, self.last))]
