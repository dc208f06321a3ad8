"""Pairs whose rows hash alike, checked cell by cell by walking both working copies once.

A large compare pairs the versions on the key and the row's 64-bit hash alone (a narrow join:
DuckDB carries three columns, not every cell, and spills far less; DECISIONS 270). Rows whose
hashes differ differ; rows whose hashes agree are almost surely equal, and are checked here so
that no collision can pass a changed row as unchanged. The pairs come in the new version's
order; when the old rows of a stretch of the new version lie in a few row groups of the old
copy (versions of one export keep their rows' order, less what was added and removed), both
are read once and compared column by column. Pairs whose old rows lie further apart (a
version sorted otherwise) are handed back, for the caller to check in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from datatools.errors import Cancelled
from datatools.large.merge import _equal_rows
from datatools.progress import Progress

NEAR_GROUPS = 4      # old row groups one row group of the new copy may draw on (cached)


@dataclass
class Checked:
    """What the walk found: the new rows (0-based) of pairs whose cells differ, and the pairs
    it left to the caller (old_row, new_row; numpy int64 arrays)."""

    unequal: list = field(default_factory=list)
    far_old: list = field(default_factory=list)
    far_new: list = field(default_factory=list)


def check_pairs(old: Path, new: Path, pairs: Iterable, progress: Progress) -> Checked:
    """Check `pairs` — pyarrow RecordBatches of int64 columns new_row and old_row, ascending
    by new_row — rows of the Parquet files `old` and `new` (the same text columns). Raises
    Cancelled once `progress` is cancelled."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    news, olds = pq.ParquetFile(new), pq.ParquetFile(old)
    old_starts = np.cumsum([0] + [olds.metadata.row_group(g).num_rows
                                  for g in range(olds.num_row_groups)])
    cache: dict[int, "pa.Table"] = {}
    found = Checked()
    stream = iter(pairs)
    new_rows = old_rows = np.zeros(0, np.int64)
    start = 0
    for group in range(news.num_row_groups):
        if progress.cancelled:
            raise Cancelled()
        end = start + news.metadata.row_group(group).num_rows
        while (not len(new_rows) or new_rows[-1] < end) and (batch := next(stream, None)) is not None:
            new_rows = np.concatenate([new_rows, batch.column("new_row").to_numpy()])
            old_rows = np.concatenate([old_rows, batch.column("old_row").to_numpy()])
        upto = int(np.searchsorted(new_rows, end))
        here_new, here_old = new_rows[:upto], old_rows[:upto]
        new_rows, old_rows = new_rows[upto:], old_rows[upto:]
        if len(here_new):
            groups = np.unique(np.searchsorted(old_starts, here_old, side="right") - 1)
            if len(groups) > NEAR_GROUPS:
                found.far_old.append(here_old)
                found.far_new.append(here_new)
            else:
                for g in [g for g in cache if g not in groups]:
                    if len(cache) + len(set(groups.tolist()) - set(cache)) <= NEAR_GROUPS:
                        break
                    del cache[g]
                for g in groups:
                    if g not in cache:
                        cache[g] = olds.read_row_group(int(g))
                spans = [cache[g] for g in groups]
                # Old row groups that are not next to each other: laid end to end, positions
                # counted on that.
                offsets = np.concatenate([[0], np.cumsum([t.num_rows for t in spans])])
                within = np.searchsorted(old_starts[groups], here_old, side="right") - 1
                positions = here_old - old_starts[groups][within] + offsets[within]
                before = pa.concat_tables(spans).combine_chunks()
                after = news.read_row_group(group)
                equal = _equal_rows(before, after, positions, here_new - start)
                found.unequal.append(here_new[~equal])
        progress.update(end / max(news.metadata.num_rows, 1), "checking unchanged rows")
        start = end
    return found
