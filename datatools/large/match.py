"""Match on the duckdb engine: the same output, row for row and byte for byte, as
datatools/tools/match.py's `match_tables`, with both tables in working copies.

The in-memory match holds both tables as pandas frames and every candidate pair in numpy.
Here:

- the compared columns are read from the two working copies one at a time, stacked (left rows
  first) and normalised by the same `prepare_columns`;
- the left × right candidate pairs are made in SQL (datatools/large/pairs.py with `split`), in
  the left job's DuckDB, and spill to disk;
- they are scored batch by batch (datatools/large/scoring.py): with a learned model the same
  cut-offs (certain, possible) come from the same model, learned from pattern counts; only the
  pairs strong enough to be shown are kept, with each left row's best vetoed partner;
- the left rows' best partners are chosen, explained and written by the same hooks of
  tools/match.py, one left row group at a time: the right rows a group shows are fetched from
  the right working copy by DuckDB.

What still grows with the rows: the prepared columns (as in memory), the pairs at or above the
possible cut-off, and each left row's chosen partners (a small list per row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from datatools.large.dedupe import PART_ROWS, _ColumnReader
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools.match import JOIN, MatchReport

if TYPE_CHECKING:
    from types import EllipsisType

    import numpy as np
    import pyarrow as pa

    from datatools.large.job import LargeJob
    from datatools.tools.similarity import PairScores


@dataclass
class LargeMatch:
    """What `match_tables_large` found: the report, and what `matched_parts` writes from."""

    report: MatchReport
    possible_rows: int                    # output rows whose match is only possible
    notes: list[Notice] = field(default_factory=list)
    # the chosen matches and the kept pairs they index, for matched_parts
    _state: dict[str, Any] = field(default_factory=dict, repr=False)


def match_tables_large(left: "LargeJob", right: "LargeJob", on: Sequence[str],
                       right_on: Sequence[str] | None = None, *, threshold: float | None = None,
                       top: int = 1, unique: bool = False, synonyms: Mapping[str, str] | None = None,
                       include_possible: bool = False, progress: Progress | None = None,
                       right_key: "str | None | EllipsisType" = ...) -> LargeMatch:
    """`match_tables` on the working copies `left` and `right`: the same matches, scores,
    certainty and reasons for the same options. `right_key` is `right`'s key column
    (job.key_column's; None: none), which mark_ties leaves out of the cells it compares; by
    default it is found here, before anything else is held. Raises as match_tables does,
    Cancelled when progress is cancelled, and pairs.py's BadOption above 16 compared columns."""
    import numpy as np
    import pandas as pd

    from datatools.large.job import key_column
    from datatools.large.pairs import candidate_pairs
    from datatools.large.scoring import score_batches
    from datatools.tools.invisible import invisible_values
    from datatools.tools.match import (_certain, add_vetoed, check_match, mark_certain,
                                       match_report, summed_weights)
    from datatools.tools.match_choice import _best_pairs, note_taken
    from datatools.tools.match_codes import code_partner_pairs, code_partners, mark_code_partners
    from datatools.tools.match_evidence import mark_uncompared, uncompared_evidence, vouch_ties
    from datatools.tools.match_mutual import mark_mutual
    from datatools.tools.match_ties import mark_ties
    from datatools.tools.similarity import prepare_columns

    progress = progress or silent()
    left_rows, right_rows = left.copy.rows, right.copy.rows
    left_on, right_cols, limit, learned, certain_from = check_match(
        pd.DataFrame(columns=left.copy.names), pd.DataFrame(columns=right.copy.names), on, right_on,
        threshold, top, unique, left_rows + right_rows)
    if right_key is ...:
        # DuckDB's count of distinct values over the whole right file: while nothing else is
        # held, not beside the pairs and scores when mark_ties asks for it (DECISIONS 530).
        right_key = key_column(right, progress)
    progress.update(0.0, "reading values")
    left_values, right_values = _ColumnReader(left), _ColumnReader(right)
    prepared = prepare_columns(left_on, _Stacked(left_values, right_values, list(zip(left_on, right_cols))),
                               progress.stage(0.0, 0.05), synonyms=synonyms, split=left_rows)
    compared = candidate_pairs(left, prepared, progress.stage(0.05, 0.3), split=left_rows) \
        if left_rows and right_rows else 0
    prepared.backward_ranks = []     # only the pairs' orders read them (4 bytes a row and column)
    vetoed: dict[int, tuple[int, Any, Any]] = {}
    kept: list[tuple] = []
    coded_parts: list["np.ndarray"] = []
    partner = code_partners(prepared, left_rows, certain_from)
    met = np.zeros(prepared.rows, dtype=np.int64)   # per row, its candidate pairs (match_mutual)

    def visit(a: "np.ndarray", b: "np.ndarray", scored: "PairScores") -> None:
        add_vetoed(vetoed, a, b, scored, left_rows)
        for rows in (a, b):
            if len(rows):
                counts = np.bincount(rows)
                met[:len(counts)] += counts
        coded = code_partner_pairs(prepared, a, b, scored, partner)
        keep = np.flatnonzero((scored.strength >= limit) | coded)
        coded_parts.append(coded[keep])
        kept.append((a[keep], b[keep], scored.score[keep], scored.columns[keep],
                     *(None if part is None else part[keep]
                       for part in (scored.levels, scored.weights, scored.probability))))

    side = np.arange(prepared.rows) >= left_rows
    model = score_batches(left, prepared, compared, limit, learned, visit,
                          progress.stage(0.3, 0.95), side=side) if compared else None
    a, b, scored = _kept_pairs(kept, len(prepared.text))
    kept.clear()
    keep = np.arange(len(a))
    evidence = uncompared_evidence(left_values, right_values, left.copy.names, right.copy.names,
                                   left_on, right_cols)
    parted: dict[int, tuple[int, int, int]] = {}
    chosen = _best_pairs(left_rows, a, b - left_rows, scored.strength, top, unique,
                         summed_weights(scored), evidence.prefer(a, b), parted)
    mark_certain(prepared, model, a, b, scored, [k for matches in chosen for _, _, k in matches],
                 certain_from)
    mark_uncompared(evidence, prepared, a, b, scored, [k for matches in chosen for _, _, k in matches])
    before = None if scored.differs is None else scored.differs.copy()
    mark_ties(prepared, a, b, scored, keep, chosen, certain_from, left_rows,
              _uncompared_cells(right, right_cols, right_key))
    vouch_ties(evidence, prepared, a, b, scored, before, left_rows)
    mark_mutual(prepared, a, b, scored, keep, chosen, certain_from, met)
    coded = np.concatenate(coded_parts) if coded_parts else np.zeros(len(a), dtype=bool)
    coded_parts.clear()
    mark_code_partners(prepared, a, b, scored, keep, chosen, coded, left_rows, top, unique, limit,
                       certain_from)
    note_taken(scored, keep, chosen, parted)
    report = match_report(chosen, scored, keep, certain_from, left_rows, right_rows, left_on,
                          right_cols, threshold and limit, top, unique, include_possible, compared)
    possible = sum(1 for matches in chosen for _, _, k in matches
                   if not _certain(scored, int(k), certain_from))
    progress.update(1.0, f"{report.matched:,} of {left_rows:,} rows matched")
    right_parts = [part for name in right_cols for part in name.split(JOIN)]
    notes = invisible_values(left_values.arrays(), left_on, right_values.arrays(), right_parts)
    state = {"prepared": prepared, "model": model, "a": a, "b": b, "scored": scored, "keep": keep,
             "chosen": chosen, "vetoed": vetoed, "include_possible": include_possible,
             "certain_from": certain_from}
    return LargeMatch(report, possible, notes, state)


def _uncompared_cells(right: "LargeJob", right_cols: Sequence[str], key: str | None):
    """match.uncompared_cells on the right working copy: its rows fetched by number, its key
    column `key` (job.key_column's, found in SQL as the window finds it) left out."""
    import numpy as np
    import pyarrow as pa

    from datatools.tools.match_ties import uncompared_cells, uncompared_names

    def cells(rows):
        right.register("wanted", pa.table({"pos": pa.array(np.arange(len(rows)), pa.int64()),
                                           "r": pa.array(rows, pa.int64())}))
        names = uncompared_names(right.copy.names, right_cols, key or "")
        wanted = [k for k, name in enumerate(right.copy.names) if name in names]
        frame = right.arrow("right_rows").select(wanted).to_pandas()     # only the cells compared here
        frame.columns = names
        return uncompared_cells(frame, right_cols, key or "")(np.arange(len(frame)))
    return cells


class _Stacked(Sequence):
    """Compared column pair k, left rows then right rows as one pyarrow string array, read from
    the two working copies when item k is taken (as dedupe's `_ColumnReader.each`): the six
    pairs of a 1 M × 10 M-row match read at once were about a gigabyte beside the prepared
    columns, and peaked the run at 4.4 GB (docs/USER-GUIDE.md, "Large files")."""

    def __init__(self, left: _ColumnReader, right: _ColumnReader, pairs: list[tuple[str, str]]) -> None:
        self._left, self._right, self._pairs = left, right, pairs

    def __len__(self) -> int:
        return len(self._pairs)

    def __getitem__(self, k):
        import pyarrow as pa

        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        left, right = self._pairs[k]
        return pa.concat_arrays([_text(self._left.arrow(left)), _text(_paired(self._right, right))])


def _text(values: "pa.Array") -> "pa.Array":
    """A column's cells as one pyarrow string array (as tools/match.py's `_text` gives them)."""
    import pyarrow as pa

    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return values if values.type == pa.string() else values.cast(pa.string())


def _paired(values: "_ColumnReader", name: str) -> "pa.Array":
    """Right column `name`, or for `A + B` its columns joined by a space (`paired_column`)."""
    import pandas as pd
    import pyarrow as pa

    from datatools.tools.match import paired_column

    if name in values or JOIN not in name:
        return values.arrow(name)
    parts = pd.DataFrame({part: values.arrow(part).to_pandas() for part in name.split(JOIN)})
    return pa.array(paired_column(parts, name), type=pa.string(), from_pandas=True)


def _kept_pairs(kept: list[tuple], columns: int) -> tuple["np.ndarray", "np.ndarray", "PairScores"]:
    """The batches' kept pairs as one (a, b, PairScores) in pair order."""
    import numpy as np

    from datatools.tools.similarity import PairScores

    def joined(k: int, dtype, width: int | None = None):
        if kept and kept[0][k] is None:
            return None          # no model: no levels, weights nor probabilities
        if kept:
            return np.concatenate([part[k] for part in kept])
        return None if k >= 4 else np.empty((0,) if width is None else (0, width), dtype=dtype)

    return (joined(0, np.int32), joined(1, np.int32),
            PairScores(joined(2, np.float32), joined(3, np.uint8, columns + 1), {},
                       joined(4, np.uint8), joined(5, np.float32), joined(6, np.float32)))


def matched_parts(left: "LargeJob", right: "LargeJob", result: LargeMatch,
                  progress: Progress | None = None, waterfalls: bool = False) -> Iterator[tuple]:
    """The output table, one left working-copy row group at a time, with the fraction written
    (for `write_csv_parts`): each left row with its match's right cells (fetched from the right
    working copy), match_score, match_certainty, match_reason (and match_rank with top > 1).
    With `waterfalls` each part comes as (table, fraction, its rows' `Waterfalls` or None
    without a model), the weights the window draws (`MatchRows.waterfalls`)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from datatools.tools.match import match_frame, match_rows

    progress = progress or silent()
    s = result._state
    top = result.report.top
    source = pq.ParquetFile(left.copy.parquet)
    groups = max(source.num_row_groups, 1)
    start = 0
    for group in range(groups):
        progress.update(group / groups, "writing rows")
        if source.num_row_groups:
            whole = source.read_row_group(group)
        else:
            whole = pa.table({f"c{k}": pa.array([], pa.string()) for k in range(len(left.copy.names))})
        for offset in range(0, max(whole.num_rows, 1), PART_ROWS):
            frame = whole.slice(offset, PART_ROWS).to_pandas()
            frame.columns = left.copy.names
            end = start + len(frame)
            rows = match_rows(s["prepared"], s["model"], s["a"], s["b"], s["scored"], s["keep"],
                              s["chosen"], s["vetoed"], range(start, end), top, s["include_possible"],
                              s["certain_from"])
            right.register("wanted", pa.table({"pos": pa.array(np.arange(len(rows.right_index)), pa.int64()),
                                               "r": pa.array(rows.right_index, pa.int64())}))
            cells = right.arrow("right_rows").to_pandas().fillna("")
            cells.columns = right.copy.names
            left_part = frame.iloc[np.asarray(rows.left_index, dtype=np.int64) - start]
            start = end
            part = match_frame(left_part, cells, rows, top), (group + 1) / groups
            yield (*part, rows.waterfalls()) if waterfalls else part
