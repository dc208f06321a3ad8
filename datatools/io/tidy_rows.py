"""The rows a fast read leaves out of a frame: rows empty in every column (counted in a note;
a cell of white space only is empty, as the forgiving reader's `cell.strip()` has it) and, when one is found, the header repeated midway (the forgiving reader then drops such rows
and names their lines: io/delimited.py). io/short_wide.py applies the same rules to its cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datatools.io import delimited
from datatools.io.lossy import arrow_text

if TYPE_CHECKING:
    import pandas as pd


def tidied_frame(frame: "pd.DataFrame", has_header: bool, warnings: list) -> "pd.DataFrame | None":
    """The fast read's frame without blank rows (said in `warnings`); None when a row repeats
    the header."""
    if has_header and repeats_header(frame):
        return None   # the forgiving path drops those rows and names their lines
    blank = blank_rows(frame)
    if blank is not None:
        frame = frame[~blank].reset_index(drop=True)
        warnings.append(delimited.blank_rows_notice(int(blank.sum())))
    return frame


def blank_rows(frame: "pd.DataFrame"):
    """Which rows are empty in every column, or None when none is (pyarrow kernels per column:
    microseconds each, where pandas' comparison costs a millisecond a column)."""
    import numpy as np

    if not len(frame.columns) or not len(frame):
        return None
    blank = np.ones(len(frame), dtype=bool)
    for _, series in frame.items():
        blank &= np.asarray(empty_cells(arrow_text(series)), dtype=bool)
        if not blank.any():
            return None
    return blank


def empty_cells(array):
    """Which cells of a pyarrow string array are empty or white space only (Python's
    `str.isspace`, which Arrow's `utf8_is_space` matches code point for code point): the cells
    the forgiving reader's `cell.strip()` finds empty."""
    import pyarrow.compute as pc

    return pc.or_(pc.equal(array, ""), pc.utf8_is_space(array))


def repeats_header(frame: "pd.DataFrame") -> bool:
    """Whether some row holds the column names again (delimited.drop_repeated_headers)."""
    if frame.shape[1] < 2 or not len(frame):
        return False
    first = frame.columns[0]
    # One vectorised look at the first column, then only its few hits in full.
    hits = frame.index[frame[first].str.lstrip("\ufeff").str.strip().str.casefold()
                       == delimited.header_form(str(first))]
    if not len(hits):
        return False
    names = [delimited.header_form(str(name)) for name in frame.columns]
    if len([n for n in names if n]) < 2:
        return False
    return any([delimited.header_form(str(v)) for v in frame.loc[row]] == names for row in hits)
