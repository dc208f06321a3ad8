"""A large dedupe's match_reason texts on disk: written a batch at a time, read back by row.

The reasons are a few hundred characters for each grouped row (about a gigabyte at ten million
rows as Python strings, DECISIONS 276). Each batch of them goes into a DuckDB table, which spills
to the working copy's folder under the memory limit; `finish` writes them sorted by row to
`reasons.parquet` there (removed with the copy), and the output is read back from it one
Parquet row group at a time: the rows a written part or the window's review needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.large.job import LargeJob

# Reasons per Parquet row group of reasons.parquet.
GROUP_ROWS = 50_000


class ReasonsOnDisk:
    """`output_cells.Reasons` kept by the job's DuckDB until `finish`, then in reasons.parquet."""

    def __init__(self, job: "LargeJob") -> None:
        self._job: "LargeJob | None" = job
        self.path = job.copy.folder / "reasons.parquet"
        self._first: "np.ndarray | None" = None      # each row group's first and last row
        self._last: "np.ndarray | None" = None
        job.query("reasons_table")

    def add(self, rows: "np.ndarray", texts: list[str]) -> None:
        import pyarrow as pa

        if len(rows):
            self._job.register("reason_batch", pa.table({"row": pa.array(rows, pa.int32()),
                                                         "text": pa.array(texts, pa.string())}))
            self._job.query("add_reasons")

    def finish(self) -> None:
        """Write the reasons sorted by row to `path` (DuckDB sorts, spilling; one batch of
        GROUP_ROWS is held here at a time) and drop the table. Reading needs this first."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        first, last = [], []
        schema = pa.schema([("row", pa.int32()), ("text", pa.string())])
        with pq.ParquetWriter(self.path, schema, compression="snappy") as writer:
            for batch in self._job.batches("ordered_reasons", GROUP_ROWS):
                # DuckDB's batches are about GROUP_ROWS long: each write is one row group
                for offset in range(0, batch.num_rows, GROUP_ROWS):
                    part = batch.slice(offset, GROUP_ROWS)
                    first.append(part.column(0)[0].as_py())
                    last.append(part.column(0)[-1].as_py())
                    writer.write_table(pa.Table.from_batches([part], schema), row_group_size=GROUP_ROWS)
        self._job.query("drop_reasons")
        self._job = None
        self._first, self._last = np.asarray(first, np.int64), np.asarray(last, np.int64)

    def between(self, start: int, end: int) -> "np.ndarray":
        import numpy as np

        rows, texts = self._read(np.flatnonzero((self._first < end) & (self._last >= start)))
        column = np.full(end - start, "", dtype=object)
        inside = (rows >= start) & (rows < end)
        column[rows[inside] - start] = texts[inside]
        return column

    def take(self, rows: "np.ndarray") -> "np.ndarray":
        import numpy as np

        rows = np.asarray(rows, np.int64)
        # row groups holding any of `rows`: those where some row falls between first and last
        groups = np.flatnonzero(np.searchsorted(rows, self._last, side="right")
                                > np.searchsorted(rows, self._first))
        found, texts = self._read(groups)
        column = np.full(len(rows), "", dtype=object)
        at = np.searchsorted(found, rows)
        hit = at < len(found)
        hit[hit] = found[at[hit]] == rows[hit]
        column[hit] = texts[at[hit]]
        return column

    def _read(self, groups: "np.ndarray") -> tuple["np.ndarray", "np.ndarray"]:
        """Rows (int64, ascending) and texts (object) of row groups `groups`."""
        import numpy as np
        import pyarrow.parquet as pq

        if not len(groups):
            return np.empty(0, np.int64), np.empty(0, object)
        table = pq.ParquetFile(self.path).read_row_groups(groups.tolist())
        return (np.asarray(table.column("row").combine_chunks()).astype(np.int64),
                table.column("text").to_numpy(zero_copy_only=False))
