"""Candidate pairs on the duckdb engine: the passes of datatools/tools/candidates.py in SQL.

`candidate_pairs` in candidates.py holds every pass's pairs in numpy (about 7 passes × 4 pairs
per row: two gigabytes of keys at ten million rows). Here each pass inserts its pairs into a
DuckDB table, which spills to the working copy's folder under the memory limit; the distinct
pairs, the budget's cut and the rare-code pairs follow in SQL (datatools/large/sql/pairs.sql).
The pairs are the same ones, in the same order, as the in-memory function gives: the orders tie
on the row number as numpy's stable sorts do, and the budget's cut keeps the pairs agreeing on
the most weight with ties in pair order, as `candidates._within_budget` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from datatools.large import queries
from datatools.progress import Progress, silent

if TYPE_CHECKING:
    import numpy as np

    from datatools.large.job import LargeJob
    from datatools.tools.similarity import PreparedColumns

# Pairs scored at a time: a batch's column scores and vetoes stay a few tens of megabytes.
BATCH = 500_000
# The budget's cut works out a code per 2^columns agreement patterns (candidates.py does the
# same up to 16 columns).
MAX_COLUMNS = 16
# What DuckDB's hash table takes per distinct key, with its overhead (measured: 9.6 million keys
# made distinct in 18 parts within a 64 MB limit, where 4 parts ran out of memory).
KEY_BYTES = 32
# Up to this many parts of distinct keys each part scans the pairs; beyond, the pairs are split
# into a file per part first: at 4 parts (1 M people rows, a 1 GB limit) the split cost 2 CPU s
# more, at 8 the same, at 24 (200 M keys) 24 CPU s less (DECISIONS 335).
SCAN_PARTS = 8
# Pairs whose agreement is worked out at a time for the budget's cut (about 40 bytes each).
AGREEMENT_PART = 1_000_000


def register_ranks(job: "LargeJob", prepared: "PreparedColumns") -> None:
    """`fr` and `br`: each row's forward and backward ranks per compared column, as views of
    the prepared arrays (no copy)."""
    import numpy as np
    import pyarrow as pa

    rownum = pa.array(np.arange(prepared.rows, dtype=np.int32))
    for name, ranks in (("fr", prepared.ranks), ("br", prepared.backward_ranks)):
        job.register(name, pa.table({"rownum": rownum, **{f"c{k}": pa.array(r) for k, r in
                                                        enumerate(ranks)}}))


def candidate_pairs(job: "LargeJob", prepared: "PreparedColumns", progress: Progress | None = None,
                    split: int = 0) -> int:
    """The table `cand` of the pair keys (a × rows + b) that candidates.candidate_pairs would
    give; their count. With `split` above 0 the prepared rows are two tables stacked (the
    first `split` rows the left one) and only left × right pairs are made, as candidate_pairs
    does with `side`.

    Raises BadOption `too_many_columns` above MAX_COLUMNS compared columns.
    """
    import numpy as np
    import pyarrow as pa

    from datatools.errors import BadOption
    from datatools.tools.candidates import (MIN_DISTINCT_PER_THOUSAND, _distinct_count,
                                            code_pairs, key_pairs, pair_budget, window_for)

    progress = progress or silent()
    rows, columns = prepared.rows, len(prepared.ranks)
    if columns > MAX_COLUMNS:
        raise BadOption(f"The duckdb engine compares at most {MAX_COLUMNS} columns, not {columns}; "
                        "choose fewer with --columns.", code="too_many_columns",
                        params={"count": str(columns)})
    job.query("attach_scratch", {"path": str(job.copy.folder / "pairs.duckdb")})
    job.query("use_scratch")
    job.query("pairs_table")
    job.query("candidates_table")
    if rows < 2:
        return 0
    register_ranks(job, prepared)
    names = [f"c{k}" for k in range(columns)]
    blocking = [f"c{k}" for k, ranks in enumerate(prepared.ranks)
                if (distinct := _distinct_count(ranks)) > 1
                and distinct * 1000 >= MIN_DISTINCT_PER_THOUSAND * rows]
    passes = 3 + len(blocking)
    window = {"window": window_for(rows, passes), "rows": rows, "split": split}
    orders = [("forward_order", names), ("forward_order", names[::-1]),
              ("backward_order", names[::-1])]
    for number, (query, order) in enumerate(orders):
        job.run_sql(queries.compose(query, order=", ".join(order)))
        if number == 0:
            job.query("keep_forward")
        job.query("neighbour_pairs", window)
        progress.update((number + 1) / (passes + 2), "pairing similar rows")
    for number, c in enumerate(blocking):
        job.query("block_order", c=c)
        job.query("block_pairs", window)
        progress.update((len(orders) + number + 1) / (passes + 2), "pairing similar rows")
    _distinct(job)
    job.query("drop_passes")
    budget = pair_budget(rows)
    if job.query("count_candidates")[0][0] > budget:
        progress.update((passes + 1) / (passes + 2), "choosing pairs to compare")
        cut, rest = _cut(*_agreement(job, prepared, progress), budget)
        job.query("within_budget", {"cut": cut, "rest": rest})
        job.query("drop_codes")
    side = None
    if split:
        side = np.arange(rows) >= split
    coded_a, coded_b = code_pairs(prepared, side)
    keyed_a, keyed_b = key_pairs(prepared, side)    # a rare e-mail or phone (DECISIONS 399)
    coded_a, coded_b = np.concatenate([coded_a, keyed_a]), np.concatenate([coded_b, keyed_b])
    if len(coded_a):
        job.register("coded", pa.table({"k": pa.array(coded_a.astype("int64") * rows + coded_b)}))
        job.query("add_coded")
    count = int(job.query("count_candidates")[0][0])
    for name in ("fr", "br"):    # views of the prepared ranks: DuckDB would keep them alive
        job.db.unregister(name)
    progress.update(1.0, f"{count:,} pairs to compare")
    return count


def _distinct(job: "LargeJob") -> None:
    """`cand`: the distinct keys of `pairs`, in parts of at most a quarter of the memory limit
    at KEY_BYTES a key (k % parts). Up to SCAN_PARTS parts each part scans `pairs`; beyond,
    `pairs` is read once into a Parquet file per part in the job's folder and each part made
    distinct from its file (DECISIONS 335)."""
    import shutil

    keys = int(job.query("count_pairs")[0][0])
    parts = max(1, -(-keys * KEY_BYTES // (job.memory_limit // 4)))
    if parts <= SCAN_PARTS:
        for part in range(parts):
            job.query("distinct_scan", {"parts": parts, "part": part})
        return
    folder = job.copy.folder / "pair_parts"
    shutil.rmtree(folder, ignore_errors=True)
    job.query("split_pairs", {"parts": parts, "path": str(folder)})
    for part in range(parts):
        files = folder / f"p={part}"
        if files.is_dir():     # a part no key falls in has no folder
            job.query("distinct_part", {"files": sorted(str(f) for f in files.iterdir())})
            shutil.rmtree(files, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)


def _agreement(job: "LargeJob", prepared: "PreparedColumns", progress: Progress
               ) -> tuple["np.ndarray", "np.ndarray"]:
    """The table `agree`: each pair of `cand` with the weight of the columns both its rows hold
    exactly alike (a bit per column, the code's weight summed in float32 in column order as
    candidates._within_budget sums it), AGREEMENT_PART pairs at a time. `cand` is read on a
    cursor of its own while `agree` is written. Returns each code's weight (float32) and how
    many pairs hold it."""
    import numpy as np
    import pyarrow as pa

    rows = prepared.rows
    codes = np.arange(1 << len(prepared.ranks))
    value = np.zeros(len(codes), dtype=np.float32)
    for bit, weight in enumerate(prepared.weights):
        value += ((codes >> bit) & 1).astype(bool) * np.float32(weight)
    code_type = np.uint8 if len(prepared.ranks) <= 8 else np.uint16
    held = np.zeros(len(codes), dtype=np.int64)
    job.query("agreement_table")
    reader = job.db.cursor()
    try:
        reader.execute(queries.sql("use_scratch"))
        for batch in reader.sql(queries.sql("candidate_keys")).to_arrow_reader(AGREEMENT_PART):
            keys = np.asarray(batch.column(0))
            a, b = keys // rows, keys % rows
            code = np.zeros(len(keys), dtype=code_type)
            for bit, ranks in enumerate(prepared.ranks):
                left = ranks[a]
                code |= ((left == ranks[b]) & (left > 0)).astype(code_type) << bit
            held += np.bincount(code, minlength=len(codes))
            job.register("agreement_part", pa.table({"k": pa.array(keys, pa.int64()),
                                                     "weight": pa.array(value[code], pa.float32())}))
            job.query("add_agreement")
            progress.update(1.0, "choosing pairs to compare")
    finally:
        reader.close()
    job.db.unregister("agreement_part")
    return value, held


def _cut(value: "np.ndarray", held: "np.ndarray", budget: int) -> tuple[float, int]:
    """The budget's cut as the weight it falls on and how many pairs of that weight it keeps
    (the first in pair order): every pair of a greater weight is kept. The same pairs as
    ORDER BY weight DESC, k LIMIT budget, without sorting every pair (at most 2^columns
    weights, counted while `agree` was written)."""
    import numpy as np

    weights, at = np.unique(value, return_inverse=True)
    count = np.bincount(at.reshape(-1), weights=held, minlength=len(weights)).astype(np.int64)
    above = 0
    for k in range(len(weights) - 1, -1, -1):
        if above + count[k] >= budget:
            return float(weights[k]), budget - above
        above += int(count[k])
    return float(weights[0]), int(count[0])


def pair_batches(job: "LargeJob", count: int, table_rows: int, rows: int = BATCH
                 ) -> Iterator[tuple["np.ndarray", "np.ndarray"]]:
    """The `count` candidate pairs of `cand` in pair order, `rows` at a time, as int32 arrays
    (a, b); `table_rows` is the prepared rows' count the keys were made with."""
    import numpy as np

    job.query("number_candidates", {"batch": rows})
    for batch in range(-(-count // rows)):
        keys = np.asarray(job.arrow("candidate_batch", {"batch": batch}).column(0).combine_chunks())
        yield (np.floor_divide(keys, table_rows).astype(np.int32),
               np.remainder(keys, table_rows).astype(np.int32))
