"""A large file cleaned on the duckdb engine: the view shows the first rows and per column what
changed; Save streams the cleaned table from the kept working copy (`large/clean.py`
`cleaned_parts`, byte for byte the in-memory clean's file)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from datatools.app.results.cleaned import Cleaned
from datatools.app.results.kept import KeptFolder
from datatools.app.results.large_duplicates import write_parts
from datatools.app.saving import Saved, save_habits
from datatools.errors import BadInput
from datatools.progress import Progress

if TYPE_CHECKING:
    from datatools.large.clean import CleanedCopy
    from datatools.large.workcopy import WorkingCopy


@dataclass
class LargeCleaned(KeptFolder, Cleaned):
    """`Cleaned` whose table stays on disk: `copy` (the working copy) and `cleaned` (where
    each cleaned column lies); `head` is the view's table (first rows, the file's row count)."""

    copy: "WorkingCopy | None" = None
    cleaned: "CleanedCopy | None" = None
    head: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def formats(self) -> list[str]:
        return ["csv"]        # a workbook holds at most 1,048,576 rows

    def view(self) -> dict[str, Any]:
        return {"changes": self.changes, "notes": self.notes, "columns": self.columns,
                "examples": self.examples, "table": self.head}

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "engine": self.report.get("engine")}

    def kept_folder(self) -> Path | None:
        return self.copy.folder if self.copy is not None else None

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """The cleaned table streamed as CSV with the input's habits (BadOption
        `large_csv_only` for a workbook; BadInput `working_copy_gone` once closed)."""
        from datatools.large.clean import cleaned_parts

        target, progress = self.csv_target(target, progress)
        saved = Saved(target)
        habits = save_habits(self.habits, bom)
        job = SimpleNamespace(copy=self.copy)      # cleaned_parts reads the copy only, not DuckDB
        with self.lock:
            if not self.copy.parquet.exists():
                raise BadInput("This result's working copy was removed; run the tool again to save it.",
                               code="working_copy_gone")
            write_parts(lambda: cleaned_parts(job, self.cleaned), target, habits, self.inputs, force,
                        progress, saved.notes, escape_formulas)
        return saved
