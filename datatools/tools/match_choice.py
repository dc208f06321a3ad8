"""Which of a match's scored pairs each left row takes, and which of them are certain: the rules
that follow scoring, in one place for match_tables and `match --estimate` (match_estimate.py),
and the match_score a chosen pair is written with. datatools/large/match.py runs the same rules
batch by batch. Each left row's best pairs come first, ties broken by the match weights, an
uncompared date of birth (DECISIONS 382) and row order; with `--unique` each right row once, and
the rows left without one told why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from datatools.tools.match_codes import code_partner_pairs, code_partners, mark_code_partners
from datatools.tools.match_evidence import mark_uncompared, uncompared_evidence, vouch_ties
from datatools.tools.match_mutual import mark_mutual
from datatools.tools.match_ties import mark_ties, uncompared_cells

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

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


def choose_matches(prepared, model, a, b, scored, left: "pd.DataFrame", right: "pd.DataFrame",
                   left_on: Sequence[str], right_cols: Sequence[str], limit: float,
                   certain_from: float, top: int = 1, unique: bool = False,
                   met: "np.ndarray | None" = None
                   ) -> tuple["np.ndarray", list[list[tuple[int, float, int]]]]:
    """(keep, chosen): each left row's matches among the scored pairs (a, b) (stacked row
    numbers, right rows from len(left)) and which of them are certain, by every rule of the run
    after scoring: the pairs kept (`limit` and up, or code partners), up to `top` best per left
    row (_best_pairs, over keep, an uncompared date of birth breaking ties), then mark_certain,
    mark_uncompared, mark_ties, vouch_ties, mark_mutual and mark_code_partners, which set
    scored.differs, ties, mutual and coded (read by match._certain), and scored.taken for the
    rows `--unique` left without a partner (note_taken).

    The one place these rules run in memory, so `match --estimate` decides its sample's pairs
    as the run decides them (match_estimate.py). Rows are decided from the pairs given: a left
    row decides as in the run when all its candidate pairs are given, and a first choice's
    mutual lead (match_mutual) when all its right row's pairs are; `met` (per stacked row, its
    candidate pairs, for match_mutual) when a, b are not all of them."""
    import numpy as np

    from datatools.tools.match import mark_certain, summed_weights

    left_count = len(left)
    partner = code_partners(prepared, left_count, certain_from)
    coded = code_partner_pairs(prepared, a, b, scored, partner)
    strength = scored.strength
    keep = np.flatnonzero((strength >= limit) | coded)
    evidence = uncompared_evidence(left, right, list(left.columns), list(right.columns), left_on,
                                   right_cols)
    parted: dict[int, tuple[int, int, int]] = {}
    chosen = _best_pairs(left_count, a[keep], b[keep] - left_count, strength[keep], top, unique,
                         summed_weights(scored, keep), evidence.prefer(a[keep], b[keep]), parted)
    taken = keep[[k for m in chosen for _, _, k in m]]
    mark_certain(prepared, model, a, b, scored, taken, certain_from)
    mark_uncompared(evidence, prepared, a, b, scored, taken)
    before = None if scored.differs is None else scored.differs.copy()
    mark_ties(prepared, a, b, scored, keep, chosen, certain_from, left_count,
              uncompared_cells(right, right_cols))
    vouch_ties(evidence, prepared, a, b, scored, before, left_count)
    mark_mutual(prepared, a, b, scored, keep, chosen, certain_from, met)
    mark_code_partners(prepared, a, b, scored, keep, chosen, coded[keep], left_count, top, unique,
                       limit, certain_from)
    note_taken(scored, keep, chosen, parted)
    return keep, chosen


def written_score(scored, pair: int, certain: bool, certain_from: float) -> int:
    """Pair `pair`'s match_score (0–100, rounded): its score (similarity.combine_scores: the
    columns' agreement beyond chance, two values 50 % alike scoring 0, mixed with the whole
    row's, so one column 96 % alike scores 92), at defaults (`certain_from` above 0) on
    dedupe's one scale (dedupe_annotate.one_scale): never below `certain_from` for a certain
    pair, never at or above it for a possible one. A pair made certain by what its rows share
    beyond the words (a learned probability, a model number no other row holds, a mutual best
    match) can score little on the words (16 for two shops' titles 58 % alike); written below
    the certain pairs' scores it would be the first a user drops who sorts by score (trial A,
    session 9; DECISIONS 408). A possible pair kept so by a rule (a tie, two given names, an
    uncompared date of birth) can score 100 on the words; written above the certain cut-off it
    read as certain to a user sorting by score (DECISIONS 460). With `--threshold` (0 here)
    the score as it is."""
    import numpy as np

    from datatools.tools.dedupe_annotate import one_scale

    score = int(round(float(scored.score[pair])))
    if certain_from <= 0:
        return score
    return int(one_scale(np.array([score]), np.array([certain]), certain_from)[0])


def lifted_codes(prepared, a, b, scored, pairs: "np.ndarray") -> dict[int, str]:
    """Of the pairs `pairs` (indices of a, b) scored without a model: pair → the code its two
    rows share (match_codes._shared_keys), for those whose score a rare model number agreeing
    both ways raised above what their words score (identifiers.weigh_identifiers: to
    CERTAIN_SCORE). Such a pair is decided by the code, and its match_reason says so first: its
    words may differ (`differed Bezeichnung 37`) where the written score says 75."""
    import numpy as np

    from datatools.tools.match_codes import _shared_keys
    from datatools.tools.similarity import combine_scores

    pairs = np.asarray(pairs, dtype=np.int64)
    if not len(pairs) or scored.probability is not None:
        return {}
    words = combine_scores(prepared, scored.columns[pairs])
    raised = pairs[np.round(scored.score[pairs]) > np.round(words)]
    if not len(raised):
        return {}
    from datatools.tools.identifiers import row_codes

    keys = _shared_keys(prepared, a[raised], b[raised])
    codes = row_codes(prepared).of_rows()
    found = {}
    for k, key in zip(raised.tolist(), keys):
        if not key:      # written apart or joined (`TE-CS-314E`/`TECS314E`): a code of one in the other
            other = "".join(str(text[int(b[k])]) for text in prepared.text).replace(" ", "")
            key = max((c for c in codes.get(int(a[k]), []) if c in other), key=len, default="")
        if key:
            found[int(k)] = key
    return found
