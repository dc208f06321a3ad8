"""The match tool's estimate as the desktop runs it: the two files and the pairing in, a count out.

The window asks for an estimate whenever the files, the pairing or the threshold change
(`POST /api/match/estimate`, a job in the previews' runner). Matching the sample is the slow
part and does not depend on the threshold, so the last sample's scores are kept: trying another
threshold on the same files and pairing answers at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datatools.errors import BadInput
from datatools.progress import Progress

# The kept scores answer thresholds from this one up (or from a lower one asked for): checking
# vetoes on pairs below it would cost seconds for a wrong pairing and tell nothing.
KEPT_FROM = 40.0

if TYPE_CHECKING:
    from datatools.app.inputs import InputSpec
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
    bool}`; BadInput / BadOption as the match job raises them, BadInput `estimate_large` when
    the files take the duckdb engine (DECISIONS 256), Cancelled.
    """
    from datatools.app.large_runs import takes_duckdb
    from datatools.app.tool_jobs import _synonyms, read_match_inputs
    from datatools.tools.dedupe import check_threshold
    from datatools.tools.match_estimate import estimate_matches, score_sample

    if takes_duckdb(specs, row_limit):      # it would read both whole files into memory
        raise BadInput("The estimate reads both files into memory; for files this large the match "
                       "runs without it (the progress bar shows each phase).", code="estimate_large")
    synonyms_path = options.get("synonyms")
    files = [_file_state(s.path) for s in specs] + [_file_state(Path(synonyms_path)) if synonyms_path else ()]
    key = (tuple(files), tuple(tuple(s.read_options().items()) for s in specs),
           tuple(options.get("on") or ()), tuple(options.get("right_on") or ()), row_limit)
    if options.get("threshold") is None:
        # The default run writes its certain matches by a model it learns: count those, as
        # `datatools match --estimate` does (tools.match_estimate.estimate_matches).
        left, right, on, right_on = read_match_inputs(specs, options, row_limit, progress, [], [])
        estimate = estimate_matches(left.frame, right.frame, on, right_on, synonyms=_synonyms(options),
                                    progress=progress.stage(0.3, 1.0))
        progress.update(1.0, "estimated")
        return {"estimate": estimate.to_dict(), "unique": bool(options.get("unique"))}
    threshold = check_threshold(options.get("threshold"))
    scores = None if None in files else last.get(key)
    if scores is None or not scores.answers(threshold):
        # The reading's notes and warnings are not repeated here: each file's preview shows them.
        left, right, on, right_on = read_match_inputs(specs, options, row_limit, progress, [], [])
        scores = score_sample(left.frame, right.frame, on, right_on, synonyms=_synonyms(options),
                              vetoes_from=min(threshold, KEPT_FROM), progress=progress.stage(0.3, 1.0))
        last.put(key, scores)
    estimate = scores.at(threshold)
    progress.update(1.0, "estimated")
    return {"estimate": estimate.to_dict(), "unique": bool(options.get("unique"))}
