"""Why a row dedupe considered and kept apart is in no group: its match_reason says so.

A row whose best pair reached the run's limit but which grouping left alone (a conflict gave
the pair the strength 0, group_conflicts.parted; or average linkage found it too unlike its
partner's other rows, clustering.py) was written with an empty match_reason (issue 30: a
Dutch list's `Jansen | Bram` beside two `Bram | Jansen`). It now reads `row 101: kept apart
(their names read as two people); agreed …`, the conflict named in words (PARTED_WHY). A row
of a group such a rule keeps possible says so too: `row 7: possible (an initial alone); …`. An uncompared column that tells the rows apart is
named: `kept apart (uncompared column geboortedatum differs)`, and so is an identifier that does
(`possible (identifier CPF differs)`, trial J). A pair whose given name and
surname were read crossed, and whose names read as two people only so, names the two values
that did: `possible (names read swapped: maria pilar vs maria)` (swapped_why).
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
# translates each: datatools/ui/reasons.js, catalog keys `reason.why_*`). `uncompared` names
# its columns (uncompared_why).
PARTED_WHY = {
    "names": "their names read as two people",
    "swapped": "names read swapped: {a} vs {b}",
    "form": "their legal forms differ",
    "identifier": "identifier {columns} differs",
    "pack": "a pack of several on one side only",
    "code": "their codes or variants differ",
    "middle": "their middle names differ",
    "generation": "Jr. or Sen. on one side only",
    "flat": "two flats of one building",
    "uncompared": "uncompared column {columns} differs",
    "column": "a column clearly differs",
    "initial": "an initial alone",
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


def uncompared_why(names: list[str]) -> str:
    """The words saying which uncompared columns (their names, in order) tell a pair apart:
    `uncompared column Geburtsdatum differs`, `uncompared columns Vendor, Colour differ`."""
    if len(names) == 1:
        return PARTED_WHY["uncompared"].format(columns=names[0])
    return f"uncompared columns {', '.join(names)} differ"


def identifier_why(names: list[str]) -> str:
    """The words naming the identifiers that tell a pair apart (certainty.differing_identifiers):
    `identifier CPF differs`, `identifiers CPF, RG differ`; `an identifier differs` when none
    is named (a user may see the old words in a file written before)."""
    if not names:
        return "an identifier differs"
    if len(names) == 1:
        return PARTED_WHY["identifier"].format(columns=names[0])
    return f"identifiers {', '.join(names)} differ"


def why_parted(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
               columns: "np.ndarray", swaps: "dict[int, tuple[int, int]] | None",
               learned: bool, uncompared: "Uncompared | None") -> list[str]:
    """Per pair (x[k], y[k]), its column scores `columns` and crossed pairs `swaps` as the run
    scored them (PairScores.columns, .swaps): the words of PARTED_WHY that first say why it is
    kept apart (group_conflicts.conflicting_pairs' rules, one at a time; an uncompared column
    by its name, uncompared_why), PARTED_WHY["unlike"] when none does."""
    import numpy as np

    from datatools.tools.certainty import (clearly_differs, codes_differ, differing_identifiers,
                                           generation_differs, identifier_differs)
    from datatools.tools.group_conflicts import product_words_differ
    from datatools.tools.households import names_two_people
    from datatools.tools.house_numbers import flats_differ
    from datatools.tools.middle_names import middle_names_differ
    from datatools.tools.legal_forms import legal_forms_differ
    from datatools.tools.packs import pairs_packs_differ

    tests = [("names", lambda: names_two_people(prepared, x, y, columns, swaps)),
             ("form", lambda: legal_forms_differ(prepared, x, y, columns)),
             ("identifier", lambda: identifier_differs(prepared, x, y)),
             ("pack", lambda: pairs_packs_differ(prepared, x, y)),
             ("code", lambda: codes_differ(prepared, x, y) | product_words_differ(prepared, x, y)),
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
    said = [PARTED_WHY[key] for key in found.tolist()]
    if swaps:
        for k in np.flatnonzero(found == "names").tolist():
            said[k] = swapped_why(prepared, int(x[k]), int(y[k]), columns[k], swaps.get(k)) \
                or said[k]
    for k in np.flatnonzero(found == "identifier").tolist():
        said[k] = identifier_why(differing_identifiers(prepared, int(x[k]), int(y[k])))
    for k in np.flatnonzero(found == "uncompared").tolist():
        said[k] = uncompared_why(uncompared.differing(x[k:k + 1], y[k:k + 1])[0])
    return said


def swapped_why(prepared: "PreparedColumns", x: int, y: int, scores: "np.ndarray",
                swap: "tuple[int, int] | None") -> str:
    """Why the pair of rows x, y (`scores` its column scores as scored, `swap` the columns read
    crossed, PairScores.swaps) reads as two people when that is so only with a given-name column
    read crossed: PARTED_WHY["swapped"] naming the two values (normalised) read as two given
    names; "" when the names read as two people straight too, or not by a crossed given name.

    households.names_two_people reads a crossed pair both ways round, and one of the two ways
    may compare the given names while the other compares the surnames: `Ortega | María Pilar`
    against `María | Ortega` agrees on the surnames (`agreed nombre 100`) and reads `maria
    pilar`/`maria` as two names. "their names read as two people" beside `agreed nombre 100`
    said neither (a Spanish trial, DECISIONS 516); the values say what the rule saw. (The
    trial's `Antonio | Fernández Rodríguez` against `FERNÁNDEZ | ANTONIO`, a second surname
    left out, is one person since DECISIONS 538.)"""
    import numpy as np

    from datatools.tools.certainty import _other_given_name
    from datatools.tools.households import surname_forms_differ
    from datatools.tools.party_names import whole_name_differs
    from datatools.tools.similarity import _names_given_name

    if swap is None:
        return ""
    one, other = np.array([x]), np.array([y])
    if (whole_name_differs(prepared, one, other) | surname_forms_differ(prepared, one, other))[0]:
        return ""
    text, crossed = prepared.text, {0: swap}
    for column in (c for c in swap if _names_given_name(prepared.names[c])):
        partner = swap[1] if column == swap[0] else swap[0]
        # the given-name column against the other row's partner column, then the other way round
        for mine, theirs in ((column, partner), (partner, column)):
            if _other_given_name(prepared, one, other, np.array([scores]), crossed, mine)[0]:
                return PARTED_WHY["swapped"].format(a=str(text[mine][x]), b=str(text[theirs][y]))
    return ""


def swaps_of(swaps: "dict[int, tuple[int, int]] | None", picked: "np.ndarray"
              ) -> "dict[int, tuple[int, int]] | None":
    """`swaps` (by pair index) for the pairs `picked`, keyed by their place in `picked`."""
    if swaps is None:
        return None
    return {n: swaps[k] for n, k in enumerate(picked.tolist()) if k in swaps}


def possible_why(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray", scored,
                 learned: bool, uncompared: "Uncompared | None", conflict: "np.ndarray",
                 initial: "np.ndarray", possible: "np.ndarray", best_pair: "np.ndarray",
                 sizes: "np.ndarray") -> list[str]:
    """Per member row of a batch of groups (dedupe_annotate._annotate_batch: the pairs x, y
    inside the groups, `scored` them, `conflict` and `initial` (households.initial_only) a bool
    per pair, `possible` a bool per row, `best_pair` its best pair, `sizes` the groups'): `possible
    (WHY); ` when its group is possible by a rule (an initial alone on its best pair, else its
    best pair's conflict, else the group's first conflicting pair's), else "" (a probability
    below the certain cut-off, which the waterfall's words end with)."""
    import numpy as np

    chosen = np.where(possible & conflict[best_pair] & ~initial[best_pair], best_pair, -1)
    counts = sizes * (sizes - 1) // 2
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    group_of = np.repeat(np.arange(len(sizes)), sizes)
    for row in np.flatnonzero(possible & (chosen < 0)).tolist():
        group = int(group_of[row])
        found = np.flatnonzero(conflict[starts[group]:starts[group] + counts[group]])
        if len(found):
            chosen[row] = starts[group] + int(found[0])
    said = np.full(len(best_pair), "", dtype=object)
    said[possible & initial[best_pair]] = PARTED_WHY["initial"]
    chosen[possible & initial[best_pair]] = -1
    picked = np.unique(chosen[chosen >= 0])
    if len(picked):
        found = why_parted(prepared, x[picked], y[picked], scored.columns[picked],
                           swaps_of(scored.swaps, picked), learned, uncompared)
        named = dict(zip(picked.tolist(), found))
        for row in np.flatnonzero(chosen >= 0).tolist():
            said[row] = named[int(chosen[row])]
    return [f"possible ({why}); " if why and why != PARTED_WHY["unlike"] else ""
            for why in said.tolist()]


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
    said = why_parted(prepared, x, y, scored.columns, scored.swaps, model is not None,
                      uncompared)
    texts = explain_pairs(prepared, x, y, scored.columns)
    cells.reasons.add(x, [f"row {other + 1}: kept apart ({why}); {text}"
                          for other, why, text in zip(y.tolist(), said, texts)])
