"""What every result kind has (report, summary, inputs, the input's CSV habits, one save at a
time) and what the kinds holding a table share: CSV or workbook, a merge report beside it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from datatools import notices
from datatools.app.saving import CsvHabits, Saved, free_merge_report, save_habits, write_frame
from datatools.errors import BadOption
from datatools.progress import Progress, silent

if TYPE_CHECKING:
    import pandas as pd

    from datatools.tools.review import Reviewed

# Rows of a result the UI gets to show; the saved file always has every row.
VIEW_ROWS = 200


@dataclass
class Result:
    """A finished job's result. Subclasses set `kind` (the name of their UI module) and
    define `view`, `formats` and `write`."""

    kind: ClassVar[str] = ""
    report: dict[str, Any]                     # everything the tool reported
    summary: dict[str, Any]                    # the few numbers the result view shows
    suggested_name: str
    trial: list[dict] = field(default_factory=list)  # inputs the trial cut: file, used, total
    inputs: tuple[Path, ...] = ()
    warnings: list[Any] = field(default_factory=list)   # what the readers noticed (formulas…)
    habits: CsvHabits | None = None            # how the first input was written (CSV outputs copy it)
    save_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # one save at a time
    options: dict[str, Any] = field(default_factory=dict)   # the checked options of the run
    source: dict[str, Any] = field(default_factory=dict)    # how the first input was read (a recipe's step 0)
    sheet_name: str | None = None              # an .xlsx save's sheet: the input workbook's (DECISIONS 557)

    def view(self) -> dict[str, Any]:
        """What the kind's UI module draws (JSON; notices as `notices.to_json` gives them)."""
        return {}

    def formats(self) -> list[str]:
        """The file types the result can be saved as, the usual one first (the UI's choices)."""
        return []

    def read_review(self, data: Any) -> Any:
        """A review sent with a save request, as the kind's engine record (None: the review kept
        beside the result). BadOption `no_review` for a kind that has none."""
        if data is None:
            return None
        raise BadOption("This result has nothing to review.", code="no_review")

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """Write the result to `target` through the guarded writer: never over an input, never
        half a file. `review`: an engine record from `read_review` (None: the kept one); `bom`:
        a UTF-8 CSV starts with a byte order mark (for Excel); `escape_formulas`: a CSV's cells
        that start like a formula get a leading apostrophe (an .xlsx holds them as text anyway).
        Raises WouldOverwriteInput, OutputExists (without `force`), BadInput, Cancelled."""
        raise NotImplementedError

    def recipe_step(self, key: str | None = None) -> Any:
        """This run as a recipe step (`datatools.tools.recipe.Step`), None for a kind a recipe
        does not replay. `key`: the column that names rows (None: their content)."""
        return None

    def key_columns(self) -> list[str]:
        """The columns a recipe may name rows by."""
        return []

    def apply_recipe(self, step: Any) -> None:
        """Take a recipe step's decisions (the run itself already took its options)."""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "recipe": self.recipe_step.__func__ is not Result.recipe_step, "report": self.report, "summary": self.summary, "trial": self.trial,
                "view": notices.to_json(self.view()), "suggested_name": self.suggested_name,
                "warnings": notices.to_json(self.warnings), "formats": self.formats(),
                "habits": self.habits.to_json() if self.habits else None, "key_columns": self.key_columns()}


@dataclass
class TableResult(Result):
    """A result that is a table: saved as CSV (with the input's habits) or as a workbook."""

    frame: "pd.DataFrame | None" = None

    def formats(self) -> list[str]:
        return ["csv", "xlsx"]

    def view(self) -> dict[str, Any]:
        return {"table": table_view(self.frame)}

    def record(self, review: Any) -> Any:
        """The review a save applies: `review`, else the one kept beside the result (taken
        once per save, so the table and its merge report agree)."""
        return review

    def reviewed(self, review: Any) -> "Reviewed":
        """The table to write and its merge report (None: none); the plain table here."""
        from datatools.tools.review import Reviewed

        return Reviewed(self.frame)

    def wants_merge_report(self, review: Any) -> bool:
        return False

    def source_cells(self) -> Any:
        """The workbook the table is, row for row, cleaned from (an .xlsx save keeps its
        unchanged cells: datatools/io/xlsx_cells.py); None for the other kinds."""
        return None

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """The table (after the review, for the kinds that have one) and, when the review asks
        for it and rows were merged, the engine's merge report beside it (`<stem>.merges.csv`,
        as `datatools dedupe --keep` puts it). A value the input's encoding cannot hold makes
        the CSV UTF-8 with a byte order mark (said in `notes`)."""

        progress = progress or silent()
        target = target.expanduser()
        review = self.record(review)
        reviewed = self.reviewed(review)
        wanted = reviewed.merges is not None and self.wants_merge_report(review)
        report = free_merge_report(target, wanted, force)
        saved = Saved(target, report)
        habits = save_habits(self.habits, bom)
        write_frame(reviewed.frame, target, habits, self.inputs, force,
                    progress.stage(0.0, 0.95 if report else 1.0), saved.notes, escape_formulas,
                    self.source_cells(), self.sheet_name)
        if report is not None:
            write_frame(reviewed.merges, report, habits, self.inputs, force, progress.stage(0.95, 1.0),
                        saved.notes, escape_formulas)
        saved.notes += lost_notes(reviewed.report.get("cells_lost", {}))
        return saved


def lost_notes(lost: dict[str, int]) -> list[dict[str, str]]:
    """The save's note `cells_lost` on filled cells only removed rows held (`survivors.cells_lost`,
    column → cells); none when nothing was lost."""
    if not lost:
        return []
    columns = ", ".join(f"{column} {n:,}" for column, n in lost.items())
    count = f"{sum(lost.values()):,}"
    return [{"code": "cells_lost", "count": count, "columns": columns,
             "message": f"Values only the removed rows held, gone with them (their kept row is empty "
                        f"there): {count} ({columns}). Tick “Fill the kept row's empty cells” in the "
                        "review to copy them into the kept rows."}]


def table_view(frame: "pd.DataFrame", rows: int = VIEW_ROWS) -> dict[str, Any]:
    """The first `rows` rows of `frame` as text, its columns and its row count."""
    head = frame.head(rows)
    return {"columns": [str(c) for c in frame.columns],
            "rows": [[str(v) for v in row] for row in head.itertuples(index=False, name=None)],
            "total_rows": int(len(frame))}
