"""`clean_large`: clean a working copy column by column and stream the result out, row group by row group.

Cleaning decides per column (its kind, the 80 % shares, the date order, the decimal mark), so
each column goes through `clean_column`, which decides over the whole column from figures added
up batch by batch and rewrites it batch by batch — the same rules, the same report as
`clean_table`; memory holds one batch of one column. Each cleaned column goes to its own
Parquet file in the job's folder, laid out in the working copy's row groups, and the output is
assembled group by group and written through the guarded writer (`write_csv_parts`), byte for
byte what `write_table` writes for the in-memory result.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from datatools.errors import Cancelled
from datatools.large.clean_column import ColumnResult, clean_column
from datatools.large.column_batches import Column
from datatools.progress import Progress, silent
from datatools.tools import clean as memory
from datatools.tools.clean_notices import emptied_notices, format_notices, held_notices
from datatools.tools.clean_rules import RULE_NAMES, ColumnRules

if TYPE_CHECKING:
    import pandas as pd

    from datatools.io.xlsx_cells import SourceCells
    from datatools.large.job import LargeJob

MAX_THREADS = 4    # columns cleaned at once: each holds a batch and its Parquet writer's queue


@dataclass
class CleanedCopy:
    """The report, and where each cleaned column lies (stored name → its Parquet file)."""

    report: memory.CleanReport
    files: dict[str, Path] = field(default_factory=dict)


def clean_large(job: "LargeJob", options: memory.CleanOptions,
                progress: Progress | None = None) -> CleanedCopy:
    """Clean `job`'s working copy with `options`; BadOption as `clean_table` raises it."""
    import pandas as pd

    progress = progress or silent()
    names = job.copy.names
    own = memory._check_options(pd.DataFrame(columns=names), options)
    chosen = names if options.columns is None else \
        [*options.columns, *(c for c in own if c not in options.columns)]
    report = memory.CleanReport(rows=job.copy.rows, formats={"numbers": options.number_format,
                                                             "dates": options.date_format,
                                                             "phones": options.phone_format})
    done = CleanedCopy(report)
    file_wide = ColumnRules(**{rule: getattr(options, rule) for rule in RULE_NAMES})

    stop = threading.Event()

    def clean_one(index: int, name: str) -> ColumnResult:
        stored = f"c{names.index(name)}"
        stage = _Stopping(progress.stage(index / len(chosen), (index + 1) / len(chosen)), stop)
        return clean_column(Column(job.copy.parquet, stored, name, job.copy.folder), file_wide,
                            own.get(name, {}), options.half_width, report.formats, job.copy.rows,
                            stage)

    notes = []
    for name, part in zip(chosen, _each_column(clean_one, chosen, stop)):
        notes += part.notes
        for attribute in ("columns", "changes", "cells", "date_orders", "number_styles", "phones_unread"):
            getattr(report, attribute).update(getattr(part.report, attribute))
        if part.file is not None:
            done.files[f"c{names.index(name)}"] = part.file
    report.notes = [*held_notices(report.columns), *notes, *emptied_notices(report.columns),
                    *format_notices(report)]
    progress.update(1.0, "cleaned")
    return done


def clean_threads() -> int:
    """How many columns are cleaned at once: one per core, at most MAX_THREADS."""
    return max(1, min(os.cpu_count() or 1, MAX_THREADS))


class _Stopping:
    """A column's Progress that also stops the column (Cancelled) once `stop` is set."""

    def __init__(self, progress: Progress, stop: threading.Event) -> None:
        self.progress, self.stop = progress, stop

    def update(self, fraction: float, message: str = "") -> None:
        if self.stop.is_set():
            raise Cancelled()
        self.progress.update(fraction, message)


def _each_column(clean_one, chosen: list[str], stop: threading.Event) -> list[ColumnResult]:
    """`clean_one(index, name)` for every column, `clean_threads()` at a time, the results in
    the columns' order. Each column is cleaned alone (its own batches, figures and files), and
    most of the work is pyarrow's, which releases the GIL. The first error (Cancelled, Ctrl-C
    included) sets `stop`, which the columns under way hear at their next batch; it is raised
    once they have stopped, and columns not started are dropped."""
    from concurrent.futures import ThreadPoolExecutor

    threads = clean_threads()
    if threads == 1 or len(chosen) == 1:
        return [clean_one(index, name) for index, name in enumerate(chosen)]
    with ThreadPoolExecutor(threads, thread_name_prefix="datatools-clean") as pool:
        futures = [pool.submit(clean_one, index, name) for index, name in enumerate(chosen)]
        try:
            return [future.result() for future in futures]
        except BaseException:
            stop.set()
            for future in futures:
                future.cancel()
            raise


def cleaned_parts(job: "LargeJob", cleaned: CleanedCopy,
                  progress: Progress | None = None) -> Iterator[tuple["pd.DataFrame", float]]:
    """The cleaned table, one working-copy row group at a time, with the fraction written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    progress = progress or silent()
    source = pq.ParquetFile(job.copy.parquet)
    replaced = {stored: pq.ParquetFile(path) for stored, path in cleaned.files.items()}
    groups = source.num_row_groups
    if groups == 0:
        yield _frame(pa.table({f"c{i}": pa.array([], pa.string()) for i in range(len(job.copy.names))}),
                     job.copy.names), 1.0
        return
    for group in range(groups):
        progress.update(group / groups, "writing rows")
        table = source.read_row_group(group)
        for stored, file in replaced.items():
            table = table.set_column(table.schema.get_field_index(stored), stored,
                                     file.read_row_group(group).column(0))
        yield _frame(table, job.copy.names), (group + 1) / groups


def source_cells(job: "LargeJob") -> "SourceCells | None":
    """The workbook the working copy was read from, as the in-memory clean hands it to the
    writer of an .xlsx OUT (datatools/io/xlsx_cells.py: its untouched cells keep their types
    and number formats); None for any other input. The table as read comes back from the copy
    whole: a sheet holds at most 1,048,576 rows, and `write_csv_parts` joins the cleaned
    table whole for a workbook too."""
    import pyarrow.parquet as pq

    from datatools.io.xlsx_cells import SourceCells

    if job.copy.info.origin is None:
        return None
    return SourceCells(job.copy.source, job.copy.info.origin,
                       _frame(pq.read_table(job.copy.parquet), job.copy.names))


def _frame(table, names: list[str]) -> "pd.DataFrame":
    frame = table.to_pandas()
    frame.columns = names
    return frame


def changed_rows_large(job: "LargeJob", cleaned: CleanedCopy, limit: int) -> list[dict]:
    """The first `limit` changed rows, as the CLI's `--preview` lists them in memory:
    {"row": 1-based row, "changes": {column: {"before", "after"}}}, columns in table order."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    source = pq.ParquetFile(job.copy.parquet)
    replaced = {stored: pq.ParquetFile(path) for stored, path in cleaned.files.items()}
    order = sorted(replaced, key=lambda stored: int(stored[1:]))
    rows: list[dict] = []
    offset = 0
    for group in range(source.num_row_groups):
        if len(rows) >= limit or not order:
            break
        before = source.read_row_group(group, columns=order)
        after = {stored: replaced[stored].read_row_group(group).column(0) for stored in order}
        differs = None
        for stored in order:
            mask = pc.not_equal(before.column(stored), after[stored])
            differs = mask if differs is None else pc.or_(differs, mask)
        for index in pc.indices_nonzero(differs).to_pylist()[:limit - len(rows)]:
            changes = {}
            for stored in order:
                old, new = before.column(stored)[index].as_py(), after[stored][index].as_py()
                if old != new:
                    changes[job.copy.names[int(stored[1:])]] = {"before": old, "after": new}
            rows.append({"row": offset + index + 1, "changes": changes})
        offset += before.num_rows
    return rows


def plan_sample(job: "LargeJob", rows: int = memory.PLAN_ROWS) -> "pd.DataFrame":
    """The rows `plan_clean` looks at (every k-th row from the first, at most `rows`)."""
    step = max(job.copy.rows // rows, 1)
    table = job.arrow("plan_rows", {"step": step, "rows": rows})
    frame = table.drop_columns(["rownum"]).to_pandas()
    frame.columns = job.copy.names
    return frame
