"""A large job: the working copy, a DuckDB connection on it, and what ends both.

`large_job(...)` makes the working copy (datatools/large/workcopy.py), opens DuckDB under the
memory limit with its spill folder inside the copy's folder, checks that DuckDB counts the rows
the reader wrote, and on leaving closes DuckDB and removes the folder. Cancel (a `Progress`
whose event is set) interrupts a running query: a watcher thread calls DuckDB's `interrupt`.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from datatools.errors import BadInput, Cancelled
from datatools.large import engine, queries
from datatools.large.workcopy import WorkingCopy, disk_full, out_of_space, working_copy
from datatools.progress import Progress, silent

if TYPE_CHECKING:
    import duckdb


@dataclass
class LargeJob:
    """A working copy and the DuckDB connection that reads it (as the view `wc`)."""

    copy: WorkingCopy
    db: "duckdb.DuckDBPyConnection"
    memory_limit: int

    def query(self, name: str, params: dict[str, Any] | None = None, **columns: str) -> list[tuple]:
        """Run named query `name` (datatools/large/sql); its rows, all fetched."""
        return self.run_sql(queries.sql(name, **columns), params)[1]

    def arrow(self, name: str, params: dict[str, Any] | None = None, **columns: str):
        """Named query `name`'s result as a pyarrow Table."""
        return self.run_sql(queries.sql(name, **columns), params, arrow=True)

    def batches(self, name: str, rows: int):
        """Named query `name`'s result streamed as pyarrow RecordBatches of up to `rows` rows (a
        RecordBatchReader): only the batch being read is held in Python."""
        return self.db.sql(queries.sql(name)).to_arrow_reader(rows)

    def register(self, name: str, table) -> None:
        """Make the pyarrow Table (or RecordBatch) `table` readable in SQL as the view `name`."""
        self.db.register(name, table)

    def run_sql(self, text: str, params: dict[str, Any] | None = None, arrow: bool = False):
        """Run SQL assembled from named queries only: a pyarrow Table with `arrow`, else
        (column names, rows). DuckDB's I/O errors become `disk_full`, an interrupt Cancelled."""
        import duckdb

        try:
            if arrow:
                return self.db.sql(text, params=params or {}).to_arrow_table()
            result = self.db.execute(text, params or {})
            names = [d[0] for d in result.description or []]
            return names, result.fetchall()
        except duckdb.InterruptException:
            raise Cancelled() from None
        except (duckdb.IOException, duckdb.OutOfMemoryException) as exc:
            if "space" in str(exc).lower():
                raise disk_full(self.copy.folder.parent) from None
            raise BadInput(f"The large-file engine stopped: {exc}", code="engine_failed") from None


@contextlib.contextmanager
def large_job(source: str | Path, *, memory_limit: int | None = None, progress: Progress | None = None,
              root: Path | None = None, keep: bool = False, **read_options: Any) -> Iterator[LargeJob]:
    """The working copy of `source` open in DuckDB; removed when the block ends.

    `read_options` are read_table's (encoding, delimiter, header, sheet, header_row). With `keep` the
    working copy stays when the block ends without an error (its spill files go), for the
    caller to remove (the window's review pages from it). BadInput
    `count_mismatch` when DuckDB counts other than the reader's rows, `disk_full` when a
    step's own file in the job folder meets a full disk (the copy is removed), and whatever
    `working_copy` raises.
    """
    import duckdb

    progress = progress or silent()
    limit = memory_limit or engine.default_memory_limit()
    with working_copy(source, progress=progress, root=root, keep=keep, **read_options) as copy:
        db = engine.connect(limit, copy.spill_folder())
        stop = threading.Event()
        watcher = threading.Thread(target=_watch_cancel, args=(progress, db, stop), daemon=True,
                                   name="datatools-large-cancel")
        watcher.start()
        try:
            db.read_parquet(str(copy.parquet), file_row_number=True).create_view("wc_file")
            job = LargeJob(copy, db, limit)
            job.query("working_view")
            counted = job.query("count_rows")[0][0]
            if counted != copy.rows:
                raise BadInput(f"Reading {copy.source.name} gave {copy.rows:,} rows but the engine "
                               f"counts {counted:,}; the run was stopped so that no result is "
                               "built on a partial table.", code="count_mismatch",
                               params={"file": copy.source.name, "read": str(copy.rows),
                                       "counted": str(counted)})
            yield job
        except duckdb.InterruptException:
            raise Cancelled() from None
        except RuntimeError as exc:    # an interrupted Arrow stream says so as a RuntimeError
            if "interrupted" in str(exc).lower():
                raise Cancelled() from None
            raise
        except duckdb.Error as exc:
            # Ctrl-C while DuckDB was calling into Python (reading the schema of a registered
            # Arrow table, `LargeJob.register`) comes back wrapped: "…failed: KeyboardInterrupt".
            if "KeyboardInterrupt" in str(exc):
                raise Cancelled() from None
            raise
        except OSError as exc:         # a step's own file (Parquet, .npy) met a full disk
            if out_of_space(exc):
                raise disk_full(copy.folder.parent) from None
            raise
        finally:
            stop.set()
            watcher.join()
            db.close()
            if keep:     # the kept copy is read again without DuckDB: its spill files can go
                shutil.rmtree(copy.folder / "spill", ignore_errors=True)


def check_header(paths: "list[str | Path]", read_options: dict[str, Any], check) -> None:
    """Call `check(names of paths[0], names of paths[1], …)` on the column names the reading
    front end finds in each file's first rows, before any working copy is made: a wrong
    column name is told in seconds, not after a large file was converted. `read_options` are
    large_job's (encoding, delimiter, header, sheet, header_row; the memory limit is ignored).

    Spreadsheets are left to the check after the copy (reading their first rows reads the
    whole sheet). Raises what `check` raises, and what the reader raises for the files.
    """
    from datatools.io import excel
    from datatools.io.tables import preview_table

    if any(Path(p).suffix.lower() in excel.SPREADSHEET_SUFFIXES for p in paths):
        return
    options = {k: v for k, v in read_options.items() if k in ("encoding", "delimiter", "header", "sheet", "header_row")}
    check(*([str(c) for c in preview_table(p, rows=2, **options).frame.columns] for p in paths))


def _watch_cancel(progress: Progress, db, stop: threading.Event) -> None:
    """Interrupt DuckDB's running query once the job is cancelled (checked 10 times a second)."""
    while not stop.wait(0.1):
        if progress.cancelled:
            db.interrupt()
            return


def key_column(job: "LargeJob", progress: "Progress") -> str | None:
    """`recipe.key_column` over the whole working copy, in SQL: the first column (id-like
    names first) filled in every row, unique, without white space, each value holding a digit
    or an @. White space is Python's `\\s` here too (window.sql spells it out for RE2, whose
    `\\s` is ASCII only), so a key with a no-break space inside counts in neither engine."""
    import re

    from datatools.tools.recipe import KEY_NAME_WORDS

    names = job.copy.names
    named = [k for k, c in enumerate(names) if set(re.split(r"[^\w]+|_", c.casefold())) & KEY_NAME_WORDS]
    for k in [*named, *(k for k in range(len(names)) if k not in named)]:
        progress.update(0.0, "looking for a key column")
        if job.query("key_column", c=f"c{k}")[0][0]:
            return names[k]
    return None
