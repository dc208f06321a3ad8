"""Running row numbers, found batch by batch while the reader writes the working copy.

`compare` sets a running row number aside (datatools/tools/compare_key.py `is_row_counter`):
whole numbers rising row by row over the whole file. `RisingColumns` keeps, per column, whether
every value so far is 1–18 digits and rises, and the first and last value, so the reader
answers it in the pass it makes anyway and compare does not read both copies again.
"""

from __future__ import annotations


class RisingColumns:
    """Feed every batch of a table in order (`add`), then `result()`."""

    def __init__(self, width: int) -> None:
        self.alive = [True] * width
        self.first: list[int | None] = [None] * width
        self.last: list[int | None] = [None] * width
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
            if not (pc.all(pc.ascii_is_decimal(values)).as_py()
                    and pc.max(pc.binary_length(values)).as_py() <= 18):
                self.alive[i] = False
                continue
            numbers = pc.cast(values, "int64").to_numpy()
            last = self.last[i]
            if (last is not None and numbers[0] <= last) or (numbers[1:] <= numbers[:-1]).any():
                self.alive[i] = False
                continue
            self.first[i] = int(numbers[0]) if self.first[i] is None else self.first[i]
            self.last[i] = int(numbers[-1])
        self.count += batch.num_rows

    def result(self) -> list[bool | None]:
        """Per column: None unless every value is 1–18 digits and rises; else whether it runs
        from 0 or 1 without a gap."""
        return [None if not alive or first is None else (first in (0, 1) and last - first == self.count - 1)
                for alive, first, last in zip(self.alive, self.first, self.last)]
