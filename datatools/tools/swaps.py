"""Find values typed into each other's columns: `Müller, Anna` in the given-name and surname
columns of a row whose duplicate holds `Anna, Müller`.

A pair has columns i and j swapped when both score low where they are, one of them scores
CLOSE or more against the other row's other column, and the two crossed scores add up to more
than the two straight ones. The pair is then scored crossed, column by column: `Weiss, Carla`
against `Mira, Weiß` agrees on the surname and differs on the given name, as a reader sees it,
and the differing given name can veto the pair like any other (vetoes.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The whole-row score (token_sort_ratio of all compared columns) a swapped pair reaches at least.
WHOLE_ROW_FROM = 70

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns


def unswap(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
           column_scores: "np.ndarray") -> dict[int, tuple[int, int]]:
    """Rescore swapped pairs in place; pair index → (column, its partner column) for each.

    `column_scores` is score_columns' output (its last column, the whole row, is not touched).
    Only pairs alike as whole rows (WHOLE_ROW_FROM) and low in both columns are compared crossed,
    so the cost is a few cpdist calls on a small share of the pairs.
    """
    import numpy as np
    from rapidfuzz import fuzz

    from datatools.tools import pairwise
    from datatools.tools.linkage_model import CLOSE, SIMILAR
    from datatools.tools.similarity import MISSING

    columns = len(prepared.text)
    swaps: dict[int, tuple[int, int]] = {}
    # Swapped values leave the whole rows alike (their words sorted): only such pairs are looked
    # at, and of those only the ones low in two columns or more (a pair's scores change only
    # once it is swapped, and a swapped pair is not looked at again).
    whole = column_scores[:, -1]
    low_columns = np.zeros(len(whole), dtype=np.uint8)
    for i in range(columns):
        low_columns += column_scores[:, i] < SIMILAR        # MISSING is not low
    looked = np.flatnonzero((whole >= WHOLE_ROW_FROM) & (whole != MISSING) & (low_columns >= 2))
    del low_columns
    low = column_scores[looked, :columns] < SIMILAR
    for i in range(columns):
        for j in range(i + 1, columns):
            both = looked[low[:, i] & low[:, j]]
            if not len(both):
                continue
            left, right = column_scores[both, i], column_scores[both, j]
            x, y = a[both], b[both]
            crossed_ij = pairwise.cpdist(prepared.text[i][x], prepared.text[j][y],
                                         scorer=fuzz.token_sort_ratio, dtype=np.uint8)
            crossed_ji = pairwise.cpdist(prepared.text[j][x], prepared.text[i][y],
                                         scorer=fuzz.token_sort_ratio, dtype=np.uint8)
            straight = left.astype(np.int32) + right
            better = ((np.maximum(crossed_ij, crossed_ji) >= CLOSE)
                      & (crossed_ij.astype(np.int32) + crossed_ji > straight))
            for k, ij, ji in zip(both[better].tolist(), crossed_ij[better].tolist(),
                                 crossed_ji[better].tolist()):
                if k in swaps:
                    continue
                swaps[k] = (i, j)
                column_scores[k, i], column_scores[k, j] = ij, ji
    return swaps


def partner_column(swaps: "dict[int, tuple[int, int]] | None", pair: int, column: int) -> int:
    """The other row's column that `column` is compared with in pair `pair`."""
    if not swaps or pair not in swaps:
        return column
    i, j = swaps[pair]
    return j if column == i else i if column == j else column
