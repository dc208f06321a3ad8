"""Letters lost to `?` by a lossy export: `Pawe?`, `?ukasz`, `Y?lmaz`, `Dvo?ák`.

Excel's "CSV (comma delimited)" and other exports to a single-byte code page write `?` for every
character the code page lacks (Windows' WideCharToMultiByte default character): Polish `ł`, `ś`,
Turkish `ı`, `ğ`, `ş`, Czech `ř`, `ě` in a Western European export. The letters are gone from
the file; only an export in UTF-8 brings them back, so the reader says so, with a count.

A `?` between two letters (`Y?lmaz`), or starting a word before a letter (`?ukasz`), is such a
loss; a `?` ending a word (`Pawe?`) counts only in a column that has the first kind, since a
question ends that way too. Cells that look like web addresses (`page?id=3`) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from datatools.notices import Notice

if TYPE_CHECKING:
    import pandas as pd

INSIDE = r"\pL\?+\pL|(?:^|[\s,.'\-/(])\?+\pL"
WORD_END = r"\pL\?+(?:$|[\s,.;)\-])"
WEB = r"://|www\.|\?\w+=|&\w+="
EXAMPLES = 3


@dataclass
class Losses:
    cells: int
    columns: list[str]
    examples: list[str]


class LossCounter:
    """`find_losses` one batch at a time: `add` each column's text of every batch, in file
    order, then `result()`; the same count, columns and examples as over the whole table, in
    memory bounded by the columns (a count, a flag and EXAMPLES values each)."""

    def __init__(self, names: Sequence[str]):
        self._names = [str(n) for n in names]
        self._hits = [0] * len(self._names)           # cells with either kind of loss
        self._inside = [False] * len(self._names)     # the column has a `?` inside a word
        self._examples: list[list[str]] = [[] for _ in self._names]

    def add(self, index: int, data) -> None:
        """Column `index`'s next cells (a pyarrow string array, no nulls)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if not _may_hold_question_mark(data):
            return                      # most columns: one fast look at their bytes and done
        web = np.asarray(pc.fill_null(pc.match_substring_regex(data, WEB), False))
        inside = np.asarray(pc.fill_null(pc.match_substring_regex(data, INSIDE), False)) & ~web
        end = np.asarray(pc.fill_null(pc.match_substring_regex(data, WORD_END), False)) & ~web
        hit = inside | end
        if not hit.any():
            return
        self._inside[index] = self._inside[index] or bool(inside.any())
        self._hits[index] += int(hit.sum())
        examples = self._examples[index]
        if len(examples) < EXAMPLES:
            for value in pc.filter(data, pa.array(hit)).unique().to_pylist():
                if len(examples) >= EXAMPLES:
                    break
                if value not in examples:
                    examples.append(value)

    def result(self) -> Losses:
        """The losses found so far: a column counts once a `?` inside a word proves it lossy."""
        cells, columns, examples = 0, [], []
        for i, name in enumerate(self._names):
            if not self._inside[i]:
                continue
            cells += self._hits[i]
            columns.append(name)
            examples += self._examples[i][:EXAMPLES - len(examples)]
        return Losses(cells, columns, examples)


def find_losses(frame: "pd.DataFrame", candidates: list[int] | None = None) -> Losses:
    """Cells of `frame` (text columns) with letters replaced by `?`, by the rules above;
    `candidates`, when the caller knows them, the positions of the only columns holding a `?`."""
    from datatools.tools.stacked import positions_where

    # A short, wide table: one stacked look finds the columns holding a `?` at all.
    if candidates is None:
        candidates = positions_where(frame, lambda cells: cells.str.contains("?", regex=False))
    return count_losses(frame.columns.tolist(),
                        ((index, arrow_text(frame.iloc[:, index])) for index in candidates))


def count_losses(names: Sequence[str], columns) -> Losses:
    """`find_losses` over the columns named `names`, given as (position, pyarrow string array
    without nulls) pairs for the columns that may hold a `?`, in order."""
    counter = LossCounter(names)
    for index, data in columns:
        counter.add(index, data)
    return counter.result()


def arrow_text(series: "pd.Series"):
    """A text column as a pyarrow string array, "" for missing; no copy when pandas holds one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = series.array
    if hasattr(array, "__arrow_array__") and str(series.dtype) in ("str", "string"):
        data = array.__arrow_array__()
        if isinstance(data, pa.ChunkedArray):
            data = data.combine_chunks() if data.num_chunks != 1 else data.chunk(0)
        if data.type != pa.string():
            data = data.cast(pa.string())
    else:
        data = pa.array(series.astype("str"), type=pa.string(), from_pandas=True)
    return pc.fill_null(data, "")


def losses_notice(frame: "pd.DataFrame", candidates: list[int] | None = None) -> Notice | None:
    """The reader's note on letters lost to `?` (count, columns, examples), or None;
    `candidates` as `find_losses` takes them."""
    return notice_of(find_losses(frame, candidates))


def notice_of(found: Losses) -> Notice | None:
    """The note on the losses `found` (count, columns, examples), or None when there are none."""
    if not found.cells:
        return None
    shown = ", ".join(repr(v) for v in found.examples)
    return Notice(f"{found.cells:,} cell(s) in {', '.join(found.columns)} hold '?' where a letter "
                  f"should be (e.g. {shown}): characters were replaced by ? on export, so the "
                  "letters are not in this file. Export the table again as UTF-8 (in Excel: "
                  "Save As, \"CSV UTF-8 (Comma delimited)\") and read that file.",
                  "question_mark_losses", count=found.cells, columns=", ".join(found.columns),
                  examples=shown)


def _may_hold_question_mark(data) -> bool:
    """False when no cell of the string array `data` (an Array or ChunkedArray) holds `?`: one
    vectorised look at each chunk's character buffer, which is several times faster than a
    search cell by cell. Bytes outside a sliced array's cells only make a True that the exact
    look in `add` then weighs, so the answer never hides a `?`."""
    import numpy as np

    for chunk in getattr(data, "chunks", [data]):
        buffers = chunk.buffers()
        if len(buffers) < 3 or buffers[2] is None:
            continue
        if (np.frombuffer(buffers[2], dtype=np.uint8) == ord("?")).any():
            return True
    return False
