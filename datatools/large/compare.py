"""`compare_large`: two versions of a table larger than memory, paired by a key, on DuckDB.

DuckDB pairs the two working copies on the key and sets aside every pair whose cells are all
equal (unchanged: most rows of two versions); only the rows that differ — changed, added,
removed — are read into memory and compared by the in-memory `compare_tables`, with the
running row numbers found over the whole files. The diff is then assembled in the new
version's order (unchanged rows from the copy, the others from that comparison) and streamed
out: the same summary and the same file as the in-memory compare, for versions with the same
columns and a key (tests/test_large_compare.py). Other cases take the in-memory path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

from datatools.errors import BadInput, BadOption
from datatools.large import queries
from datatools.large.merge import unchanged_pairs
from datatools.large.rising import RisingColumns
from datatools.progress import Progress, silent
from datatools.tools import compare as memory
from datatools.tools.compare_key import counter_name
from datatools.tools.invisible import visible_frame

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.large.job import LargeJob


@dataclass
class LargeComparison:
    """The summary, the in-memory diff of the rows that differ, and how to stream the whole."""

    summary: memory.CompareSummary
    differing: "pd.DataFrame"          # the diff's rows of the pairs that differ (a renumbered
    #                                    row counter alone leaves them unchanged), original row numbers
    columns: list[str]                 # the diff file's columns
    # `differing`'s rows × `compared` (the in-memory CompareResult's): which cells changed
    changed_cells: "np.ndarray | None" = None
    compared: list[str] | None = None


INFER_ROWS = 200_000     # rows of each version the key is inferred on (all of a smaller file)
# Rows that differ compared in memory at a time (about; the larger version's), by hash of the key.
BATCH_ROWS = 150_000


def fits(old: "LargeJob", new: "LargeJob") -> bool:
    """Whether the large compare applies: the same columns in the same order."""
    return old.copy.names == new.copy.names


def infer_key(old: "LargeJob", new: "LargeJob") -> tuple[list[str], list[dict]] | None:
    """The key column `compare_tables` would choose, inferred on the first INFER_ROWS rows of
    each version and confirmed on the whole files (filled and unique in both), and the
    candidates considered; `([], [])` when no column qualifies, or the sample's choice is not
    unique over the whole (then rows pair by content); None when the best is a running row
    number (the in-memory engine weighs it against the rows' content)."""
    from datatools.tools.compare_key import choose_key, identifying_columns

    names = old.copy.names
    # As compare_tables: the key is chosen, and confirmed, on the cells as the eye reads them.
    samples = [visible_frame(_rows(job, "first_rows", names, {"rows": INFER_ROWS})[0], names)[0]
               for job in (old, new)]
    _visible_macro(old)
    identifying = identifying_columns(samples[0], samples[1], names)
    counters = _counters(old, new, names)
    guess, candidates = choose_key(samples[0], samples[1], identifying,
                                   [c for c in identifying if c in counters], names)
    if guess is None:
        return [], []
    if guess in counters:
        return None
    c = f"c{names.index(guess)}"
    for job, view in ((old, "wc"), (new, "wc2")):
        if view == "wc2":
            _second_view(old, new)
        filled, distinct = old.run_sql(queries.compose("key_confirmed", view=view, c=c))[1][0]
        if filled != job.copy.rows or distinct != job.copy.rows:
            return [], []
    return [guess], [candidate.to_dict() for candidate in candidates]


def _visible_macro(job: "LargeJob") -> None:
    """The SQL macro `visible(x)` (datatools/tools/invisible.py's visible form) on `job`'s connection."""
    job.query("visible_macro")


def _second_view(old: "LargeJob", new: "LargeJob") -> None:
    """The new version's working copy as the view `wc2` on `old`'s connection (once)."""
    if not old.query("has_second_view"):
        old.db.read_parquet(str(new.copy.parquet), file_row_number=True).create_view("wc2_file")
        old.query("second_view")


def compare_large(old: "LargeJob", new: "LargeJob", key: Sequence[str], *,
                  names: tuple[str, str], progress: Progress | None = None,
                  inferred: list[dict] | None = None) -> LargeComparison:
    """Compare `old` and `new` (the same columns) paired by `key`, or by content when `key` is
    empty (as `compare_tables` pairs versions no column identifies); errors as `compare_tables`.
    `inferred`: the candidates `infer_key` considered, when it chose `key`."""
    import pandas as pd

    progress = progress or silent()
    columns = old.copy.names
    clash = [c for c in memory.STATUS_COLUMNS if c in columns]
    if clash:
        raise BadInput(f"A table already has a column named {clash[0]!r}; rename it first.",
                       code="compare_reserved_column", params={"column": clash[0]})
    key = memory.check_columns(pd.DataFrame(columns=columns), key, names[0]) if key else []
    stored = {name: f"c{i}" for i, name in enumerate(columns)}
    _second_view(old, new)
    _visible_macro(old)
    for job, view, name in ((old, "wc", names[0]), (new, "wc2", names[1])):
        # A key column of digits rising row by row (the reader saw it) is unique as it is.
        if key and not (len(key) == 1 and _rising(job.copy)[columns.index(key[0])] is not None):
            _check_unique(old, view, [stored[k] for k in key], key, name)
    counters = _counters(old, new, columns)
    progress.update(0.1, "pairing rows")
    equal = " AND ".join(queries.sql("cell_equal", c=c) for c in stored.values())
    if key and len(key) == 1 and all(_rising(job.copy)[columns.index(key[0])] is not None
                                     for job in (old, new)):
        # Both copies sorted by a running key: a streamed merge instead of a join that spills.
        old.query("same_empty")
        for part in unchanged_pairs(old.copy.parquet, new.copy.parquet, stored[key[0]], progress):
            old.register("merged_same", part)
            old.query("same_add")
    elif key:
        on = " AND ".join(queries.sql("cell_equal", c=stored[k]) for k in key)
        old.run_sql(queries.compose("unchanged_pairs", on=on, equal=equal))
    else:
        _unchanged_by_content(old, [stored[c] for c in columns if c not in counters] or
                              list(stored.values()), equal)
    same = old.query("count_unchanged")[0][0]
    progress.update(0.4, "reading the rows that differ")
    result = _compare_differing(old, columns, [stored[k] for k in key] or list(stored.values()),
                                key, names, counters, progress.stage(0.4, 0.9))
    summary = result.summary
    summary.unchanged += same
    if inferred is not None:
        summary.key_inferred, summary.key_candidates = True, inferred
    # The rows DuckDB set aside are equal as written, so the notes on keys and cells that
    # differ only by invisible characters come whole from the rows compared in memory.
    summary.notes = memory._notes(summary) + [
        n for n in result.summary.notes if getattr(n, "code", "").startswith("invisible_")]
    differing = result.diff
    progress.update(1.0, "compared")
    return LargeComparison(summary, differing, [str(c) for c in differing.columns],
                           result.changed_cells, list(result.compared))


def _compare_differing(job: "LargeJob", columns: list[str], hashed: list[str], key: list[str],
                       names: tuple[str, str], counters: list[str],
                       progress: Progress) -> memory.CompareResult:
    """The in-memory compare of the rows outside `same`, with their row numbers over the whole
    files: by batches of about BATCH_ROWS rows of the larger side (the rows whose key — the
    working-copy columns `hashed` — hashes, in its visible form, into one of the parts, so a
    key's two rows meet in one batch), merged into the result one compare of them all gives.
    The rows are read once as Arrow (compact), each batch made a text frame in turn. One batch when rows pair by content (`key` empty): that pairing looks at every row."""
    import math

    hashed_sql = ", ".join(queries.sql("visible_of", c=c) for c in hashed)
    tables = [job.run_sql(queries.compose(query, key=hashed_sql), arrow=True)
              for query in ("differing_old", "differing_new")]
    parts = max(1, math.ceil(max(t.num_rows for t in tables) / BATCH_ROWS)) if key else 1
    hashes = [t.column("h").to_numpy() % parts for t in tables]
    tables = [t.drop_columns(["h"]) for t in tables]
    results = []
    for part in range(parts):
        (before, before_rows), (after, after_rows) = [
            _frame(t if parts == 1 else t.filter(h == part), columns) for t, h in zip(tables, hashes)]
        if results and not len(before) and not len(after):
            continue
        # Not `changed_only`: a pair that differs only in a running row number is unchanged, yet
        # its diff row carries the old number.
        result = memory.compare_tables(before, after, key or None, names=names, counters=counters,
                                       by_content=not key,
                                       progress=progress.stage(part / parts, (part + 1) / parts))
        for column, rows in (("old_row", before_rows), ("new_row", after_rows)):
            result.diff[column] = [str(rows[int(n) - 1] + 1) if n else "" for n in result.diff[column]]
        for column, (is_key, examples) in result.invisible.examples.items():
            result.invisible.examples[column] = (is_key, [(after_rows[n], v) for n, v in examples])
        results.append(result)
    return results[0] if len(results) == 1 else _merged(results, columns)


def _merged(results: list[memory.CompareResult], columns: list[str]) -> memory.CompareResult:
    """One CompareResult from the batches' (the same columns, distinct rows, row numbers over
    the whole files): the counts summed, each column's "(old)" column where any batch has it,
    the rows in the new version's order, then the removed ones in the old version's, and the
    notes on invisible characters from the first examples over all batches."""
    import numpy as np
    import pandas as pd

    first = results[0]
    shared = first.compared
    diff_columns = list(memory.STATUS_COLUMNS) + columns + [
        c + memory.OLD_SUFFIX for c in shared if any(c + memory.OLD_SUFFIX in r.diff for r in results)]
    diff = pd.concat([r.diff.reindex(columns=diff_columns, fill_value="") for r in results],
                     ignore_index=True)
    changed = np.vstack([r.changed_cells for r in results])
    removed = (diff["status"] == "removed").to_numpy()
    new_rows = pd.to_numeric(diff["new_row"].where(~removed, "0")).to_numpy()
    old_rows = pd.to_numeric(diff["old_row"].where(removed, "0")).to_numpy()
    order = np.concatenate([np.flatnonzero(~removed)[np.argsort(new_rows[~removed], kind="stable")],
                            np.flatnonzero(removed)[np.argsort(old_rows[removed], kind="stable")]])
    summary = first.summary
    for field in ("added", "removed", "changed", "unchanged"):
        setattr(summary, field, sum(getattr(r.summary, field) for r in results))
    for field in ("cells_changed", "renumbered"):
        totals = {c: sum(getattr(r.summary, field).get(c, 0) for r in results) for c in shared}
        setattr(summary, field, {c: n for c, n in totals.items() if n})
    invisible = memory.InvisibleFound(sum(r.invisible.keys for r in results),
                                      sum(r.invisible.cells for r in results))
    for column in columns:
        found = [r.invisible.examples[column] for r in results if column in r.invisible.examples]
        if found:
            invisible.examples[column] = (found[0][0], sorted(e for _, ex in found for e in ex)[:3])
    summary.notes = invisible.notes()
    return memory.CompareResult(summary, diff.iloc[order].reset_index(drop=True), first.columns,
                                shared, changed[order], invisible)


def _unchanged_by_content(job: "LargeJob", content: list[str], equal: str) -> None:
    """The table `same` for versions paired by content: the n-th old row and the n-th new row
    holding the same visible `content` pair (as `_pair_rows_by_content` pairs identical rows),
    and the pairs equal in every cell as written are set aside. Taking such pairs out of both
    versions leaves every other row's rank among its identical rows paired as before, so the
    in-memory compare pairs the rows left exactly as it would pair the whole files."""
    visible = ", ".join(queries.sql("visible_column", c=c) for c in content)
    job.run_sql(queries.compose("unchanged_by_content", content=", ".join(content), visible=visible,
                                equal=equal))


def _check_unique(job: "LargeJob", view: str, stored: list[str], key: list[str], name: str) -> None:
    """As the in-memory check: the first repeated key value, in file order, and its count."""
    columns = ", ".join(stored)
    visible = ", ".join(queries.sql("visible_column", c=c) for c in stored)
    found = job.run_sql(queries.compose("repeated_key", view=view, key=columns, visible=visible))[1]
    if found:
        *values, count = found[0][:-1]
        value = " / ".join(map(str, values))
        column = ", ".join(key)
        raise BadOption(f"The key {column} is not unique in {name}: {value!r} appears {count} times. "
                        "Choose another key column.", code="key_not_unique",
                        params={"column": column, "file": name, "value": value, "count": count})


def _rows(job: "LargeJob", query: str, names: list[str],
          params: dict | None = None) -> tuple["pd.DataFrame", list[int]]:
    """The rows of `query` (all columns and `rownum`) as a text frame, and their row numbers."""
    return _frame(job.arrow(query, params), names)


def _frame(table, names: list[str]) -> tuple["pd.DataFrame", list[int]]:
    """The pyarrow Table's rows (all columns and `rownum`) as a text frame, and their row numbers."""
    rows = table.column("rownum").to_pylist()
    frame = table.drop_columns(["rownum"]).to_pandas()
    frame.columns = names
    return frame.astype("str"), rows


def _counters(old: "LargeJob", new: "LargeJob", names: list[str]) -> list[str]:
    """The running row numbers over the whole files, as `is_row_counter` decides on whole
    columns: whole numbers rising row by row in both, and a row-number header or 0/1…n in both."""
    scans = [_rising(job.copy) for job in (old, new)]
    return [name for i, name in enumerate(names)
            if all(scan[i] is not None for scan in scans)
            and (counter_name(name) or all(scan[i] for scan in scans))]


def _rising(copy) -> list[bool | None]:
    """Per column of working copy `copy`: None unless every value is 1–18 digits and rises;
    else whether it runs from 0 or 1 without a gap (counted by the reader, else read here)."""
    import pyarrow.parquet as pq

    if copy.info.rising is not None:
        return copy.info.rising
    found = RisingColumns(len(copy.names))
    for batch in pq.ParquetFile(copy.parquet).iter_batches(batch_size=1 << 18):
        found.add(batch)
    return found.result()


def diff_parts(old: "LargeJob", new: "LargeJob", comparison: LargeComparison, changed_only: bool,
               progress: Progress | None = None) -> Iterator[tuple["pd.DataFrame", float]]:
    """The diff file in parts, as the in-memory diff orders it: the new version's rows in order
    (unchanged ones from its working copy, unless `changed_only`), then the removed rows."""
    import pandas as pd
    import pyarrow.parquet as pq

    progress = progress or silent()
    diff = comparison.differing
    removed = diff[diff["status"] == "removed"].reset_index(drop=True)
    present = diff[diff["status"] != "removed"].reset_index(drop=True)
    source = pq.ParquetFile(new.copy.parquet)
    if changed_only or source.num_row_groups == 0:
        if changed_only:
            present = present[present["status"] != "unchanged"]
        yield pd.concat([present, removed], ignore_index=True), 1.0
        return
    by_new_row = {int(n): k for k, n in enumerate(present["new_row"])}
    names = new.copy.names
    offset = 0
    for group in range(source.num_row_groups):
        frame = source.read_row_group(group).to_pandas()
        rows = len(frame)
        numbers = list(range(offset + 1, offset + rows + 1))
        pairs = dict(old.query("unchanged_in_range", {"low": offset, "high": offset + rows - 1}))
        part = pd.DataFrame({column: [""] * rows for column in comparison.columns}, dtype=object)
        part["status"] = "unchanged"
        for i, name in enumerate(names):
            part[name] = frame[f"c{i}"].to_numpy(dtype=object)
        part["new_row"] = [str(n) for n in numbers]
        part["old_row"] = [str(pairs[n - 1] + 1) if n - 1 in pairs else "" for n in numbers]
        taken = [(k, by_new_row[n]) for k, n in enumerate(numbers) if n in by_new_row]
        if taken:
            local, in_diff = zip(*taken)
            part.iloc[list(local)] = present[comparison.columns].iloc[list(in_diff)].to_numpy(dtype=object)
        offset += rows
        progress.update(offset / max(new.copy.rows, 1), "writing rows")
        yield part, min(offset / max(new.copy.rows, 1), 0.99)
    if len(removed):
        yield removed, 1.0
