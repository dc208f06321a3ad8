"""A product listing keyed twice identically is one listing, however large the list.

Issue 30 (DECISIONS 433): the generated catalogue (bench/synthetic/catalogue.py) deduplicated on
title and vendor at 50,000 rows left 1,393 pairs whose title and vendor were equal after
normalising out of every group: the learned model weighed each at 0.2–0.5, below POSSIBLE. Its
prior (EM on 1.4 M candidate pairs, most of them another size or colour of one product) fell as
the list grew, a title that several vendors sell alike is weak evidence by its frequency, and
the commonest vendor (a Zipf share) weaker still; so the more a shop lists, the fewer of its
identical listings were found. DECISIONS 326 already calls such a pair certain once it is
grouped; it was never grouped.

Here, with a learned model, a pair whose every compared column holds the same normalised value,
none empty, in rows that alone hold that combination (two rows, no third: a record keyed twice)
and of which one column is named for products (colours.names_product) takes at least the
probability CERTAIN. Its group's conflicts still decide (group_conflicts: an uncompared vendor or
code that differs keeps the group possible). Not lifted: values a third row holds as well (three
listings alike may be variants told apart by a column not compared), a column empty on either
side, lists compared on names or addresses alone (two strangers share a name), and pairs a veto
zeroed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PairScores, PreparedColumns

# The rows that must hold one combination of values for it to be a record keyed twice.
KEYED_TWICE_ROWS = 2


def keyed_twice_rows(prepared: "PreparedColumns") -> "np.ndarray | None":
    """Per row: is its combination of normalised values (every compared column filled) held by
    exactly KEYED_TWICE_ROWS rows? None when no compared column is named for products. Made once
    per prepared table and kept on it (the grouping rescores many times)."""
    import numpy as np

    from datatools.tools.colours import names_product

    cached = getattr(prepared, "_keyed_twice", False)
    if cached is not False:
        return cached
    result = None
    if prepared.rows and any(names_product(name) for name in prepared.names):
        ranks = np.column_stack([r.astype(np.int64) for r in prepared.ranks])
        filled = (ranks > 0).all(axis=1)
        _, inverse, counts = np.unique(ranks, axis=0, return_inverse=True, return_counts=True)
        result = filled & (counts[inverse.reshape(-1)] == KEYED_TWICE_ROWS)
    prepared._keyed_twice = result  # type: ignore[attr-defined]
    return result


def lift_keyed_twice(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                     scored: "PairScores") -> "PairScores":
    """`scored` (linkage_model.apply_model's, with probabilities) with each pair that is a
    record keyed twice (module docstring) at probability CERTAIN or more; changed in place and
    returned. Without probabilities (no model) nothing changes."""
    import numpy as np

    from datatools.tools.linkage_model import CERTAIN

    twice = keyed_twice_rows(prepared)
    if twice is None or scored.probability is None or not len(a):
        return scored
    lift = twice[a] & twice[b] & (scored.score > 0)
    for ranks in prepared.ranks:
        lift &= ranks[a] == ranks[b]
    if lift.any():
        scored.probability[lift] = np.maximum(scored.probability[lift],
                                              np.float32(CERTAIN))
    return scored
