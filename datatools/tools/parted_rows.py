"""Why a row dedupe considered and kept apart is in no group: its match_reason says so.

A row whose best pair reached the run's limit but which grouping left alone (a conflict gave
the pair the strength 0, group_conflicts.parted; or average linkage found it too unlike its
partner's other rows, clustering.py) was written with an empty match_reason (issue 30: a
Dutch list's `Jansen | Bram` beside two `Bram | Jansen`). It now reads `row 101: kept apart
(their names read as two people); agreed …`, the conflict named in words (PARTED_WHY).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.progress import Progress
    from datatools.tools.linkage_model import LinkageModel
    from datatools.tools.output_cells import OutputCells
    from datatools.tools.similarity import PreparedColumns
    from datatools.tools.uncompared_ids import Uncompared

# The words of each reason a pair is kept apart, in the order they are tried (the window
# translates each: datatools/ui/reasons.js, catalog keys `reason.parted_*`).
PARTED_WHY = {
    "names": "their names read as two people",
    "identifier": "an identifier differs",
    "code": "their codes or variants differ",
    "middle": "their middle names differ",
    "generation": "a generation (Jr., Sen.) on one side",
    "flat": "two flats of one building",
    "uncompared": "an uncompared column differs",
    "column": "a column clearly differs",
    "unlike": "unlike the other rows of that group",
}


@dataclass
class MatchedPartners:
    """Each row's strongest pair at or above the run's limit, one entry per row: rows, others
    (int64, ascending by row)."""

    rows: "np.ndarray"
    others: "np.ndarray"


def matched_partners(a: "np.ndarray", b: "np.ndarray", strength: "np.ndarray",
                     limit: float) -> MatchedPartners:
    """Per row of a pair (a[k], b[k]) whose `strength` reaches `limit`: its strongest such
    pair's other row (the first on ties)."""
    import numpy as np

    keep = np.flatnonzero(strength >= limit)
    rows = np.concatenate([a[keep], b[keep]]).astype(np.int64)
    others = np.concatenate([b[keep], a[keep]]).astype(np.int64)
    order = np.lexsort((np.arange(len(rows)), -np.tile(strength[keep], 2), rows))
    heads = order[np.r_[True, rows[order][1:] != rows[order][:-1]]] if len(order) else order
    return MatchedPartners(rows[heads], others[heads])


def why_parted(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray", scored,
               learned: bool, uncompared: "Uncompared | None") -> list[str]:
    """Per pair (x[k], y[k]), scored as the run scores it (`scored`, a PairScores): the key of
    PARTED_WHY that first says why it is kept apart (group_conflicts.conflicting_pairs' rules,
    one at a time), `unlike` when none does."""
    import numpy as np

    from datatools.tools.certainty import (clearly_differs, codes_differ, generation_differs,
                                           identifier_differs)
    from datatools.tools.households import names_two_people
    from datatools.tools.house_numbers import flats_differ
    from datatools.tools.middle_names import middle_names_differ

    columns = scored.columns
    tests = [("names", lambda: names_two_people(prepared, x, y, columns, scored.swaps)),
             ("identifier", lambda: identifier_differs(prepared, x, y)),
             ("code", lambda: codes_differ(prepared, x, y)),
             ("middle", lambda: middle_names_differ(prepared, x, y, columns)),
             ("generation", lambda: generation_differs(prepared, x, y)),
             ("flat", lambda: flats_differ(prepared, x, y)),
             ("uncompared", lambda: (np.zeros(len(x), bool) if uncompared is None
                                     else uncompared.differ(x, y)))]
    if not learned:
        tests.append(("column", lambda: clearly_differs(prepared, x, y, columns)))
    found = np.full(len(x), "unlike", dtype=object)
    for key, test in tests:
        open_ = found == "unlike"
        if not open_.any():
            break
        found[open_ & np.asarray(test(), dtype=bool)] = key
    return found.tolist()


def explain_parted(prepared: "PreparedColumns", partners: MatchedPartners, cells: "OutputCells",
                   limit: float, model: "LinkageModel | None", uncompared: "Uncompared | None",
                   progress: "Progress", explained: "np.ndarray") -> None:
    """A row in no group, not in `explained` (rows given a reason already: explain_vetoes'),
    whose strongest pair reached the limit gets `row N: kept apart (WHY); agreed …` in `cells`
    (N its partner, WHY from PARTED_WHY)."""
    import numpy as np

    from datatools.tools.dedupe import _score
    from datatools.tools.reasons import explain_pairs

    if not len(partners.rows):
        return
    alone = ~cells.grouped(partners.rows)
    if not alone.any():
        return
    x, y = partners.rows[alone], partners.others[alone]
    fresh = ~np.isin(x, explained)
    x, y = x[fresh], y[fresh]
    if not len(x):
        return
    scored = _score(prepared, x, y, progress, limit, model, "explaining the rows kept apart")
    keys = why_parted(prepared, x, y, scored, model is not None, uncompared)
    texts = explain_pairs(prepared, x, y, scored.columns)
    cells.reasons.add(x, [f"row {other + 1}: kept apart ({PARTED_WHY[key]}); {text}"
                          for other, key, text in zip(y.tolist(), keys, texts)])
