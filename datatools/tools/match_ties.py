"""Ties in match (issue 30, DECISIONS 292): a chosen right row whose left row has another
candidate right row that fits as well in every compared column is not a certain match, unless
the two right rows hold one record. Used by tools/match.py and large/match.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def mark_ties(prepared, a, b, scored, keep, chosen, certain_from: float, left_count: int,
              other_cells) -> None:
    """Mark as not certain (scored.differs) each chosen pair (`chosen` as _best_pairs gives, over
    the pairs `keep` of a, b; right rows numbered from `left_count` in b) whose left row has
    another candidate right row that scores at least as high in every compared column (and the
    whole row), an empty cell of the chosen pair's aside: the compared columns cannot tell the
    two apart (a father and son of one name and address, told apart only by an uncompared date
    of birth; issue 30). Two right rows that hold one record (one_record over `other_cells`, a
    function of right row numbers giving their uncompared cells) are no such tie: either is the
    partner, unless their compared cells hold model numbers or identifiers that differ
    (certainty.codes_differ, identifier_differs: two variants of one product). scored.ties gets each tied pair's other right row (0-based) for its match_reason.
    Not with --threshold (certain_from 0 and no model), where every pair above it is certain."""
    import numpy as np

    from datatools.tools.similarity import MISSING

    if scored.differs is None or not (certain_from > 0 or scored.probability is not None):
        return
    scored.ties = {}
    keep = np.asarray(keep, dtype=np.int64)
    found, rivals = [], []
    for rank in range(max((len(m) for m in chosen), default=0)):
        picked = np.full(len(chosen), -1, dtype=np.int64)
        for row, matches in enumerate(chosen):
            if len(matches) > rank:
                picked[row] = keep[matches[rank][2]]
        pair = picked[a[keep]]                       # each kept pair's chosen pair of its row
        others = keep[(pair >= 0) & (b[keep] != b[np.maximum(pair, 0)])]
        pair = picked[a[others]]
        mine, theirs = scored.columns[pair], scored.columns[others]
        fits = np.all((mine == MISSING) | ((theirs != MISSING) & (theirs >= mine)), axis=1)
        found.append(pair[fits])
        rivals.append(others[fits])
    pair, other = (np.concatenate(found or [np.zeros(0, np.int64)]),
                   np.concatenate(rivals or [np.zeros(0, np.int64)]))
    if not len(pair):
        return
    from datatools.tools.certainty import codes_differ, identifier_differs

    tied = (~one_record(other_cells, b[pair] - left_count, b[other] - left_count)
            | codes_differ(prepared, b[pair], b[other]) | identifier_differs(prepared, b[pair], b[other]))
    for chosen_pair, rival in zip(pair[tied].tolist(), other[tied].tolist()):
        if chosen_pair not in scored.ties:
            scored.differs[chosen_pair] = True
            scored.ties[chosen_pair] = int(b[rival]) - left_count


def one_record(other_cells, first: "np.ndarray", second: "np.ndarray") -> "np.ndarray":
    """Per k: do right rows first[k] and second[k] hold one record, by their uncompared cells
    (`other_cells(rows)`: a DataFrame of strings, a row per right row number of `rows`)? Yes
    unless some uncompared column filled in both differs as prepare_columns normalises it
    (case, accents, `Avenue`/`Ave` aside), spaces aside (`962 08 88 95`/`962.088.895`): a
    customer entered twice, one entry lacking a phone
    number, is one record, and so are two rows with
    nothing uncompared to tell them apart (all columns compared: the bench's customer lists
    hold such right-side duplicates, each a true partner); a father and son of one name and
    address differ in their dates of birth."""
    import numpy as np

    from datatools.tools.similarity import prepare_columns

    rows = np.unique(np.r_[first, second])
    cells = other_cells(rows)
    if cells.shape[1] == 0:
        return np.ones(len(first), dtype=bool)

    normal = prepare_columns([str(c) for c in cells.columns], [cells[c].tolist() for c in cells.columns])
    # Spaces aside too: one phone keyed `962 08 88 95` and `962.088.895` (trial F: a customer
    # entered twice left the order unmatched as a tie, DECISIONS 497).
    values = np.column_stack([np.asarray([str(v).replace(" ", "") for v in text], dtype=object)
                              for text in normal.text])
    at = {int(r): k for k, r in enumerate(rows.tolist())}
    x = values[[at[int(r)] for r in first]]
    y = values[[at[int(r)] for r in second]]
    both = (x != "") & (y != "")
    return ~(both & (x != y)).any(axis=1)


def uncompared_cells(right: "pd.DataFrame", right_cols: Sequence[str], key: str | None = None):
    """For mark_ties: a function of right row numbers giving those rows' cells in the right
    columns that are neither compared (`right_cols`, `A + B` naming both) nor the table's key
    (`key`; by default recipe.key_column's: a customer number names a row, not a person), as
    strings."""
    def cells(rows):
        from datatools.tools.match import JOIN
        from datatools.tools.recipe import key_column

        parts = {part for name in right_cols for part in name.split(JOIN)}
        row_key = key if key is not None else key_column(right, list(right.columns))
        names = [c for c in right.columns if c not in parts and c != row_key]
        return right[names].iloc[rows].fillna("").astype(str)
    return cells
