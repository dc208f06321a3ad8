"""A large match's result: the review paged from `matches.parquet` in the kept folder
(datatools/app/large_match.py), Save streaming it with the reviewer's decisions.

The decisions are the engine's `MatchRejections`, applied row group by row group to the very
table the in-memory window would hold, so the file is the one the in-memory engine saves for
the same review; a recipe names the decided rows by the keys of their cells read from the file,
and is replayed on it a row group at a time, as in memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datatools.app.results.kept import KeptFolder
from datatools.app.results.large_duplicates import write_parts
from datatools.app.results.matches import Matches
from datatools.app.saving import Saved, save_habits
from datatools.errors import BadInput
from datatools.progress import Progress


@dataclass
class LargeMatches(KeptFolder, Matches):
    """Matches found on the duckdb engine; `folder` holds matches.parquet (closed: removed). A
    recipe is saved and applied as for matches in memory, the rows' keys read from the file."""

    folder: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def formats(self) -> list[str]:
        return ["csv"]        # a workbook holds at most 1,048,576 rows

    def key_columns(self) -> list[str]:
        return self.review.names[:self.widths[0]]

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "engine": self.report.get("engine")}

    def _keys(self, key: str | None, right_key: str | None, rows=None) -> tuple[dict, dict]:
        """(left keys, right keys) of rows `rows` only, read from the file: {row: key}."""
        from datatools.app.large_compare import _read_rows
        from datatools.tools.recipe_replay import match_keys

        wanted = sorted(set(rows or ()))
        with self.lock:
            frame = _read_rows(self.review.path, wanted).fillna("")
        left, right = match_keys(frame, *self.widths, key, right_key)
        return dict(zip(wanted, left)), dict(zip(wanted, right))

    def _replayed(self, step):
        """`replay_rejections` on the file, PART_ROWS rows at a time (the keys of the scored
        rows' pairs and every row's left key are kept, not the table)."""
        import pyarrow.parquet as pq

        from datatools.large.dedupe import PART_ROWS
        from datatools.tools.recipe_replay import match_keys, replay_pairs

        pairs: dict[str, list[int]] = {}
        lefts: set[str] = set()
        with self.lock:
            start = 0
            for batch in pq.ParquetFile(self.review.path).iter_batches(batch_size=PART_ROWS):
                frame = batch.to_pandas().fillna("")
                left, right = match_keys(frame, *self.widths, step.key, step.right_key)
                scored = frame["match_score"].astype(str).ne("").tolist()
                for k, (a, b) in enumerate(zip(left, right)):
                    if scored[k]:
                        pairs.setdefault(f"{a}\x1f{b}", []).append(start + k)
                lefts.update(left)
                start += len(frame)
        return replay_pairs(step, pairs, lefts)

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """The matched table streamed from its Parquet file as CSV with the left file's habits,
        the review applied (BadOption `large_csv_only` for another type; BadInput
        `working_copy_gone` once closed)."""
        target, progress = self.csv_target(target, progress)
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
    """The rows of `path` (matches.parquet) PART_ROWS at a time, as the command line writes a
    large match, with the fraction read, after `record` (`MatchRejections`, rows numbered over
    the whole table). A row group at a time (256,000 rows of Python strings, twice over where a
    possible match is held) was the window's largest step after the match itself (DECISIONS 506)."""
    import pyarrow.parquet as pq

    from datatools.large.dedupe import PART_ROWS
    from datatools.tools.match import MatchReport, MatchResult
    from datatools.tools.review import MatchRejections

    source = pq.ParquetFile(path)
    rows = source.metadata.num_rows
    report = MatchReport(0, 0, [], [], None, top, False, 0, 0, 0)    # only `top` is read
    if rows == 0:
        yield source.schema_arrow.empty_table().to_pandas(), 1.0
    start = 0
    for batch in source.iter_batches(batch_size=PART_ROWS):
        frame = batch.to_pandas()
        end = start + len(frame)
        here = MatchRejections(frozenset(r - start for r in record.rows if start <= r < end),
                               frozenset(r - start for r in record.accepted if start <= r < end))
        yield here.result(MatchResult(frame, report)).frame, end / rows
        start = end
