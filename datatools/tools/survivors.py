"""The surviving row of a duplicate group: the kept row, with values taken from its other rows.

A reviewer may keep row 2 of a group but take the phone from row 5 and the e-mail from row 7
(OpenRefine's cluster-and-edit, a CRM's merge). `surviving_row` builds that row from
per-column choices; `fill_empty` optionally fills the kept row's empty cells from the group's
other rows. It never overwrites a filled cell on its own: mixing two people's values silently is
worse than losing a phone number (DECISIONS 110). Every value taken is returned as a
`TakenValue`, which the merge list records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from datatools.errors import BadOption

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class TakenValue:
    """One cell of a surviving row that came from another row of its group."""

    group: str
    column: str
    row: int              # the row it came from: 0-based position in the input
    old: str              # the kept row's value it replaced ("" when it filled an empty cell)
    new: str
    filled: bool = False  # True: an empty cell filled automatically, not the reviewer's choice

    def describe(self) -> str:
        """`email from row 7: "a@x.org" → "A@X.ORG"` (1-based row; values quoted as JSON strings,
        so a `;` or a quote inside a value cannot be misread)."""
        old, new = (json.dumps(text, ensure_ascii=False) for text in (self.old, self.new))
        return f"{self.column} from row {self.row + 1}: {old} → {new}"


@dataclass(frozen=True)
class Survivor:
    """The row a group leaves behind: its values, where each came from, and what was taken."""

    values: list[str]          # one per column, in the columns' order
    sources: list[int]         # per column, the row (0-based) the value came from
    taken: list[TakenValue]    # the values that differ from the kept row's, in column order


def describe_taken(taken: Sequence[TakenValue]) -> str:
    """The merge list's `values_taken` cell: each taken value described, joined by "; "."""
    return "; ".join(value.describe() for value in taken)


def check_value_choices(group: str, rows: Sequence[int], columns: Sequence[str],
                        choices: Mapping[str, Any]) -> dict[str, int]:
    """`choices` (column → 0-based row) checked against one group; returns them as {str: int}.

    BadOption `bad_value_column` for a column the table does not have, `bad_value_row` for a
    row (or a non-integer) that is not one of the group's rows.
    """
    checked = {}
    for column, row in choices.items():
        if column not in columns:
            raise BadOption(f"There is no column {column!r} to take a value from in group {group}.",
                            code="bad_value_column", params={"column": str(column), "group": group})
        if not isinstance(row, int) or isinstance(row, bool) or row not in rows:
            shown = row + 1 if isinstance(row, int) and not isinstance(row, bool) else row
            raise BadOption(f"Row {shown} is not in group {group}, so its {column} cannot be taken.",
                            code="bad_value_row",
                            params={"row": str(shown), "group": group, "column": str(column)})
        checked[str(column)] = row
    return checked


def surviving_row(group: str, cells: Mapping[int, Sequence[str]], columns: Sequence[str],
                  kept: int, choices: Mapping[str, int] | None = None,
                  fill_empty: bool = False) -> Survivor:
    """The surviving row of one group.

    `cells` maps each row of the group (0-based input position) to its values, one per column
    of `columns`; `kept` is the row that survives. A column in `choices` takes its value from
    the row named there (the kept row itself means "keep it as it is", also with `fill_empty`).
    With `fill_empty`, every other column whose kept cell is empty (blank after trimming)
    takes the first non-empty value of the group's other rows in file order; a filled cell is
    never overwritten. Only values that differ from the kept row's are reported as taken.
    BadOption `bad_survivor` when `kept` is not in `cells`; `check_value_choices`' errors.
    """
    rows = sorted(cells)
    if kept not in cells:
        raise BadOption(f"Row {kept + 1} is not in group {group}.", code="bad_survivor",
                        params={"row": kept + 1, "group": group})
    chosen = check_value_choices(group, rows, columns, choices or {})
    base = [_text(value) for value in cells[kept]]
    values, sources, taken = list(base), [kept] * len(columns), []
    for k, column in enumerate(columns):
        source = chosen.get(column)
        if source is None and fill_empty and not base[k].strip():
            source = next((row for row in rows if row != kept and _text(cells[row][k]).strip()), None)
        if source is None or source == kept:
            continue
        new = _text(cells[source][k])
        sources[k] = source
        if new != base[k]:
            values[k] = new
            taken.append(TakenValue(group, column, source, base[k], new, filled=column not in chosen))
    return Survivor(values, sources, taken)


def cells_lost(frame: "pd.DataFrame", kept_of: Mapping[int, int],
               changed: Mapping[int, Sequence[str]]) -> dict[str, int]:
    """Per column (in the table's order, only columns with any), the filled cells of removed
    rows whose kept row holds nothing in that column: values a `--keep` run drops without a
    trace in the kept table (DECISIONS 308). `frame` is the input table; `kept_of` maps each
    removed row (0-based input position) to the row kept in its place; `changed` gives the
    kept rows whose values were taken from other rows (`Survivor.values`). Filled means not
    blank after trimming, as `surviving_row` reads it; linear in the cells of those rows, read
    one column at a time (all at once, as Python strings, they were 7 GB of a save on issue 27's
    10 M-row export: DECISIONS 471)."""
    import numpy as np

    if not kept_of:
        return {}
    removed = np.fromiter(kept_of.keys(), dtype=np.int64, count=len(kept_of))
    kept = np.fromiter(kept_of.values(), dtype=np.int64, count=len(kept_of))
    rows = np.union1d(removed, kept)
    removed, kept = np.searchsorted(rows, removed), np.searchsorted(rows, kept)
    changed_at = {int(np.searchsorted(rows, row)): values for row, values in changed.items()}
    filled_of = np.frompyfunc(lambda value: bool(_text(value).strip()), 1, 1)
    lost = {}
    for k, column in enumerate(frame.columns):
        filled = filled_of(frame.iloc[rows, k].to_numpy(dtype=object)).astype(bool)
        for at, values in changed_at.items():
            filled[at] = bool(_text(values[k]).strip())
        count = int((filled[removed] & ~filled[kept]).sum())
        if count:
            lost[str(column)] = count
    return lost


def _text(value: Any) -> str:
    """A cell as text: None and NaN (a frame built by a script) are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def read_value_choices(path: str) -> dict[str, dict[str, int]]:
    """The per-column choices of a values file: {cluster id: {column: 0-based row}}.

    The file is a table (read like any input) with the columns `cluster_id`, `column` and
    `row`: the group, the column, and the row (1-based, as the merge list numbers rows) whose
    value that column of the group's surviving row takes. Raises BadOption `bad_values_file`
    for a missing column, a row that is not a whole number from 1, or a group's column
    chosen twice.
    """
    from datatools.io import read_table

    frame = read_table(path).frame
    missing = [name for name in ("cluster_id", "column", "row") if name not in frame.columns]
    if missing:
        raise BadOption(f"The values file {path} needs the columns cluster_id, column and row; "
                       f"{missing[0]} is missing.", code="bad_values_file",
                       params={"file": str(path), "column": missing[0]})
    choices: dict[str, dict[str, int]] = {}
    for line, (group, column, row) in enumerate(
            zip(frame["cluster_id"], frame["column"], frame["row"]), start=2):
        group, column, row = str(group).strip(), str(column).strip(), str(row).strip()
        if not row.isdigit() or int(row) < 1:
            raise BadOption(f"Line {line} of {path}: the row must be a row number from 1, not {row!r}.",
                           code="bad_values_file", params={"file": str(path), "line": str(line)})
        if column in choices.get(group, {}):
            raise BadOption(f"Line {line} of {path}: group {group}'s {column} is chosen twice.",
                           code="bad_values_file", params={"file": str(path), "line": str(line)})
        choices.setdefault(group, {})[column] = int(row) - 1
    return choices
