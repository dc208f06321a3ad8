"""Values as the eye reads them: characters that make equal-looking keys differ.

A no-break space (U+00A0, Excel and web pages), a zero-width space (U+200B, copied from web
pages and chat), a word joiner (U+2060), a stray byte-order mark (U+FEFF, files joined with
`cat`), a soft hyphen (U+00AD) or a space at either end: `A1` and `A1`+NBSP look the same in
every spreadsheet but are different strings. Compare pairs, and match and dedupe group, values
by their visible form, and say how many differed only so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from datatools.notices import Notice

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

# Characters with no width (Unicode general category Cf among them) and spaces of other widths.
INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
# The ideographic space U+3000 is not among them: it is a visible, full-width space (the
# separator of Japanese names, 鈴木　修); the width option makes it a space (DECISIONS 556).
ODD_SPACES = "[\u00a0\u2007\u202f\u2009]"
# A value holding one of them, or space at either end (RE2 syntax, for pyarrow's kernels too).
_NOT_VISIBLE = f"{INVISIBLE}|{ODD_SPACES}|^\\s|\\s$"
EXAMPLES = 3


def visible_form(column: "pd.Series") -> "pd.Series":
    """The column with odd spaces made plain, zero-width characters removed, ends stripped."""
    column = column.fillna("").astype("str")
    return (column.str.replace(ODD_SPACES, " ", regex=True)
            .str.replace(INVISIBLE, "", regex=True).str.strip())


def _hits(column: "pd.Series | pa.Array") -> "np.ndarray":
    """Which cells differ from their visible form (one vectorised regex look); `column` a
    Series, or a pyarrow string array (the large engine's, read as is: a pandas Series of ten
    million streets is some 0.7 GB of Python strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        data = pc.fill_null(column, "")
    else:
        data = pa.array(column.fillna("").astype("str"), type=pa.string(), from_pandas=True)
    found = pc.fill_null(pc.match_substring_regex(data, _NOT_VISIBLE), False)
    return found.to_numpy(zero_copy_only=False)


def shown_invisible(value: str) -> str:
    """A value as a note's example shows it: quoted, its invisible characters and odd spaces
    escaped as Python writes them (`\\xa0`, `\\u200b`, as terminal.shown escapes control
    characters) and a plain space at either end written `\\x20`, so that the example shows what
    made it differ: `'+39\\x20'`, not `'+39 '`, which reads as `'+39'` (trial E, DECISIONS 491)."""
    text = repr(str(value))[1:-1]
    inner = text.strip(" ")
    start = len(text) - len(text.lstrip(" "))
    end = len(text) - start - len(inner)
    return "'" + "\\x20" * start + inner + "\\x20" * end + "'"


def _examples(column: "pd.Series | pa.Array", hits: "np.ndarray", wanted: int) -> list[str]:
    """The first `wanted` distinct values of `column` (a Series or a pyarrow array) where
    `hits`, as shown_invisible shows them."""
    import pyarrow as pa

    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        import pyarrow.compute as pc

        found = pc.unique(column.filter(pa.array(hits)))       # in the order first met
        return [shown_invisible(v) for v in found.slice(0, max(wanted, 0)).to_pylist()]
    return [shown_invisible(v) for v in column[hits].drop_duplicates().head(wanted)]


@dataclass
class Invisible:
    """Cells changed to their visible form: how many, in which columns, a few as written."""

    cells: int
    columns: list[str]
    examples: list[str]


def visible_frame(frame: "pd.DataFrame", columns: Sequence[str]
                  ) -> tuple["pd.DataFrame", Invisible]:
    """`frame` with `columns` in their visible form (a copy only when some cell changes)."""
    changed, examples, touched = 0, [], []
    result = frame
    for name in columns:
        hits = _hits(frame[name])
        if not hits.any():
            continue
        if result is frame:
            result = frame.copy()
        result[name] = visible_form(frame[name])
        changed += int(hits.sum())
        touched.append(str(name))
        examples += _examples(frame[name], hits, EXAMPLES - len(examples))
    return result, Invisible(changed, touched, examples[:EXAMPLES])


def invisible_notice(count: int, columns: Sequence[str], examples: Sequence[str],
                     what: str = "keys") -> Notice | None:
    """The note counting values that differed only by invisible characters or end spaces.

    `what` says how they were treated: "keys" (compare pairs them), "values" (match and
    dedupe read them as equal), "cells" (compare does not count them as changed).
    """
    if not count:
        return None
    sentences = {"keys": ("invisible_keys", "they were paired as the same key"),
                 "cells": ("invisible_cells", "they count as unchanged"),
                 "values": ("invisible_values", "they were compared as the same value")}
    code, outcome = sentences[what]
    examples = list(dict.fromkeys(examples))        # one value found twice is one example
    return Notice(f"{count:,} {what[:-1] if count == 1 else what} in {', '.join(columns)} differed "
                  f"only by invisible characters (no-break or zero-width spaces, byte-order marks) "
                  f"or spaces at the ends, e.g. {', '.join(examples)}; {outcome}.",
                  code, count=count, columns=", ".join(columns),
                  examples=", ".join(examples))


def invisible_values(frame: "pd.DataFrame", columns: Sequence[str],
                     other: "pd.DataFrame | None" = None,
                     other_columns: Sequence[str] = ()) -> list[Notice]:
    """Match's and dedupe's note (a list of at most one): how many of the values they compared
    hold invisible characters or end spaces, which their comparison reads past
    (datatools/tools/normalize.py). `frame[name]` and `other[name]` give a column as a pandas
    Series or a pyarrow string array."""
    count, names, examples = 0, [], []
    for table, wanted in ((frame, columns), (other, other_columns)):
        if table is None:
            continue
        for name in wanted:
            hits = _hits(table[name])
            if hits.any():
                count += int(hits.sum())
                names.append(str(name))
                examples += _examples(table[name], hits, EXAMPLES)
    note = invisible_notice(count, list(dict.fromkeys(names)), examples[:EXAMPLES], "values")
    return [note] if note is not None else []
