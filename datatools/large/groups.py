"""Parquet files of one job laid out alike: row groups of exactly ROWS_PER_GROUP rows, written on a thread."""

from __future__ import annotations

from pathlib import Path

ROWS_PER_GROUP = 256_000


class GroupWriter:
    """A Parquet file written in row groups of exactly ROWS_PER_GROUP rows (the last fewer), so
    files of one job line up group by group: row group k is rows k·R to (k+1)·R − 1 in each.

    Encoding and compressing run on a thread of their own while the caller parses the next
    block (pyarrow releases the GIL for both); at most `QUEUED` batches wait, so memory stays
    bounded. An error on that thread is raised by the next `write` or at the end.
    """

    QUEUED = 4

    def __init__(self, target: Path, schema) -> None:
        import queue
        import threading

        import pyarrow.parquet as pq

        # No column statistics: no query filters on a column's range, and computing them cost
        # a fifth of the writing (bench/scale.py). Snappy, not zstd: a copy half as large again,
        # but cheaper to write and to read back, and it is read back several times (DECISIONS 258).
        self._writer = pq.ParquetWriter(target, schema, compression="snappy", write_statistics=False)
        self._queue: queue.Queue = queue.Queue(self.QUEUED)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="datatools-parquet", daemon=True)
        self._thread.start()

    def __enter__(self) -> "GroupWriter":
        return self

    def write(self, batch) -> None:
        """Add `batch` (a RecordBatch or Table of the file's schema)."""
        if self._error is not None:
            raise self._error
        self._queue.put(batch)

    def _drain(self) -> None:
        import pyarrow as pa

        pending, ended = None, False
        try:
            while True:
                batch = self._queue.get()
                if batch is None:
                    ended = True
                    break
                table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
                pending = table if pending is None else pa.concat_tables([pending, table])
                while pending.num_rows >= ROWS_PER_GROUP:
                    self._writer.write_table(pending.slice(0, ROWS_PER_GROUP), row_group_size=ROWS_PER_GROUP)
                    pending = pending.slice(ROWS_PER_GROUP)
            if pending is not None and pending.num_rows:
                self._writer.write_table(pending, row_group_size=ROWS_PER_GROUP)
        except BaseException as exc:        # raised again on the caller's thread
            self._error = exc
            while not ended and self._queue.get() is not None:   # let the caller finish putting
                pass

    def __exit__(self, kind, value, traceback) -> None:
        import queue

        if kind is not None:                      # stop early: drop what waits, write nothing more
            self._error = self._error or RuntimeError("stopped")
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
        self._queue.put(None)
        self._thread.join()
        self._writer.close()
        if kind is None and self._error is not None:
            raise self._error
