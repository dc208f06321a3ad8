"""A large review's Save: the review applied a batch of groups at a time (DECISIONS 498).

`Review.apply` on all the grouped rows at once held, beside the review, a copy of every kept
grouped row, the merge list as a dict per group and every row's keep-policy standing: Save was
the peak of the window's Find duplicates on issue 27's 10 M-row export (10.3 GB, DECISIONS
473). Here the engine's own `Review.apply` runs on `BATCH` groups at a time (their rows taken
from the review's frame, the keep policy's spelling counts those of the whole frame, so each
group keeps the row and values it keeps when applied at once), and what is kept between
batches is only what the file differs in from the working copy: the rows dropped, the kept
rows whose values changed, the rows unmarked, and the merge list as Arrow text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from datatools.app.results.grouped_rows import GroupedRows
    from datatools.tools.dedupe import Cluster, DedupeResult
    from datatools.tools.review import Review

BATCH = 20_000       # groups applied at once (about 50,000 rows: tens of MB)

# A merge list's `values_taken` names rows as `<column> from row N: "<old>" → …` (the values
# are JSON strings, so `: "` follows the number): the row numbers are renumbered to the input's.
_TAKEN_ROW = re.compile(r'from row (\d+): "')


@dataclass
class AppliedReview:
    """What a review changes in the saved file, in input positions (0-based, ascending):
    `dropped` the rows a merge removes; `unmarked` (keep all) the grouped rows that lose their
    four output cells; `changed` the kept rows given other values (`positions`, and their cells
    in `columns`' order, an Arrow table or None); `merges` the merge list as the in-memory
    review writes it (the input's row numbers and keys; None when every row is kept)."""

    dropped: "np.ndarray"
    unmarked: "np.ndarray"
    changed: "pa.Table | None"
    merges: "pd.DataFrame | None"


def apply_in_batches(record: "Review", result: "DedupeResult", grouped: "GroupedRows",
                     positions: "np.ndarray", key: str | None, batch: int | None = None) -> AppliedReview:
    """What `record.apply(result)` changes in the saved file, the review applied to `batch`
    groups at a time (BATCH). `result` holds the grouped rows' output cells only, `grouped`
    their other cells, `positions[row]` a row's place in the input; `key` is the column that
    names the rows in the merge list (None: none). BadOption as `Review.apply` raises."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from datatools.tools.review import KEEP_ALL

    whole = record.keep == KEEP_ALL
    if not whole and record.keep == "most-complete":
        with_spellings(result, grouped)      # over all the grouped rows, kept on the result
    columns = grouped.names
    taking = bool(record.values) or record.fill_empty
    dropped, unmarked, changed, merges = [], [], [], []
    for clusters in _slices(result.clusters, batch or BATCH):
        rows, part = grouped_part(result, grouped, clusters)
        reviewed = _record_of(record, clusters, rows).apply(part)
        if whole:
            blank = reviewed.frame["cluster_id"].to_numpy(dtype=object) == ""
            unmarked.append(positions[rows[blank]])
            continue
        lost = _numbers(reviewed.merges["dropped_rows"]) - 1
        dropped.append(positions[rows[lost]])
        if taking:
            changed.append(_changed(part, reviewed.frame, np.delete(np.arange(len(rows)), lost),
                                    _may_change(record, part, clusters), columns, positions[rows]))
        merges.append(_renumbered(reviewed.merges, part, rows, positions, key, taking))
    empty = np.empty(0, np.int64)
    changed = [table for table in changed if table is not None]
    table = None
    if changed:
        table = pa.concat_tables(changed)
        table = table.take(pc.sort_indices(table.column("positions")))
    return AppliedReview(
        np.sort(np.concatenate(dropped)) if dropped else empty,
        np.sort(np.concatenate(unmarked)) if unmarked else empty, table,
        None if whole else _joined(merges, taking))


def _slices(clusters: "list[Cluster]", size: int) -> Iterator["list[Cluster]"]:
    for start in range(0, len(clusters), size):
        yield clusters[start:start + size]


def with_spellings(result: "DedupeResult", grouped: "GroupedRows") -> None:
    """`result.spellings` counted over all the grouped rows (`grouped`), once: what
    `keep_policy.spelling_counts` counts over an in-memory review's frame."""
    if result.spellings is None:
        result.spellings = grouped.spellings(result.report.columns)


def grouped_part(result: "DedupeResult", grouped: "GroupedRows",
                 clusters: "list[Cluster]") -> tuple["np.ndarray", "DedupeResult"]:
    """The grouped rows of `clusters` (places in `result`'s frame, ascending) and a
    `DedupeResult` of them alone, their cells read from `grouped` and their output cells made
    (the in-memory review's frame for those rows): the clusters renumbered to places among
    them, the spelling counts `result`'s (over all the grouped rows, the rows' values taken)."""
    import numpy as np
    import pandas as pd

    rows = np.unique(np.concatenate([np.asarray(c.rows, np.int64) for c in clusters])) \
        if clusters else np.empty(0, np.int64)
    part_frame = grouped.rows(rows).to_pandas()
    part_frame.columns = grouped.names
    part_frame = pd.concat([part_frame, pd.DataFrame(grouped.outputs(rows))], axis=1)
    renumbered = [replace(c, rows=np.searchsorted(rows, np.asarray(c.rows, np.int64)).tolist())
                  for c in clusters]
    spellings = None if result.spellings is None else {
        name: replace(spelled, value=spelled.value[rows]) for name, spelled in result.spellings.items()}
    report = replace(result.report, clusters=len(renumbered),
                     rows_in_clusters=sum(len(c.rows) for c in renumbered))
    return rows, replace(result, frame=part_frame, clusters=renumbered, report=report, waterfalls=None,
                         spellings=spellings)


def _record_of(record: "Review", clusters: "list[Cluster]", rows: "np.ndarray") -> "Review":
    """`record` for `clusters` alone, its rows renumbered to places among `rows`."""
    import numpy as np

    ids = {c.id for c in clusters}

    def place(row: int) -> int:
        return int(np.searchsorted(rows, row))

    return replace(record,
                   survivors={g: place(r) for g, r in record.survivors.items() if g in ids},
                   values={g: {c: place(r) for c, r in v.items()} for g, v in record.values.items() if g in ids},
                   split={g: [place(r) for r in v] for g, v in record.split.items() if g in ids})


def _numbers(cells: "pd.Series") -> "np.ndarray":
    """The row numbers (1-based) listed in `cells` (space-separated), as one int64 array."""
    import numpy as np

    text = " ".join(str(cell) for cell in cells)
    return np.asarray(text.split(), np.int64) if text.strip() else np.empty(0, np.int64)


def _may_change(record: "Review", part: "DedupeResult", clusters: "list[Cluster]") -> "np.ndarray | None":
    """The rows of `part` (places in it) whose cells the review may change: those of the groups
    it takes values in (all, None, with `fill_empty`)."""
    import numpy as np

    if record.fill_empty:
        return None
    chosen = [c for c, original in zip(part.clusters, clusters) if original.id in record.values]
    return np.unique(np.fromiter((row for c in chosen for row in c.rows), np.int64))


def _changed(part: "DedupeResult", kept: "pd.DataFrame", rows: "np.ndarray", wanted: "np.ndarray | None",
             columns: list[str], places: "np.ndarray") -> "pa.Table | None":
    """The rows of `kept` (`Review.apply`'s table: `part`'s rows `rows`, in order) whose cells
    differ from `part`'s, looked for among the rows `wanted` (None: all), with their input
    positions (`places[rows]`); None when none do."""
    import numpy as np
    import pyarrow as pa

    original = part.frame
    look = np.arange(len(rows)) if wanted is None else np.flatnonzero(np.isin(rows, wanted))
    differs = np.zeros(len(look), bool)
    for k, name in enumerate(columns):
        differs |= (kept.iloc[look, k].to_numpy(dtype=object)
                    != original[name].iloc[rows[look]].to_numpy(dtype=object))
    if not differs.any():
        return None
    at = look[differs]
    data = {"positions": pa.array(places[rows[at]], pa.int64())}
    for k, name in enumerate(columns):
        data[f"c{k}"] = pa.array(kept.iloc[at, k].to_numpy(dtype=object), pa.large_string())
    return pa.table(data)


def _renumbered(merges: "pd.DataFrame", part: "DedupeResult", rows: "np.ndarray",
                positions: "np.ndarray", key: str | None, taking: bool) -> "pa.Table":
    """A batch's merge list with the input's row numbers (and keys, with a key column), as
    Arrow text; an empty `values_taken` column where the whole review takes values and this
    batch does not."""
    import pyarrow as pa

    from datatools.tools.dedupe import OUTPUT_COLUMNS
    from datatools.tools.recipe import row_keys
    from datatools.tools.recipe_replay import with_keys

    if key is not None:
        merges = with_keys(merges, row_keys(part.frame.drop(columns=list(OUTPUT_COLUMNS)), key), key)
    if taking and "values_taken" not in merges:
        merges = merges.assign(values_taken="")

    def number(row: str) -> str:
        return str(int(positions[rows[int(row) - 1]]) + 1)

    out = {}
    for name in merges.columns:
        cells = merges[name].tolist()
        if name == "kept_row":
            cells = [number(r) for r in cells]
        elif name == "dropped_rows":
            cells = [" ".join(number(r) for r in str(cell).split()) for cell in cells]
        elif name == "values_taken":
            cells = [_TAKEN_ROW.sub(lambda m: f'from row {number(m[1])}: "', str(cell)) for cell in cells]
        out[name] = pa.array(cells, pa.large_string())
    return pa.table(out)


def _joined(merges: "list[pa.Table]", taking: bool) -> "pd.DataFrame":
    """The batches' merge lists as one table of text (no batch: the empty list)."""
    import pandas as pd
    import pyarrow as pa

    if not merges:
        names = ["cluster_id", "kept_row", "dropped_rows", "match_score"] + ["values_taken"] * taking
        return pd.DataFrame(columns=names, dtype=object)
    return pa.concat_tables(merges).to_pandas()      # pandas `str` columns: the Arrow text
