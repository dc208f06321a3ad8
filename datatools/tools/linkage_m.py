"""The constraints held on each column's m after every EM step of linkage_model.fit_patterns:
a floor (no level impossible among matches), a cap on `differs`, and agreement levels in order
(a higher level never weighs less than a lower one; DECISIONS 305). Each works in place on one
column's row of m (LEVELS floats summing to 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datatools.tools.linkage_model import EMPTY, FLOOR, LEVELS, MAX_M_DIFFERS, MIN_M

if TYPE_CHECKING:
    import numpy as np


def floor_m(row: "np.ndarray") -> None:
    """Hold every level's m at MIN_M or more, taking the difference from the others in
    proportion (a level EM saw no match in is rare among matches, not impossible)."""
    for _ in range(LEVELS):     # a level scaled down below MIN_M is held in the next round
        low = row < MIN_M
        if not low.any() or low.all():
            return
        row[~low] *= (1 - MIN_M * low.sum()) / row[~low].sum()
        row[low] = MIN_M


def monotone(row: "np.ndarray", u: "np.ndarray") -> None:
    """Hold one column's m so that a higher agreement level never weighs less than a lower one.

    First, matches agree exactly at least as often as they agree at any lower level: where EM
    learned otherwise, `agrees` and the most frequent such level swap their m (fastLink's EM
    orders each field's m by agreement level after every M-step: emlinkMARmov.R; Enamorado,
    Fifield & Imai 2019). Only the top is ordered: `differs` gathers every other value (FEBRL3's
    street numbers differ in 10 % of its duplicates, more than they nearly agree), and a short
    code has no `nearly agrees` level at all. Then, where u (fixed, from random pairs) still
    gives a lower level the larger Bayes factor m/u, the levels between are pooled to one factor
    (pool adjacent violators; each level keeps m in proportion to its u, the sum of m is kept).

    Without it EM can take a near-identical class of non-matches for the matches: on a product
    catalogue it learned that a title which nearly agrees (a size or colour variant, one vendor)
    is 7.7 bits and one that agrees exactly 6.6 bits, and no keyed-twice product was certain."""
    import numpy as np

    top = 1 + int(np.argmax(row[1:EMPTY - 1]))
    if row[top] > row[0]:
        row[0], row[top] = row[top], row[0]
    blocks: list[list[float]] = []         # [m of the levels pooled, their u, how many]
    for level in range(LEVELS):
        blocks.append([float(row[level]), max(float(u[level]), FLOOR), 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] < blocks[-1][0] * blocks[-2][1]:
            m_last, u_last, count = blocks.pop()
            blocks[-1][0] += m_last
            blocks[-1][1] += u_last
            blocks[-1][2] += count
    level = 0
    for m_pooled, u_pooled, count in blocks:
        if count > 1:
            for k in range(level, level + count):
                row[k] = max(float(u[k]), FLOOR) * m_pooled / u_pooled
        level += count


def cap_differs(row: "np.ndarray") -> None:
    """Hold m(differs) at MAX_M_DIFFERS, giving the rest to the other levels in proportion."""
    if row[3] > MAX_M_DIFFERS:
        others = row[:3].sum()
        row[:3] *= (1 - MAX_M_DIFFERS) / others if others else 1
        row[3] = MAX_M_DIFFERS
