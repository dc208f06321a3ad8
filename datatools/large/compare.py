"""`compare_large`: two versions of a table larger than memory, paired by a key, on DuckDB.

DuckDB pairs the two working copies on the key and sets aside every pair whose cells are all
equal (unchanged: most rows of two versions; found on the key and each row's hash, then
checked cell by cell, verify.py); only the rows that differ — changed, added, removed — are
compared by the in-memory `compare_tables`, a batch at a time in the diff's own order, with
the running row numbers found over the whole files, and each batch's diff is written to disk
as it comes. The diff is then streamed out in the new version's order (unchanged rows from the
copy, the others from that file): the same summary and the same file as the in-memory compare,
for versions with the same columns and a key (tests/test_large_compare.py). Other cases take
the in-memory path. The key and the running row numbers: compare_key.py; the diff streamed
out: compare_diff.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from datatools.large import queries
from datatools.large.compare_diff import diff_parts
from datatools.large.compare_key import (_check_unique, _counters, _first_repeated, _frame, _rising,
                                         _samples, _second_view, _visible_macro, infer_key)
from datatools.large.merge import unchanged_pairs
from datatools.large.verify import check_pairs
from datatools.progress import Progress, silent
from datatools.tools import compare as memory
from datatools.tools.compare_key import (identifying_columns, repeated_key, repeating_key_column,
                                         unconvincing_keys)
from datatools.tools.compare_numbers import ParquetStyles, respelled_summed
from datatools.tools.compare_report import _notes
from datatools.tools.similarity import check_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.large.job import LargeJob

# What the app and the command import from here (infer_key and diff_parts live beside it).
__all__ = ["BATCH_ROWS", "DIFFERING_FILE", "READ_ROWS", "LargeComparison", "compare_large",
           "diff_parts", "fits", "infer_key"]


@dataclass
class LargeComparison:
    """The summary, and the diff's rows of the pairs that differ on disk, in the diff's order."""

    summary: memory.CompareSummary
    # The diff's rows of the rows that differ (a renumbered row counter alone leaves a pair
    # unchanged, yet listed here), original row numbers, in the diff's order: the new version's
    # in its order, then the removed ones in the old version's. A Parquet file whose columns
    # d0, d1, … are `all_columns` (every column's "(old)" column) and `changed` the row's changed
    # cells over `compared` (a list of booleans).
    differing: Path
    columns: list[str]                 # the diff file's columns
    all_columns: list[str]
    compared: list[str]

    def differing_parts(self, columns: Sequence[str] | None = None,
                        changed_only: bool = False) -> Iterator["pd.DataFrame"]:
        """The diff's rows of the rows that differ, READ_ROWS at a time, as text frames of
        `columns` (default: the diff file's); `changed_only` leaves the unchanged ones out."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        columns = list(columns or self.columns)
        stored = [f"d{self.all_columns.index(c)}" for c in columns]
        status = stored[0] if columns[0] == "status" else None
        reading = stored if status or not changed_only else ["d0", *stored]
        for batch in pq.ParquetFile(self.differing).iter_batches(batch_size=READ_ROWS, columns=reading):
            if changed_only:
                batch = batch.filter(pc.not_equal(batch.column(0), "unchanged"))
            frame = batch.select(stored).to_pandas()
            frame.columns = columns
            yield frame

    def differing_index(self) -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
        """The status and new row number (0 for a removed row) of each row in `differing`, and
        its changed cells (rows × `compared`, booleans)."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        table = pq.read_table(self.differing, columns=["d0", "d3", "changed"])
        status = table.column(0).to_numpy(zero_copy_only=False).astype(object)
        new_rows = pc.cast(pc.if_else(pc.equal(table.column(1), ""), "0", table.column(1)), "int64").to_numpy()
        cells = pc.list_flatten(table.column(2)).to_numpy(zero_copy_only=False).astype(bool)
        return status, new_rows, cells.reshape(len(status), len(self.compared))


# Rows that differ compared in memory at a time: the new version's (with their old ones), or
# the removed old ones (DECISIONS 270).
BATCH_ROWS = 150_000
DIFFERING_FILE = "differing.parquet"      # in the old version's job folder
READ_ROWS = 1 << 16                       # rows of it read back at a time


def fits(old: "LargeJob", new: "LargeJob") -> bool:
    """Whether the large compare applies: the same columns in the same order."""
    return old.copy.names == new.copy.names


def compare_large(old: "LargeJob", new: "LargeJob", key: Sequence[str], *,
                  names: tuple[str, str], progress: Progress | None = None,
                  inferred: list[dict] | None = None) -> LargeComparison:
    """Compare `old` and `new` (the same columns) paired by `key`, or by content when `key` is
    empty (as `compare_tables` pairs versions no column identifies); errors as `compare_tables`.
    `inferred`: the candidates `infer_key` considered, when it chose `key`. The diff's rows of
    the rows that differ go to a Parquet file in `old`'s job folder."""
    import pandas as pd

    progress = progress or silent()
    columns = old.copy.names
    clash = [c for c in memory.STATUS_COLUMNS if c in columns]
    if clash:
        raise memory.reserved_column(clash[0], names[0])
    key = check_columns(pd.DataFrame(columns=columns), key, names[0]) if key else []
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
        _differ_of("same", old)
    elif key:
        _keyed_pairs(old, new, [stored[k] for k in key], list(stored.values()), equal,
                     progress.stage(0.1, 0.4))
        old.query("same_of_pairs")
        _differ_of("pairs", old)
    else:
        _unchanged_by_content(old, [stored[c] for c in columns if c not in counters] or
                              list(stored.values()), equal)
        _differ_of("same", old)
    same = new.copy.rows - old.query("count_differing_new")[0][0]
    progress.update(0.4, "reading the rows that differ")
    # Each column's decimal mark and date order over the whole column, not a batch (compare_numbers).
    styles = (ParquetStyles(old.copy.parquet, stored), ParquetStyles(new.copy.parquet, stored))
    comparison, summary = _compare_differing(old, columns, [stored[k] for k in key], key, names,
                                             counters, progress.stage(0.4, 0.9), styles)
    summary.unchanged += same
    if inferred is not None:
        summary.key_inferred, summary.key_candidates = bool(key), inferred
    if not key:     # the column that would be the key, chosen on the rows infer_key reads
        samples = _samples(old, new)
        column = repeating_key_column(*samples, columns, counters)
        summary.keys_passed_over = unconvincing_keys(
            *samples, identifying_columns(*samples, columns), counters)
        summary.repeated_key = repeated_key(("wc", names[0]), ("wc2", names[1]), column, lambda view, k:
                                            _first_repeated(old, view, [stored[k[0]]]))
    # The rows DuckDB set aside are equal as written, so the notes on keys and cells that
    # differ only by invisible characters come whole from the rows compared in memory.
    summary.notes = _notes(summary) + [
        n for n in summary.notes if getattr(n, "code", "").startswith("invisible_")]
    progress.update(1.0, "compared")
    return comparison


def _keyed_pairs(old: "LargeJob", new: "LargeJob", key: list[str], every: list[str], equal: str,
                 progress: Progress) -> None:
    """The table `pairs` of rows paired by `key` (working-copy columns) as written, `same` when
    every cell is equal: paired on the key and the row's hash, the pairs whose hashes agree
    then checked cell by cell (datatools/large/verify.py; in SQL those it leaves)."""
    import numpy as np
    import pyarrow as pa

    on = " AND ".join(queries.sql("cell_equal", c=c) for c in key)
    old.run_sql(queries.compose("hashed_pairs", key=", ".join(key), every=", ".join(every), on=on))
    pairs = old.db.sql(queries.sql("hashed_same")).to_arrow_reader(1 << 17)
    checked = check_pairs(old.copy.parquet, new.copy.parquet, pairs, progress)
    if checked.unequal:
        old.register("unequal_rows", pa.table({"new_row": np.concatenate(checked.unequal)}))
        old.query("mark_unequal")
    if checked.far_new:
        old.register("far_pairs", pa.table({"old_row": np.concatenate(checked.far_old),
                                            "new_row": np.concatenate(checked.far_new)}))
        old.run_sql(queries.compose("far_unequal", equal=equal))


def _differ_of(table: str, job: "LargeJob") -> None:
    """The views differ_old and differ_new (the rows in no unchanged pair) from `table`: `pairs`
    (the keyed join's) or `same` (the unchanged pairs alone)."""
    job.query(f"differ_old_of_{table}")
    job.query(f"differ_new_of_{table}")


def _compare_differing(job: "LargeJob", columns: list[str], keyed: list[str], key: list[str],
                       names: tuple[str, str], counters: list[str], progress: Progress,
                       styles: tuple[dict, dict]) -> tuple[LargeComparison, memory.CompareSummary]:
    """The in-memory compare of the rows in differ_old and differ_new, with their row numbers
    over the whole files, a batch at a time: about BATCH_ROWS of the new version's rows in file
    order with the old rows whose key (the working-copy columns `keyed`) reads the same, then
    the old rows paired with none, BATCH_ROWS at a time. So each batch pairs exactly as the
    whole would, and the batches' diffs, one after the other, are the diff of the whole in its
    order: each is written to the differing file as it comes, and memory holds one batch.
    One batch when rows pair by content (`key` empty): that pairing looks at every row."""
    import math

    import pyarrow as pa
    import pyarrow.parquet as pq

    differing_new = job.query("count_differing_new")[0][0]
    rows = BATCH_ROWS if key else differing_new + 1
    job.query("batched_new", {"rows": rows})
    if key:
        on = " AND ".join(queries.sql("visible_equal", c=c) for c in keyed)
        job.run_sql(queries.compose("batched_old", on=on),
                    {"rows": rows, "after": math.ceil(differing_new / rows)})
    else:
        job.query("batched_old_together")
    parts = job.query("batch_count")[0][0]
    all_columns = list(memory.STATUS_COLUMNS) + columns + [c + memory.OLD_SUFFIX for c in columns]
    schema = pa.schema([(f"d{i}", pa.string()) for i in range(len(all_columns))]
                       + [("changed", pa.list_(pa.bool_()))])
    path = job.copy.folder / DIFFERING_FILE
    total, with_old, compared = None, set(), list(columns)
    with pq.ParquetWriter(path, schema, compression="snappy", write_statistics=False) as writer:
        for part in range(max(parts, 1)):
            before, before_rows = _frame(job.arrow("batch_rows_old", {"batch": part}), columns)
            after, after_rows = _frame(job.arrow("batch_rows_new", {"batch": part}), columns)
            # Not `changed_only`: a pair that differs only in a running row number is unchanged,
            # yet its diff row carries the old number.
            result = memory.compare_tables(before, after, key or None, names=names, counters=counters,
                                           by_content=not key, styles=styles,
                                           progress=progress.stage(part / parts, (part + 1) / parts)
                                           if parts else progress)
            for column, numbers in (("old_row", before_rows), ("new_row", after_rows)):
                result.diff[column] = [str(numbers[int(n) - 1] + 1) if n else "" for n in result.diff[column]]
            for column, (is_key, examples) in result.invisible.examples.items():
                result.invisible.examples[column] = (is_key, [(after_rows[n], v) for n, v in examples])
            for found in result.summary.numbers_respelled.values():
                found["row"] = after_rows[found["row"] - 1] + 1
            compared = result.compared
            with_old.update(c for c in result.diff.columns if c.endswith(memory.OLD_SUFFIX))
            writer.write_table(_stored(result, all_columns, schema))
            total = result if total is None else _summed(total, result, columns)
    summary = total.summary
    summary.notes = total.invisible.notes()
    kept = [c for c in all_columns if not c.endswith(memory.OLD_SUFFIX) or c in with_old]
    return LargeComparison(summary, path, kept, all_columns, compared), summary


def _stored(result: memory.CompareResult, all_columns: list[str], schema):
    """A batch's diff as a table of the differing file's `schema`: its columns in `all_columns`'
    places (a column's "(old)" it lacks as empty text), and its changed cells."""
    import pyarrow as pa

    frame = result.diff.reindex(columns=all_columns, fill_value="")
    cells = result.changed_cells
    changed = pa.FixedSizeListArray.from_arrays(pa.array(cells.reshape(-1)), cells.shape[1]) \
        if cells.shape[1] else pa.array([[]] * len(frame), pa.list_(pa.bool_()))
    return pa.table([pa.array(frame[c].to_numpy(dtype=object), pa.string()) for c in all_columns]
                    + [changed.cast(pa.list_(pa.bool_()))], schema=schema)


def _summed(total: memory.CompareResult, result: memory.CompareResult,
            columns: list[str]) -> memory.CompareResult:
    """`total` with a further batch's `result` counted in (their rows are distinct): the counts
    summed, and the first three examples of invisible characters over both, by row."""
    shared = total.compared
    summary, other = total.summary, result.summary
    for field in ("added", "removed", "changed", "unchanged"):
        setattr(summary, field, getattr(summary, field) + getattr(other, field))
    for field in ("cells_changed", "renumbered"):
        totals = {c: getattr(summary, field).get(c, 0) + getattr(other, field).get(c, 0) for c in shared}
        setattr(summary, field, {c: n for c, n in totals.items() if n})
    summary.numbers_respelled = respelled_summed(summary.numbers_respelled, other.numbers_respelled, shared)
    invisible = memory.InvisibleFound(total.invisible.keys + result.invisible.keys,
                                      total.invisible.cells + result.invisible.cells)
    for column in columns:
        found = [r.invisible.examples[column] for r in (total, result) if column in r.invisible.examples]
        if found:
            invisible.examples[column] = (found[0][0], sorted(e for _, ex in found for e in ex)[:3])
    return memory.CompareResult(summary, total.diff.iloc[:0], total.columns, shared, None, invisible)


def _unchanged_by_content(job: "LargeJob", content: list[str], equal: str) -> None:
    """The table `same` for versions paired by content: the n-th old row and the n-th new row
    holding the same visible `content` pair (as `_pair_rows_by_content` pairs identical rows),
    and the pairs equal in every cell as written are set aside. Taking such pairs out of both
    versions leaves every other row's rank among its identical rows paired as before, so the
    in-memory compare pairs the rows left exactly as it would pair the whole files."""
    visible = ", ".join(queries.sql("visible_column", c=c) for c in content)
    job.run_sql(queries.compose("unchanged_by_content", content=", ".join(content), visible=visible,
                                equal=equal))


