"""Which column pairs the rows of two versions of a table: candidates, row counters, the choice.

A candidate key is a column shared by both versions, unique and filled in each, whose values
mostly recur (over half of the smaller version's). Each candidate pairs the rows; the chosen
one leaves the most other cells equal, so a column that merely numbers the rows loses to the
column that identifies them. A running row number (1..n or 0..n-1 in both versions, or rising
integers under a header such as `No`, `#`, `Nr.`, `Row`) is never chosen while another
candidate exists: one inserted row renumbers every row after it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A column is a key candidate only if at least this share of the smaller version's values also
# appears in the other version; an ID column renumbered between versions is not a key.
MIN_KEY_OVERLAP = 0.5
# Pairings are scored on up to this many evenly spread rows of the new version: enough to rank
# keys (they differ by whole columns of agreement), and constant work on a million rows.
SCORE_SAMPLE = 50_000
# Headers that name a row number, compared without case, spaces or punctuation (`Nr.` → `nr`,
# `#` → ``, `S. No.` → `sno`, `lfd. Nr.` → `lfdnr`; `Unnamed: 0` is pandas' written index).
COUNTER_NAMES = frozenset({
    "", "no", "nr", "nro", "num", "n", "row", "rowno", "rownum", "rownumber", "line", "lineno",
    "linenumber", "index", "idx", "pos", "seq", "sno", "srno", "slno", "lfdnr", "unnamed0"})


@dataclass
class KeyCandidate:
    """One column considered as the key, and how well its pairing of the rows agrees."""

    column: str
    rows_paired: int
    equal_cells: int               # cells equal in the other columns over the scored rows
    counter: bool                  # a running row number

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def counter_name(name: str) -> bool:
    """Whether a header names a row number (`No`, `#`, `Nr.`, `Row`, `index`, …)."""
    return re.sub(r"[^0-9a-z]", "", str(name).casefold()) in COUNTER_NAMES


def is_row_counter(name: str, before: "pd.Series", after: "pd.Series") -> bool:
    """A running row number: whole numbers rising row by row in both versions, and either a
    row-number header or exactly 0..n-1 or 1..n in both (an ID column that lost rows has gaps
    in one version, and is a counter only under a row-number header)."""
    import numpy as np

    runs = []
    for values in (before, after):
        if not len(values) or not values.str.fullmatch(r"\d{1,18}").all():
            return False
        numbers = values.astype("int64").to_numpy()
        if not (np.diff(numbers) > 0).all():
            return False
        runs.append(int(numbers[0]) in (0, 1) and int(numbers[-1] - numbers[0]) == len(numbers) - 1)
    return counter_name(name) or all(runs)


def identifying_columns(old: "pd.DataFrame", new: "pd.DataFrame", shared: Sequence[str]) -> list[str]:
    """The shared columns unique and filled in both versions (keys and row counters are here)."""
    def filled(column: "pd.Series") -> bool:
        return not (column.isna().any() or (column == "").any())

    return [c for c in shared if filled(old[c]) and filled(new[c])
            and old[c].is_unique and new[c].is_unique]


def text_array(column: "pd.Series"):
    """The column as a pyarrow string array, empty for missing (no copy when pandas holds one)."""
    import pyarrow as pa

    data = pa.array(column.astype("str"), from_pandas=True)
    if isinstance(data, pa.ChunkedArray):
        data = data.combine_chunks()
    return data.fill_null("")


def pair_on(old_column: "pd.Series", new_column: "pd.Series") -> "np.ndarray":
    """For each new row, the position of the old row with the same key value, or -1.

    The old values must be unique; the lookup is pyarrow's hash join of one column (`index_in`).
    """
    import pyarrow.compute as pc

    found = pc.index_in(text_array(new_column), value_set=text_array(old_column))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")


def cells_differ(old_column, old_rows: "np.ndarray", new_column: "pd.Series") -> "np.ndarray":
    """Whether `old_column[old_rows[k]]` (a text_array) differs from `new_column[k]`, per k."""
    import pyarrow.compute as pc

    before = old_column.take(old_rows)
    return pc.not_equal(before, text_array(new_column)).to_numpy(zero_copy_only=False)


def choose_key(old: "pd.DataFrame", new: "pd.DataFrame", identifying: Sequence[str],
               counters: Sequence[str], shared: Sequence[str]) -> tuple[str | None, list[KeyCandidate]]:
    """The key column (None when no column qualifies) and every candidate considered.

    Candidates come from `identifying` (see `identifying_columns`) with enough overlap;
    each is scored by the cells its pairing leaves equal in the other `shared` columns
    (row counters excluded: their agreement proves nothing). Order of preference: not a
    counter, most equal cells, most rows paired, earliest column.
    """
    import numpy as np

    step = max(1, len(new) // SCORE_SAMPLE)
    rows = np.arange(0, len(new), step)
    evidence = [c for c in shared if c not in counters]
    old_values = {c: text_array(old[c]) for c in evidence}
    new_values = {c: new[c].iloc[rows] for c in evidence}
    candidates = []
    for column in identifying:
        old_of_new = pair_on(old[column], new[column])
        paired = int((old_of_new >= 0).sum())
        if paired <= MIN_KEY_OVERLAP * (min(len(old), len(new)) or 1):
            continue
        sampled = old_of_new[rows]
        hit = sampled >= 0
        equal = sum(int((~cells_differ(old_values[c], sampled[hit], new_values[c][hit])).sum())
                    for c in evidence if c != column)
        candidates.append(KeyCandidate(column, paired, equal, column in counters))
    if not candidates:
        return None, []
    ranked = sorted(candidates, key=lambda k: (k.counter, -k.equal_cells, -k.rows_paired))
    return ranked[0].column, ranked
