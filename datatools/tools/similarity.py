"""Score how alike two rows are, column by column, and say why in words a user can check.

A row pair's score blends two rapidfuzz `token_sort_ratio` comparisons (0–100): the weighted mean
over the columns filled in on both rows, and the whole rows joined into one text. Weights come from the data: a column with many distinct
values (an ID, a date of birth, a surname) says more when it agrees than one with a few (a state,
a gender), so each column weighs log(1 + distinct values).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from datatools.errors import BadOption
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# The lowest score counted as the same thing, for duplicates and matches alike. Calibrated on
# FEBRL 1–3 and on generated people and companies; see docs/TECHNICAL.md ("Scores").
DEFAULT_THRESHOLD = 54.0
MISSING = 255            # per-column score of a pair where one or both cells are empty
SCORE_CHUNK = 250_000    # pairs scored between two progress reports (well under a second)
# Below this share of the total weight filled in on both rows, a pair's score is scaled down:
# two rows that agree on a single column out of six are not shown as duplicates.
MIN_COVERAGE = 0.5
# Two unrelated names still share letters: token_sort_ratio gives them 30–60. Scores at or
# below CHANCE_SIMILARITY count as no agreement at all, and the rest is stretched back to 0–100,
# so many half-similar columns cannot add up to a match.
CHANCE_SIMILARITY = 50.0
# Half of a pair's score compares the whole rows (all compared columns joined, words sorted), so
# values that moved to another column (surname typed as first name, address lines swapped) still
# count; the other half is the per-column weighted mean, which a user can read in match_reason.
RECORD_SHARE = 0.5


@dataclass
class PreparedColumns:
    """The compared columns of one table (or of two tables stacked), normalised once."""

    names: list[str]
    text: list["np.ndarray"]       # normalised values, object arrays of str ("" = empty)
    ranks: list["np.ndarray"]      # sorted position of each normalised value; 0 = empty
    backward_ranks: list["np.ndarray"]  # the same for the values spelled backwards
    weights: "np.ndarray"          # one per column, summing to 1
    record: "np.ndarray"           # all compared columns joined, for the whole-record score

    @property
    def rows(self) -> int:
        return len(self.text[0]) if self.text else 0


def check_columns(frame: "pd.DataFrame", columns: Sequence[str], what: str = "") -> list[str]:
    """The requested columns, or BadOption (`no_such_column`) naming the ones the table lacks."""
    wanted = [column.strip() for column in columns if column.strip()]
    if not wanted:
        raise BadOption("Name at least one column to compare.", code="no_columns")
    missing = [column for column in wanted if column not in frame.columns]
    if missing:
        where = f" in {what}" if what else ""
        raise BadOption(f"No column {', '.join(repr(c) for c in missing)}{where}; "
                        f"the columns are: {', '.join(map(str, frame.columns))}.",
                        code="no_such_column", params={"columns": ", ".join(missing)})
    return wanted


def prepare_columns(names: Sequence[str], columns: Sequence[Sequence[str]],
                    progress: Progress | None = None) -> PreparedColumns:
    """Normalise each column's values and weigh the columns by how many distinct values they hold.

    Work is done once per distinct cell value (pyarrow dictionary encoding), so repeated values
    such as cities and first names cost nothing, and each distinct text is one str object.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from datatools.tools.normalize import dense_ranks, normalize_text

    text, ranks, backward_ranks, weights, joined = [], [], [], [], []
    for values in columns:
        encoded = pc.dictionary_encode(pa.array(values, type=pa.string(), from_pandas=True))
        indices = np.asarray(pc.fill_null(encoded.indices, -1))
        distinct = normalize_text(encoded.dictionary)
        if (indices < 0).any():  # missing cells: point them at an appended ""
            distinct = pa.concat_arrays([distinct, pa.array([""], type=pa.string())])
            indices = np.where(indices < 0, len(distinct) - 1, indices)
        empty = np.asarray(pc.equal(distinct, ""), dtype=bool)
        forward = np.where(empty, 0, dense_ranks(distinct))
        backward = np.where(empty, 0, dense_ranks(pc.utf8_reverse(distinct)))
        column_ranks = forward[indices]
        ranks.append(column_ranks)
        backward_ranks.append(backward[indices])
        strings = np.asarray(distinct.to_numpy(zero_copy_only=False), dtype=object)
        text.append(strings[indices])
        joined.append(pc.take(distinct, pa.array(indices)))
        used = np.bincount(column_ranks, minlength=1)
        weights.append(math.log1p(int(np.count_nonzero(used[1:]))))
        if progress is not None:
            progress.update(len(weights) / (len(columns) + 1), "normalising values")
    total = sum(weights)
    weight_array = np.array([w / total if total else 1 / len(weights) for w in weights])
    record = pc.utf8_trim_whitespace(pc.binary_join_element_wise(*joined, " "))
    record_strings = _python_strings(record)
    if progress is not None:
        progress.update(1.0, "normalising values")
    return PreparedColumns(list(names), text, ranks, backward_ranks, weight_array, record_strings)


def _python_strings(values) -> "np.ndarray":
    """An object array of str for rapidfuzz, one str object per distinct value (less memory)."""
    import numpy as np
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values)
    distinct = np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return distinct[np.asarray(encoded.indices)]


def score_columns(prepared: PreparedColumns, a: "np.ndarray", b: "np.ndarray",
                  progress: Progress | None = None) -> "np.ndarray":
    """Per-column scores (uint8, 0–100, MISSING where a cell is empty) of the pairs (a[k], b[k])."""
    import numpy as np
    from rapidfuzz import fuzz, process

    pairs = len(a)
    every = [*prepared.text, prepared.record]
    result = np.empty((pairs, len(every)), dtype=np.uint8)
    steps = max(1, math.ceil(pairs / SCORE_CHUNK)) * len(every)
    done = 0
    for column, values in enumerate(every):
        empty = values == ""
        for start in range(0, pairs, SCORE_CHUNK):
            left = values[a[start:start + SCORE_CHUNK]]
            right = values[b[start:start + SCORE_CHUNK]]
            scores = process.cpdist(left, right, scorer=fuzz.token_sort_ratio,
                                    dtype=np.uint8, workers=-1)
            missing = empty[a[start:start + SCORE_CHUNK]] | empty[b[start:start + SCORE_CHUNK]]
            scores[missing] = MISSING
            result[start:start + SCORE_CHUNK, column] = scores
            done += 1
            if progress is not None:
                progress.update(done / steps, f"compared {min(start + SCORE_CHUNK, pairs):,} "
                                              f"of {pairs:,} pairs")
    return result


def combine_scores(prepared: PreparedColumns, column_scores: "np.ndarray") -> "np.ndarray":
    """One 0–100 score per pair: weighted mean agreement over filled-in columns, by coverage."""
    import numpy as np

    record = column_scores[:, -1]
    column_scores = column_scores[:, :-1]
    present = column_scores != MISSING
    weights = prepared.weights.astype(np.float32)
    covered = present @ weights
    weighted = np.where(present, _agreement(column_scores), 0).astype(np.float32) @ weights
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(covered > 0, weighted / covered, 0.0)
    by_column = mean * np.minimum(1.0, covered / MIN_COVERAGE)
    whole = np.where(record == MISSING, 0, _agreement(record))
    return ((1 - RECORD_SHARE) * by_column + RECORD_SHARE * whole).astype(np.float32)


def _agreement(scores: "np.ndarray") -> "np.ndarray":
    """Similarity above chance, stretched to 0–100."""
    import numpy as np

    stretched = (scores.astype(np.float32) - CHANCE_SIMILARITY) / (100 - CHANCE_SIMILARITY)
    return np.clip(stretched, 0, 1) * 100


def score_pairs(prepared: PreparedColumns, a: "np.ndarray", b: "np.ndarray",
                progress: Progress | None = None) -> tuple["np.ndarray", "np.ndarray"]:
    """(pair scores, per-column scores) for the pairs (a[k], b[k])."""
    column_scores = score_columns(prepared, a, b, progress)
    return combine_scores(prepared, column_scores), column_scores


def explain(names: Sequence[str], column_scores: Sequence[int]) -> str:
    """Which columns agreed and how strongly: "surname 100, city 92, zip empty; whole row 95"."""
    parts = []
    for name, score in zip(names, column_scores):
        parts.append(f"{name} empty" if score == MISSING else f"{name} {int(score)}")
    return ", ".join(parts) + f"; whole row {int(column_scores[-1])}"
