"""`profile_large`: the profile of a working copy, computed by DuckDB within its memory limit.

The same `Profile` the in-memory `profile_table` gives, value for value, for any file that fits
in memory (tests/test_large_parity.py): one scan sums every column (fill, lengths, text extremes,
suspicious cells with their first example); a GROUP BY per column gives the exact distinct count
and the top values (ties in order of first appearance); one streamed pass over the Parquet
file picks the same evenly spread sample. A column whose estimated distinct count passes
`EXACT_DISTINCT` gets the estimate (HyperLogLog) and approximate top values, and the profile
says so in `Profile.estimated`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from datatools.large import queries
from datatools.large.rising import Running
from datatools.progress import Progress, silent
from datatools.tools import profile as memory
from datatools.tools import text_patterns as tp

if TYPE_CHECKING:
    from datatools.large.job import LargeJob

EXACT_DISTINCT = 5_000_000      # above this estimate a column's distinct count is estimated
EXTREMES_DISTINCT = 2_000_000   # distinct dates/decimals read one by one for their order
SUSPICIOUS = ("edge_spaces", "control_characters", "encoding_debris", "replacement_characters",
              "invisible_characters")
PARAMS = {"control": r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x{9f}]",
          "debris": tp.ENCODING_DEBRIS, "replacement": "\ufffd",
          "invisible": "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0]",
          "odd": "[^ -~]"}     # a character outside printable ASCII: each pattern above needs one


def profile_large(job: "LargeJob", progress: Progress | None = None,
                  exact_distinct: int = EXACT_DISTINCT) -> memory.Profile:
    """Profile every column of `job`'s working copy (the names are the input's)."""
    progress = progress or silent()
    copy = job.copy
    stored = [f"c{i}" for i in range(len(copy.names))]
    progress.update(0.0, "estimating distinct values")
    # A column of whole numbers rising row by row (the reader saw it) holds every value once:
    # it is counted from what the reader kept, with no query and no estimate.
    running = {c: run for c, run in zip(stored, copy.info.running or []) if run is not None}
    # A column holds at most one distinct value per row: up to `exact_distinct` rows every
    # column is counted exactly, and the filled cells the reader counted are all it needs.
    if copy.rows <= exact_distinct and copy.info.filled is not None:
        estimates = {f"{c}_filled": n for c, n in zip(stored, copy.info.filled)}
    else:
        estimates = {}
        for c in running:
            estimates[f"{c}_filled"] = estimates[f"{c}_approx_distinct"] = copy.rows
        rest = [c for c in stored if c not in running]
        if rest:
            piece = "column_estimates" if copy.rows > exact_distinct else "column_filled"
            names, rows = job.run_sql(queries.select_per_column("all_column_estimates", piece, rest))
            estimates.update(zip(names, rows[0]))
    progress.update(0.15, "sampling")
    sampling = _Sampling(copy.parquet, stored, {c: estimates[f"{c}_filled"] for c in stored}, copy.rows)
    done: dict[str, memory.ColumnProfile] = {}
    estimated = {}
    try:
        # The running columns last: they wait for the sample, which the first queries overlap.
        order = sorted(range(len(stored)), key=lambda i: stored[i] in running)
        for step, index in enumerate(order):
            c, name = stored[index], copy.names[index]
            progress.update(0.2 + 0.8 * step / max(len(stored), 1), f"counting values of {name}")
            if c in running:
                column = _running_column(name, running[c], sampling.get()[c], copy.rows)
                if column is not None:
                    done[c] = column
                    continue
            exact = copy.rows <= exact_distinct or estimates[f"{c}_approx_distinct"] <= exact_distinct
            if not exact:
                estimated[name] = "distinct count (HyperLogLog, about ±2 %) and top values"
            done[c] = _column(job, c, name, sampling, exact, estimates.get(f"{c}_approx_distinct", 0))
    finally:
        sampling.stop()
    columns = [done[c] for c in stored]
    estimated = {name: estimated[name] for name in copy.names if name in estimated}
    progress.update(1.0, "profiled")
    return memory.Profile(copy.rows, min(memory.SAMPLE, copy.rows), columns, estimated)


class _Sampling:
    """`_samples` on a thread of its own while DuckDB counts the first column's values: the
    pass decodes Parquet in pyarrow, which lets go of the GIL, so on two or more cores it
    costs no time of its own. `get` waits for it; `stop` ends it early (an error, Cancel)."""

    def __init__(self, parquet, stored: list[str], filled: dict[str, int], rows: int) -> None:
        import threading

        self._stop = threading.Event()
        self._result: dict[str, list[str]] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(parquet, stored, filled, rows),
                                        name="datatools-sampling", daemon=True)
        self._thread.start()

    def _run(self, parquet, stored, filled, rows) -> None:
        try:
            self._result = _samples(parquet, stored, filled, rows, self._stop)
        except BaseException as exc:       # raised again by `get`, on the caller's thread
            self._error = exc

    def get(self) -> dict[str, list[str]]:
        """Each column's sample (see `_samples`)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _samples(parquet, stored: list[str], filled: dict[str, int], rows: int,
             stop=None) -> dict[str, list[str]]:
    """Each column's sample: the filled values at `sample_positions`, read in one pass (ended
    early, with what it has, once the threading.Event `stop` is set)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = {c: memory.sample_positions(filled[c]) for c in stored}
    seen = dict.fromkeys(stored, 0)
    cursor = dict.fromkeys(stored, 0)
    picked: dict[str, list[str]] = {c: [] for c in stored}
    for batch in pq.ParquetFile(parquet).iter_batches(batch_size=1 << 18, columns=stored):
        if stop is not None and stop.is_set():
            break
        for c in stored:
            positions = wanted[c]
            if cursor[c] >= len(positions):
                continue
            values = batch.column(c)
            full = filled[c] == rows        # no empty cell: the filled cells are the rows
            mask = None if full else pc.not_equal(values, "")
            count = len(values) if full else (pc.sum(mask).as_py() or 0)
            end = seen[c] + count
            local = []
            while cursor[c] < len(positions) and positions[cursor[c]] < end:
                local.append(positions[cursor[c]] - seen[c])
                cursor[c] += 1
            if local:
                kept = values if full else values.filter(mask)
                picked[c] += kept.take(pa.array(local, pa.int64())).to_pylist()
            seen[c] = end
    return picked


def _running_column(name: str, run: Running, sample: list[str], rows: int) -> memory.ColumnProfile | None:
    """The profile of a column the reader saw rising row by row (`run`), as `_column` would
    give it: every cell filled and unique, the top values the first ones (all tied at one, in
    order of appearance), the extremes the first and last. None unless the sample reads as
    integers (a code or date column of digits takes the queries)."""
    type_counts, column_type = memory.sample_types(sample, name)
    if column_type != "integer" or len(run.head) < min(memory.TOP, rows):
        return None
    suspicious: dict[str, int] = {}
    examples: dict[str, str] = {}
    memory.unlike_the_column(suspicious, examples, type_counts, column_type, sample)
    return memory.ColumnProfile(
        name=name, type=column_type, filled=rows, fill_rate=1.0, distinct=rows,
        top_values=[(value, 1) for value in run.head[:memory.TOP]],
        min_length=run.min_length, max_length=run.max_length,
        mean_length=round(run.length_sum / rows, 2), minimum=str(run.first), maximum=str(run.last),
        patterns=Counter(tp.shape(v) for v in sample).most_common(memory.TOP),
        type_counts=type_counts, suspicious=suspicious, examples=examples)


def _column(job: "LargeJob", c: str, name: str, sampling: _Sampling, exact: bool,
            estimate: int) -> memory.ColumnProfile:
    """One column's profile: from its grouped distinct values when `exact`, else from a scan
    over its rows with the distinct count estimated. The sample is first needed for the
    extremes, after the counting queries."""
    rows = job.copy.rows
    if exact:
        job.query("group_values", c=c)
        try:
            sums = _named(job, "grouped_sums", PARAMS)
            distinct = int(sums["distinct_values"] or 0)
            top = [(value, int(n)) for value, n in job.query("grouped_top", {"top": memory.TOP})]
            sample = sampling.get()[c]
            type_counts, column_type = memory.sample_types(sample, name)
            minimum, maximum = _extremes(job, "grouped", c, sums, column_type, sample, distinct)
        finally:
            job.query("drop_grouped")
    else:
        sums = _named(job, "column_sums", PARAMS, c=c)
        distinct = estimate
        top = _approximate_top(job, c)
        sample = sampling.get()[c]
        type_counts, column_type = memory.sample_types(sample, name)
        minimum, maximum = _extremes(job, "", c, sums, column_type, sample, distinct)
    filled = int(sums["filled"] or 0)
    suspicious, examples = {}, {}
    for kind in SUSPICIOUS:
        count = int(sums[kind] or 0)
        if count:
            suspicious[kind], examples[kind] = count, sums[kind + "_example"]
    memory.unlike_the_column(suspicious, examples, type_counts, column_type, sample)
    return memory.ColumnProfile(
        name=name, type=column_type, filled=filled, fill_rate=round(filled / rows, 4) if rows else 0.0,
        distinct=distinct if filled else 0, top_values=top if filled else [],
        min_length=int(sums["min_length"]) if filled else 0,
        max_length=int(sums["max_length"]) if filled else 0,
        mean_length=round(int(sums["length_sum"]) / filled, 2) if filled else 0.0,
        minimum=minimum, maximum=maximum,
        patterns=Counter(tp.shape(v) for v in sample).most_common(memory.TOP),
        type_counts=type_counts, suspicious=suspicious, examples=examples)


def _named(job: "LargeJob", query: str, params: dict, **columns: str) -> dict:
    """The one row of `query` by column name."""
    text = queries.sql(query, **columns)
    used = {k: v for k, v in params.items() if "$" + k in text}
    names, rows = job.run_sql(text, used)
    return dict(zip(names, rows[0]))


def _approximate_top(job: "LargeJob", c: str) -> list[tuple[str, int]]:
    """DuckDB's approximate top values, each counted exactly (in one scan); ties by first appearance."""
    values = job.query("approx_top", c=c)[0][0] or []
    if not values:
        return []
    counted = [(-int(n), int(first), value) for value, n, first in
               job.query("values_count", {"values": list(values)}, c=c)]
    return [(value, -n) for n, _, value in sorted(counted)[:memory.TOP]]


def _extremes(job: "LargeJob", grouped: str, c: str, sums: dict, column_type: str,
              sample: list[str], distinct: int) -> tuple[str, str]:
    """As the in-memory `_extremes`: integers as numbers, dates and decimals in their reading
    order (each distinct value once), anything else as text. `grouped`: "grouped" when the
    column's distinct values are in the table `grouped`, "" to read the column itself."""
    import duckdb

    if not sums["filled"]:
        return "", ""
    if column_type == "integer" and all(v.strip().lstrip("+-").isdigit() for v in sample):
        try:
            low, high = job.query(f"{grouped}_integer_extremes" if grouped else "integer_extremes", c=c)[0]
            return str(low), str(high)
        except (duckdb.ConversionException, duckdb.InvalidInputException):
            pass   # a value outside the sample was not a number after all
    if column_type in ("date", "datetime", "decimal") and grouped and distinct <= EXTREMES_DISTINCT:
        uniques = job.arrow("grouped_in_order").column(0).combine_chunks()
        ordered = memory._ordered_extremes(uniques, column_type)
        if ordered is not None:
            return ordered
    return sums["min"], sums["max"]
