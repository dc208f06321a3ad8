"""Which right row(s) each left row of a match takes (tools/match.py, large/match.py): the
best pairs first, ties broken by the match weights, an uncompared date of birth (DECISIONS
382) and row order; with `--unique` each right row once, and the rows left without one told
why."""

from __future__ import annotations


def _best_pairs(left_rows: int, a, b, scores, top: int, unique: bool,
                weights=None, prefer=None, parted: dict | None = None
                ) -> list[list[tuple[int, float, int]]]:
    """Per left row: up to `top` (right row, score, pair index), best first; pairs of one score
    by their summed match weights (`weights`, log2 odds: a probability rounds to 100 % from
    about 24 bits on, where a household member and the person both stand), then by an
    uncompared date of birth equal or differing (`prefer`, match_evidence), then row order.
    With `unique`, `parted` gets per left row its best pair whose right row an earlier left
    row took: {left row: (pair index, right row, that left row)}."""
    import numpy as np

    tie = np.zeros(len(a), dtype=np.float32) if weights is None else weights
    said = np.zeros(len(a), dtype=np.int8) if prefer is None else prefer
    order = np.lexsort((b, a, -said, -tie, -scores))  # ties by row order for stable output
    chosen: list[list[tuple[int, float, int]]] = [[] for _ in range(left_rows)]
    used_right: dict[int, int] = {}
    for k in order.tolist():
        left, right = int(a[k]), int(b[k])
        if len(chosen[left]) >= top:
            continue
        if unique and right in used_right:
            if parted is not None and left not in parted:
                parted[left] = (k, right, used_right[right])
            continue
        chosen[left].append((right, float(scores[k]), k))
        if unique:
            used_right[right] = left
    return chosen


def note_taken(scored, keep, chosen, parted: dict[int, tuple[int, int, int]]) -> None:
    """scored.taken: for each left row `parted` (_best_pairs) that chose no pair, its best pair
    (`keep`[k]) → (its right row, the left row that took it)."""
    scored.taken = {int(keep[k]): (right, taker) for row, (k, right, taker) in parted.items()
                    if not chosen[row]}
