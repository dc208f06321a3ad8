"""Why a match is only possible, in dedupe's words (issue 30).

A match kept possible by a rule (match_certainty.two_parties with a model; certainty.
certain_pairs and match_certainty._other_words on a small table) was written with no cause: a
couple's `Paula Bauer` against `Paul Bauer` read `right row 5: agreed Name 95, …` beside
`possible`. Its match_reason now starts as a possible duplicate's does (parted_rows.
possible_why, DECISIONS 418): `right row 5: possible (their names read as two people); agreed
…`, the words those of parted_rows.PARTED_WHY, which the window translates (ui/reasons.js,
`reason.why_*`). A match possible only by its probability or score, below the certain cut-off,
says nothing more, as a group so possible does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PairScores, PreparedColumns


def possible_why(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                 scored: "PairScores", pairs: "np.ndarray", learned: bool) -> dict[int, str]:
    """Of the possible pairs `pairs` (indices of a, b, stacked row numbers): pair → the words
    saying why it is not certain, tried in dedupe's order: an initial alone (households.
    initial_only), then the first conflict rule that holds (parted_rows.why_parted, the column
    rule only without a model), then on a small table two values sharing a word that each add
    one of their own (match_certainty._other_words: `a column clearly differs`). Pairs no rule
    holds for are left out."""
    import numpy as np

    from datatools.tools.households import initial_only
    from datatools.tools.match_certainty import _other_words
    from datatools.tools.parted_rows import PARTED_WHY, swaps_of, why_parted

    pairs = np.unique(np.asarray(pairs, dtype=np.int64))
    if not len(pairs):
        return {}
    x, y = a[pairs], b[pairs]
    said = why_parted(prepared, x, y, scored.columns[pairs], swaps_of(scored.swaps, pairs),
                      learned, None)
    initial = initial_only(prepared, x, y)
    other = (np.zeros(len(pairs), dtype=bool) if learned
             else _other_words(prepared, x, y, scored.columns[pairs]))
    found = {}
    for k, pair in enumerate(pairs.tolist()):
        if initial[k]:
            found[pair] = PARTED_WHY["initial"]
        elif said[k] != PARTED_WHY["unlike"]:
            found[pair] = said[k]
        elif other[k]:
            found[pair] = PARTED_WHY["column"]
    return found


def possible_matches_why(prepared: "PreparedColumns", model, a: "np.ndarray", b: "np.ndarray",
                         scored: "PairScores", keep: "np.ndarray",
                         chosen: list[list[tuple[int, float, int]]], rows: range,
                         certain_from: float) -> dict[int, str]:
    """possible_why for the possible matches of left rows `rows` (`chosen` over the pairs
    `keep`, as match.match_rows reads them) that no tie or uncompared column already explains
    (scored.ties, scored.uncompared): pair → why it is not certain; none with --threshold
    (every match certain)."""
    from datatools.tools.match import _certain

    said = (scored.ties or {}).keys() | (scored.uncompared or {}).keys()
    pairs = [pair for row in rows for _, _, k in chosen[row] if (pair := int(keep[k])) not in said
             and not _certain(scored, pair, certain_from)]
    if not pairs or certain_from <= 0 and model is None:
        return {}
    return possible_why(prepared, a, b, scored, pairs, model is not None)
