"""A large dedupe's grouped rows on disk, one group after another (DECISIONS 526).

The review held the grouped rows' cells as Arrow arrays: 3.2 M rows of 27 cells, about 2.3 GB,
on issue 27's 10 M-row export, and reading them in took as much again while the review was
built (DECISIONS 500). Here they are a Parquet file in group order (group k's rows, ascending,
after group k − 1's), in row groups of ROWS rows: a page reads the few row groups of its groups,
"differs in" and the text filter read a column at a time, Save a batch of neighbouring groups.
The file is written from the working copy's row groups (input order) through a scratch file of
blocks of BLOCK file rows, so no more than a working-copy row group and a block are held.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from datatools.memory import give_back

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from datatools.tools.keep_policy import Spellings
    from datatools.tools.output_cells import OutputCells

ROWS = 2048          # rows a row group: a page of 10 groups reads at most about 20 of them
BLOCK = 32 * ROWS    # file rows sorted at once while the file is written (about 50 MB)


class GroupedRows:
    """The grouped rows' cells (`names`, in table order) at `path`: file row i holds the review
    frame's row `order[i]`; `place` is the inverse (a frame row's file row). Their output cells
    are made from the engine's (`cells`, every input row's; frame row r is input row
    `positions[r]`) when asked (`outputs`)."""

    def __init__(self, path: Path, names: list[str], order: "np.ndarray", cells: "OutputCells",
                 positions: "np.ndarray") -> None:
        import numpy as np

        self.path = path
        self.names = names
        self.order = order
        self.cells = cells
        self.positions = positions
        self.place = np.empty_like(order)
        self.place[order] = np.arange(len(order))
        self._lock = threading.Lock()
        self._file = None

    def _parquet(self):
        """The file's reader, opened once (its footer is read once)."""
        import pyarrow.parquet as pq

        if self._file is None:
            self._file = pq.ParquetFile(self.path)
        return self._file

    def at(self, file_rows: "np.ndarray") -> "pa.Table":
        """The cells of `file_rows` (int64, any order) in the order given, reading only their
        row groups."""
        import numpy as np
        import pyarrow as pa

        file_rows = np.asarray(file_rows, np.int64)
        groups = np.unique(file_rows // ROWS)
        with self._lock:
            table = self._parquet().read_row_groups(groups.tolist()) if len(groups) else None
        if table is None:
            return pa.table({f"c{k}": pa.array([], pa.string()) for k in range(len(self.names))})
        at = np.searchsorted(groups, file_rows // ROWS) * ROWS + file_rows % ROWS
        return table.take(pa.array(at, pa.int64()))

    def rows(self, frame_rows: "np.ndarray") -> "pa.Table":
        """The cells of the review frame's `frame_rows`, in the order given."""
        import numpy as np

        return self.at(self.place[np.asarray(frame_rows, np.int64)])

    def outputs(self, frame_rows: "np.ndarray") -> dict[str, "np.ndarray"]:
        """The four output cells of the review frame's `frame_rows` as the in-memory review's
        frame holds them (object arrays of str; match_reason "", its texts are on disk)."""
        import numpy as np

        from datatools.tools.dedupe import OUTPUT_COLUMNS

        words = self.cells.words(self.positions[np.asarray(frame_rows, np.int64)])
        return {**dict(zip(OUTPUT_COLUMNS, words)), OUTPUT_COLUMNS[3]: np.full(len(words[0]), "", object)}

    def column(self, k: int) -> "pa.ChunkedArray":
        """Column k's cells in file order."""
        with self._lock:
            return self._parquet().read(columns=[f"c{k}"]).column(0)

    def spellings(self, compared: list[str]) -> "dict[str, Spellings]":
        """`keep_policy.spelling_counts` of the grouped rows' `compared` columns, a column at a
        time, each in the frame's order (the engine's counts of the in-memory review's frame)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from datatools.tools.keep_policy import column_spellings

        found = {}
        for name in compared:
            column = self.column(self.names.index(name)).combine_chunks()
            text = pc.fill_null(column.take(pa.array(self.place)).cast(pa.string()), "")
            found[name] = column_spellings(text)
            del column, text
            give_back()     # one column at a time (DECISIONS 583)
        return found

    def close(self) -> None:
        with self._lock:
            self._file = None


class GroupedRowsWriter:
    """Writes `GroupedRows`: `add` each working-copy row group's grouped rows in input order,
    then `finish`. `order` is the file's order of the frame rows (the groups' rows one group
    after another); `cells` and `positions` as `GroupedRows` takes them."""

    def __init__(self, path: Path, names: list[str], order: "np.ndarray", cells: "OutputCells",
                 positions: "np.ndarray") -> None:
        self.rows = GroupedRows(path, names, order, cells, positions)
        self.scratch = path.with_suffix(".blocks.arrow")
        self._writer = None
        self._blocks: dict[int, list[int]] = {}
        self._batches = 0
        self._start = 0                    # the next frame row added

    def add(self, table: "pa.Table") -> None:
        """The next frame rows' cells (columns c0, c1, …), put aside by the block they go to."""
        import numpy as np
        import pyarrow as pa

        at = self.rows.place[self._start:self._start + table.num_rows]
        self._start += table.num_rows
        if not table.num_rows:
            return
        block = at // BLOCK
        ranked = np.argsort(block, kind="stable")
        bounds = np.flatnonzero(np.diff(block[ranked])) + 1
        for chosen in np.split(ranked, bounds):
            part = table.take(pa.array(chosen, pa.int64())).append_column("at", pa.array(at[chosen], pa.int64()))
            if self._writer is None:
                self._writer = pa.ipc.new_file(str(self.scratch), part.schema)
            for batch in part.to_batches():
                self._writer.write_batch(batch)
                self._blocks.setdefault(int(block[chosen[0]]), []).append(self._batches)
                self._batches += 1

    def finish(self, schema: "pa.Schema") -> GroupedRows:
        """The file, each block's rows put in file order; the scratch file removed. `schema`
        is the working copy's (the file's when no row is grouped)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            pq.write_table(schema.empty_table(), self.rows.path)
            return self.rows
        self._writer.close()
        try:
            with pa.OSFile(str(self.scratch)) as handle:
                reader = pa.ipc.open_file(handle)
                out = None
                for block in sorted(self._blocks):
                    part = pa.Table.from_batches([reader.get_batch(i) for i in self._blocks[block]])
                    ranked = np.argsort(part.column("at").to_numpy())
                    part = part.drop_columns(["at"]).take(pa.array(ranked, pa.int64()))
                    if out is None:
                        out = pq.ParquetWriter(self.rows.path, part.schema, compression="snappy")
                    out.write_table(part, row_group_size=ROWS)
                out.close()
        finally:
            self.scratch.unlink(missing_ok=True)
        return self.rows
