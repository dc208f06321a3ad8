"""`learn_model` of linkage_model.py on candidate pairs given batch by batch (the large engine).

`learn_model` holds every candidate pair's column scores, levels and match probabilities at
once: about 30 bytes a pair, two gigabytes for the fifty million pairs of ten million rows.
Expectation maximisation needs none of that per pair: `fit_model` first counts how many pairs
show each pattern of levels and then iterates on those counts. Here the counts are summed
batch by batch (`PatternCounts`), so memory holds one batch's pairs and a few thousand
patterns. The model is the same, float for float:

- the patterns are coded as `fit_model` codes them and kept sorted, as `np.unique` gives them,
  with integer counts, so the EM rounds (`fit_counts`) add the same numbers in the same order;
- the second EM of `learn_model` (without the pairs a veto rules out) runs on the counts less
  the vetoed pairs' patterns, patterns left with none dropped, as `levels[keep]` drops them;
- each batch's veto checks are returned so `apply_batch` skips them as `apply_model` skips the
  checks `learn_model` made (`LinkageModel.vetted`).

The batches are read twice (counts, then the first model's veto checks): the caller keeps them
somewhere cheap to read again (datatools/large/scoring.py writes them to the working copy's
folder). tests/test_linkage_batches.py compares every step with `learn_model` / `fit_model`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from datatools.tools.linkage_model import (LEVELS, VETO_FROM, LinkageModel, all_levels,
                                           apply_model, fit_patterns)
from datatools.tools.linkage_u import estimate_u

if TYPE_CHECKING:
    import numpy as np

    from datatools.progress import Progress
    from datatools.tools.similarity import PairScores, PreparedColumns, Veto

# One batch of pairs: (a, b, column scores as score_columns gives them).
Batches = Callable[[], Iterable[tuple["np.ndarray", "np.ndarray", "np.ndarray"]]]
# Per batch, the pairs the first model checked for a veto (np.packbits of a bool per pair)
# and the vetoes found, by index in the batch.
Checks = list[tuple["np.ndarray", "dict[int, Veto]"]]


def pattern_codes(levels: "np.ndarray") -> "np.ndarray":
    """One int64 per pair coding its levels (pairs × columns, uint8 0–EMPTY) in base LEVELS + 1,
    first column most significant, as `fit_model` codes them (17 columns fit in 63 bits)."""
    import numpy as np

    codes = np.zeros(len(levels), dtype=np.int64)
    for column in range(levels.shape[1]):
        codes = codes * (LEVELS + 1) + levels[:, column]
    return codes


class PatternCounts:
    """How many pairs show each pattern of levels: sorted distinct codes and int64 counts."""

    def __init__(self, columns: int) -> None:
        import numpy as np

        self.columns = columns
        self.codes = np.empty(0, dtype=np.int64)
        self.counts = np.empty(0, dtype=np.int64)

    def add(self, levels: "np.ndarray", sign: int = 1) -> None:
        """Count the pairs of `levels` (pairs × `columns`); with `sign` −1 take them away
        (patterns left with no pair are dropped)."""
        import numpy as np

        codes, counts = np.unique(pattern_codes(levels), return_counts=True)
        merged, place = np.unique(np.concatenate([self.codes, codes]), return_inverse=True)
        total = np.zeros(len(merged), dtype=np.int64)
        np.add.at(total, place, np.concatenate([self.counts, sign * counts.astype(np.int64)]))
        filled = total != 0
        self.codes, self.counts = merged[filled], total[filled]

    def copy(self) -> "PatternCounts":
        other = PatternCounts(self.columns)
        other.codes, other.counts = self.codes.copy(), self.counts.copy()
        return other


def fit_counts(prepared: "PreparedColumns", counted: PatternCounts, u: "np.ndarray",
               pairs: float | None = None, dependent: "list | None" = None) -> LinkageModel:
    """`fit_model` on pattern counts (linkage_model.fit_patterns, which fit_model calls on the
    levels it counts): the same EM rounds on the same numbers."""
    return fit_patterns(prepared, counted.columns, counted.codes, counted.counts, u, pairs, dependent)


def _unswapped_levels(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                      column_scores: "np.ndarray"):
    """(column scores with swapped columns rescored, the swaps, the levels), as learn_model
    makes them, leaving `column_scores` as it was."""
    from datatools.tools.swaps import unswap

    scores = column_scores.copy()
    swaps = unswap(prepared, a, b, scores)
    return scores, swaps, all_levels(prepared, a, b, scores)


def learn_model_batched(prepared: "PreparedColumns", batches: Batches,
                        side: "np.ndarray | None" = None, progress: "Progress | None" = None,
                        keep_check: "Callable[[int, tuple], None] | None" = None,
                        pairs: float | None = None) -> tuple[LinkageModel, Checks]:
    """`learn_model(prepared, a, b, column_scores, side, pairs=pairs)` for the pairs of all `batches()`
    together, reading them twice; the model and each batch's veto checks (for `apply_batch`),
    or with `keep_check` an empty list: each batch's check is handed to `keep_check(number,
    check)` instead (half the pairs of a people table can be vetoed: a Python object each).

    The same model: u from the same random pairs, EM on the same pattern counts, the second
    EM without the pairs the first model finds likely and a veto rules out.
    """
    import numpy as np

    from datatools.tools.dependence import dependent_columns
    from datatools.tools.vetoes import find_vetoes

    def say(done: float, what: str) -> None:
        if progress is not None:
            progress.update(done, what)

    say(0.0, "counting patterns of agreement")
    counted: PatternCounts | None = None
    for a, b, column_scores in batches():
        levels = _unswapped_levels(prepared, a, b, column_scores)[2]
        counted = counted or PatternCounts(levels.shape[1])
        counted.add(levels)
    say(0.25, "comparing random pairs")
    u = estimate_u(prepared, side=side)
    if counted is None:       # no pairs: the starting model, as fit_model gives it
        counted = PatternCounts(u.shape[0])
    if pairs is None and side is not None:
        pairs = float(np.count_nonzero(side)) * float(len(side) - np.count_nonzero(side))
    dependent = dependent_columns(prepared)
    say(0.5, "learning what a match looks like")
    first = fit_counts(prepared, counted, u, pairs, dependent)
    say(0.7, "checking households")
    kept = counted.copy()
    checks: Checks = []
    vetoed_any = False
    for number, (a, b, column_scores) in enumerate(batches()):
        scores, swaps, levels = _unswapped_levels(prepared, a, b, column_scores)
        probability = first.probability(first.column_weights(prepared, a, b, levels))
        checked = probability >= VETO_FROM
        vetoes = find_vetoes(prepared, a, b, scores, np.flatnonzero(checked), probability * 100, swaps)
        if vetoes:
            vetoed_any = True
            kept.add(levels[np.fromiter(vetoes, dtype=np.int64, count=len(vetoes))], sign=-1)
        if keep_check is None:
            checks.append((np.packbits(checked), vetoes))
        else:
            keep_check(number, (np.packbits(checked), vetoes))
    if not vetoed_any:
        return first, checks
    say(0.9, "learning what a match looks like")
    return fit_counts(prepared, kept, u, pairs, dependent), checks


def apply_batch(model: LinkageModel, prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                scored: "PairScores", check: tuple["np.ndarray", "dict[int, Veto]"]) -> "PairScores":
    """`apply_model` on one batch (the one `check` belongs to), skipping the veto checks the
    learning made on it, as apply_model skips learn_model's on the same pairs."""
    import numpy as np

    packed, vetoes = check
    model.vetted = (a, np.unpackbits(packed, count=len(a)).astype(bool), vetoes)
    return apply_model(model, prepared, a, b, scored)
