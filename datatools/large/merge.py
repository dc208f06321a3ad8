"""Unchanged pairs of two versions sorted by the same running key, found by a streamed merge.

When the reader saw the key column rise row by row in both versions (`rising.py`: 1–18 digits,
strictly rising), both working copies are sorted by it, so the pairs with the same key can be
found by walking both files once, batch by batch, instead of DuckDB's hash join, which carries
every column of one version and spills past the memory limit on large files (DECISIONS 258).
A pair is unchanged when every cell is equal as written — the `unchanged_pairs` query's test.
Memory holds one batch of each version.
"""

from __future__ import annotations

from pathlib import Path

from datatools.errors import Cancelled
from datatools.progress import Progress

BATCH = 1 << 18


def unchanged_pairs(old: Path, new: Path, key: str, progress: Progress):
    """The (old_row, new_row) pairs, 0-based, of the rows of Parquet files `old` and `new` (the
    same text columns; column `key` strictly rising digits in both) whose cells are all equal,
    in key order, a part at a time: pyarrow Tables with int64 columns old_row and new_row (so
    that memory holds one batch of each file, not every pair). Raises Cancelled once
    `progress` is cancelled."""
    import numpy as np
    import pyarrow as pa

    olds, news = _batches(old, key), _batches(new, key)
    a, b = next(olds, None), next(news, None)
    while a is not None and b is not None:
        if progress.cancelled:
            raise Cancelled()
        (a_start, a_keys, a_batch), (b_start, b_keys, b_batch) = a, b
        _, i, j = np.intersect1d(a_keys, b_keys, assume_unique=True, return_indices=True)
        if len(i):
            equal = _equal_rows(a_batch, b_batch, i, j)
            yield pa.table({"old_row": (a_start + i[equal]).astype(np.int64),
                            "new_row": (b_start + j[equal]).astype(np.int64)})
        # The batch whose last key is smaller can match nothing further on (keys rise).
        a_end, b_end = a_keys[-1], b_keys[-1]
        if a_end <= b_end:
            a = next(olds, None)
        if b_end <= a_end:
            b = next(news, None)


def _batches(path: Path, key: str):
    """(first row number, key as int64 numpy array, batch) for each non-empty batch of `path`."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    start = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
        if batch.num_rows:
            yield start, pc.cast(batch.column(key), "int64").to_numpy(), batch
        start += batch.num_rows


def _equal_rows(a, b, i, j):
    """Which of the row pairs (a[i[k]], b[j[k]]) are equal in every column (a boolean array)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    left, right = pa.array(i), pa.array(j)
    equal = np.ones(len(i), dtype=bool)
    for name in a.schema.names:
        same = pc.equal(a.column(name).take(left), b.column(name).take(right))
        equal &= same.to_numpy(zero_copy_only=False)
    return equal
