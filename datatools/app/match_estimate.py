"""The match tool's estimate as the desktop runs it: the two files and the pairing in, a count out.

The window asks for an estimate whenever the files, the pairing or the threshold change
(`POST /api/match/estimate`, a job in the previews' runner). Matching the sample is the slow
part and does not depend on the threshold, so the last sample's scores are kept: trying another
threshold on the same files and pairing answers at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from datatools.progress import Progress

if TYPE_CHECKING:
    from datatools.app.tool_jobs import InputSpec
    from datatools.tools.match_estimate import SampleScores


def _file_state(path) -> tuple[str, int, int] | None:
    """A file as the cache knows it: path, size and change time (a saved edit is a new file);
    None when it cannot be looked at (the reading then says why)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_size, stat.st_mtime_ns


@dataclass
class LastSample:
    """The last sample's scores and what they were computed from (one entry: it is small)."""

    key: tuple | None = None
    scores: "SampleScores | None" = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple) -> "SampleScores | None":
        with self.lock:
            return self.scores if key == self.key else None

    def put(self, key: tuple, scores: "SampleScores") -> None:
        with self.lock:
            self.key, self.scores = key, scores


def estimate_match(specs: "list[InputSpec]", options: dict[str, Any], row_limit: int | None,
                   progress: Progress, last: LastSample) -> dict[str, Any]:
    """The estimate for the match tool's checked `options` on `specs`, as the UI shows it.

    Reads both files as the full run does (cut to the trial's `row_limit`), so the estimate is
    for the rows the run would match. Answers `{"estimate": MatchEstimate.to_dict(), "unique":
    bool, "warnings": [...]}`; BadInput / BadOption as the match job raises them, Cancelled.
    """
    from datatools import notices
    from datatools.app.tool_jobs import _columns, _synonyms, read_input
    from datatools.errors import BadInput
    from datatools.tools.match_estimate import score_sample

    from pathlib import Path

    synonyms_path = options.get("synonyms")
    files = [_file_state(s.path) for s in specs] + [_file_state(Path(synonyms_path)) if synonyms_path else ()]
    key = (tuple(files), tuple(tuple(s.read_options().items()) for s in specs),
           tuple(options.get("on") or ()), tuple(options.get("right_on") or ()), row_limit)
    scores = None if None in files else last.get(key)
    warnings: list[str] = []
    if scores is None:
        notes: list[dict] = []
        left = read_input(specs[0], row_limit, progress.stage(0.0, 0.15), notes, warnings)
        right = read_input(specs[1], row_limit, progress.stage(0.15, 0.3), notes, warnings)
        on = _columns(options, "on", left.frame)
        if not on:
            raise BadInput("Choose the column(s) to match on.", code="no_columns")
        right_on = _columns(options, "right_on", right.frame) or None
        scores = score_sample(left.frame, right.frame, on, right_on, synonyms=_synonyms(options),
                              progress=progress.stage(0.3, 1.0))
        last.put(key, scores)
    estimate = scores.at(options.get("threshold"))
    progress.update(1.0, "estimated")
    return {"estimate": estimate.to_dict(), "unique": bool(options.get("unique")),
            "warnings": notices.to_json(warnings)}
