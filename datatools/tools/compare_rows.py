"""Rows of two versions paired: by a key, else by content (identical rows, fuzzy matching, equal cells)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datatools.progress import Progress
from datatools.tools.compare_key import first_repeated, not_unique, pair_on
from datatools.tools.similarity import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def _pair_rows_by_key(old: "pd.DataFrame", new: "pd.DataFrame", key: list[str],
                      names: tuple[str, str]) -> "np.ndarray":
    import pandas as pd

    for name, frame in zip(names, (old, new)):
        if len(key) == 1 and frame[key[0]].is_unique:
            continue                 # the common case, without marking every row
        _check_unique(frame, key, name)
    if len(key) == 1:
        return pair_on(old[key[0]], new[key[0]])
    return pd.MultiIndex.from_frame(old[key]).get_indexer(pd.MultiIndex.from_frame(new[key]))


def _check_unique(frame: "pd.DataFrame", key: list[str], name: str) -> None:
    """`not_unique` for the first value `key` repeats in `frame`, if any."""
    found = first_repeated(frame, key)
    if found is not None:
        raise not_unique(key, name, *found)


def _pair_rows_by_content(old: "pd.DataFrame", new: "pd.DataFrame", shared: list[str],
                     progress: Progress) -> "np.ndarray":
    """Identical rows first (n-th copy with n-th copy), then fuzzy one-to-one on the rest."""
    import numpy as np

    from datatools.tools.match import match_tables

    old_rows: dict[tuple, list[int]] = {}
    for k, row in enumerate(old[shared].itertuples(index=False)):
        old_rows.setdefault(tuple(row), []).append(k)
    old_of_new = np.full(len(new), -1, dtype=np.int64)
    for k, row in enumerate(new[shared].itertuples(index=False)):
        waiting = old_rows.get(tuple(row))
        if waiting:
            old_of_new[k] = waiting.pop(0)
    paired_old = set(old_of_new[old_of_new >= 0].tolist())
    rest_old = [k for k in range(len(old)) if k not in paired_old]
    rest_new = np.flatnonzero(old_of_new < 0).tolist()
    if rest_old and rest_new:
        right = new.iloc[rest_new][shared].reset_index(drop=True)
        result = match_tables(old.iloc[rest_old][shared].reset_index(drop=True),
                              right.rename(columns=lambda c: f"new {c}"),
                              shared, [f"new {c}" for c in shared], unique=True, threshold=DEFAULT_THRESHOLD,
                                  progress=progress)
        positions = result.frame[[f"right_new {c}" for c in shared]]
        right_rows = {tuple(row): k for k, row in enumerate(right.itertuples(index=False))}
        for k, score in enumerate(result.frame["match_score"].tolist()):
            if score:
                old_of_new[rest_new[right_rows[tuple(positions.iloc[k])]]] = rest_old[k]
    _pair_by_most_cells(old, new, shared, old_of_new)
    return old_of_new


# The rows left after fuzzy matching pair by equal cells only while this many pairs are weighed.
MOST_CELLS_PAIRS = 1_000_000


def _pair_by_most_cells(old: "pd.DataFrame", new: "pd.DataFrame", shared: list[str],
                        old_of_new: "np.ndarray") -> None:
    """Pair the rows matching left alone, the pair with the most equal cells first (ties in new,
    then old row order), when more than half of `shared` hold the same value, not empty: a
    version's changed phone number is the change, where matching (a person's record linkage)
    vetoes it, and matching finds no pair between single rows that share every word
    (DECISIONS 406)."""
    import numpy as np
    import pandas as pd

    paired = np.zeros(len(old), dtype=bool)
    paired[old_of_new[old_of_new >= 0]] = True
    rest_old, rest_new = np.flatnonzero(~paired), np.flatnonzero(old_of_new < 0)
    if not len(rest_old) or not len(rest_new) or len(rest_old) * len(rest_new) > MOST_CELLS_PAIRS:
        return
    equal = np.zeros((len(rest_new), len(rest_old)), dtype=np.int32)
    for column in shared:
        values = pd.concat([new[column].iloc[rest_new], old[column].iloc[rest_old]])
        codes = pd.factorize(values.fillna("").astype(str).replace("", None))[0]
        codes[:len(rest_new)][codes[:len(rest_new)] < 0] = -2     # empty in both: no evidence
        equal += codes[:len(rest_new), None] == codes[None, len(rest_new):]
    flat = np.argsort(-equal, axis=None, kind="stable")
    taken_new, taken_old = set(), set()
    for at in flat.tolist():
        n, o = divmod(at, len(rest_old))
        if 2 * equal[n, o] <= len(shared):
            break
        if n not in taken_new and o not in taken_old:
            old_of_new[rest_new[n]] = rest_old[o]
            taken_new.add(n)
            taken_old.add(o)


def content_beats(old: "pd.DataFrame", new: "pd.DataFrame", by_counter: "np.ndarray",
                  columns: list[str], progress: Progress) -> "np.ndarray | None":
    """The rows paired by content (each new row's old row, or -1) when that leaves more cells of
    `columns` equal than `by_counter`, the pairing by a running row number; else None."""
    by_rows = _pair_rows_by_content(old, new, columns, progress)
    if _equal_cells(old, new, by_rows, columns) > _equal_cells(old, new, by_counter, columns):
        return by_rows
    return None


def _equal_cells(old: "pd.DataFrame", new: "pd.DataFrame", old_of_new: "np.ndarray",
                 columns: list[str]) -> int:
    paired = old_of_new >= 0
    return sum(int((old[c].to_numpy(dtype=object)[old_of_new[paired]]
                    == new[c].to_numpy(dtype=object)[paired]).sum()) for c in columns)
