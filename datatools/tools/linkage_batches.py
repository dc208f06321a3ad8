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

from datatools.tools.linkage_model import (EM_ROUNDS, EMPTY, FLOOR, LEVELS, START_M, START_PRIOR,
                                           VETO_FROM, LinkageModel, _cap_differs, all_levels,
                                           apply_model, estimate_u, value_frequencies)

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


def fit_counts(prepared: "PreparedColumns", counted: PatternCounts, u: "np.ndarray") -> LinkageModel:
    """`fit_model` on pattern counts: m and the prior by EM with u fixed, the same rounds on
    the same numbers as `fit_model(prepared, levels, u)` for the levels that were counted."""
    import numpy as np

    columns = counted.columns
    m = np.tile(np.array(START_M), (columns, 1))
    prior = START_PRIOR
    names = [*prepared.names, "codes"][:columns]
    if len(counted.codes) == 0:
        return LinkageModel(names, m, u, prior, value_frequencies(prepared))
    pattern_levels = np.empty((len(counted.codes), columns), dtype=np.int64)
    rest = counted.codes.copy()
    for column in reversed(range(columns)):
        pattern_levels[:, column] = rest % (LEVELS + 1)
        rest //= LEVELS + 1
    filled = pattern_levels != EMPTY
    counts = counted.counts.astype(np.float64)
    for _ in range(EM_ROUNDS):
        log_m = np.zeros(len(counts))
        log_u = np.zeros(len(counts))
        for column in range(columns):
            level, seen = pattern_levels[:, column], filled[:, column]
            log_m[seen] += np.log(np.maximum(m[column, level[seen]], FLOOR))
            log_u[seen] += np.log(np.maximum(u[column, level[seen]], FLOOR))
        posterior = 1 / (1 + np.exp(-np.clip(np.log(prior) - np.log1p(-prior) + log_m - log_u, -60, 60)))
        weight = posterior * counts
        prior = float(np.clip(weight.sum() / counts.sum(), 1e-6, 1 - 1e-6))
        for column in range(columns):
            seen = filled[:, column]
            totals = np.bincount(pattern_levels[seen, column], weights=weight[seen],
                                 minlength=LEVELS)[:LEVELS]
            if totals.sum() > 0:
                m[column] = (totals + 1e-3) / (totals.sum() + LEVELS * 1e-3)
            _cap_differs(m[column])
    return LinkageModel(names, m, u, prior, value_frequencies(prepared))


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
                        keep_check: "Callable[[int, tuple], None] | None" = None
                        ) -> tuple[LinkageModel, Checks]:
    """`learn_model(prepared, a, b, column_scores, side)` for the pairs of all `batches()`
    together, reading them twice; the model and each batch's veto checks (for `apply_batch`),
    or with `keep_check` an empty list: each batch's check is handed to `keep_check(number,
    check)` instead (half the pairs of a people table can be vetoed: a Python object each).

    The same model: u from the same random pairs, EM on the same pattern counts, the second
    EM without the pairs the first model finds likely and a veto rules out.
    """
    import numpy as np

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
    say(0.5, "learning what a match looks like")
    first = fit_counts(prepared, counted, u)
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
    return fit_counts(prepared, kept, u), checks


def apply_batch(model: LinkageModel, prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                scored: "PairScores", check: tuple["np.ndarray", "dict[int, Veto]"]) -> "PairScores":
    """`apply_model` on one batch (the one `check` belongs to), skipping the veto checks the
    learning made on it, as apply_model skips learn_model's on the same pairs."""
    import numpy as np

    packed, vetoes = check
    model.vetted = (a, np.unpackbits(packed, count=len(a)).astype(bool), vetoes)
    return apply_model(model, prepared, a, b, scored)
