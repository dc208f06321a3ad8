"""Compare two versions of a table: schema changes, then added, removed and changed rows.

Columns pair by name, then by content (datatools/tools/compare_columns.py). Rows pair by a key:
the columns given, else the candidate whose pairing leaves the most other cells equal, never a
running row number while another candidate exists (datatools/tools/compare_key.py). Without
any usable key, identical rows pair first, the rest are aligned one-to-one by fuzzy
matching, and the rows left pair by the most equal cells (more than half)
(datatools/tools/compare_rows.py). A running row number is carried but its renumbering is not a
change. The summary, its notes and the diff's status columns: datatools/tools/compare_report.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from datatools.errors import BadInput
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools.compare_columns import (ColumnPairing, pair_columns_by_content,
                                             pair_columns_by_name)
from datatools.tools.compare_key import (cells_differ, choose_key, identifying_columns,
                                         is_row_counter, repeated_key, repeating_key_column,
                                         text_array, unconvincing_keys)
from datatools.tools.compare_numbers import frame_styles, respelled_numbers
from datatools.tools.compare_report import (NOTICE_CODES, OLD_SUFFIX, STATUS_COLUMNS, STATUSES,
                                            CompareSummary, _notes, reserved_column)
from datatools.tools.compare_rows import _pair_rows_by_content, _pair_rows_by_key, content_beats
from datatools.tools.invisible import invisible_notice, shown_invisible, visible_frame
from datatools.tools.similarity import check_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# What scripts import from here; the report's names live in compare_report.py.
__all__ = ["NOTICE_CODES", "OLD_SUFFIX", "STATUSES", "STATUS_COLUMNS", "CompareResult",
           "CompareSummary", "InvisibleFound", "compare_tables", "reserved_column"]


@dataclass
class CompareResult:
    summary: CompareSummary
    diff: "pd.DataFrame"           # status, changed_columns, old_row, new_row, the columns, "<col> (old)"
    columns: list[str] = field(default_factory=list)   # the table's columns in the diff: new, then removed
    compared: list[str] = field(default_factory=list)  # the paired columns (new names)
    # diff rows × `compared`: the cell's value changed (a running row number's renumbering is not)
    changed_cells: "np.ndarray | None" = None
    invisible: "InvisibleFound | None" = None     # what the notes on invisible characters count


def compare_tables(old: "pd.DataFrame", new: "pd.DataFrame", key: Sequence[str] | None = None,
                   *, changed_only: bool = False, progress: Progress | None = None,
                   names: tuple[str, str] = ("the old table", "the new table"),
                   counters: Sequence[str] | None = None, by_content: bool = False,
                   styles: tuple[dict, dict] | None = None) -> CompareResult:
    """Schema changes, row status and changed cells between `old` and `new` (text frames).

    `key`: columns (by their new names) that identify a row; None: choose one. `changed_only`:
    the diff leaves out unchanged rows (the counts still count them). `names`: what messages
    call the two versions (their file names). `counters`: the running row numbers, when the
    caller found them over more rows than these frames hold (the duckdb engine passes only the
    rows that differ); None: found here. `by_content`: pair rows by content without looking for
    a key (the duckdb engine found none over the whole files and passes the rows it could not
    set aside). `styles`: each version's decimal mark and date order per column
    (compare_numbers.ParquetStyles), when the caller found them over more rows than these;
    None: found here. Neither frame is modified. Raises BadOption for a
    key column missing from either version, or not unique in one (`key_not_unique`: the
    column, the file, a repeated value and how often it appears); BadInput for versions that
    share no column; Cancelled on cancel.
    """
    progress = progress or silent()
    # Rows pair, and cells compare, by what the eye sees (datatools/tools/invisible.py); the
    # diff shows the cells as written.
    shown_old, shown_new = old, new
    old, _ = visible_frame(old, list(old.columns))
    new, _ = visible_frame(new, list(new.columns))
    clash = [c for c in STATUS_COLUMNS if c in new.columns or c in old.columns]
    if clash:
        raise reserved_column(clash[0], names[0] if clash[0] in old.columns else names[1])
    columns = pair_columns_by_name(list(old.columns), list(new.columns))
    if not columns.pairs:
        raise BadInput("The two tables have no column name in common; nothing to compare.",
                       code="compare_no_shared_column", params={"old": names[0], "new": names[1]})
    view = _old_by_new_names(old, columns)
    shared = columns.shared
    identifying = identifying_columns(view, new, shared)
    counters = [c for c in identifying if is_row_counter(c, view[c], new[c])] if counters is None \
        else [c for c in shared if c in counters]
    summary = CompareSummary(counters=counters)
    progress.update(0.0, "pairing rows")
    if key:
        key_columns = check_columns(view, key, names[0])
        check_columns(new, key_columns, names[1])
    elif by_content:
        key_columns = []
    else:
        key_columns, candidates = choose_key(view, new, identifying, counters, shared)
        summary.key_inferred = bool(key_columns)
        summary.key_candidates = [c.to_dict() for c in candidates]
    content_columns = [c for c in shared if c not in counters] or shared
    if key_columns:
        old_of_new = _pair_rows_by_key(view, new, key_columns, names)
        if summary.key_inferred and key_columns[0] in counters:
            by_rows = content_beats(view, new, old_of_new, content_columns, progress.stage(0.0, 0.9))
            if by_rows is not None:
                key_columns, old_of_new = [], by_rows
                summary.key_inferred = False
    else:
        old_of_new = _pair_rows_by_content(view, new, content_columns, progress.stage(0.0, 0.9))
    summary.key, summary.aligned_by = key_columns, "key" if key_columns else "content"
    if not key_columns and not key and not by_content:
        summary.repeated_key = repeated_key((view, names[0]), (new, names[1]),
                                            repeating_key_column(view, new, shared, counters))
        summary.keys_passed_over = unconvincing_keys(view, new, identifying, counters)
    progress.update(0.9, "comparing cells")
    pair_columns_by_content(columns, old, new, old_of_new)
    view = _old_by_new_names(old, columns)
    shown_view = _old_by_new_names(shown_old, columns)
    diff, changed_cells = _diff((view, shown_view), (new, shown_new), columns, old_of_new,
                                counters, key_columns, summary, styles)
    if changed_only:
        kept = (diff["status"] != "unchanged").to_numpy()
        diff, changed_cells = diff[kept].reset_index(drop=True), changed_cells[kept]
    summary.columns_renamed = [r.to_dict() for r in columns.renamed]
    summary.columns_added, summary.columns_removed = columns.added, columns.removed
    summary.columns_moved = columns.moved
    invisible = _invisible_found(summary, (view, shown_view), (new, shown_new), old_of_new)
    summary.notes = _notes(summary) + invisible.notes()
    progress.update(1.0, "compared")
    return CompareResult(summary, diff, list(new.columns) + columns.removed, columns.shared, changed_cells,
                         invisible)


def _old_by_new_names(old: "pd.DataFrame", columns: ColumnPairing) -> "pd.DataFrame":
    return old.rename(columns={o: n for o, n in columns.pairs if o != n})


def _diff(olds: tuple["pd.DataFrame", "pd.DataFrame"], news: tuple["pd.DataFrame", "pd.DataFrame"],
          columns: ColumnPairing, old_of_new: "np.ndarray", counters: list[str], key: list[str],
          summary: CompareSummary, styles: tuple[dict, dict] | None) -> tuple["pd.DataFrame", "np.ndarray"]:
    """The diff table and its changed cells (rows × shared columns), the row counts into
    `summary`. `olds` and `news`: each version in its visible form (compared) and as written
    (shown in the diff); the old ones carry the new names."""
    import numpy as np
    import pandas as pd

    (old, shown_old), (new, shown_new) = olds, news
    shared = columns.shared
    paired = old_of_new >= 0
    old_arrays = [text_array(old[c]) for c in shared]
    differs = np.zeros((len(new), len(shared)), dtype=bool)
    for k, column in enumerate(shared):
        differs[paired, k] = cells_differ(old_arrays[k], old_of_new[paired], new[column][paired])
    busy = [c for k, c in enumerate(shared) if differs[:, k].any()]   # styles only where needed
    styles = styles or (frame_styles(old, busy), frame_styles(new, busy))
    summary.numbers_respelled = respelled_numbers(differs, old_arrays, new, shared, old_of_new, styles)
    counted = np.array([c not in counters or c in key for c in shared], dtype=bool)
    changed_rows = (differs & counted).any(axis=1)
    status = np.where(~paired, "added", np.where(changed_rows, "changed", "unchanged"))
    names = np.array(shared, dtype=object)
    changed_names = np.full(len(new), "", dtype=object)
    for k in np.flatnonzero(changed_rows):
        changed_names[k] = ", ".join(names[differs[k] & counted])
    per_column = differs.sum(axis=0)
    summary.cells_changed = {c: int(n) for c, n, use in zip(shared, per_column, counted) if n and use}
    summary.renumbered = {c: int(n) for c, n, use in zip(shared, per_column, counted) if n and not use}

    diff_columns = list(new.columns) + columns.removed
    diff_new = shown_new.reindex(columns=diff_columns, fill_value="").copy()
    diff_new.insert(0, "status", status)
    diff_new.insert(1, "changed_columns", changed_names)
    diff_new.insert(2, "old_row", [str(o + 1) if o >= 0 else "" for o in old_of_new.tolist()])
    diff_new.insert(3, "new_row", [str(n + 1) for n in range(len(new))])
    with_old = [k for k, c in enumerate(shared) if per_column[k]]
    for k in with_old:
        column = np.full(len(new), "", dtype=object)
        rows = differs[:, k]
        written = text_array(shown_old[shared[k]])
        column[rows] = written.take(old_of_new[rows]).to_numpy(zero_copy_only=False)
        diff_new[shared[k] + OLD_SUFFIX] = column

    kept = np.zeros(len(old), dtype=bool)
    kept[old_of_new[paired]] = True
    removed_rows = np.flatnonzero(~kept)
    diff_old = shown_old.iloc[removed_rows].reindex(columns=diff_columns,
                                                    fill_value="").reset_index(drop=True)
    diff_old.insert(0, "status", "removed")
    diff_old.insert(1, "changed_columns", "")
    diff_old.insert(2, "old_row", [str(o + 1) for o in removed_rows.tolist()])
    diff_old.insert(3, "new_row", "")
    for k in with_old:
        diff_old[shared[k] + OLD_SUFFIX] = ""
    summary.added, summary.removed = int((status == "added").sum()), len(removed_rows)
    summary.changed, summary.unchanged = int(changed_rows.sum()), int((status == "unchanged").sum())
    changed_cells = np.vstack([differs & counted, np.zeros((len(removed_rows), len(shared)), dtype=bool)])
    return pd.concat([diff_new.reset_index(drop=True), diff_old], ignore_index=True), changed_cells


@dataclass
class InvisibleFound:
    """The paired rows whose key, and the other paired cells that, differ as written but not as
    seen (`_invisible_found`), and the first examples: what the notes on them say."""

    keys: int = 0                  # paired rows
    cells: int = 0
    # column (new name, in the new version's order) → whether it is a key column, and its first
    # three examples as (row of the new version, 0-based; the cell's repr), in row order
    examples: dict[str, tuple[bool, list[tuple[int, str]]]] = field(default_factory=dict)

    def notes(self) -> list[Notice]:
        """The notes: keys, then cells, each naming its columns and three examples at most."""
        notes = []
        for is_key, count, what in ((True, self.keys, "keys"), (False, self.cells, "cells")):
            columns = [c for c, (key, _) in self.examples.items() if key == is_key]
            shown = [text for c in columns for _, text in self.examples[c][1]]
            notes.append(invisible_notice(count, columns, shown[:3], what))
        return [note for note in notes if note is not None]


def _invisible_found(summary: CompareSummary, olds: tuple["pd.DataFrame", "pd.DataFrame"],
                     news: tuple["pd.DataFrame", "pd.DataFrame"], old_of_new: "np.ndarray"
                     ) -> InvisibleFound:
    """Count the paired rows whose key, and the other paired cells that, differ as written but
    not as seen. `olds`, `news`: (visible form, as written) as in `_diff`."""
    import numpy as np

    (old, shown_old), (new, shown_new) = olds, news
    paired = old_of_new >= 0
    found = InvisibleFound()
    if not paired.any() or (old is shown_old and new is shown_new):
        return found
    rows = old_of_new[paired]
    positions = np.flatnonzero(paired)
    key_rows = np.zeros(len(rows), dtype=bool)
    for column in [c for c in new.columns if c in old.columns]:
        written = cells_differ(text_array(shown_old[column]), rows, shown_new[column][paired])
        if not written.any():
            continue
        invisible = written & ~cells_differ(text_array(old[column]), rows, new[column][paired])
        if not invisible.any():
            continue
        is_key = column in summary.key
        if is_key:
            key_rows |= invisible
        else:
            found.cells += int(invisible.sum())
        values = shown_new[column][paired][invisible].head(3)
        found.examples[str(column)] = (is_key, [(int(n), shown_invisible(v)) for n, v in
                                                zip(positions[invisible][:3], values)])
    found.keys = int(key_rows.sum())
    return found


