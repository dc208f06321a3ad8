"""The large compare's diff file in parts, in the order of the in-memory diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from datatools.progress import Progress, silent

if TYPE_CHECKING:
    import pandas as pd

    from datatools.large.compare import LargeComparison
    from datatools.large.job import LargeJob


def diff_parts(old: "LargeJob", new: "LargeJob", comparison: LargeComparison, changed_only: bool,
               progress: Progress | None = None) -> Iterator[tuple["pd.DataFrame", float]]:
    """The diff file in parts, as the in-memory diff orders it: the new version's rows in order
    (unchanged ones from its working copy, unless `changed_only`), then the removed rows; the
    rows that differ streamed from `comparison.differing`, so memory holds a part at a time."""
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    progress = progress or silent()
    source = pq.ParquetFile(new.copy.parquet)
    if changed_only or source.num_row_groups == 0:
        found = False
        for part in comparison.differing_parts(changed_only=changed_only):
            if len(part) or not found:
                found = True
                yield part, 0.5
        if not found:
            yield pd.DataFrame(columns=comparison.columns), 1.0
        return
    status, new_rows, _ = comparison.differing_index()
    present = int((status != "removed").sum())
    differing = comparison.differing_parts()
    waiting = pd.DataFrame(columns=comparison.columns)
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
        # The rows that differ among these: the next ones of the differing file, in order.
        upto = int(np.searchsorted(new_rows[:present], offset + rows, side="right"))
        taken = upto - int(np.searchsorted(new_rows[:present], offset, side="right"))
        rows_in, waiting = _take(differing, waiting, taken)
        if taken:
            local = rows_in["new_row"].astype(int).to_numpy() - offset - 1
            part.iloc[local] = rows_in[comparison.columns].to_numpy(dtype=object)
        offset += rows
        progress.update(offset / max(new.copy.rows, 1), "writing rows")
        yield part, min(offset / max(new.copy.rows, 1), 0.99)
    if len(waiting):
        yield waiting, 1.0
    for removed in differing:
        yield removed, 1.0


def _take(parts: Iterator["pd.DataFrame"], waiting: "pd.DataFrame",
          count: int) -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """The next `count` rows of `waiting` followed by `parts`, and the rows read but not taken."""
    import pandas as pd

    while len(waiting) < count:
        waiting = pd.concat([waiting, next(parts)], ignore_index=True)
    return waiting.iloc[:count].reset_index(drop=True), waiting.iloc[count:].reset_index(drop=True)
