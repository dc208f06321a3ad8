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
    from rapidfuzz import fuzz, process

    from datatools.tools.linkage_model import CLOSE, SIMILAR
    from datatools.tools.similarity import MISSING

    columns = len(prepared.text)
    swaps: dict[int, tuple[int, int]] = {}
    # Swapped values leave the whole rows alike (their words sorted): only such pairs are looked at.
    whole = column_scores[:, -1]
    alike = (whole >= WHOLE_ROW_FROM) & (whole != MISSING)
    for i in range(columns):
        for j in range(i + 1, columns):
            left, right = column_scores[:, i], column_scores[:, j]
            both = np.flatnonzero(alike & (left < SIMILAR) & (right < SIMILAR))
            both = both[(left[both] != MISSING) & (right[both] != MISSING)]
            if not len(both):
                continue
            x, y = a[both], b[both]
            crossed_ij = process.cpdist(prepared.text[i][x], prepared.text[j][y],
                                        scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
            crossed_ji = process.cpdist(prepared.text[j][x], prepared.text[i][y],
                                        scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
            straight = left[both].astype(np.int32) + right[both]
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
