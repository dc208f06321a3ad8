"""Compare two versions of a table: added, removed and changed rows, and the changed cells.

Rows are paired by a key: the columns given, else a column inferred from the data (unique and
filled in both versions, sharing most values). Without any usable key, identical rows pair first
and the rest are aligned one-to-one by fuzzy matching on all shared columns.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from datatools.errors import BadInput
from datatools.progress import Progress, silent
from datatools.tools.similarity import check_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A column is taken as the key only if at least this share of the smaller version's values also
# appears in the other version; an ID column renumbered between versions is not a key.
MIN_KEY_OVERLAP = 0.5
STATUS_COLUMNS = ("status", "changed_columns", "old_row", "new_row")
OLD_SUFFIX = " (old)"


@dataclass
class CompareSummary:
    added: int
    removed: int
    changed: int
    unchanged: int
    key: list[str]                 # empty when rows were aligned by content
    key_inferred: bool
    aligned_by: str                # "key" or "content"
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CompareResult:
    summary: CompareSummary
    diff: "pd.DataFrame"           # status, changed_columns, old_row, new_row, the columns, "<col> (old)"


def infer_key(old: "pd.DataFrame", new: "pd.DataFrame", shared: Sequence[str]) -> str | None:
    """The shared column that identifies rows in both versions best, or None."""
    best, best_overlap = None, MIN_KEY_OVERLAP
    for column in shared:
        before, after = old[column], new[column]
        if not (before.is_unique and after.is_unique) or (before == "").any() or (after == "").any():
            continue
        smaller = min(len(before), len(after)) or 1
        overlap = len(set(before) & set(after)) / smaller
        if overlap > best_overlap:
            best, best_overlap = column, overlap
    return best


def _pair_by_key(old: "pd.DataFrame", new: "pd.DataFrame", key: list[str]) -> list[tuple[int, int]]:
    for name, frame in (("the old table", old), ("the new table", new)):
        repeated = frame.duplicated(subset=key, keep=False)
        if repeated.any():
            value = " / ".join(frame.loc[repeated, key].iloc[0].tolist())
            raise BadInput(f"The key {', '.join(key)} is not unique in {name}: "
                           f"{value!r} appears {int(repeated.sum())} times. Choose another --key.")
    old_position = {tuple(row): k for k, row in enumerate(old[key].itertuples(index=False))}
    pairs = []
    for k, row in enumerate(new[key].itertuples(index=False)):
        match = old_position.get(tuple(row))
        if match is not None:
            pairs.append((match, k))
    return pairs


def _pair_by_content(old: "pd.DataFrame", new: "pd.DataFrame", shared: list[str],
                     progress: Progress) -> list[tuple[int, int]]:
    """Identical rows first (n-th copy with n-th copy), then fuzzy one-to-one on the rest."""
    from datatools.tools.match import match_tables

    def occurrences(frame: "pd.DataFrame") -> dict[tuple, list[int]]:
        table: dict[tuple, list[int]] = {}
        for k, row in enumerate(frame[shared].itertuples(index=False)):
            table.setdefault(tuple(row), []).append(k)
        return table

    old_rows = occurrences(old)
    pairs = []
    for k, row in enumerate(new[shared].itertuples(index=False)):
        waiting = old_rows.get(tuple(row))
        if waiting:
            pairs.append((waiting.pop(0), k))
    paired_old = {o for o, _ in pairs}
    paired_new = {n for _, n in pairs}
    rest_old = [k for k in range(len(old)) if k not in paired_old]
    rest_new = [k for k in range(len(new)) if k not in paired_new]
    if rest_old and rest_new:
        result = match_tables(old.iloc[rest_old][shared].reset_index(drop=True),
                              new.iloc[rest_new][shared].reset_index(drop=True).rename(
                                  columns=lambda c: f"new {c}"),
                              shared, [f"new {c}" for c in shared], unique=True,
                              progress=progress)
        scores = result.frame["match_score"].tolist()
        positions = result.frame[[f"right_new {c}" for c in shared]]
        right_rows = {tuple(row): k for k, row in enumerate(
            new.iloc[rest_new][shared].itertuples(index=False))}
        for k, score in enumerate(scores):
            if score:
                target = right_rows[tuple(positions.iloc[k])]
                pairs.append((rest_old[k], rest_new[target]))
    return pairs


def compare_tables(old: "pd.DataFrame", new: "pd.DataFrame", key: Sequence[str] | None = None,
                   *, progress: Progress | None = None) -> CompareResult:
    """Row status and changed cells between `old` and `new`; neither frame is modified.

    Raises BadInput for a key column missing from either version or not unique in one,
    or versions that share no column; Cancelled on cancel.
    """
    import numpy as np
    import pandas as pd

    progress = progress or silent()
    shared = [c for c in new.columns if c in old.columns]
    if not shared:
        raise BadInput("The two tables have no column name in common; nothing to compare.")
    clash = [c for c in STATUS_COLUMNS if c in new.columns or c in old.columns]
    if clash:
        raise BadInput(f"A table already has a column named {clash[0]!r}; rename it first.")
    inferred = False
    if key:
        key_columns = check_columns(old, key, "the old table")
        check_columns(new, key_columns, "the new table")
    else:
        guess = infer_key(old, new, shared)
        key_columns = [guess] if guess else []
        inferred = bool(guess)
    progress.update(0.0, "pairing rows")
    if key_columns:
        pairs = _pair_by_key(old, new, key_columns)
    else:
        pairs = _pair_by_content(old, new, shared, progress.stage(0.0, 0.9))
    progress.update(0.9, "comparing cells")

    old_of_new = np.full(len(new), -1, dtype=np.int64)
    for o, n in pairs:
        old_of_new[n] = o
    paired = old_of_new >= 0
    old_values = old[shared].to_numpy(dtype=object)
    new_values = new[shared].to_numpy(dtype=object)
    differs = np.zeros((len(new), len(shared)), dtype=bool)
    differs[paired] = old_values[old_of_new[paired]] != new_values[paired]
    changed_rows = differs.any(axis=1)
    status = np.where(~paired, "added", np.where(changed_rows, "changed", "unchanged"))
    changed_names = [", ".join(c for c, d in zip(shared, row) if d) for row in differs]

    new_only = [c for c in new.columns if c not in old.columns]
    old_only = [c for c in old.columns if c not in new.columns]
    columns = list(new.columns) + old_only
    diff_new = new.reindex(columns=columns, fill_value="").copy()
    diff_new.insert(0, "status", status)
    diff_new.insert(1, "changed_columns", changed_names)
    diff_new.insert(2, "old_row", [str(o + 1) if o >= 0 else "" for o in old_of_new.tolist()])
    diff_new.insert(3, "new_row", [str(n + 1) for n in range(len(new))])
    ever_changed = [c for c, d in zip(shared, differs.any(axis=0)) if d]
    for name in ever_changed:
        k = shared.index(name)
        column = np.full(len(new), "", dtype=object)
        rows = differs[:, k]
        column[rows] = old_values[old_of_new[rows], k]
        diff_new[name + OLD_SUFFIX] = column

    removed_rows = sorted(set(range(len(old))) - {o for o, _ in pairs})
    diff_old = old.iloc[removed_rows].reindex(columns=columns, fill_value="").reset_index(drop=True)
    diff_old.insert(0, "status", "removed")
    diff_old.insert(1, "changed_columns", "")
    diff_old.insert(2, "old_row", [str(o + 1) for o in removed_rows])
    diff_old.insert(3, "new_row", "")
    for name in ever_changed:
        diff_old[name + OLD_SUFFIX] = ""
    diff = pd.concat([diff_new.reset_index(drop=True), diff_old], ignore_index=True)
    summary = CompareSummary(
        added=int((status == "added").sum()), removed=len(removed_rows),
        changed=int(changed_rows.sum()), unchanged=int((status == "unchanged").sum()),
        key=key_columns, key_inferred=inferred, aligned_by="key" if key_columns else "content",
        columns_added=new_only, columns_removed=old_only)
    progress.update(1.0, "compared")
    return CompareResult(summary, diff)
