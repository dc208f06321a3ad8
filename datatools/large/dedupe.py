"""Dedupe on the duckdb engine: the same groups, scores and reasons as datatools/tools/dedupe.py.

The in-memory `find_duplicates` holds the whole table as a pandas frame and every candidate pair
of every pass in numpy. Here:

- the table stays in the Parquet working copy; only the compared columns are read, one at a
  time, and normalised by the same `similarity.prepare_columns`;
- candidate pairs are made in SQL (datatools/large/pairs.py) and spill to disk;
- pairs are scored BATCH at a time by the same `score_pairs` / `learn_model` / `apply_model`,
  and only the pairs at or above the threshold are kept (in DuckDB), with each row's best
  vetoed partner;
- those pairs are clustered by the same `cluster_pairs`, explained by the same code as the
  in-memory run into compact output cells (numbers per row; the reasons' texts go to disk,
  datatools/large/reasons.py), and the annotated table is streamed out one working-copy row
  group at a time.

What still grows with the rows: the prepared columns (ranks per compared column and each
distinct normalised text, as in memory: about 125 bytes a row of people), the pairs at or
above the threshold and 7 bytes of cells per row. With a learned model the scored batches wait
on disk while the model is learned from their pattern counts (datatools/large/scoring.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Mapping, Sequence

from datatools.errors import BadInput
from datatools.large.pairs import candidate_pairs
from datatools.memory import give_back
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools.dedupe import (OUTPUT_COLUMNS, Cluster, DedupeReport, check_threshold,
                                    model_not_learned, rescorer)
from datatools.tools.dedupe_annotate import (VetoedPartners, annotate, explain_vetoes,
                                             vetoed_partners)
from datatools.tools.linkage_model import (CERTAIN_SCORE, LEARN_FROM_COLUMNS, LEARN_FROM_ROWS,
                                           POSSIBLE)
from datatools.tools.parted_rows import explain_parted, matched_partners
from datatools.tools.similarity import DEFAULT_THRESHOLD, PairScores, check_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from datatools.large.job import LargeJob
    from datatools.tools.linkage_model import LinkageModel
    from datatools.tools.output_cells import GroupFigures, OutputCells
    from datatools.tools.similarity import PreparedColumns
    from datatools.tools.waterfall import Waterfalls


# Rows written at a time by dedupe and match: their output cells are built together (writing a
# whole 256,000-row group was the peak of a 100 k × 100 k match and of a 1 M-row dedupe).
PART_ROWS = 50_000


@dataclass
class LargeDedupe:
    """What `find_duplicates_large` found: as DedupeResult, with each row's four output cells
    instead of a whole annotated frame (`annotated_parts` streams that). The cells' reasons
    are read from the job's working copy: while the job lasts (or the copy is kept)."""

    figures: "GroupFigures"                   # the groups but their rows (`clusters` adds them)
    report: DedupeReport
    cells: "OutputCells"                      # cluster_id, match_score, match_certainty, match_reason
    model: "LinkageModel | None" = None
    notes: list[Notice] = field(default_factory=list)
    waterfalls: "Waterfalls | None" = None    # by input row, as DedupeResult.waterfalls

    @property
    def clusters(self) -> list[Cluster]:
        """The groups as DedupeResult has them (made on each call: about 200 bytes a grouped row)."""
        return self.figures.clusters(self.cells)


def find_duplicates_large(job: "LargeJob", columns: Sequence[str], *, threshold: float | None = None,
                          synonyms: Mapping[str, str] | None = None,
                          progress: Progress | None = None) -> LargeDedupe:
    """`find_duplicates` on the working copy of `job`: the same clusters, scores, certainty and
    reasons, for the same columns, threshold and synonyms.

    Raises as find_duplicates does (BadOption for unknown columns or a threshold outside 0–100,
    BadInput `reserved_column`), Cancelled when progress is cancelled, and pairs.py's BadOption
    above 16 compared columns.
    """
    import pandas as pd

    from datatools.large.reasons import ReasonsOnDisk
    from datatools.tools.clustering import cluster_pairs
    from datatools.tools.invisible import invisible_values
    from datatools.tools.output_cells import OutputCells
    from datatools.tools.similarity import prepare_columns

    progress = progress or silent()
    names = job.copy.names
    wanted = check_columns(pd.DataFrame(columns=names), columns)
    rows = job.copy.rows
    learned = threshold is None and rows >= LEARN_FROM_ROWS and len(wanted) >= LEARN_FROM_COLUMNS
    certain_from = CERTAIN_SCORE if threshold is None else 0.0
    limit = POSSIBLE * 100 if learned else check_threshold(threshold, DEFAULT_THRESHOLD)
    clash = [name for name in OUTPUT_COLUMNS if name in names]
    if clash:
        raise BadInput(f"The table already has a column named {clash[0]!r}; rename it first.",
                       code="reserved_column", params={"column": clash[0]})
    progress.update(0.0, "reading values")
    values = _ColumnReader(job)
    prepared = prepare_columns(wanted, values.each(wanted), progress.stage(0.0, 0.05),
                               synonyms=synonyms)
    compared = candidate_pairs(job, prepared, progress.stage(0.05, 0.25))
    prepared.backward_ranks = []     # only the pairs' orders read them (24 bytes a row)
    model, vetoed, limit = _score_batches(job, prepared, compared, limit, learned,
                                          progress.stage(0.25, 0.85))
    unlearned = [model_not_learned(rows)] if learned and model is None else []

    from datatools.tools.uncompared_ids import uncompared_columns

    uncompared = uncompared_columns(values, list(names), wanted)
    rescore = rescorer(prepared, progress.stage(0.85, 0.88), limit, model, certain_from,
                       uncompared)

    a, b, strength = _matched(job)
    groups = cluster_pairs(prepared.rows, a, b, strength, limit, rescore, progress.stage(0.88, 0.95))
    partners = matched_partners(a, b, strength, limit)
    del a, b, strength
    reasons = ReasonsOnDisk(job)
    cells = OutputCells(rows, reasons)
    figures, waterfalls = annotate(prepared, groups, limit, model, certain_from, cells,
                                   progress.stage(0.95, 0.98), uncompared)
    explain_vetoes(prepared, vetoed, cells, progress.stage(0.98, 0.99))
    explain_parted(prepared, partners, cells, limit, model, uncompared, progress.stage(0.99, 1.0),
                   vetoed.rows)
    # The prepared columns (about 125 bytes a row, DECISIONS 296) are done with: let them go
    # before invisible_values reads each compared column again and before the result is written.
    del rescore
    prepared = vetoed = partners = None
    give_back()
    reasons.finish()
    progress.update(1.0, f"{figures.groups:,} groups of duplicates")
    report = DedupeReport(rows=rows, columns=wanted, threshold=threshold and limit,
                          clusters=figures.groups, rows_in_clusters=int(cells.grouped(slice(None)).sum()),
                          pairs_compared=compared, certain=figures.certain_groups)
    return LargeDedupe(figures, report, cells, model, unlearned + invisible_values(values, wanted),
                       waterfalls)


def _score_batches(job: "LargeJob", prepared: "PreparedColumns", compared: int, limit: float,
                   learned: bool, progress: Progress
                   ) -> tuple["LinkageModel | None", VetoedPartners, float]:
    """Score the candidate pairs batch by batch (datatools/large/scoring.py) into the table
    `matched` (the pairs whose strength reaches `limit`); the model learned (None at a fixed
    threshold, or when it found no match and the small table's rules decided, as in
    find_duplicates), each row's best vetoed partner, as `vetoed_partners` finds it over all
    pairs at once (an earlier batch's on ties), and the limit the pairs were kept at."""
    from datatools.large.scoring import score_batches

    job.query("matched_table")
    # Each batch's best per row waits until the waiting ones outnumber the rows kept, then all
    # are reduced to one per row (not a sort of all kept rows per batch).
    vetoed: list[VetoedPartners] = []
    kept = [limit]

    def visit(a: "np.ndarray", b: "np.ndarray", scored: PairScores) -> None:
        vetoed.append(vetoed_partners(a, b, scored))
        if sum(len(part.rows) for part in vetoed[1:]) > max(len(vetoed[0].rows), 100_000):
            vetoed[:] = [VetoedPartners.join(vetoed)]
        keep = scored.strength >= kept[0]
        _store_matched(job, a[keep], b[keep], scored.strength[keep])

    def unlearned() -> float:
        job.query("matched_table")
        vetoed.clear()
        kept[0] = check_threshold(None, DEFAULT_THRESHOLD)
        return kept[0]

    model = score_batches(job, prepared, compared, limit, learned, visit, progress,
                          unlearned=unlearned)
    return model, VetoedPartners.join(vetoed), kept[0]


def _store_matched(job: "LargeJob", a: "np.ndarray", b: "np.ndarray", strength: "np.ndarray") -> None:
    import pyarrow as pa

    if len(a):
        job.register("scored_batch", pa.table({"a": pa.array(a, pa.int32()), "b": pa.array(b, pa.int32()),
                                               "strength": pa.array(strength, pa.float32())}))
        job.query("add_matched")


def _matched(job: "LargeJob") -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
    """The pairs that reached the threshold, in pair order."""
    import numpy as np

    pairs = job.arrow("ordered_matched")
    return tuple(np.asarray(pairs.column(k).combine_chunks()) for k in range(3))


class _ColumnReader(Mapping):
    """The working copy's columns by the table's names, read from the Parquet file one at a
    time (as pyarrow arrays, or as pandas Series for `invisible_values`, which reads each
    column twice: the last one is kept)."""

    def __init__(self, job: "LargeJob") -> None:
        self._job = job
        self._stored = {name: f"c{k}" for k, name in reversed(list(enumerate(job.copy.names)))}
        self._last: tuple[str, "pd.Series"] | None = None

    def arrow(self, name: str):
        import pyarrow.parquet as pq

        return pq.read_table(self._job.copy.parquet, columns=[self._stored[name]]).column(0).combine_chunks()

    def arrays(self) -> Mapping:
        """The columns by name as pyarrow arrays (for `invisible_values`, which reads each
        column twice: the last one is kept), not as pandas Series of Python strings."""
        return _ArrowColumns(self)

    def each(self, names: Sequence[str]) -> Sequence:
        """The columns `names` as pyarrow arrays, each read when it is taken: all six of a
        10 M-row table read at once were most of a gigabyte beside the prepared columns."""
        return _EachColumn(self, list(names))

    def __getitem__(self, name: str) -> "pd.Series":
        if self._last is None or self._last[0] != name:
            self._last = (name, self.arrow(name).to_pandas())
        return self._last[1]

    def __contains__(self, name) -> bool:
        # By name: Mapping's own would read the column as a pandas Series to answer (a street
        # column of ten million rows, some 0.7 GB of Python strings; DECISIONS 530).
        return name in self._stored

    def __iter__(self):
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)


class _ArrowColumns(Mapping):
    """`_ColumnReader.arrays`: column `name` read as a pyarrow array when it is taken."""

    def __init__(self, reader: _ColumnReader) -> None:
        self._reader = reader
        self._last: tuple[str, "pa.Array"] | None = None

    def __getitem__(self, name: str) -> "pa.Array":
        if self._last is None or self._last[0] != name:
            self._last = None                  # the last column goes before the next is read
            self._last = (name, self._reader.arrow(name))
        return self._last[1]

    def __iter__(self):
        return iter(self._reader)

    def __len__(self) -> int:
        return len(self._reader)


class _EachColumn(Sequence):
    """`_ColumnReader.each`: column k read from the working copy when item k is taken."""

    def __init__(self, reader: _ColumnReader, names: list[str]) -> None:
        self._reader, self._names = reader, names

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, k):
        return self._reader.arrow(self._names[k])


def annotated_parts(job: "LargeJob", result: LargeDedupe,
                    progress: Progress | None = None) -> Iterator[tuple["pd.DataFrame", float]]:
    """The input rows with cluster_id, match_score, match_certainty and match_reason, one
    working-copy row group at a time, with the fraction written (for `write_csv_parts`)."""
    import pyarrow.parquet as pq

    progress = progress or silent()
    source = pq.ParquetFile(job.copy.parquet)
    groups = source.num_row_groups
    start = 0
    for group in range(max(groups, 1)):
        progress.update(group / max(groups, 1), "writing rows")
        if groups:
            whole = source.read_row_group(group)
        else:
            import pyarrow as pa

            whole = pa.table({f"c{k}": pa.array([], pa.string()) for k in range(len(job.copy.names))})
        # PART_ROWS rows at a time (DECISIONS 250).
        for offset in range(0, max(whole.num_rows, 1), PART_ROWS):
            frame = whole.slice(offset, PART_ROWS).to_pandas()
            frame.columns = job.copy.names
            end = start + len(frame)
            for name, values in zip(OUTPUT_COLUMNS, result.cells.between(start, end)):
                frame[name] = values
            start = end
            done = (offset + len(frame)) / whole.num_rows if whole.num_rows else 1.0
            yield frame, (group + done) / max(groups, 1)
