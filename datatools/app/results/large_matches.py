"""A large match's result: the review paged from `matches.parquet` in the kept folder
(datatools/app/large_match.py), Save streaming it with the reviewer's decisions.

The decisions are the engine's `MatchRejections`, applied row group by row group to the very
table the in-memory window would hold, so the file is the one the in-memory engine saves for
the same review.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datatools.app.results.large_duplicates import check_csv, write_parts
from datatools.app.results.matches import Matches
from datatools.app.saving import Saved, save_habits
from datatools.errors import BadInput
from datatools.progress import Progress, silent


@dataclass
class LargeMatches(Matches):
    """Matches found on the duckdb engine; `folder` holds matches.parquet (closed: removed)."""

    folder: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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

    def close(self) -> None:
        """Remove the kept folder (the result cannot be saved after this)."""
        if self.folder is not None:
            with self.lock:
                shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """The matched table streamed from its Parquet file as CSV with the left file's habits,
        the review applied (BadOption `large_csv_only` for another type; BadInput
        `working_copy_gone` once closed)."""
        progress = progress or silent()
        target = target.expanduser()
        check_csv(target)
        record = self.record(review)
        saved = Saved(target)
        path = self.review.path
        with self.lock:
            if not path.exists():
                raise BadInput("This result's working copy was removed; run the tool again to save it.",
                               code="working_copy_gone")
            write_parts(lambda: reviewed_parts(path, record, self.report["top"]), target,
                        save_habits(self.habits, bom), self.inputs, force, progress, saved.notes,
                        escape_formulas)
        return saved


def reviewed_parts(path: Path, record, top: int):
    """The rows of `path` (matches.parquet) one row group at a time, with the fraction read,
    after `record` (`MatchRejections`, rows numbered over the whole table)."""
    import pyarrow.parquet as pq

    from datatools.tools.match import MatchReport, MatchResult
    from datatools.tools.review import MatchRejections

    source = pq.ParquetFile(path)
    groups = source.num_row_groups
    report = MatchReport(0, 0, [], [], None, top, False, 0, 0, 0)    # only `top` is read
    if groups == 0:
        yield source.schema_arrow.empty_table().to_pandas(), 1.0
    start = 0
    for group in range(groups):
        frame = source.read_row_group(group).to_pandas()
        end = start + len(frame)
        here = MatchRejections(frozenset(r - start for r in record.rows if start <= r < end),
                               frozenset(r - start for r in record.accepted if start <= r < end))
        yield here.result(MatchResult(frame, report)).frame, (group + 1) / groups
        start = end
