"""One-to-one in match (issue 30): a best match that is also its right row's best, each by a
clear margin, is certain where scores decide on descriptive text. Used by tools/match.py and
large/match.py after match_ties.mark_ties.

Two shops' titles of one product often share little but a brand and a few words (Abt-Buy:
`Logitech 2.1 Multimedia Silver Speaker System - Z2300` against `Logitech Z-2300 Multimedia
Speaker System - 970118-0403`, 83), so the score alone leaves most such pairs possible. What
tells the partner apart is the rest of both lists: no other right row comes near for the left
row, and no other left row comes near for the right row — each record has at most one partner,
the assignment view of record linkage (Jaro 1989: a one-to-one linkage solved as an assignment
problem; Christen 2012, *Data Matching* ch. 6, one-to-one matching constraints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# How far (score points, 0-100) a pair must lead the runner-up of its left row and of its right
# row (pairs shown: the threshold and up). On Abt-Buy the possible best matches so mutual by 5
# or more were 80 partners and no wrong pair (by 0: 89 and 3 wrong; by 10: 79 and none), 12 of
# them with no code on either row or codes that agree (bench/linkage_sets.py).
MARGIN = 10.0


def mark_mutual(prepared, a, b, scored, keep, chosen, certain_from: float,
                met: "np.ndarray | None" = None) -> None:
    """Make certain (scored.differs False) each left row's first choice (`chosen` as
    match._best_pairs gives over the pairs `keep` of a, b) that is not certain, when scores
    decide at defaults (no model, `certain_from` above 0), every compared column is descriptive
    text (identifiers.code_columns: titles, not names or addresses), the pair is no tie
    (scored.ties), no variant (variants.variants_differ) nor a pack of several against one
    item (packs.pairs_packs_differ), its codes agree, neither row holds
    one, or one row holds one or they agree one way only where both rows met another candidate
    (_codes_allow), and its
    score leads every other kept pair of its left row and of its right row by MARGIN or more.
    `met`: per stacked row, the candidate pairs it was in (None: counted over a, b, when they
    are every candidate pair). Changes scored.differs in place; each such pair's lead goes to
    scored.mutual, for its match_reason."""
    import numpy as np

    from datatools.tools.identifiers import code_columns
    from datatools.tools.packs import pairs_packs_differ
    from datatools.tools.variants import variants_differ

    if (scored.probability is not None or scored.differs is None or not certain_from > 0
            or len(code_columns(prepared)) < len(prepared.names)):
        return
    keep = np.asarray(keep, dtype=np.int64)
    first = np.array([matches[0][2] for matches in chosen if matches], dtype=np.int64)
    first = first[scored.differs[keep[first]]]
    if scored.ties:
        first = first[~np.isin(keep[first], np.fromiter(scored.ties, dtype=np.int64))]
    if not len(first):
        return
    score = scored.score[keep].astype(np.float64)
    lead = np.minimum(_lead(a[keep], score, first), _lead(b[keep], score, first))
    clear = lead >= MARGIN
    first, lead = keep[first[clear]], lead[clear]
    # Codes that speak against one product (differing: DECISIONS 281; held by one row only or
    # agreeing in part where nothing else was met: 510, 542) and two variants (a size, a short
    # number: DECISIONS 290) still decide.
    if met is None:
        met = np.bincount(a, minlength=prepared.rows) + np.bincount(b, minlength=prepared.rows)
    plain = _codes_allow(prepared, a[first], b[first], met)
    first, lead = first[plain], lead[plain]
    # ... and so does a pack of several against one item (`… Pack of 10`, DECISIONS 576).
    plain = ~(variants_differ(prepared, a[first], b[first])
              | pairs_packs_differ(prepared, a[first], b[first]))
    first, lead = first[plain], lead[plain]
    scored.differs[first] = False
    scored.mutual = dict(zip(first.tolist(), lead.tolist()))


def _codes_allow(prepared, x: "np.ndarray", y: "np.ndarray", met: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): may a mutual best match be certain on its codes? Yes where its
    codes agree or neither row holds one (identifiers.code_relation), and where a model number
    stands on one row only (ONE_SIDED: `Bracketron iPod Docking Kit - IPM202BL` against
    `Bracketron iPod Docking Kit`) when each row met at least one other candidate pair (`met`,
    per stacked row): one shop names no model, and the other list was searched and held nothing
    near either row. In a list of one row each nothing was searched, and a code the other title
    lacks may name one of several models (DECISIONS 510); nor where one title names a pack of
    several and the other not (packs.packs_differ: `PG40BK` against `PG-40-BK-TWIN`,
    DECISIONS 381). The same for codes found one way only (PARTIAL: `DS40R` against `DS-40 …
    141910`, one shop's letters and the other's article number), unless one row's code is the
    other's with letters added that read as a colour its title names while the other title
    names none (code_colours.colour_added: `DVPFX820P`, the pink one, against `DVPFX820`;
    DECISIONS 397, 542). Codes that differ still decide (DECISIONS 281, 290)."""
    import numpy as np

    from datatools.tools.code_colours import colour_added
    from datatools.tools.identifiers import AGREE, NONE, ONE_SIDED, PARTIAL, code_relation
    from datatools.tools.packs import packs_differ

    relation = code_relation(prepared, x, y)
    if relation is None:
        return np.ones(len(x), dtype=bool)
    allowed = (relation[0] == AGREE) | (relation[0] == NONE)
    searched = np.flatnonzero(((relation[0] == ONE_SIDED) | (relation[0] == PARTIAL))
                              & (met[x] > 1) & (met[y] > 1))
    searched = searched[~colour_added(prepared, x[searched], y[searched])]
    for k in searched.tolist():
        left, right = (" ".join(text[row] for text in prepared.text)
                       for row in (int(x[k]), int(y[k])))
        allowed[k] = not packs_differ(left, right)
    return allowed


def _lead(rows, score, pairs):
    """Per pair of `pairs`: its score less the best score of any other pair holding the same
    row in `rows` (its whole score where there is none)."""
    import numpy as np

    order = np.lexsort((-score, rows))
    ranked = rows[order]
    starts = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1]
    best = np.full(int(rows.max()) + 1 if len(rows) else 0, -np.inf)
    second = np.zeros_like(best)
    best[ranked[starts]] = score[order[starts]]
    has_second = np.r_[starts[1:], len(order)] - starts > 1
    second[ranked[starts[has_second]]] = score[order[starts[has_second] + 1]]
    mine = score[pairs]
    other = np.where(mine >= best[rows[pairs]], second[rows[pairs]], best[rows[pairs]])
    return mine - other
