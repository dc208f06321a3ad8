"""The large clean's first pass: a column's tidy steps, batch by batch, on each batch's distinct values.

`clean_tidy.tidy` looks at each cell alone, so a batch's distinct values are tidied once and
spread back; `DistinctSteps` books the counts per cell and the samples in the cells' order, as
`Steps` books them on the cells themselves (the later passes book through it too).
"""

from __future__ import annotations

from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from datatools.large.column_batches import Column
from datatools.progress import Progress
from datatools.tools.clean_rules import ColumnRules
from datatools.tools.clean_tidy import SAMPLES, Steps, keep_protection, tidy

if TYPE_CHECKING:
    import pandas as pd


class DistinctSteps:
    """`Steps` for a step run on a batch's distinct values (`codes`: each cell's value,
    `counts`: cells per value): counted per cell and sampled in the cells' order, as `Steps`
    counts and samples the step run on the cells themselves."""

    def __init__(self, steps: Steps, codes, counts) -> None:
        self.steps, self.codes, self.counts = steps, codes, counts

    def __call__(self, series: "pd.Series", new: "pd.Series", name: str) -> "pd.Series":
        import numpy as np

        new = keep_protection(series, new)
        differs = (new != series).to_numpy(dtype=bool)
        if not differs.any():
            return new
        steps = self.steps
        steps.counts[name] = steps.counts.get(name, 0) + int(self.counts[differs].sum())
        wanted = SAMPLES - len(steps.samples.get(name, []))
        rows = np.flatnonzero(differs[self.codes])[:max(wanted, 0)]
        steps.samples.setdefault(name, []).extend(
            [str(series.iat[v]), str(new.iat[v])] for v in self.codes[rows].tolist())
        return new


def tidy_batch(original: "pd.Series", rules: ColumnRules, half_width: bool,
               steps: Steps) -> tuple["pd.Series", int, int]:
    """`clean_tidy.tidy` on a batch's cells, run once per distinct value (each step looks at a
    value alone; a column repeats its names and cities): the tidied cells, how many are
    filled, how many differ from `original`."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(original, use_na_sentinel=False)
    counts = np.bincount(codes, minlength=len(uniques))
    values = pd.Series(uniques, dtype=original.dtype)
    tidied = tidy(values, rules, half_width, DistinctSteps(steps, codes, counts))
    filled = int(counts[(tidied != "").to_numpy(dtype=bool)].sum())
    changed = int(counts[(tidied != values).to_numpy(dtype=bool)].sum())
    return pd.Series(tidied.array.take(codes), copy=False), filled, changed


def tidy_pass(column: Column, rules: ColumnRules, half_width: bool, steps: Steps, rows: int,
              progress: Progress) -> tuple[Path, int, int]:
    """The tidy steps of `rules` on every batch of `column`, booked on `steps`: the file holding
    the tidied cells (the working copy itself when tidying changes none), the filled cells
    and the cells tidying changed. Progress goes to 0.4."""
    tidied_path = column.folder / f"tidy-{column.stored}.parquet"
    changed, per_batch = 0, []
    # The tidied cells go to a file of their own from the first batch tidying changes (the
    # batches before it copied as they are); a column tidying leaves alone is read from the copy.
    with ExitStack() as stack:
        writer = None
        for original in column.batches(column.parquet):
            tidied, count, differ = tidy_batch(original, rules, half_width, steps)
            if differ and writer is None:
                writer = stack.enter_context(column.writer(tidied_path))
                for earlier in islice(column.batches(column.parquet), len(per_batch)):
                    writer.write(column.table(earlier))
            per_batch.append(count)
            changed += differ
            if writer is not None:
                writer.write(column.table(tidied))
            progress.update(0.4 * len(per_batch) / column.batch_count(rows), f"cleaning {column.name}")
    return (tidied_path if changed else column.parquet), sum(per_batch), changed
