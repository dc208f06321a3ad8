"""All cells of a short, wide table as one column, so a per-cell step runs once, not per column.

pandas and pyarrow pay a fixed cost for every call on a Series (about a millisecond for a
string method, whatever its length): a table of 3,000 columns × 30 rows paid it 3,000 times
per step and took ten times as long as 10 × 9,000 cells. Stacking the cells column after
column (`stack_cells`) lets a step run once over every cell; `ChangedColumns` then says which
columns the step changed, and the per-column work runs only there. Only steps that look at
each cell alone (replace, normalise, strip, compare) may run stacked: their result for a cell
is the same whichever column it sits in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SHORT_ROWS = 5000   # tables up to this many rows check their columns stacked first


def stack_cells(frame: "pd.DataFrame", columns: list) -> tuple["pd.Series", "np.ndarray"]:
    """The text of `frame[columns]` (missing cells as "") as one Series, column after column,
    and for each of its cells the position in `columns` it came from (an int array of the same
    length). `columns` must be distinct names of `frame`."""
    import numpy as np
    import pandas as pd

    part = frame if list(frame.columns) == list(columns) else frame[columns]
    if all(isinstance(dtype, pd.StringDtype) for dtype in part.dtypes):
        values = part.to_numpy(dtype=object, na_value="")     # text already: no per-column astype
    else:
        values = part.astype("str").fillna("").to_numpy(dtype=object)
    cells = pd.Series(values.ravel(order="F"), dtype="str")
    return cells, np.repeat(np.arange(len(columns)), len(frame))


class ChangedColumns:
    """A step recorder for a stacked run: for each step name, the set of column positions in
    which it changed at least one cell. Called like `clean._Steps`: (before, after, name) →
    after, passed through `protect` first (the same rule the per-column run applies)."""

    def __init__(self, codes: "np.ndarray",
                 protect: Callable[["pd.Series", "pd.Series"], "pd.Series"]) -> None:
        self.codes, self.protect = codes, protect
        self.changed: dict[str, set[int]] = {}

    def __call__(self, series: "pd.Series", new: "pd.Series", name: str) -> "pd.Series":
        import numpy as np

        new = self.protect(series, new)
        differs = (new != series).to_numpy(dtype=bool)
        self.changed[name] = set(np.unique(self.codes[differs]).tolist())
        return new

    def unchanged(self, position: int) -> set[str]:
        """The steps that changed nothing in the column at `position`."""
        return {name for name, columns in self.changed.items() if position not in columns}


def columns_where(frame: "pd.DataFrame", test: Callable[["pd.Series"], "pd.Series"]) -> list:
    """`frame`'s columns, in order, except the text columns where `test` (a per-cell Series →
    bool Series) is False for every cell: a cheap first pass for a per-column scan, run once over
    the stacked cells of a short table. Tall tables, and columns that are not text, are all kept
    (their own scan decides)."""
    import pandas as pd

    if len(frame) > SHORT_ROWS or frame.shape[1] < 2 or not frame.columns.is_unique:
        return list(frame.columns)
    text = [c for c, dtype in frame.dtypes.items()
            if dtype == object or isinstance(dtype, pd.StringDtype)]
    if not text:
        return list(frame.columns)
    cells, codes = stack_cells(frame, text)
    hit = {text[p] for p in set(codes[test(cells).fillna(False).to_numpy(dtype=bool)].tolist())}
    plain = set(text) - hit
    return [c for c in frame.columns if c not in plain]


def column_arrays(frame: "pd.DataFrame") -> list:
    """`frame`'s columns as pandas arrays, in order, without building a Series for each: pandas'
    own column iterator where it has one (a Series costs tens of microseconds, a table of
    10^6 columns has 10^6 of them), else column by column."""
    arrays = getattr(frame, "_iter_column_arrays", None)
    if arrays is not None:
        return list(arrays())
    return [frame.iloc[:, i].array for i in range(frame.shape[1])]


def stacked_arrow(frame: "pd.DataFrame"):
    """The text of every cell of `frame`, column after column, as one pyarrow large_string array
    with "" for missing cells: text columns without a copy per column, others as `str` gives."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = []
    for array in column_arrays(frame):
        if isinstance(array.dtype, pd.StringDtype) and hasattr(array, "__arrow_array__"):
            data = array.__arrow_array__()
        else:
            data = pa.array(pd.Series(array).astype("str"), from_pandas=True)
        for chunk in (data.chunks if isinstance(data, pa.ChunkedArray) else [data]):
            chunks.append(chunk if chunk.type == pa.large_string() else chunk.cast(pa.large_string()))
    if not chunks:
        return pa.array([], pa.large_string())
    cells = pa.concat_arrays(chunks)
    return pc.fill_null(cells, "") if cells.null_count else cells
