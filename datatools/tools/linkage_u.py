"""What a non-match looks like: P(level | not a match) per column from random row pairs (u,
as Splink's `estimate_u_using_random_sampling`), and how often a row outside a pair holds the
value the pair shares (term frequencies). The m side and EM are in tools/linkage_model.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datatools.tools.linkage_model import LEVELS, RANDOM_PAIRS, RARE_ROWS, all_levels

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns


def value_frequencies(prepared: "PreparedColumns") -> list["np.ndarray"]:
    """Per column and rank (index = rank; 0 = empty), how often a row *outside a pair* holds
    the value the pair shares: (rows holding it − the pair's two) / filled rows, at least
    RARE_ROWS / filled rows.

    Counting the pair itself would say that a value only the two rows hold is held by one row
    in N/2, although no other row holds it: with the prior over all row pairs (about one match
    per row among N) such an agreement would be barely evidence at all."""
    import numpy as np

    shares = []
    for ranks in prepared.ranks:
        counts = np.bincount(ranks).astype(np.float64)
        filled = counts[1:].sum()
        counts = np.maximum(counts - 2, RARE_ROWS)
        counts[0] = 0
        shares.append(counts / filled if filled else counts)
    return shares


def estimate_u(prepared: "PreparedColumns", seed: int = 0, pairs: int = RANDOM_PAIRS,
               side: "np.ndarray | None" = None) -> "np.ndarray":
    """P(level | not a match) per column, from random row pairs (left × right with `side`):
    shape (columns, LEVELS), add-one smoothed, so a table with no pair (an empty side, one row)
    gives every level the same share."""
    import numpy as np

    from datatools.tools.similarity import score_columns

    rows = prepared.rows
    rng = np.random.default_rng(seed)
    if side is not None:
        left, right = np.flatnonzero(~side), np.flatnonzero(side)
        if not (len(left) and len(right)):       # one table is empty: no pair to learn from
            left = right = np.zeros(0, dtype=np.int64)
            pairs = 0
        a = left[rng.integers(0, max(len(left), 1), pairs)]
        b = right[rng.integers(0, max(len(right), 1), pairs)]
    elif rows < 2:
        a = b = np.zeros(0, dtype=np.int64)
    else:
        a = rng.integers(0, rows, pairs)
        b = rng.integers(0, rows, pairs)
        keep = a != b
        a, b = a[keep], b[keep]
    # The levels are the columns' alone: the whole rows' score is not made.
    levels = all_levels(prepared, a, b, score_columns(prepared, a, b, whole=False))
    u = np.empty((levels.shape[1], LEVELS))
    for column in range(levels.shape[1]):
        counts = np.bincount(levels[:, column], minlength=LEVELS + 1)[:LEVELS].astype(np.float64)
        # Add-one smoothing: a level never seen among random pairs is rare, not impossible.
        u[column] = (counts + 1) / (counts.sum() + LEVELS)
    return u
