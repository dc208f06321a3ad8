"""A working-copy column read and written in batches, for the large clean's passes over it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from datatools.large.groups import GroupWriter

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Column:
    """Where one column lies: the working copy's Parquet file, its stored name, its own name;
    `batch_rows`: the cells each pass reads at a time."""

    parquet: Path
    stored: str
    name: str
    folder: Path            # the job's folder, for the files written here
    batch_rows: int = 256_000

    def batches(self, path: Path) -> Iterator["pd.Series"]:
        """The column in the Parquet file `path` (the copy or a file of a pass), `batch_rows`
        cells at a time, as the text Series `clean_table` reads (`str`, "" for missing)."""
        import pandas as pd
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=self.batch_rows, columns=[self.stored]):
            yield pd.Series(batch.column(0).to_pandas(), dtype="str").astype("str").fillna("")

    def batch_count(self, rows: int) -> int:
        """How many batches `rows` cells make (at least one)."""
        return max(-(-rows // self.batch_rows), 1)

    def writer(self, path: Path) -> GroupWriter:
        """A Parquet file at `path` for the column's cells in the working copy's row groups."""
        import pyarrow as pa

        return GroupWriter(path, pa.schema([(self.stored, pa.string())]))

    def table(self, s: "pd.Series"):
        """The cells `s` as a one-column pyarrow Table for `writer`."""
        import pyarrow as pa

        return pa.table({self.stored: pa.array(s.astype("str").fillna(""), pa.string())})
