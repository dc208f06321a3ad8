"""Compare two versions of a table: schema changes, then added, removed and changed rows.

Columns pair by name, then by content (datatools/tools/compare_columns.py). Rows pair by a key:
the columns given, else the candidate whose pairing leaves the most other cells equal, never a
running row number while another candidate exists (datatools/tools/compare_key.py). Without
any usable key, identical rows pair first, the rest are aligned one-to-one by fuzzy
matching, and the rows left pair by the most equal cells (more than half). A running row number is carried but its renumbering is not a change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Sequence

from datatools.errors import BadInput
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools.compare_columns import (ColumnPairing, pair_columns_by_content,
                                             pair_columns_by_name)
from datatools.tools.compare_key import (KeyCandidate, cells_differ, choose_key, first_repeated,
                                         identifying_columns, is_row_counter, not_unique, pair_on,
                                         repeated_key, repeated_key_notes, repeating_key_column,
                                         text_array, unconvincing_keys)
from datatools.tools.compare_numbers import frame_styles, respelled_notes, respelled_numbers
from datatools.tools.invisible import invisible_notice, visible_frame
from datatools.tools.similarity import DEFAULT_THRESHOLD, check_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

STATUS_COLUMNS = ("status", "changed_columns", "old_row", "new_row")
# The diff's status words: the file keeps them in English for every language (scripts and
# spreadsheet filters rely on them); the window shows them translated (DECISIONS 134).
STATUSES = ("added", "removed", "changed", "unchanged")


def reserved_column(column: str, file: str) -> BadInput:
    """BadInput `compare_reserved_column`: `file` holds `column`, one of STATUS_COLUMNS, which
    the diff adds to each row (exact name, so `Status` is not one of them)."""
    subject = file[:1].upper() + file[1:] if file.startswith("the ") else file
    return BadInput(f"{subject} already has a column named {column!r}, which the comparison adds to "
                    "each row of its result (status, changed_columns, old_row, new_row); rename "
                    "that column in the file first.", code="compare_reserved_column",
                    params={"column": column, "file": file})
OLD_SUFFIX = " (old)"
# The codes of compare's notes (catalog keys `notice.<code>`, tests/desktop/test_i18n.py).
NOTICE_CODES = ("compare_renamed_by_name", "compare_renamed_by_content", "compare_columns_added",
                "compare_columns_removed", "compare_columns_moved", "compare_paired_by_key",
                "compare_paired_by_key_inferred", "compare_paired_by_key_inferred_others",
                "compare_paired_by_keys", "compare_paired_by_keys_inferred",
                "compare_paired_by_keys_inferred_others",
                "compare_paired_by_content", "compare_paired_by_content_counter",
                "compare_paired_by_content_few_rows",
                "compare_row_counter", "compare_key_repeated", "compare_numbers_respelled",
                "invisible_keys", "invisible_cells")


@dataclass
class CompareSummary:
    """What changed; schema changes come first, as the report shows them."""

    columns_renamed: list[dict[str, Any]] = field(default_factory=list)   # RenamedColumn.to_dict()
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_moved: list[str] = field(default_factory=list)
    added: int = 0                 # rows
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    cells_changed: dict[str, int] = field(default_factory=dict)   # column (new name) → cells
    key: list[str] = field(default_factory=list)                  # empty: rows aligned by content
    key_inferred: bool = False
    aligned_by: str = "key"        # "key" or "content"
    key_candidates: list[dict[str, Any]] = field(default_factory=list)   # best first
    counters: list[str] = field(default_factory=list)             # running row numbers
    renumbered: dict[str, int] = field(default_factory=dict)      # counter → paired rows renumbered
    repeated_key: dict[str, Any] = field(default_factory=dict)    # repeated_key(): why by content
    # unique columns not taken as the key in a file of few rows (compare_key.unconvincing_keys)
    keys_passed_over: list[str] = field(default_factory=list)
    numbers_respelled: dict[str, dict[str, Any]] = field(default_factory=dict)  # compare_numbers
    notes: list[Notice] = field(default_factory=list)             # the above in words, schema first

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain data; `notes` stay Notices (their English text in JSON)."""
        data = asdict(replace(self, notes=[]))   # asdict would deep-copy, and lose, the codes
        data["notes"] = list(self.notes)
        return data

    def to_text(self) -> str:
        """The report as the command prints it: schema changes, the counts, what was set aside."""
        counts = (f"{self.added:,} added, {self.removed:,} removed, {self.changed:,} changed, "
                  f"{self.unchanged:,} unchanged; rows paired {pairing_text(self)}.")
        invisible = [n for n in self.notes if getattr(n, "code", "").startswith("invisible_")]
        return "\n".join([*_schema_notes(self), counts, *repeated_key_notes(self.repeated_key),
                          *respelled_notes(self.numbers_respelled), *_counter_notes(self), *invisible])


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


def _notes(summary: CompareSummary) -> list[Notice]:
    """The schema changes first, then how rows were paired and what was set aside, in words."""
    return [*_schema_notes(summary), pairing_notice(summary), *repeated_key_notes(summary.repeated_key),
            *respelled_notes(summary.numbers_respelled), *_counter_notes(summary)]


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
        found.examples[str(column)] = (is_key, [(int(n), repr(v)) for n, v in
                                                zip(positions[invisible][:3], values)])
    found.keys = int(key_rows.sum())
    return found


def _schema_notes(summary: CompareSummary) -> list[Notice]:
    notes = []
    for r in summary.columns_renamed:
        if r["by"] == "name":
            notes.append(Notice(f"Column {r['old']} is now {r['new']} (renamed: same name up to case "
                                "and spacing).", "compare_renamed_by_name", old=r["old"], new=r["new"]))
        else:
            notes.append(Notice(f"Column {r['old']} is now {r['new']} (renamed: {r['agreement']:.0%} "
                                "of paired rows hold the same value).", "compare_renamed_by_content",
                                old=r["old"], new=r["new"], percent=round(100 * r["agreement"])))
    for what, names in (("added", summary.columns_added), ("removed", summary.columns_removed),
                        ("moved", summary.columns_moved)):
        if names:
            notes.append(Notice(f"Column{'s' if len(names) > 1 else ''} {what}: {', '.join(names)}.",
                                f"compare_columns_{what}", columns=", ".join(names), count=len(names)))
    return notes


def _counter_notes(summary: CompareSummary) -> list[Notice]:
    return [Notice(f"{column} is a running row number: {_count(rows, 'paired row')} renumbered, not "
                   "counted as changes.", "compare_row_counter", column=column, rows=rows)
            for column, rows in summary.renumbered.items()]


def pairing_notice(summary: CompareSummary) -> Notice:
    """How rows were paired (`Rows paired by key sku (…).`), coded by the way they were paired.

    `others` (inferred key with other candidates): the other candidates in English; the window
    words them itself from `key_candidates`.
    """
    text = f"Rows paired {pairing_text(summary)}."
    key = ", ".join(summary.key)
    if not summary.key:
        if summary.key_candidates:
            return Notice(text, "compare_paired_by_content_counter")
        if summary.keys_passed_over:
            return Notice(text, "compare_paired_by_content_few_rows",
                          columns=", ".join(summary.keys_passed_over))
        return Notice(text, "compare_paired_by_content")
    by = "compare_paired_by_keys" if len(summary.key) > 1 else "compare_paired_by_key"   # columns
    if not summary.key_inferred:
        return Notice(text, by, key=key)
    chosen, *others = [KeyCandidate(**c) for c in summary.key_candidates]
    if not others:
        return Notice(text, f"{by}_inferred", key=key)
    return Notice(text, f"{by}_inferred_others", key=key, equal=chosen.equal_cells,
                  others=_considered(others))


def pairing_text(summary: CompareSummary) -> str:
    """How rows were paired, with the other key candidates: `by key sku (inferred; …)`."""
    if not summary.key:
        passed = summary.keys_passed_over
        why = ("a running row number left fewer cells equal" if summary.key_candidates
               else "too few rows to take a column as the key only because it is unique, and "
                    f"none of the unique ones ({', '.join(passed)}) looks like an identifier; "
                    "name a key with --key" if passed
               else "no column identifies rows in both versions")
        return f"by content ({why})"
    text = f"by key {', '.join(summary.key)}"
    if not summary.key_inferred:
        return text
    chosen, *others = [KeyCandidate(**c) for c in summary.key_candidates]
    if not others:
        return text + " (inferred)"
    return (f"{text} (inferred: {_count(chosen.equal_cells, 'other cell')} equal; also considered: "
            f"{_considered(others)})")


def _considered(others: list[KeyCandidate]) -> str:
    return "; ".join(f"{c.column}, a running row number" if c.counter else
                     f"{c.column}, {_count(c.equal_cells, 'cell')} equal" for c in others)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
