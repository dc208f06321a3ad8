"""Compare in the window on the duckdb engine: the diff written once into the kept working
copy's folder (Parquet), its pages read from there, Save streaming it out.

`large/compare.py` pairs the versions in DuckDB and compares only the rows that differ in
memory; its `diff_parts` gives the whole diff in the saved file's order. Here that diff goes
to `diff.parquet`, the page view (`LargeCompareView`) keeps only each row's status and the
changed cells of the rows that differ, and reads the 25 rows of a page from the file. The
versions' working copies go as soon as the diff is written; the folder with the diff stays
while the result is open (closed: removed), as for a large dedupe.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from datatools import notices
from datatools.app.compare_view import ALL, DIFFERS, CompareView
from datatools.app.results.compare import Comparison
from datatools.app.results.kept import KeptFolder
from datatools.app.results.large_duplicates import write_parts
from datatools.app.saving import CsvHabits, Saved
from datatools.errors import BadInput, BadOption
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np

    from datatools.app.inputs import InputSpec

DIFF_FILE = "diff.parquet"


def run_compare_large(specs: list["InputSpec"], options: dict[str, Any], progress: Progress,
                      memory_limit: int | None) -> "LargeComparison | None":
    """The comparison of two large versions, or None when the duckdb engine does not apply
    (the versions' columns differ, or no column identifies rows): then the caller compares in
    memory, as the CLI does. Cancel or an error removes the working copies."""
    from datatools.app.inputs import jsonable, output_name
    from datatools.app.large_runs import engine_figures
    from datatools.large.compare import compare_large, fits, infer_key
    from datatools.large.job import large_job
    from datatools.tools.recipe import import_settings

    names = (specs[0].path.name, specs[1].path.name)
    with large_job(specs[0].path, memory_limit=memory_limit, progress=progress.stage(0.0, 0.25),
                   keep=True, **specs[0].read_options()) as old:
        try:
            with large_job(specs[1].path, memory_limit=memory_limit, progress=progress.stage(0.25, 0.5),
                           **specs[1].read_options()) as new:
                key, inferred = options.get("key") or None, None
                found = infer_key(old, new) if key is None and fits(old, new) else None
                if not fits(old, new) or (key is None and found is None):
                    shutil.rmtree(old.copy.folder, ignore_errors=True)
                    return None
                if key is None:
                    key, inferred = found
                comparison = compare_large(old, new, key, names=names, progress=progress.stage(0.5, 0.8),
                                           inferred=inferred)
                engine = {**engine_figures(old), "rows": [old.copy.rows, new.copy.rows],
                          "working_copy_bytes": old.copy.disk_bytes() + new.copy.disk_bytes()}
                path = _write_diff(old, new, comparison, options["changed_only"], progress.stage(0.8, 0.95))
                infos = (old.copy.info, new.copy.info)
                new_rows, table_names = new.copy.rows, list(new.copy.names)
        except BaseException:
            shutil.rmtree(old.copy.folder, ignore_errors=True)
            raise
    (old.copy.folder / "table.parquet").unlink(missing_ok=True)     # the diff is all a page reads
    try:
        progress.update(0.95, "preparing the pages")
        view = LargeCompareView(path, comparison, table_names, options["changed_only"], new_rows)
        comparison.differing.unlink()
        summary = comparison.summary
        report = jsonable(summary.to_dict())
        counts = {k: report[k] for k in ("added", "removed", "changed", "unchanged")}
        reads = [SimpleNamespace(path=spec.path, encoding=info.encoding, delimiter=info.delimiter,
                                 warnings=info.warnings, sheet=info.sheet) for spec, info in zip(specs, infos)]
        from datatools.app.saving import csv_habits

        return LargeComparison(
            warnings=[notices.about_file(spec.path.name, w) for spec, info in zip(specs, infos)
                      for w in info.warnings],
            report={**report, "engine": engine}, summary=counts,
            overview={"notes": summary.notes, "key_candidates": report["key_candidates"], "counts": counts,
                      "cells_changed": report["cells_changed"], "changed_only": options["changed_only"]},
            compare=view, inputs=(specs[0].path, specs[1].path),
            suggested_name=output_name(specs[1], "changes", ".csv"), habits=csv_habits(reads[1]),
            source=import_settings(specs[0].read_options(), reads[0]),
            second=import_settings(specs[1].read_options(), reads[1]), folder=old.copy.folder)
    except BaseException:
        shutil.rmtree(old.copy.folder, ignore_errors=True)
        raise


def _write_diff(old, new, comparison, changed_only: bool, progress: Progress) -> Path:
    """`diff_parts` into `diff.parquet` beside the old version's copy (every cell as text)."""
    import pyarrow as pa

    from datatools.large.compare import diff_parts
    from datatools.large.groups import GroupWriter

    path = old.copy.folder / DIFF_FILE
    schema = pa.schema([(name, pa.string()) for name in comparison.columns])
    with GroupWriter(path, schema) as writer:
        for part, done in diff_parts(old, new, comparison, changed_only):
            writer.write(pa.table({name: pa.array(part[name].astype(str).tolist(), pa.string())
                                   for name in comparison.columns}, schema=schema))
            progress.update(done, "writing the differences")
    return path


def _read_rows(path: Path, positions: list[int]):
    """Rows `positions` (ascending) of the Parquet file, as a pandas frame in that order."""
    return take_rows(path, positions).to_pandas()


def take_rows(path: Path, positions: list[int], columns: list[str] | None = None):
    """Rows `positions` (ascending) of the Parquet file, as an Arrow table in that order; with
    `columns`, only those are read."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    wanted = np.asarray(positions, np.int64)
    parts, start = [], 0
    for group in range(source.num_row_groups):
        size = source.metadata.row_group(group).num_rows
        lo, hi = np.searchsorted(wanted, [start, start + size])
        if hi > lo:
            parts.append(source.read_row_group(group, columns=columns).take(pa.array(wanted[lo:hi] - start)))
        start += size
    if parts:
        return pa.concat_tables(parts)
    empty = source.schema_arrow.empty_table()
    return empty if columns is None else empty.select(columns)


class Statuses:
    """Every diff row's status as one byte (its place in `names`), read row group by row group:
    as Python strings, 50 million rows took about 3 GB of the window's memory (bench/
    window_large.py, DECISIONS 403). Compares with a status as the array of strings did
    (`statuses == "changed"` gives a bool array), and `statuses[k]` is the status text."""

    def __init__(self, codes: "np.ndarray", names: tuple[str, ...]) -> None:
        self.codes, self.names = codes, names

    @classmethod
    def read(cls, path: Path, names: tuple[str, ...]) -> "Statuses":
        """The `status` column of Parquet file `path`, whose values are all in `names`."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        source = pq.ParquetFile(path)
        codes = np.empty(source.metadata.num_rows, np.int8)
        known = pa.array(names, pa.string())
        start = 0
        for group in range(source.num_row_groups):
            column = source.read_row_group(group, columns=["status"]).column(0)
            found = pc.index_in(column, value_set=known).to_numpy(zero_copy_only=False)
            codes[start:start + len(found)] = found
            start += len(found)
        return cls(codes, tuple(names))

    def __len__(self) -> int:
        return len(self.codes)

    def __eq__(self, other: object) -> "np.ndarray":  # type: ignore[override]
        import numpy as np

        if other not in self.names:
            return np.zeros(len(self.codes), bool)
        return self.codes == self.names.index(other)

    def __ne__(self, other: object) -> "np.ndarray":  # type: ignore[override]
        return ~(self == other)

    def __getitem__(self, k: int) -> str:
        return self.names[self.codes[k]]


class LargeCompareView(CompareView):
    """`CompareView` over `diff.parquet`: every row's status in memory, the changed cells of
    the rows that differ (`where`: diff row → row of the compared part), a page read from disk."""

    def __init__(self, path: Path, comparison, names: list[str], changed_only: bool,
                 new_rows: int) -> None:
        import numpy as np

        from datatools.tools.compare import STATUSES

        self.path = path
        self.shows = (DIFFERS, ALL, *STATUSES)
        self.status = Statuses.read(path, STATUSES)
        self.table_columns = names
        summary = comparison.summary
        kinds = {c: "key" for c in summary.key}
        self.columns = [{"name": c, "kind": kinds.get(c, "same"), "was": None} for c in names]
        compared = {name: k for k, name in enumerate(comparison.compared or [])}
        self.position = {c: j for j, c in enumerate(names)}
        self.compared_at = [compared.get(c) for c in names]
        self.changed_columns = [c for c in names if c in summary.cells_changed]
        # The rows that differ at their places in the diff file (diff_parts' order).
        status, differing_new_rows, changed = comparison.differing_index()
        removed = np.flatnonzero(status == "removed")
        if changed_only or new_rows == 0:
            present = np.flatnonzero((status != "removed") & ((status != "unchanged") if changed_only else True))
            order = np.concatenate([present, removed])
            at = np.arange(len(order))
        else:
            present = np.flatnonzero(status != "removed")
            order = np.concatenate([present, removed])
            at = np.concatenate([differing_new_rows[present] - 1, new_rows + np.arange(len(removed))])
        self.where = {place: k for k, place in enumerate(at.tolist())}   # diff row → row of `cells`
        self.cells = changed[order]
        self.at_rows = at
        self.counts = {"all": len(self.status), **{s: int((self.status == s).sum()) for s in STATUSES}}
        self.counts[DIFFERS] = self.counts["all"] - self.counts["unchanged"]

    def matching(self, show: str, column: str = "") -> "np.ndarray":
        """As `CompareView.matching`, the column filter from the compared part's changed cells."""
        import numpy as np

        wanted = super().matching(show)
        if not column:
            return wanted
        if column not in self.changed_columns:
            raise BadOption(f"No cell of column {column!r} changed.", code="bad_choice",
                            params={"option": "column", "value": column})
        hit = np.zeros(len(self.status), bool)
        hit[self.at_rows[self.cells[:, self.compared_at[self.position[column]]]]] = True
        return wanted[hit[wanted]]

    def page(self, show: str = DIFFERS, column: str = "", page: int = 1, per_page: int = 25) -> dict[str, Any]:
        import math

        from datatools.tools.compare import OLD_SUFFIX

        found = self.matching(show, column)
        pages = max(1, math.ceil(len(found) / per_page))
        page = min(max(1, page), pages)
        shown = found[(page - 1) * per_page: page * per_page].tolist()
        frame = _read_rows(self.path, shown)
        rows = []
        for k, (_, row) in zip(shown, frame.iterrows()):
            place = self.where.get(k)
            cells = []
            for j, name in enumerate(self.table_columns):
                cell = {"value": str(row[name])}
                at = self.compared_at[j]
                if place is not None and at is not None and self.cells[place, at] and name + OLD_SUFFIX in row:
                    cell["old"] = str(row[name + OLD_SUFFIX])
                cells.append(cell)
            rows.append({"status": str(row["status"]), "old_row": str(row["old_row"]),
                         "new_row": str(row["new_row"]), "cells": cells})
        return {"rows": rows, "columns": self.columns, "total": len(found), "page": page, "pages": pages,
                "show": show, "column": column, "counts": self.counts,
                "changed_columns": self.changed_columns}


@dataclass
class LargeComparison(KeptFolder, Comparison):
    """A comparison whose diff lies in `folder`/diff.parquet (closed: removed)."""

    folder: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def formats(self) -> list[str]:
        return ["csv"]        # a workbook holds at most 1,048,576 rows

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "engine": self.report.get("engine")}

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """The diff streamed from its Parquet file as CSV with the new version's habits."""
        import pyarrow.parquet as pq

        target, progress = self.csv_target(target, progress)
        saved = Saved(target)
        path = self.folder / DIFF_FILE

        def parts():
            source = pq.ParquetFile(path)
            groups = source.num_row_groups
            if groups == 0:
                yield source.schema_arrow.empty_table().to_pandas(), 1.0
            for group in range(groups):
                yield source.read_row_group(group).to_pandas(), (group + 1) / groups

        habits = self.habits or CsvHabits()
        with self.lock:
            if not path.exists():
                raise BadInput("This result's working copy was removed; run the tool again to save it.",
                               code="working_copy_gone")
            write_parts(parts, target, habits, self.inputs, force, progress, saved.notes, escape_formulas)
        return saved
