"""A large compare's key and running row numbers, found over the whole files.

The key is inferred on each version's first INFER_ROWS rows as `compare_tables` chooses one,
then confirmed filled and unique over both files in DuckDB; a key given is checked unique as
in memory; the running row numbers come from the reader's scan of rising digits (rising.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datatools.large import queries
from datatools.large.rising import RisingColumns
from datatools.progress import silent
from datatools.tools.compare_key import counter_name, identifying_columns, not_unique
from datatools.tools.compare_rows import content_beats
from datatools.tools.invisible import visible_frame

if TYPE_CHECKING:
    import pandas as pd

    from datatools.large.job import LargeJob

INFER_ROWS = 200_000     # rows of each version the key is inferred on (all of a smaller file)


def infer_key(old: "LargeJob", new: "LargeJob") -> tuple[list[str], list[dict]] | None:
    """The key column `compare_tables` would choose, inferred on the first INFER_ROWS rows of
    each version and confirmed on the whole files (filled and unique in both), and the
    candidates considered; `([], [])` when no column qualifies, or the sample's choice is not
    unique over the whole (then rows pair by content); None when the best is a running row
    number (the in-memory engine weighs it against the rows' content), unless the files have
    few rows (`few_rows`): then it is weighed here, and `([], candidates)` when content wins."""
    from datatools.tools.compare_key import choose_key, few_rows, pair_on

    names = old.copy.names
    samples = _samples(old, new)
    identifying = identifying_columns(samples[0], samples[1], names)
    counters = _counters(old, new, names)
    guess, candidates = choose_key(samples[0], samples[1], identifying,
                                   [c for c in identifying if c in counters], names)
    if not guess:
        return [], []
    if guess[0] in counters:
        if not few_rows(*samples):
            return None
        # A file of few rows is all in the samples: weighed against the content as in memory.
        content = [c for c in names if c not in counters] or names
        by_counter = pair_on(samples[0][guess[0]], samples[1][guess[0]])
        if content_beats(*samples, by_counter, content, silent()) is not None:
            return [], [candidate.to_dict() for candidate in candidates]
    key = ", ".join(queries.sql("visible_of", c=f"c{names.index(column)}") for column in guess)
    for job, view in ((old, "wc"), (new, "wc2")):
        if view == "wc2":
            _second_view(old, new)
        filled, distinct = old.run_sql(queries.compose("key_confirmed", view=view, key=key))[1][0]
        if filled != job.copy.rows or distinct != job.copy.rows:
            return [], []
    return guess, [candidate.to_dict() for candidate in candidates]


def _samples(old: "LargeJob", new: "LargeJob") -> list["pd.DataFrame"]:
    """The first INFER_ROWS rows of each version as the eye reads them (as compare_tables
    chooses, and confirms, a key); the macro `visible` made on `old`'s connection."""
    names = old.copy.names
    _visible_macro(old)
    return [visible_frame(_rows(job, "first_rows", names, {"rows": INFER_ROWS})[0], names)[0]
            for job in (old, new)]


def _visible_macro(job: "LargeJob") -> None:
    """The SQL macro `visible(x)` (datatools/tools/invisible.py's visible form) on `job`'s connection."""
    job.query("visible_macro")


def _second_view(old: "LargeJob", new: "LargeJob") -> None:
    """The new version's working copy as the view `wc2` on `old`'s connection (once)."""
    if not old.query("has_second_view"):
        old.db.read_parquet(str(new.copy.parquet), file_row_number=True).create_view("wc2_file")
        old.query("second_view")


def _check_unique(job: "LargeJob", view: str, stored: list[str], key: list[str], name: str) -> None:
    """As the in-memory check: the first repeated key value, in file order, and its count."""
    found = _first_repeated(job, view, stored)
    if found:
        raise not_unique(key, name, *found)


def _first_repeated(job: "LargeJob", view: str, stored: list[str]) -> tuple[str, int] | None:
    """As `compare_key.first_repeated`, over the working copy `view`'s columns `stored`."""
    columns = ", ".join(stored)
    visible = ", ".join(queries.sql("visible_column", c=c) for c in stored)
    found = job.run_sql(queries.compose("repeated_key", view=view, key=columns, visible=visible))[1]
    # a row: the key's values, their count, the first row number
    return (" / ".join(map(str, found[0][:-2])), found[0][-2]) if found else None


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
