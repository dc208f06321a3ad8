"""Columns that move together: one fact counted once, not twice.

Fellegi–Sunter adds the columns' evidence as if the columns were independent. Some are not: a
postcode names its city, so two strangers in one postcode also share the city, and counting
both agreements adds the same fact twice (about +11 each on a list of a million people). Such a
dependence is read off the table's own values, never off its column names:

    r(i → j) = P(column j agrees exactly | column i agrees exactly)

over the row pairs inside *large* blocks of column i (values held by BLOCK_ROWS rows or more).
Large blocks matter: inside a value held by two rows the pair is often one person written twice,
who agrees everywhere, and would make any two columns look dependent (an e-mail address "names"
the given name only because duplicates share both). In a block of n rows at most about 2/n of
the pairs are duplicates of each other (a fifth of a list's rows duplicated), so at n ≥ 10 a
rate of DEPENDENT or more comes from the values themselves.

When j is implied by i (r ≥ DEPENDENT) and a pair agrees exactly on i, j's agreement (exact,
close or similar: `Köln` and `Kln` in one postcode) adds what is left once i agrees,
log2(m_j / r), about zero, instead of its own weight. When each implies the other (a postcode
per city and a city per postcode) and the pair agrees exactly on both, the larger of the two
weights stays. The same rule holds in the model's learning (linkage_model.fit_model), where u of
j's agreement becomes at least r.

Source of the rule: the conditional-independence assumption of Fellegi & Sunter (1969) and its
usual repair, conditioning one comparison on another (Winkler 1993, "Improved decision rules in
the Fellegi–Sunter model"), estimated here from value frequencies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# A value must be held by this many rows before its block says anything about dependence.
BLOCK_ROWS = 10
# ... and the large blocks together must hold this many row pairs.
MIN_PAIRS = 500
# r(i → j) at or above this: agreeing on i implies agreeing on j.
DEPENDENT = 0.5

Dependence = tuple[int, int, float]   # (i, j, r): j's exact agreement is implied by i's, rate r


def dependent_columns(prepared: "PreparedColumns") -> list[Dependence]:
    """Every (i, j, r) with r(i → j) ≥ DEPENDENT among the compared columns, i ≠ j, in the
    order (0, 1), (0, 2), …, (1, 0), (1, 2), ….

    Counts each unordered pair of columns' rows per pair of values once and reads both
    directions from it (`_pair_rates`): one hashing pass over the rows per pair of columns,
    about a tenth of a second at a million rows."""
    import numpy as np

    columns = len(prepared.ranks)
    large = []
    for ranks in prepared.ranks:
        counts = np.bincount(ranks)
        counts[0] = 0
        large.append(counts >= BLOCK_ROWS)
    rates: dict[tuple[int, int], float | None] = {}
    for i in range(columns):
        for j in range(i + 1, columns):
            if large[i].any() or large[j].any():
                rates[i, j], rates[j, i] = _pair_rates(prepared.ranks[i], prepared.ranks[j],
                                                       large[i], large[j])
    return [(i, j, rate) for (i, j), rate in sorted(rates.items())
            if rate is not None and rate >= DEPENDENT]


def _pair_rates(first: "np.ndarray", second: "np.ndarray", first_large: "np.ndarray",
                second_large: "np.ndarray") -> tuple[float | None, float | None]:
    """(r(first → second), r(second → first)), each over the rows whose given value is large
    and whose other value is filled; None with fewer than MIN_PAIRS pairs to tell.

    The rows of one pair of values share their given value, so each direction's count of
    rows per pair of values is the count over the rows where both are filled, kept where the
    given value is large: one hashing of the pairs of values serves both."""
    import numpy as np
    import pandas as pd

    filled = (first > 0) & (second > 0)
    left, right = first[filled].astype(np.int64), second[filled].astype(np.int64)
    codes = None
    rates: list[float | None] = []
    for given, large in ((left, first_large), (right, second_large)):
        rows = large[given]
        if np.count_nonzero(rows) < 2:
            rates.append(None)
            continue
        block = np.bincount(given[rows]).astype(np.float64)
        pairs = float((block * (block - 1) / 2).sum())
        if pairs < MIN_PAIRS:
            rates.append(None)
            continue
        if codes is None:
            # Rows per distinct pair of values, counted by hashing (pandas' factorize), not by
            # sorting the rows; the pair counts are whole numbers, so their sum is exact in
            # any order.
            codes, _ = pd.factorize(left * (int(right.max()) + 1) + right)
        both = np.bincount(codes[rows]).astype(np.float64)
        rates.append(float((both * (both - 1) / 2).sum()) / pairs)
    return rates[0], rates[1]


def adjust_weights(weights: "np.ndarray", levels: "np.ndarray", dependent: list[Dependence],
                   m_exact: "np.ndarray") -> None:
    """Count each dependence once, in place: for the pairs agreeing exactly (level 0) on i and
    agreeing at all (exactly, closely or similarly) on j, for a dependence (i, j, r), j's
    weight becomes at most log2(m_j / r). A pair agreeing exactly on both columns of a
    dependence both ways keeps the larger of the two weights. `weights` and `levels` are
    (pairs × columns); `m_exact[c]` is the model's m of exact agreement in column c."""
    import numpy as np

    for i, j, rate, both_ways in _directions(dependent):
        rows = np.flatnonzero((levels[:, i] == 0) & (levels[:, j] < 3))
        if both_ways:
            exact = levels[rows, j] == 0
            larger = (weights[rows, j] > weights[rows, i]) | (
                (weights[rows, j] == weights[rows, i]) & (j < i))
            rows = rows[~(exact & larger)]     # the other direction caps i there
        cap = np.log2(max(float(m_exact[j]), 1e-5) / rate)
        weights[rows, j] = np.minimum(weights[rows, j], cap)


def adjust_log_u(log_u: "np.ndarray", pattern_levels: "np.ndarray",
                 dependent: list[Dependence], u: "np.ndarray") -> None:
    """The same rule for expectation maximisation over level patterns, in place: in a pattern
    agreeing exactly on i and at all on j, for a dependence (i, j, r), j's agreement has u of
    at least r (natural logs, one entry per pattern; `u` is the model's (columns × levels)
    table). Agreeing exactly on both of a dependence both ways, the commoner agreement is the
    implied one."""
    import numpy as np

    for i, j, rate, both_ways in _directions(dependent):
        level = pattern_levels[:, j]
        rows = np.flatnonzero((pattern_levels[:, i] == 0) & (level < 3))
        if both_ways:
            exact = level[rows] == 0
            rows = rows[~(exact & ((u[j, 0] < u[i, 0]) | ((u[j, 0] == u[i, 0]) & (j < i))))]
        held = np.maximum(u[j, level[rows]], 1e-12)
        log_u[rows] += np.maximum(0.0, np.log(rate) - np.log(held))


def _directions(dependent: list[Dependence]) -> list[tuple[int, int, float, bool]]:
    """(i, j, r, whether j also implies i) per dependence."""
    ways = {(i, j): r for i, j, r in dependent}
    return [(i, j, r, (j, i) in ways) for (i, j), r in ways.items()]
