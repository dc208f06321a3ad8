"""Estimate, before a full match, how many left rows will find a partner: a scored random sample.

A seeded simple random sample of left rows (the whole left table when it is small enough) is
matched against the whole right table by the full run's own steps: both tables are normalised
and paired stacked, exactly as `match_tables` does (`stacked_candidates`), and only the pairs of
sampled rows are scored. So each sampled row is matched (or not) exactly as the full run would
match it, and the only error left is the sampling's. Scoring is most of a full run's time; the
estimate skips it for all but the sample's pairs.

"Finds a partner" counts left rows whose best right row reaches the threshold, as the full run's
`matched` does; with `unique` (each right row used once) a full run can match fewer. Without a
threshold (the default) it counts what the run writes: its certain matches, each sampled row
decided by the run's own rules after scoring (match_choice.choose_matches: the checks that keep
a pair possible, ties, mutual best matches, code partners; DECISIONS 247, 402). There a learned
model is learned from the sample's pairs, not every row's: a second, small source of error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from datatools.progress import Progress, silent
from datatools.tools.dedupe import check_threshold
from datatools.tools.similarity import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SAMPLE_ROWS = 1000       # a 95 % interval at most ±3.1 points wide, whatever the table's size
EXAMPLES = 3             # matches shown beside the estimate
Z_95 = 1.959964          # the normal quantile of a two-sided 95 % interval


@dataclass(frozen=True)
class MatchEstimate:
    """How many of `left_rows` find a match at `threshold`, from `sample_rows` of them.

    `estimate`, `low` and `high` are counts of left rows (low–high: the 95 % interval); with
    `exact` every left row was matched and all three equal the true count. `about` is the
    estimate rounded to the precision its interval supports (to hundreds when the interval
    spans a few hundred rows), for saying "about 4,100". `share` is 0–1.
    `examples`: up to EXAMPLES sampled matches, each {"left_row", "right_row" (1-based rows of
    the two tables), "score" (0–100), "left", "right" (the paired cells, in pairing order)}.
    """

    left_rows: int
    right_rows: int
    columns: list[str]
    right_columns: list[str]
    threshold: float
    sample_rows: int
    sample_matched: int
    exact: bool
    share: float
    estimate: int
    low: int
    high: int
    about: int
    confidence: float = 0.95
    examples: list[dict[str, Any]] = field(default_factory=list)
    # True: counted by a learned model, `threshold` being its certain match probability in %
    learned: bool = False
    # True: only the certain matches a default run writes are counted (possible ones wait for
    # review): by a learned model, or on a small table pairs at CERTAIN_SCORE (`threshold`)
    # in which no column clearly differs
    certain: bool = False

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


@dataclass(frozen=True)
class SampleScores:
    """Each sampled left row's best right row and score, at no threshold yet.

    A pair's score (vetoes applied) does not depend on the threshold, so one SampleScores
    answers `at(threshold)` for any threshold from `vetoes_from` up without matching again: the
    desktop keeps the last one while the user tries thresholds. Arrays are in sampling (random)
    order.
    """

    left_rows: int
    right_rows: int
    columns: list[str]
    right_columns: list[str]
    vetoes_from: float          # the lowest threshold these scores answer
    rows: "np.ndarray"          # sampled left row numbers (0-based)
    best: "np.ndarray"          # best score per sampled row, 0–100; -1 = no candidate at all
    partner: "np.ndarray"       # that score's right row number (0-based), -1 = none
    left_cells: list[list[str]]    # the paired cells of each sampled row
    right_cells: list[list[str]]   # the paired cells of its best right row ([] = none)

    def answers(self, threshold: float | None) -> bool:
        """Whether `at(threshold)` can answer (the threshold is at least `vetoes_from`)."""
        return check_threshold(threshold, DEFAULT_THRESHOLD) >= self.vetoes_from

    def at(self, threshold: float | None = DEFAULT_THRESHOLD, examples: int = EXAMPLES) -> MatchEstimate:
        """The estimate at `threshold` (0–100, None = the default); BadOption outside 0–100,
        ValueError below `vetoes_from` (see `answers`)."""
        limit = check_threshold(threshold, DEFAULT_THRESHOLD)
        if limit < self.vetoes_from:
            raise ValueError(f"these scores answer thresholds from {self.vetoes_from:g}, not {limit:g}")
        hits = self.best >= limit
        sampled, matched = len(self.rows), int(hits.sum())
        low, estimate, high = estimate_count(matched, sampled, self.left_rows)
        shown = [{"left_row": int(self.rows[k]) + 1, "right_row": int(self.partner[k]) + 1,
                  "score": int(round(float(self.best[k]))), "left": self.left_cells[k],
                  "right": self.right_cells[k]}
                 for k in hits.nonzero()[0][:examples].tolist()]
        return MatchEstimate(left_rows=self.left_rows, right_rows=self.right_rows,
                             columns=self.columns, right_columns=self.right_columns,
                             threshold=limit, sample_rows=sampled, sample_matched=matched,
                             exact=sampled == self.left_rows,
                             share=matched / sampled if sampled else 0.0,
                             estimate=estimate, low=low, high=high,
                             about=round_to_interval(estimate, low, high), examples=shown)


def estimate_count(matched: int, sampled: int, population: int,
                   z: float = Z_95) -> tuple[int, int, int]:
    """(low, estimate, high) rows of `population` matching, from `matched` of `sampled`.

    The interval is the Wilson score interval for a proportion (Wilson 1927; Agresti & Coull
    1998 recommend it over the normal "p ± z·se" for small or extreme shares: it never leaves
    0–1 and stays honest at 0 % and 100 %), with the finite population correction for sampling
    without replacement: the sample counts as n·(N−1)/(N−n) draws, so a sample of the whole
    table gives the exact count. The bounds are then narrowed to what is certain: at least the
    sampled matches, at most the population less the sampled misses.
    """
    if sampled <= 0 or population <= 0:
        return 0, 0, 0
    if sampled >= population:
        return matched, matched, matched
    share = matched / sampled
    draws = sampled * (population - 1) / (population - sampled)
    centre = (share + z * z / (2 * draws)) / (1 + z * z / draws)
    half = z / (1 + z * z / draws) * math.sqrt(share * (1 - share) / draws + z * z / (4 * draws * draws))
    floor, ceiling = matched, population - (sampled - matched)
    low = min(max(floor, math.floor((centre - half) * population)), ceiling)
    high = max(min(ceiling, math.ceil((centre + half) * population)), floor)
    return low, int(round(share * population)), high


def round_to_interval(value: int, low: int, high: int) -> int:
    """`value` rounded to the power of ten below half the interval's width (exact: unrounded)."""
    step = 10 ** max(0, math.floor(math.log10(max(1.0, (high - low) / 2))))
    return int(round(value / step) * step)


def sample_rows(rows: int, size: int, seed: int) -> "np.ndarray":
    """`size` distinct row numbers of `rows`, drawn with numpy's PCG64 from `seed` (all when
    size >= rows), in drawing order: the same files and seed give the same sample."""
    import numpy as np

    if size >= rows:
        return np.arange(rows, dtype=np.int64)
    return np.random.default_rng(seed).choice(rows, size=size, replace=False).astype(np.int64)


def score_sample(left: "pd.DataFrame", right: "pd.DataFrame", on: Sequence[str],
                 right_on: Sequence[str] | None = None, *, synonyms: Mapping[str, str] | None = None,
                 sample: int = SAMPLE_ROWS, seed: int = 0, vetoes_from: float = 0.0,
                 progress: Progress | None = None) -> SampleScores:
    """Match `sample` random left rows (seeded; all of them if fewer) against all of `right`.

    Takes the columns and `synonyms` as `match_tables` does. The result answers thresholds
    from `vetoes_from` up (0: all; a higher one saves checking low pairs for vetoes): what a
    run with --threshold writes, every pair from it certain. Raises BadOption for
    unknown columns or column lists of different lengths, BadOption (`bad_sample`) for a sample
    below 1, Cancelled on cancel. The inputs are not modified.
    """
    import numpy as np
    import pandas as pd

    from datatools.errors import BadOption
    from datatools.tools.match import check_pairing, paired_column

    progress = progress or silent()
    left_on, right_cols, _ = check_pairing(left, right, on, right_on, None)
    if sample < 1:
        raise BadOption(f"The sample must be at least 1 row, not {sample}.", code="bad_sample",
                        params={"value": str(sample)})
    rows = sample_rows(len(left), sample, seed)
    prepared, a, b, position = _sampled_pairs(left, right, left_on, right_cols, synonyms, rows,
                                              progress.stage(0.0, 0.9))
    best, partner, pair, column_scores = _best_unvetoed(prepared, a, b, position[a], len(rows),
                                                        vetoes_from, progress.stage(0.9, 1.0))
    partner = np.where(partner >= 0, partner - len(left), -1)
    left_cells = [[str(v) for v in row]
                  for row in left[left_on].iloc[rows].itertuples(index=False, name=None)]
    found = partner[partner >= 0]
    cells = dict(zip(found.tolist(), ([str(v) for v in row] for row in
                                      pd.DataFrame({r: paired_column(right, r) for r in right_cols})
                                      .iloc[found].itertuples(index=False, name=None))))
    right_cells = [cells.get(int(p), []) for p in partner.tolist()]
    progress.update(1.0, f"{len(rows):,} sampled rows matched")
    return SampleScores(left_rows=len(left), right_rows=len(right), columns=left_on,
                        right_columns=right_cols, vetoes_from=vetoes_from, rows=rows, best=best, partner=partner,
                        left_cells=left_cells, right_cells=right_cells)


def _best_unvetoed(prepared, a: "np.ndarray", b: "np.ndarray", slots: "np.ndarray", count: int,
                   vetoes_from: float, progress: Progress
                   ) -> tuple["np.ndarray", "np.ndarray", "np.ndarray", "np.ndarray"]:
    """Per slot (sampled row): the best score of its pairs after vetoes, that pair's b and its
    index in (a, b); and every pair's column scores (score_columns).

    A vetoed pair scores 0 whatever the threshold, so the best pair at a threshold is the
    highest-scoring pair that is not vetoed. Vetoes are a Python look per pair: each round checks
    only every slot's next-best pair, and a slot is settled by its first pair that passes
    (usually the first). As in the full run, pairs below `vetoes_from` are not checked: a slot
    whose next pair scores below it stops there with that score, which no threshold from
    `vetoes_from` up counts as a match (a wrong pairing has hundreds of such pairs per row).
    Ties go to the lowest b, as in the full run. Slots without pairs: -1, -1, -1.
    """
    import numpy as np

    from datatools.tools.similarity import combine_scores, score_columns
    from datatools.tools.vetoes import find_vetoes

    column_scores = score_columns(prepared, a, b, progress)
    scores = combine_scores(prepared, column_scores)
    order = np.lexsort((b, -scores, slots))          # per slot, best first
    first = np.searchsorted(slots[order], np.arange(count))
    sizes = np.bincount(slots, minlength=count)
    best = np.full(count, -1.0)
    partner = np.full(count, -1, dtype=np.int64)
    pair = np.full(count, -1, dtype=np.int64)
    pending = np.flatnonzero(sizes > 0)
    step = 0
    while len(pending):
        k = order[first[pending] + step]
        low = scores[k] < vetoes_from
        vetoed = find_vetoes(prepared, a, b, column_scores, k[~low], scores)
        passed = low | np.fromiter((int(x) not in vetoed for x in k.tolist()), dtype=bool, count=len(k))
        settled = passed | (step + 1 >= sizes[pending])
        # A slot whose pairs are all vetoed matches only at threshold 0, as in the full run.
        best[pending[settled]] = np.where(passed[settled], scores[k[settled]], 0.0)
        partner[pending[settled]] = b[k[settled]]
        pair[pending[settled]] = k[settled]
        pending, step = pending[~settled], step + 1
    return best, partner, pair, column_scores


def estimate_matches(left: "pd.DataFrame", right: "pd.DataFrame", on: Sequence[str],
                     right_on: Sequence[str] | None = None, *,
                     threshold: float | None = None,
                     synonyms: Mapping[str, str] | None = None, sample: int = SAMPLE_ROWS,
                     seed: int = 0, progress: Progress | None = None) -> MatchEstimate:
    """How many left rows `match_tables` would match at `threshold`, estimated from a sample.

    With a threshold: `score_sample(...).at(threshold)`. Without one (the default) it counts
    what a default run writes, its certain matches, each sampled row decided by the run's own
    rules (`certain_estimate`). The same errors (and BadOption for the threshold).
    """
    if threshold is None:
        return certain_estimate(left, right, on, right_on, synonyms=synonyms, sample=sample,
                                seed=seed, progress=progress)
    limit = check_threshold(threshold, DEFAULT_THRESHOLD)   # before the work, not after it
    return score_sample(left, right, on, right_on, synonyms=synonyms, sample=sample, seed=seed,
                        vetoes_from=limit, progress=progress).at(limit)


def certain_estimate(left: "pd.DataFrame", right: "pd.DataFrame", on: Sequence[str],
                     right_on: Sequence[str] | None = None, *,
                     synonyms: Mapping[str, str] | None = None, sample: int = SAMPLE_ROWS,
                     seed: int = 0, progress: Progress | None = None) -> MatchEstimate:
    """How many left rows a default match writes as certain, from a sample: each sampled row
    is decided by the run's own rules (match_choice.choose_matches) over all its candidate pairs.

    With a learned model (match_tables learns one) the model is learned from the sampled rows'
    pairs (the one difference from the run: the run learns from every row's pairs), then each
    row's most probable right row is certain unless the checks after the model keep it possible
    (match_certainty.py: two people, a date of birth or model number that differs; ties,
    match_ties.py). Without one, pairs scoring CERTAIN_SCORE or more in which no column clearly
    differs (certainty.py), less ties, plus the mutual best matches (match_mutual.py: the pairs
    of the sampled rows' right rows are scored too, for the margin over their other rows) and
    code partners (match_codes.py). When the sample is the whole left table ("every row
    checked") the count is the run's. `threshold` in the result is CERTAIN in percent with a
    model, else CERTAIN_SCORE. Raises as score_sample."""
    import numpy as np

    from datatools.errors import BadOption
    from datatools.tools.linkage_model import (CERTAIN, CERTAIN_SCORE, LEARN_FROM_COLUMNS,
                                               LEARN_FROM_ROWS, POSSIBLE, apply_model, learn_model)
    from datatools.tools.match import _certain, check_pairing, paired_column, stacked_candidates
    from datatools.tools.match_choice import choose_matches
    from datatools.tools.similarity import score_pairs

    progress = progress or silent()
    left_on, right_cols, _ = check_pairing(left, right, on, right_on, None)
    if sample < 1:
        raise BadOption(f"The sample must be at least 1 row, not {sample}.", code="bad_sample",
                        params={"value": str(sample)})
    learned = len(left) + len(right) >= LEARN_FROM_ROWS and len(left_on) >= LEARN_FROM_COLUMNS
    rows = sample_rows(len(left), sample, seed)
    prepared, all_a, all_b = stacked_candidates(left, right, left_on, right_cols, synonyms,
                                                progress.stage(0.0, 0.2), progress.stage(0.2, 0.4))
    position = np.full(len(left), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    a, b = all_a[position[all_a] >= 0], all_b[position[all_a] >= 0]
    model = None
    if learned:
        limit = POSSIBLE * 100
        scored = score_pairs(prepared, a, b, progress.stage(0.4, 0.8))
        side = np.r_[np.zeros(len(left), dtype=bool), np.ones(len(right), dtype=bool)]
        model = learn_model(prepared, a, b, scored.columns, side=side,
                            progress=progress.stage(0.8, 0.9), pairs=float(len(rows)) * len(right))
        apply_model(model, prepared, a, b, scored)
    else:
        limit = DEFAULT_THRESHOLD
        scored = score_pairs(prepared, a, b, progress.stage(0.4, 0.7), veto_from=limit)
        a, b, scored = _with_rivals(prepared, a, b, scored, all_a, all_b, position[all_a] < 0,
                                    limit, progress.stage(0.7, 0.9))
    met = np.bincount(all_a, minlength=prepared.rows) + np.bincount(all_b, minlength=prepared.rows)
    keep, chosen = choose_matches(prepared, model, a, b, scored, left, right, left_on, right_cols,
                                  limit, CERTAIN_SCORE, met=met)
    firsts = [(int(row), keep[chosen[row][0][2]]) for row in rows.tolist() if chosen[row]]
    certain = [(row, int(pair)) for row, pair in firsts if _certain(scored, int(pair), CERTAIN_SCORE)]
    matched = len(certain)
    shown = [{"left_row": row + 1, "right_row": int(b[pair]) - len(left) + 1,
              "score": int(round(float(scored.score[pair]))),
              "left": [str(left[c].iloc[row]) for c in left_on],
              "right": [str(paired_column(right, c).iloc[int(b[pair]) - len(left)])
                        for c in right_cols]}
             for row, pair in certain[:EXAMPLES]]
    low, estimate, high = estimate_count(matched, len(rows), len(left))
    progress.update(1.0, f"{len(rows):,} sampled rows matched")
    return MatchEstimate(left_rows=len(left), right_rows=len(right), columns=left_on,
                         right_columns=right_cols,
                         threshold=CERTAIN * 100 if learned else CERTAIN_SCORE,
                         sample_rows=len(rows), sample_matched=matched,
                         exact=len(rows) == len(left),
                         share=matched / len(rows) if len(rows) else 0.0, estimate=estimate,
                         low=low, high=high, about=round_to_interval(estimate, low, high),
                         examples=shown, learned=learned, certain=True)


def _with_rivals(prepared, a: "np.ndarray", b: "np.ndarray", scored, all_a: "np.ndarray",
                 all_b: "np.ndarray", unsampled: "np.ndarray", limit: float, progress: Progress):
    """(a, b, scored) of the sampled rows' pairs, and where match_mutual's rule applies (every
    compared column descriptive text) also every candidate pair of the right rows those pairs
    reach (scoring `limit` or more, or vetoed: a code partner gets its score back), scored the
    same way: a mutual best match must lead its right row's other left rows too. The added
    pairs (of `all_a`, `all_b`, the candidate pairs, where `unsampled`) are of left rows not
    sampled, which are not counted."""
    import numpy as np

    from datatools.tools.identifiers import code_columns
    from datatools.tools.similarity import PairScores, score_pairs

    if len(code_columns(prepared)) < len(prepared.names) or not len(a):
        return a, b, scored
    reached = np.unique(np.r_[b[scored.score >= limit],
                              b[np.fromiter(scored.vetoes, dtype=np.int64, count=len(scored.vetoes))]])
    extra = np.flatnonzero(np.isin(all_b, reached) & unsampled)
    if not len(extra):
        return a, b, scored
    more = score_pairs(prepared, all_a[extra], all_b[extra], progress, veto_from=limit)
    vetoes = dict(scored.vetoes)
    vetoes.update({len(a) + k: veto for k, veto in more.vetoes.items()})
    joined = PairScores(np.r_[scored.score, more.score], np.r_[scored.columns, more.columns], vetoes)
    return np.r_[a, all_a[extra]], np.r_[b, all_b[extra]], joined


def _sampled_pairs(left: "pd.DataFrame", right: "pd.DataFrame", left_on: Sequence[str],
                   right_cols: Sequence[str], synonyms: Mapping[str, str] | None,
                   rows: "np.ndarray", progress: Progress):
    """(prepared, a, b, position): the stacked tables' candidate pairs (match.stacked_candidates)
    whose left row is one of the sampled `rows`, and each left row's place in `rows` (-1: not
    sampled). Progress: preparing the first half, pairing the second."""
    import numpy as np

    from datatools.tools.match import stacked_candidates

    prepared, a, b = stacked_candidates(left, right, left_on, right_cols, synonyms,
                                        progress.stage(0.0, 0.5), progress.stage(0.5, 1.0))
    position = np.full(len(left), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    keep = position[a] >= 0
    return prepared, a[keep], b[keep], position
