"""A large dedupe's groups and their review, paged from the grouped rows only; Save streams the
whole table from the kept working copy (datatools/app/large_runs.py `LargeCopy`).

The review is the window's `DuplicateReview` on a `DedupeResult` of the grouped rows alone:
its row ids are positions among those rows, the numbers it shows are the input's. Saving runs
the engine's `Review.apply` on them, as for a file in memory, and writes every other row as the
working copy holds it, so the file is the one the in-memory engine writes for the same review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from datatools.app.results.duplicates import Duplicates
from datatools.app.results.grouped_cells import ArrowGroupCells, arrow_column
from datatools.app.results.kept import KeptFolder
from datatools.app.review import DuplicateReview
from datatools.app.saving import (CsvHabits, Saved, free_merge_report, plain_reasons, save_habits,
                                  write_frame)
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.app.large_runs import LargeCopy

# A merge list's `values_taken` names rows as `<column> from row N: "<old>" → …` (the values
# are JSON strings, so `: "` follows the number): the row numbers are renumbered to the input's.
_TAKEN_ROW = re.compile(r'from row (\d+): "')


class LargeDuplicateReview(DuplicateReview):
    """`DuplicateReview` of the grouped rows; `positions[row]` is a row's place in the input,
    `total_rows` the input's row count, `key` the key column found over the whole input,
    `reasons(rows)` the rows' match_reason (the frame's are "": `GroupedReasons`)."""

    def __init__(self, result, positions: "np.ndarray", total_rows: int, key: str | None,
                 reasons: Callable[[list[int]], list[str]]) -> None:
        self.positions = positions
        self.total_rows = total_rows
        self._reasons = reasons
        super().__init__(result)
        self.key = key

    def _cell_table(self, result, rows: "np.ndarray", starts: "np.ndarray") -> ArrowGroupCells:
        """The grouped cells kept as the frame's Arrow arrays (DECISIONS 471)."""
        return ArrowGroupCells(self.columns, [arrow_column(result.frame[c]) for c in self.columns], rows, starts)

    def _group_json(self, group) -> dict[str, Any]:
        shown = super()._group_json(group)
        for row in shown["rows"]:
            row["number"] = int(self.positions[row["row"]]) + 1
        return shown

    def counts(self) -> dict[str, int]:
        counts = super().counts()
        counts["rows_saved"] = self.total_rows - counts["removed"]
        return counts


@dataclass
class LargeDuplicates(KeptFolder, Duplicates):
    """Duplicates found on the duckdb engine; `copy` is the kept working copy (closed: gone)."""

    copy: "LargeCopy | None" = None

    def formats(self) -> list[str]:
        return ["csv"]        # a workbook holds at most 1,048,576 rows

    def key_columns(self) -> list[str]:
        return []             # a recipe names rows over the whole table: not from here yet

    def recipe_step(self, key: str | None = None):
        return None

    def apply_recipe(self, step) -> None:
        from datatools.app.large_runs import recipe_refused

        self.close()
        raise recipe_refused()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "recipe": False, "engine": self.report.get("engine")}

    def kept_folder(self) -> Path | None:
        return self.copy.folder if self.copy is not None else None

    @property
    def lock(self):
        """The working copy's lock (the copy is removed under it, here or by the run)."""
        return self.copy.lock

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """As `TableResult.write`, the table streamed part by part as CSV (BadOption
        `large_csv_only` for another type; BadInput `working_copy_gone` once closed)."""
        from datatools.tools.review import KEEP_ALL

        target, progress = self.csv_target(target, progress)
        record = self.record(review)
        reviewed = record.apply(self.result)
        merges = None
        if reviewed.merges is not None and record.merge_report:
            merges = self._merges(reviewed.merges)
        report = free_merge_report(target, merges is not None, force)
        saved = Saved(target, report)
        habits = save_habits(self.habits, bom)
        whole = record.keep == KEEP_ALL
        dropped = self._dropped(reviewed.merges)
        with self.copy.lock:
            self.copy.check()
            write_parts(lambda: self.copy.parts(reviewed.frame, whole, dropped), target, habits,
                         self.inputs, force, progress.stage(0.0, 0.95 if report else 1.0), saved.notes,
                         escape_formulas)
        if report is not None:
            write_frame(merges, report, habits, self.inputs, force, progress.stage(0.95, 1.0),
                        saved.notes, escape_formulas)
        return saved

    def _dropped(self, merges: "pd.DataFrame | None") -> "np.ndarray":
        """The input positions of the rows the review drops, ascending."""
        import numpy as np

        if merges is None or not len(merges):
            return np.empty(0, np.int64)
        rows = [int(r) - 1 for cell in merges["dropped_rows"] for r in str(cell).split()]
        return np.sort(self.copy.positions[np.asarray(rows, np.int64)]) if rows \
            else np.empty(0, np.int64)

    def _merges(self, merges: "pd.DataFrame") -> "pd.DataFrame":
        """The merge list with the input's row numbers (and keys, when the table has a key
        column), as the in-memory review writes it."""
        from datatools.tools.recipe import row_keys
        from datatools.tools.recipe_replay import with_keys

        from datatools.tools.dedupe import OUTPUT_COLUMNS

        key = self.key_column()
        if key is not None:
            merges = with_keys(merges, row_keys(self.result.frame.drop(columns=list(OUTPUT_COLUMNS)), key), key)
        positions = self.copy.positions

        def number(row: str) -> str:
            return str(int(positions[int(row) - 1]) + 1)

        merges = merges.copy()
        merges["kept_row"] = [number(r) for r in merges["kept_row"]]
        merges["dropped_rows"] = [" ".join(number(r) for r in str(cell).split()) for cell in merges["dropped_rows"]]
        if "values_taken" in merges:
            merges["values_taken"] = [_TAKEN_ROW.sub(lambda m: f'from row {number(m[1])}: "', str(cell))
                                      for cell in merges["values_taken"]]
        return merges


def write_parts(parts, target: Path, habits: CsvHabits, inputs, force: bool, progress: Progress,
                 notes: list[dict[str, str]], escape_formulas: bool) -> None:
    """`saving.write_frame` for a table in parts (`parts()` gives them afresh): a value the
    habits' encoding cannot hold makes the CSV UTF-8 with a byte order mark, said in `notes`."""
    from datatools.io.writing import write_csv_parts

    if target.suffix.lower() == ".tsv":
        habits = replace(habits, delimiter="\t")
    given = parts

    def parts():        # the reason column's signs in ASCII for a code page without them
        return ((plain_reasons(part, habits.encoding), done) for part, done in given())

    options = {"force": force, "inputs": [*inputs], "delimiter": habits.delimiter,
               "newline": habits.newline, "sep_line": habits.sep_line,
               "escape_formulas": escape_formulas, "progress": progress}
    try:
        written = write_csv_parts(parts(), target, encoding=habits.encoding, bom=habits.bom, **options)
    except UnicodeEncodeError as exc:
        character = exc.object[exc.start:exc.end]
        notes.append({"code": "saved_as_utf8", "message":
                      f"{character!r} cannot be written in {habits.encoding}, so the file is "
                      "UTF-8 (Excel reads it).", "character": character, "encoding": habits.encoding})
        written = write_csv_parts(parts(), target, encoding="utf-8", bom=True,
                                  **options)
    notes += [{"code": n.code, "message": str(n), **{k: str(v) for k, v in n.params.items()}}
              for n in written.notices()]
