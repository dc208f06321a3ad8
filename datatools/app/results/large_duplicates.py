"""A large dedupe's groups and their review, paged from the grouped rows only; Save streams the
whole table from the kept working copy (datatools/app/large_runs.py `LargeCopy`).

The review is the window's `DuplicateReview` on a `DedupeResult` of the grouped rows alone:
its row ids are positions among those rows, the numbers it shows are the input's. Saving runs
the engine's `Review.apply` on them, as for a file in memory, a batch of groups at a time
(`large_save.apply_in_batches`), and writes every other row as the
working copy holds it, so the file is the one the in-memory engine writes for the same review.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from datatools.app.results.duplicates import Duplicates
from datatools.app.results.grouped_cells import FileGroupCells
from datatools.app.results.large_save import apply_in_batches, grouped_part, with_spellings
from datatools.app.results.kept import KeptFolder
from datatools.app.review import DuplicateReview
from datatools.app.saving import (CsvHabits, Saved, free_merge_report, plain_reasons, save_habits,
                                  write_frame)
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np

    from datatools.app.large_runs import LargeCopy
    from datatools.app.results.grouped_rows import GroupedRows

class LargeDuplicateReview(DuplicateReview):
    """`DuplicateReview` of the grouped rows; `result.frame` holds none of their cells (one
    row each, no column), `grouped` their cells (in group order, DECISIONS 526); `positions[row]` is a row's place in the
    input, `total_rows` the input's row count, `key` the key column found over the whole input,
    `reasons(rows)` the rows' match_reason (the frame's are "": `GroupedReasons`)."""

    def __init__(self, result, grouped: "GroupedRows", positions: "np.ndarray", total_rows: int,
                 key: str | None, reasons: Callable[[list[int]], list[str]]) -> None:
        self.grouped = grouped
        self.positions = positions
        self.total_rows = total_rows
        self._reasons = reasons
        self._key = key
        super().__init__(result)

    def _data_columns(self, result) -> list[str]:
        return [str(name) for name in self.grouped.names]

    def _key_column(self, result) -> str | None:
        return self._key

    def _cell_table(self, result, rows: "np.ndarray", starts: "np.ndarray") -> FileGroupCells:
        """The grouped cells read from their file (its order is that of `rows`)."""
        return FileGroupCells(self.columns, self.grouped, starts)

    def _engine_kept(self, policy: str, clusters: list) -> dict[str, int]:
        """The engine's `policy_kept` on the rows of `clusters` alone, read from the file, the
        spellings counted over all the grouped rows: the rows it keeps in the whole frame."""
        from datatools.tools.dedupe import policy_kept

        if policy == "first":
            return policy_kept(self.result, policy, clusters)
        with_spellings(self.result, self.grouped)
        rows, part = grouped_part(self.result, self.grouped, clusters)
        return {group: int(rows[row]) for group, row in policy_kept(part, policy, part.clusters).items()}

    def _scores(self, rows: list[int]) -> list[str]:
        return self.grouped.outputs(rows)["match_score"].tolist()

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
        target, progress = self.csv_target(target, progress)
        record = self.record(review)
        applied = apply_in_batches(record, self.result, self.copy.grouped, self.copy.positions,
                                   self.key_column())
        merges = applied.merges if record.merge_report else None
        report = free_merge_report(target, merges is not None, force)
        saved = Saved(target, report)
        habits = save_habits(self.habits, bom)
        with self.copy.lock:
            self.copy.check()
            write_parts(lambda: self.copy.parts(applied), target, habits,
                         self.inputs, force, progress.stage(0.0, 0.95 if report else 1.0), saved.notes,
                         escape_formulas)
        if report is not None:
            write_frame(merges, report, habits, self.inputs, force, progress.stage(0.95, 1.0),
                        saved.notes, escape_formulas)
        return saved


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
