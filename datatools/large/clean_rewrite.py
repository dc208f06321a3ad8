"""The large clean's last pass: a column's decided steps on every batch, written to the column's cleaned file."""

from __future__ import annotations

from contextlib import ExitStack
from itertools import islice
from pathlib import Path

from datatools.large.clean_tidy_pass import DistinctSteps
from datatools.large.column_batches import Column
from datatools.progress import Progress
from datatools.tools.clean_shapes import distinct_values
from datatools.tools.clean_tidy import Steps


def rewrite_pass(column: Column, tidied_path: Path, chain: list, scratch: dict, steps: Steps,
                 rows: int, progress: Progress) -> tuple[int, Path]:
    """The decided steps of `chain` on every batch of the tidied cells, booked on `steps`, written
    to the column's cleaned file; the held rules' scratch runs booked on their own Steps.
    Returns the cells that differ from the input and the file (written only from the first
    batch that differs, the batches before it copied: none when no cell differs). Progress
    goes from 0.5 to 1 (`rows`: the column's cells), a report per batch."""
    import pandas as pd

    path = column.folder / f"clean-{column.stored}.parquet"
    cells, done = 0, 0
    for step in chain:
        if hasattr(step, "reset"):
            step.reset()
    with ExitStack() as stack:
        writer = None
        # A column tidying left alone is its own tidied file: read once.
        tidied = column.batches(tidied_path) if tidied_path != column.parquet else None
        for original in column.batches(column.parquet):
            s = original if tidied is None else next(tidied)
            # Each step looks at a value alone: run on the batch's distinct values, spread back.
            values, codes, counts = distinct_values(s)
            for spare, pair in scratch.items():
                if pair:
                    DistinctSteps(pair[1], codes, counts)(values, pair[0].apply(values, counts), pair[0].booked)
            book = DistinctSteps(steps, codes, counts)
            for step in chain:
                if step.active:
                    values = book(values, step.apply(values, counts), step.booked)
            s = pd.Series(values.array.take(codes), copy=False)
            differ = int((s != original).sum())
            if differ and writer is None:
                writer = stack.enter_context(column.writer(path))
                for earlier in islice(column.batches(column.parquet), done):
                    writer.write(column.table(earlier))
            cells += differ
            done += 1
            progress.update(0.5 + 0.5 * done / column.batch_count(rows), f"cleaning {column.name}")
            if writer is not None:
                writer.write(column.table(s))
    progress.update(1.0, f"cleaned {column.name}")
    return cells, path
