"""The window's tools on the duckdb engine: the same size rule as the CLI, the memory limit the
user set, and the working copy a review pages from.

`datatools.large.engine.choose_engine` decides (a file above `large_bytes()` takes DuckDB; the
trial's row limit keeps the in-memory path, which reads only that many rows). The memory limit
is the window's preference (`preferences.memory_limit`), else the engine's default from the
machine's RAM, as on the command line. A large dedupe keeps its working copy while its review
is open (`LargeCopy`): the review holds only the grouped rows, and Save streams the rest from
the copy; closing the result (a new run, another tool, the app's exit) removes the copy.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from datatools import notices
from datatools.app.results.kept import KeptFolder
from datatools.errors import BadInput, BadOption
from datatools.memory import give_back
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.app.inputs import InputSpec
    from datatools.app.results.grouped_cells import GroupedReasons
    from datatools.app.results.grouped_rows import GroupedRows
    from datatools.app.results.large_duplicates import LargeDuplicates
    from datatools.app.results.large_save import AppliedReview
    from datatools.app.settings import AppSettings
    from datatools.large.job import LargeJob
    from datatools.tools.output_cells import OutputCells

GB = 1 << 30
SLICE = 50_000       # rows a part of a large dedupe's saved table (`LargeCopy.parts`)
# The tools that take the duckdb engine for a large file (their adapters take `memory_limit`).
LARGE_TOOLS = ("clean", "compare", "dedupe", "match", "profile")
# The memory limits the window offers besides "automatic" (those up to half the machine's RAM).
MEMORY_CHOICES = (256 << 20, 512 << 20, GB, 2 * GB, 4 * GB, 8 * GB, 16 * GB)


def large_settings(settings: "AppSettings") -> dict[str, Any]:
    """What the window shows of the large-file engine: the size from which it is used
    (`threshold`, bytes), the memory limit chosen (None: automatic), the automatic one, the
    choices offered, the cache folder of the working copies and the tools that use it."""
    from datatools.app.preferences import memory_limit
    from datatools.large.engine import default_memory_limit, large_bytes, machine_ram
    from datatools.large.workcopy import cache_folder

    ram = machine_ram()
    return {"threshold": large_bytes(), "memory_limit": memory_limit(settings),
            "default_memory_limit": default_memory_limit(),
            "choices": [size for size in MEMORY_CHOICES if size <= ram // 2] or [MEMORY_CHOICES[0]],
            "folder": str(cache_folder()), "tools": list(LARGE_TOOLS)}


def check_memory_limit(value: Any) -> int | None:
    """A memory limit sent by the window: None (automatic) or whole bytes from 16 MB up to the
    machine's RAM; BadOption `bad_memory_limit` otherwise."""
    from datatools.large.engine import human_size, machine_ram

    if value is None:
        return None
    ram = machine_ram()
    if isinstance(value, bool) or not isinstance(value, int) or not 16 << 20 <= value <= ram:
        raise BadOption(f"The memory limit must be between 16 MB and this computer's "
                        f"{human_size(ram)}.", code="bad_memory_limit",
                        params={"value": str(value), "ram": human_size(ram)})
    return value


def takes_duckdb(specs: Sequence["InputSpec"], row_limit: int | None) -> bool:
    """Whether a run on `specs` takes the duckdb engine (the CLI's `auto` rule)."""
    from datatools.large.engine import choose_engine

    return row_limit is None and choose_engine("auto", [s.path for s in specs]).engine == "duckdb"


def recipe_refused() -> BadOption:
    """BadOption `recipe_large`: a dedupe recipe is not saved from nor applied to a run on the
    duckdb engine (its review holds only the grouped rows; DECISIONS 255)."""
    return BadOption("A recipe of duplicates is replayed in memory, and this file is above the "
                     "large-file size. Find the duplicates here without the recipe, or replay the "
                     "recipe with datatools run RECIPE FILE -o OUT where the file fits in memory.",
                     code="recipe_large")


def engine_figures(job: "LargeJob") -> dict[str, Any]:
    """The report's `engine` entry, as the CLI's --json gives it."""
    return {"name": "duckdb", "memory_limit": job.memory_limit,
            "working_copy_bytes": job.copy.disk_bytes(), "rows": job.copy.rows}


# --------------------------------------------------------------------------- clean


def run_clean_large(spec: "InputSpec", options: dict[str, Any], progress: Progress,
                    memory_limit: int | None):
    """Clean on the duckdb engine, the working copy kept for Save (`LargeCleaned`). With option
    `plan`, the plan of the file's first 2,000 rows (read from its start, no working copy): the
    rules table shows at once, and a run's result gives the file's exact counts."""
    from datatools import io
    from datatools.app.inputs import jsonable, output_name
    from datatools.app.results.base import VIEW_ROWS
    from datatools.app.results.large_cleaned import LargeCleaned
    from datatools.app.results.plan import CleanPlan
    from datatools.app.saving import csv_habits
    from datatools.large.clean import clean_large, cleaned_parts
    from datatools.large.job import large_job
    from datatools.tools.clean import PLAN_ROWS, CleanOptions, plan_clean
    from datatools.tools.recipe import import_settings

    clean_options = CleanOptions(**{k: v for k, v in options.items() if k != "plan"})
    if options.get("plan"):
        head = io.preview_table(spec.path, rows=PLAN_ROWS, progress=progress, **spec.read_options())
        plan = plan_clean(head.frame, clean_options)
        return CleanPlan(report={}, summary={}, suggested_name=output_name(spec, "clean"),
                         plan=jsonable(plan.to_dict()["columns"]), notes=plan.notes, rows=plan.rows)
    with large_job(spec.path, memory_limit=memory_limit, progress=progress.stage(0.0, 0.3), keep=True,
                   **spec.read_options()) as job:
        try:
            cleaned = clean_large(job, clean_options, progress.stage(0.3, 0.95))
            progress.update(0.95, "counting the changed cells")
            examples = _changed_cells(job, cleaned)
            first = next(iter(cleaned_parts(job, cleaned)))[0].head(VIEW_ROWS)
            engine = engine_figures(job)
        except BaseException:
            shutil.rmtree(job.copy.folder, ignore_errors=True)
            raise
    report = cleaned.report
    details = jsonable(report.to_dict())
    info = job.copy.info
    read = SimpleNamespace(path=spec.path, encoding=info.encoding, delimiter=info.delimiter,
                           warnings=info.warnings, sheet=info.sheet)
    return LargeCleaned(
        warnings=[notices.about_file(spec.path.name, w) for w in info.warnings],
        report={**details, "engine": engine},
        summary={"rows": report.rows, "cells_changed": report.cells_changed},
        changes=[[column, step, str(cells)] for column, steps in details["changes"].items()
                 for step, cells in steps.items()],
        notes=report.notes, columns=details["columns"], examples=examples,
        inputs=(spec.path,), suggested_name=output_name(spec, "clean", ".csv"), habits=csv_habits(read),
        source=import_settings(spec.read_options(), read), copy=job.copy, cleaned=cleaned,
        head={"columns": [str(c) for c in first.columns],
              "rows": [[str(v) for v in row] for row in first.itertuples(index=False, name=None)],
              "total_rows": report.rows})


def _changed_cells(job: "LargeJob", cleaned, samples: int = 3) -> list[dict[str, Any]]:
    """`tool_jobs.cell_changes` on the working copy: per cleaned column, in table order, the
    cells whose text differs after cleaning and the first few before → after (one pass over
    each cleaned column, a row group at a time)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    source = pq.ParquetFile(job.copy.parquet)
    found = []
    for stored in sorted(cleaned.files, key=lambda name: int(name[1:])):
        after = pq.ParquetFile(cleaned.files[stored])
        count, pairs = 0, []
        for group in range(source.num_row_groups):
            old = source.read_row_group(group, columns=[stored]).column(0)
            new = after.read_row_group(group).column(0)
            differs = pc.fill_null(pc.not_equal(old, new), False)
            count += pc.sum(differs).as_py() or 0
            for k in pc.indices_nonzero(differs).to_pylist()[:samples - len(pairs)]:
                pairs.append([str(old[k].as_py()), str(new[k].as_py())])
        if count:
            found.append({"column": job.copy.names[int(stored[1:])], "cells": count, "samples": pairs})
    return found


# --------------------------------------------------------------------------- dedupe


@dataclass
class LargeCopy(KeptFolder):
    """A large dedupe's kept working copy: the table (Parquet, columns c0, c1, …), its names,
    the grouped rows' input positions (`positions`, ascending), every row's four output
    cells (`cells`, as `annotated_parts` writes them; their reasons in the copy's folder), the
    grouped rows' reasons again, for the review's pages (`reasons`), and their other cells in
    group order (`grouped`)."""

    folder: Path
    parquet: Path
    names: list[str]
    rows: int
    positions: "np.ndarray"
    cells: "OutputCells"
    lock: threading.Lock
    reasons: "GroupedReasons"
    grouped: "GroupedRows"

    def check(self) -> None:
        if not self.parquet.exists():
            raise BadInput("This result's working copy was removed; run the tool again to save it.",
                           code="working_copy_gone")

    def parts(self, applied: "AppliedReview") -> Iterator[tuple["pd.DataFrame", float]]:
        """The saved table one working-copy row group at a time, with the fraction written.

        `applied` is what the review changes (`large_save.apply_in_batches`): with keep all
        (`applied.merges` None) every row with its four output cells, those of the rows it
        unmarks emptied; else the rows it does not drop, the values it chose, no output cells."""
        import numpy as np
        import pandas as pd
        import pyarrow.parquet as pq

        from datatools.tools.dedupe import OUTPUT_COLUMNS

        source = pq.ParquetFile(self.parquet)
        groups = source.num_row_groups
        whole = applied.merges is None
        changed = applied.changed
        moved = np.empty(0, np.int64) if changed is None else changed.column("positions").to_numpy()
        start = 0
        for group in range(max(groups, 1)):
            if groups:
                frame = source.read_row_group(group).to_pandas()
            else:
                frame = pd.DataFrame({f"c{k}": pd.Series([], dtype=object) for k in range(len(self.names))})
            frame.columns = self.names
            end = start + len(frame)
            if whole:
                for name, column in zip(OUTPUT_COLUMNS, self.cells.between(start, end)):
                    frame[name] = column                       # fresh arrays: saves repeat
                lo, hi = np.searchsorted(applied.unmarked, [start, end])
                if hi > lo:
                    where = [frame.columns.get_loc(c) for c in OUTPUT_COLUMNS]
                    frame.iloc[applied.unmarked[lo:hi] - start, where] = ""
            else:
                lo, hi = np.searchsorted(moved, [start, end])
                if hi > lo:
                    cells = changed.slice(lo, hi - lo)
                    values = np.column_stack([cells.column(f"c{k}").to_numpy(zero_copy_only=False)
                                              for k in range(len(self.names))])
                    frame.iloc[moved[lo:hi] - start, :] = values
                lo, hi = np.searchsorted(applied.dropped, [start, end])
                if hi > lo:
                    frame = frame.drop(index=frame.index[applied.dropped[lo:hi] - start]).reset_index(drop=True)
            start = end
            give_back()           # the last part's cells, as text (DECISIONS 583)
            # in slices, as `write_table` writes a whole table: the CSV writer turns a part's
            # cells into text objects at once (a row group of 256,000 rows, 27 columns: 0.5 GB)
            for at in range(0, max(len(frame), 1), SLICE):
                done = group + min(1.0, (at + SLICE) / max(len(frame), 1))
                yield frame.iloc[at:at + SLICE], done / max(groups, 1)


def run_dedupe_large(spec: "InputSpec", options: dict[str, Any], progress: Progress,
                     memory_limit: int | None, synonyms) -> "LargeDuplicates":
    """Dedupe on the duckdb engine: the groups found on the working copy (kept for the review),
    the grouped rows read into memory for the review, the rest left on disk. Cancel or an error
    removes the working copy."""
    from datatools.app.inputs import jsonable, output_name
    from datatools.app.results.large_duplicates import LargeDuplicateReview, LargeDuplicates
    from datatools.app.results.large_save import with_spellings
    from datatools.app.saving import csv_habits
    from datatools.large.dedupe import find_duplicates_large
    from datatools.large.job import key_column as _key_column, large_job

    columns = options.get("columns") or []
    if not columns:
        raise BadInput("Choose at least one column to compare.", code="no_columns")
    with large_job(spec.path, memory_limit=memory_limit, progress=progress.stage(0.0, 0.2), keep=True,
                   **spec.read_options()) as job:
        try:
            key = _key_column(job, progress.stage(0.2, 0.25))    # before the pairs' scratch tables
            found = find_duplicates_large(job, columns, threshold=options["threshold"],
                                          synonyms=synonyms, progress=progress.stage(0.25, 0.9))
            progress.update(0.9, "reading the grouped rows")
            copy, grouped = _grouped(job, found)
            engine = engine_figures(job)
        except BaseException:
            shutil.rmtree(job.copy.folder, ignore_errors=True)
            raise
        info = job.copy.info
    try:
        progress.update(0.97, "preparing the review")
        review = LargeDuplicateReview(grouped, copy.grouped, copy.positions, copy.rows, key, copy.reasons.take)
        if review.record.keep == "most-complete":     # what its first page asks: not read then
            with_spellings(grouped, copy.grouped)
        give_back()
        report = jsonable(found.report.to_dict())
        warnings = [notices.about_file(spec.path.name, w) for w in info.warnings] + list(found.notes)
        habits = csv_habits(SimpleNamespace(path=spec.path, encoding=info.encoding, delimiter=info.delimiter))
        return LargeDuplicates(warnings=warnings, report={**report, "engine": engine},
                               summary={k: report[k] for k in ("rows", "clusters", "duplicates")},
                               inputs=(spec.path,), suggested_name=output_name(spec, "deduplicated", ".csv"),
                               result=grouped, review=review, habits=habits, copy=copy)
    except BaseException:
        copy.close()
        raise


def _grouped(job: "LargeJob", found) -> tuple[LargeCopy, Any]:
    """The kept copy and a `DedupeResult` of the grouped rows only (in input order, the
    clusters' rows renumbered to positions among them): its frame holds none of their cells,
    which are a file in group order (`GroupedRows`, DECISIONS 526, 527)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from datatools.app.results.grouped_cells import GroupedReasons
    from datatools.app.results.grouped_rows import GroupedRowsWriter
    from datatools.tools.dedupe import DedupeResult

    clusters = found.clusters                          # made afresh: renumbered in place below
    positions = np.flatnonzero(found.cells.number)     # a grouped row has its group's number
    # One list of clusters: each one's rows renumbered in place (a renumbered copy beside the
    # engine's was 1.5 M more `Cluster`s and lists on issue 27's 10 M-row export).
    sizes = np.fromiter((len(c.rows) for c in clusters), np.int64, len(clusters))
    order = np.searchsorted(positions, np.fromiter(chain.from_iterable(c.rows for c in clusters), np.int64,
                                                   int(sizes.sum())))
    for cluster, end, size in zip(clusters, np.cumsum(sizes).tolist(), sizes.tolist()):
        cluster.rows = order[end - size:end].tolist()
    source = pq.ParquetFile(job.copy.parquet)
    cells = GroupedRowsWriter(job.copy.folder / "grouped_rows.parquet", list(job.copy.names), order,
                              found.cells, positions)

    def grouped_reasons() -> Iterator["np.ndarray"]:
        """The grouped rows' reasons a row group at a time; their cells put aside meanwhile."""
        start = 0
        for group in range(source.num_row_groups):
            table = source.read_row_group(group)
            lo, hi = np.searchsorted(positions, [start, start + table.num_rows])
            if hi > lo:
                cells.add(table.take(pa.array(positions[lo:hi] - start)))
                yield found.cells.reasons.take(positions[lo:hi])
            start += table.num_rows
            del table
            give_back()           # a row group of every column read: DECISIONS 583

    reasons = GroupedReasons(job.copy.folder / "grouped_reasons.parquet")
    reasons.write(grouped_reasons())
    grouped = cells.finish(source.schema_arrow)
    give_back()
    # no cells: the rows' cells are `grouped`'s, their output cells the engine's (`found.cells`)
    frame = pd.DataFrame(index=pd.RangeIndex(len(positions)))
    copy = LargeCopy(job.copy.folder, job.copy.parquet, list(job.copy.names), job.copy.rows,
                     positions, found.cells, threading.Lock(), reasons, grouped)
    waterfalls = None if found.waterfalls is None else found.waterfalls.take(positions)
    return copy, DedupeResult(frame, clusters, found.report, model=found.model, notes=found.notes,
                              waterfalls=waterfalls)
