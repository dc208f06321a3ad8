"""How likely a row pair is one thing, learned from the table itself (Fellegi–Sunter).

Each compared column's score (similarity.score_columns, 0–100) falls into a level: exact (100),
close (CLOSE and up), similar (SIMILAR and up), differs, or empty. A level's evidence is its
Bayes factor m/u: m = P(level | the rows are one thing), u = P(level | they are not). As in
Splink (Fellegi & Sunter 1969; Splink's `estimate_u_using_random_sampling` and
`estimate_parameters_using_expectation_maximisation`):

- u comes from random row pairs, which are nearly all different things;
- m and the share of matches among *all* row pairs (Splink's
  `probability_two_random_records_match`) come from expectation maximisation over the candidate
  pairs, with u held fixed and every pair that is no candidate taken for a non-match. The prior
  is over all pairs because u is: a candidate pair was chosen for what it shares, and that
  evidence is already in its weights (a prior over the candidates alone counts it twice, and
  more so the longer the list: at a million rows a shared city, postcode and birthday is no
  longer rare among candidates);
- columns that move together (a postcode and its city) count once (dependence.py);
- an exact agreement is weighed by how common the value is (term-frequency adjustment):
  u = the share of rows holding that value, so a shared `Müller` is weak evidence and a shared
  rare surname strong;
- an empty cell is no evidence either way.

A pair's match weight is log2 of the prior odds plus each column's log2 Bayes factor; its match
probability is 2^w / (1 + 2^w). Pairs at CERTAIN or above are *certain*, at POSSIBLE or above
*possible* (for a person to review). The weights are what the explanations show, column by
column (a waterfall).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.progress import Progress

    from datatools.tools.dependence import Dependence
    from datatools.tools.similarity import PairScores, PreparedColumns, Veto

# Column score levels: exact, close (one typo in a word of eight letters), similar (a typo in
# a short word, a changed word among several), differs. Level 4 is "empty on a side".
CLOSE = 88
SIMILAR = 70
LEVELS = 4
EMPTY = 4
LEVEL_NAMES = ("agrees", "nearly agrees", "is similar", "differs")
# A match probability at or above CERTAIN is acted on without review (a group is removed by
# --keep, starts as "the same" in the window); at or above POSSIBLE it is shown for review.
CERTAIN = 0.99
POSSIBLE = 0.5
# Below this many rows (both tables together for a match) there is too little to learn from:
# the fixed score decides, CERTAIN_SCORE and up certain, similarity.DEFAULT_THRESHOLD and up
# possible (on the 20,000-row customer list, score 75 gave pair precision 0.997).
LEARN_FROM_ROWS = 1000
# ... and with one compared column there is nothing to weigh against anything: the same.
LEARN_FROM_COLUMNS = 2
CERTAIN_SCORE = 75.0
# A pair scoring below this (similarity.DEFAULT_THRESHOLD, the fixed default before the model)
# is no match whatever the model says, when fewer than FLOOR_BELOW_COLUMNS columns are compared
# (with many columns the model's own evidence is the better judge: FEBRL3's heavily corrupted
# duplicates score below 54 and the model finds them).
SCORE_FLOOR = 54.0
FLOOR_BELOW_COLUMNS = 4
# Pairs at this probability or more are checked for a veto (a few Python steps per pair).
VETO_FROM = 0.05
# A value no row outside a pair holds counts as held by this many rows (value_frequencies):
# rarer than any value the table shows. 0.5 left a company name and city that two tables of
# 2,000 rows share, and no other row holds, at 98.4 %, short of CERTAIN.
RARE_ROWS = 0.1
# An exact agreement on a value more than this share of the rows hold is called common.
COMMON_SHARE = 0.01
# Random pairs that estimate u; more cost time and change u in the third decimal.
RANDOM_PAIRS = 60_000
EM_ROUNDS = 40
# Bounds that keep one level from carrying infinite evidence: no level is impossible.
FLOOR = 1e-5
# No level's m falls below this: EM over candidates where no match differs in a column (every
# duplicate keeps its postcode) learns m(differs) near 0, and the FLOOR then made one mistyped
# postcode 16.6 bits against a pair that agrees in every other column; now at most about
# 10 bits (log2(0.001 / u)). Splink itself has no floor this high (a level never observed takes
# m = 1e-6, and weights clamp m and u at 1e-10: splink/internals/comparison_level.py,
# M_U_CLAMP_MIN); 0.001 is the floor of irelink, Splink's R port (il_estimate_em.R, after
# pseudo-counts). 0.01 cost precision on the customer lists (0.993 -> 0.991, 2,000 rows).
MIN_M = 0.001
# m may not say that a true pair differs in a column more often than this: otherwise EM can
# take households (one surname, one address, different given names) for the matches it learns.
MAX_M_DIFFERS = 0.1
# The starting guess EM improves on: matches mostly agree, and are a tenth of the candidates.
START_M = (0.75, 0.12, 0.08, 0.05)
START_PRIOR = 0.1


@dataclass
class LinkageModel:
    """m and u per column and level, the prior share of matches, and each value's frequency."""

    names: list[str]
    m: "np.ndarray"                 # (columns, LEVELS)
    u: "np.ndarray"                 # (columns, LEVELS), from random pairs
    prior: float                    # share of matches among all row pairs
    frequency: list["np.ndarray"]   # per column: share of filled rows holding each rank (0 = empty)
    # learn_model's veto checks of the pairs it learned from: (their `a`, which pairs were
    # checked, the vetoes found), so apply_model on the same pairs checks only the rest
    vetted: "tuple[np.ndarray, np.ndarray, dict[int, Veto]] | None" = None
    # columns whose agreement implies another's (dependence.dependent_columns): counted once
    dependent: "list[Dependence]" = field(default_factory=list)
    # learn_model's work on the pairs it learned from, for apply_model on the same pairs: (their
    # `a`, `b` and column scores, those scores with swapped columns rescored, the swaps, levels)
    unswapped: "tuple | None" = None

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds that a candidate pair is a match."""
        return math.log2(self.prior / (1 - self.prior))

    def column_weights(self, prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                       levels: "np.ndarray") -> "np.ndarray":
        """log2 Bayes factor per pair and column (float32, 0 where a cell is empty).

        An exact agreement is weighed against the frequency of the shared value, never above
        what the rarest value (one row) would say; one implied by another column's exact
        agreement adds about nothing (dependence.adjust_weights)."""
        import numpy as np

        with np.errstate(divide="ignore"):
            table = np.log2(np.maximum(self.m, FLOOR) / np.maximum(self.u, FLOOR))
        # Each level's weight looked up, an empty cell's 0 as a fifth level; a column at a time
        # into a contiguous array, then into its strided column of `weights`.
        table = np.column_stack([table, np.zeros(len(table))]).astype(np.float32)
        weights = np.empty(levels.shape, dtype=np.float32)
        for column in range(levels.shape[1]):
            level = levels[:, column]
            weight = table[column][level]
            exact = np.flatnonzero(level == 0)
            if len(exact) and column < len(prepared.ranks):
                share = self.frequency[column][prepared.ranks[column][a[exact]]]
                weight[exact] = np.log2(max(self.m[column, 0], FLOOR) / np.maximum(share, FLOOR))
            weights[:, column] = weight
        if self.dependent:
            from datatools.tools.dependence import adjust_weights

            adjust_weights(weights, levels, self.dependent, self.m[:, 0])
        return weights

    def probability(self, weights: "np.ndarray") -> "np.ndarray":
        """Match probability per pair from its column weights (float32, 0–1)."""
        import numpy as np

        total = weights.sum(axis=1, dtype=np.float64) + self.prior_weight
        return (1 / (1 + np.exp2(-np.clip(total, -60, 60)))).astype(np.float32)


def levels_of(column_scores: "np.ndarray", exact_only: "list[bool] | None" = None,
              numbers_differ: "np.ndarray | None" = None) -> "np.ndarray":
    """Each pair's level per compared column (uint8 0–4) from score_columns' output (the last
    column there, the whole row, is left out); `exact_only` columns agree or differ, and so do
    the cells where `numbers_differ` (pairs × columns) is set."""
    import numpy as np

    from datatools.tools.similarity import MISSING

    scores = column_scores[:, :-1]
    # Each score's level looked up (a score is a byte): 100 exact, CLOSE and up close, …
    by_score = np.full(256, 3, dtype=np.uint8)
    by_score[SIMILAR:] = 2
    by_score[CLOSE:] = 1
    by_score[100] = 0
    levels = by_score[scores]
    if numbers_differ is not None:
        levels[numbers_differ & (levels < 3)] = 3
    for column, exact in enumerate(exact_only or []):
        if exact:
            levels[levels[:, column] < EMPTY, column] = np.where(
                levels[levels[:, column] < EMPTY, column] == 0, 0, 3)
    levels[scores == MISSING] = EMPTY
    return levels


def all_levels(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
               column_scores: "np.ndarray") -> "np.ndarray":
    """levels_of the pairs, and when the rows hold codes (identifiers.py: model and article
    numbers in descriptive text) one more column, `codes`: agrees when the rows share a rare
    code, differs when both hold codes and neither's is in the other's text, empty otherwise.
    A product title keyed again with typos agrees (keyed_again.py, DECISIONS 429)."""
    import numpy as np

    from datatools.tools.keyed_again import lift_keyed_again

    levels = lift_keyed_again(prepared, a, b, levels_of(column_scores, prepared.exact_only,
                                                        numbers_differ(prepared, a, b)))
    codes = code_levels(prepared, a, b)
    return levels if codes is None else np.column_stack([levels, codes])


def code_levels(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray"
                ) -> "np.ndarray | None":
    """The `codes` level per pair (identifiers.code_relation: agrees on a rare code, differs,
    else empty); None when no row of the table holds a code."""
    from datatools.tools.identifiers import code_relation

    from datatools.tools.identifiers import ONE_SIDED

    relation = code_relation(prepared, a, b)
    if relation is None:
        return None
    levels = relation[0]
    levels[levels == ONE_SIDED] = EMPTY
    return levels


def numbers_differ(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray") -> "np.ndarray":
    """Per pair and column: do both values hold words and numbers, and differ in the numbers?
    `Hauptstr 5` and `Hauptstr 7` are two addresses however alike they read; a postcode or a
    phone (numbers only) is left to its score."""
    import numpy as np

    result = np.zeros((len(a), len(prepared.numbers)), dtype=bool)
    for column, numbers in enumerate(prepared.numbers):
        if numbers is None:
            continue
        left, right = numbers[a], numbers[b]
        result[:, column] = (left > 0) & (right > 0) & (left != right)
    return result


def fit_model(prepared: "PreparedColumns", levels: "np.ndarray", u: "np.ndarray",
              pairs: float | None = None,
              dependent: "list[Dependence] | None" = None) -> LinkageModel:
    """m and the prior by expectation maximisation over the candidate pairs' levels, u fixed.

    `pairs` is the number of all row pairs the candidates were drawn from (default: all pairs
    of the table's rows, or the number of candidates when that is larger); every pair that is
    no candidate counts as a non-match, so the prior is the share of matches among all pairs.
    `dependent` (dependence.dependent_columns) counts columns that move together once.
    Pairs are grouped by their pattern of levels first, so each round costs the number of
    distinct patterns (a few thousand), not the number of pairs.
    """
    import numpy as np

    codes = np.zeros(len(levels), dtype=np.int64)
    for column in range(levels.shape[1]):
        codes = codes * (LEVELS + 1) + levels[:, column]
    patterns, counts = np.unique(codes, return_counts=True)
    return fit_patterns(prepared, levels.shape[1], patterns, counts, u, pairs, dependent)


def fit_patterns(prepared: "PreparedColumns", columns: int, patterns: "np.ndarray",
                 counts: "np.ndarray", u: "np.ndarray", pairs: float | None = None,
                 dependent: "list[Dependence] | None" = None) -> LinkageModel:
    """`fit_model` on the candidate pairs' distinct patterns of levels (int64 codes, base
    LEVELS + 1, first column most significant, sorted) and how many pairs show each:
    what fit_model counts, so a caller may count them batch by batch (linkage_batches.py)."""
    import numpy as np

    from datatools.tools.linkage_m import cap_differs, floor_m, monotone

    from datatools.tools.dependence import adjust_log_u
    from datatools.tools.linkage_u import value_frequencies

    total = int(counts.sum())
    m = np.tile(np.array(START_M), (columns, 1))
    rows = prepared.rows
    pairs = max(float(pairs if pairs is not None else rows * (rows - 1) / 2), total, 1.0)
    prior = START_PRIOR * max(total, 1) / pairs
    dependent = list(dependent or [])
    names = [*prepared.names, "codes"][:columns]
    if total == 0:
        return LinkageModel(names, m, u, prior, value_frequencies(prepared), dependent=dependent)
    pattern_levels = np.empty((len(patterns), columns), dtype=np.int64)
    rest = patterns.copy()
    for column in reversed(range(columns)):
        pattern_levels[:, column] = rest % (LEVELS + 1)
        rest //= LEVELS + 1
    filled = pattern_levels != EMPTY
    counts = counts.astype(np.float64)
    for _ in range(EM_ROUNDS):
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for column in range(columns):
            level = pattern_levels[:, column]
            seen = filled[:, column]
            log_m[seen] += np.log(np.maximum(m[column, level[seen]], FLOOR))
            log_u[seen] += np.log(np.maximum(u[column, level[seen]], FLOOR))
        adjust_log_u(log_u, pattern_levels, dependent, u)
        odds = np.log(prior) - np.log1p(-prior) + log_m - log_u
        posterior = 1 / (1 + np.exp(-np.clip(odds, -60, 60)))
        weight = posterior * counts
        prior = float(np.clip(weight.sum() / pairs, 1e-12, 1 - 1e-6))
        for column in range(columns):
            seen = filled[:, column]
            totals = np.bincount(pattern_levels[seen, column], weights=weight[seen],
                                 minlength=LEVELS)[:LEVELS]
            if totals.sum() > 0:
                m[column] = (totals + 1e-3) / (totals.sum() + LEVELS * 1e-3)
            floor_m(m[column])
            cap_differs(m[column])
            monotone(m[column], u[column])
    return LinkageModel(names, m, u, prior, value_frequencies(prepared), dependent=dependent)


def learn_model(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                column_scores: "np.ndarray", side: "np.ndarray | None" = None,
                progress: "Progress | None" = None, pairs: float | None = None) -> LinkageModel:
    """The model of this table (or pair of tables, with `side`): u from random pairs, m and the
    prior by EM over the candidate pairs (a[k], b[k]) whose column scores are given. `pairs` is
    the number of row pairs the candidates come from (default: all pairs of the table, or left
    rows × right rows with `side`; a caller that learns from some rows' pairs names theirs).

    EM runs twice: the pairs the first model finds likely and a veto rules out (two people of
    one household) are left out of the second, so the matches it learns from are not mixed
    with households, whose shared address and phone would teach it that a differing given
    name is common among matches.
    """
    import numpy as np

    from datatools.tools.dependence import dependent_columns
    from datatools.tools.linkage_u import estimate_u
    from datatools.tools.swaps import unswap
    from datatools.tools.vetoes import find_vetoes

    def say(done: float, what: str) -> None:
        if progress is not None:
            progress.update(done, what)

    say(0.0, "looking for swapped columns")
    original, column_scores = column_scores, column_scores.copy()
    swaps = unswap(prepared, a, b, column_scores)
    levels = all_levels(prepared, a, b, column_scores)
    say(0.25, "comparing random pairs")
    u = estimate_u(prepared, side=side)
    if pairs is None and side is not None:
        pairs = float(np.count_nonzero(side)) * float(len(side) - np.count_nonzero(side))
    dependent = dependent_columns(prepared)
    say(0.5, "learning what a match looks like")
    first = fit_model(prepared, levels, u, pairs, dependent)
    probability = first.probability(first.column_weights(prepared, a, b, levels))
    say(0.7, "checking households")
    checked = probability >= VETO_FROM
    vetoes = find_vetoes(prepared, a, b, column_scores, np.flatnonzero(checked),
                         probability * 100, swaps,
                         progress.stage(0.7, 0.9) if progress is not None else None)
    model = first
    if vetoes:
        keep = np.ones(len(a), dtype=bool)
        keep[np.fromiter(vetoes, dtype=np.int64, count=len(vetoes))] = False
        say(0.9, "learning what a match looks like")
        model = fit_model(prepared, levels[keep], u, pairs, dependent)
    model.vetted = (a, checked, vetoes)
    model.unswapped = (a, b, original, column_scores, swaps, levels)
    return model


def apply_model(model: LinkageModel, prepared: "PreparedColumns", a: "np.ndarray",
                b: "np.ndarray", scored: "PairScores") -> "PairScores":
    """`scored` with levels, weights and match probabilities filled in, and vetoes applied to
    the pairs that could be matches (probability at VETO_FROM or more): two people of one
    household stay apart however much else they share (vetoes.py)."""
    import numpy as np

    from datatools.tools.similarity import Veto
    from datatools.tools.swaps import unswap
    from datatools.tools.vetoes import find_vetoes

    learned, model.unswapped = model.unswapped, None   # used once, as `vetted` is
    if learned is not None and learned[0] is a and learned[1] is b and learned[2] is scored.columns:
        # learn_model unswapped and levelled these very pairs: the same work, not done twice
        _, _, _, unswapped, scored.swaps, scored.levels = learned
        scored.columns[...] = unswapped
    else:
        scored.swaps = unswap(prepared, a, b, scored.columns)
        scored.levels = all_levels(prepared, a, b, scored.columns)
    del learned
    scored.weights = model.column_weights(prepared, a, b, scored.levels)
    probability = model.probability(scored.weights)
    # The model decides among pairs alike enough to be shown at all: where its independence
    # assumption fails (two columns, or names that share generic words), the score still bars.
    if len(prepared.names) < FLOOR_BELOW_COLUMNS:
        probability[scored.score < SCORE_FLOOR] = 0
    candidates = np.flatnonzero(probability >= VETO_FROM)
    vetoes = {}
    if model.vetted is not None and model.vetted[0] is a:
        # A veto depends on the pair's words, not on the model: pairs learn_model checked are
        # not checked again (a Python look per pair, a quarter of a large run's time).
        _, checked, earlier = model.vetted
        # Built directly, not by dataclasses.replace: a million vetoed households at 1 M rows.
        pairs = np.fromiter(earlier, dtype=np.int64, count=len(earlier))
        still = probability[pairs] >= VETO_FROM
        vetoes = {k: Veto(veto.column, veto.word_a, veto.word_b, p * 100)
                  for k, veto, p, kept in zip(pairs.tolist(), earlier.values(),
                                              probability[pairs].astype(np.float64).tolist(),
                                              still.tolist()) if kept}
        candidates = candidates[~checked[candidates]]
        model.vetted = None   # used once: the pairs' arrays are not kept alive with the model
    vetoes.update(find_vetoes(prepared, a, b, scored.columns, candidates, probability * 100,
                              scored.swaps))
    if vetoes:
        vetoed = np.fromiter(vetoes, dtype=np.int64, count=len(vetoes))
        probability[vetoed] = 0
        scored.score[vetoed] = 0
    scored.vetoes = vetoes
    scored.probability = probability
    return scored
