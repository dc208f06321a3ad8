"""Cells of a compare that hold the same decimal number written another way (`4111.90`, `4111.9`).

A spreadsheet writes `4111.9` for the `4111.90` of a CSV it was saved from; an accountant reads
both as the same amount, so such cells are not changes (DECISIONS 310). Only trailing zeros
after a decimal point differ: `7`, `7.0` and `7.00` are one number. Every other spelling stays
a change, as it may be one: leading zeros (`007` is an identifier or a postcode), a sign,
thousands separators (`1.000` is a thousand in Germany and one elsewhere) and exponents (`1E+11`
is what a spreadsheet makes of a long account number, its last digits lost).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.notices import Notice


def decimal_number(text: str) -> tuple[bool, str, str] | None:
    """`text` as (negative, whole digits, fraction digits without trailing zeros) when it is a
    decimal number of ASCII digits (`-12`, `4111.90`), else None. Linear in the text."""
    negative = text.startswith("-")
    whole, dot, fraction = text[1 if negative else 0:].partition(".")
    if not (whole.isascii() and whole.isdigit()) or dot and not (fraction.isascii() and fraction.isdigit()):
        return None
    return negative, whole, fraction.rstrip("0")


def same_number(before: str, after: str) -> bool:
    """Whether two cells that differ as written are one decimal number (`decimal_number`)."""
    number = decimal_number(before)
    return number is not None and number == decimal_number(after)


def respelled_numbers(differs: "np.ndarray", old_columns: Sequence, new: "pd.DataFrame",
                      shared: Sequence[str], old_of_new: "np.ndarray") -> dict[str, dict[str, Any]]:
    """Take out of `differs` (new rows × `shared` columns, modified in place) the cells whose
    old value (`old_columns[k]`, pyarrow text arrays, row `old_of_new[row]`) and new value are
    one number, and count them per column: {column: {"cells", "row" (the first such new row,
    1-based), "old", "new" (its two spellings)}}; columns without any are left out."""
    import numpy as np

    found = {}
    for k, column in enumerate(shared):
        rows = np.flatnonzero(differs[:, k])
        if not len(rows):
            continue
        before = old_columns[k].take(old_of_new[rows]).to_pylist()
        after = new[column].to_numpy(dtype=object)[rows].tolist()
        same = np.fromiter(map(same_number, before, after), dtype=bool, count=len(rows))
        if same.any():
            differs[rows[same], k] = False
            first = int(np.argmax(same))
            found[column] = {"cells": int(same.sum()), "row": int(rows[first]) + 1,
                             "old": before[first], "new": str(after[first])}
    return found


def respelled_summed(total: dict[str, dict[str, Any]], more: dict[str, dict[str, Any]],
                     columns: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Two batches' `respelled_numbers` (rows numbered over the whole file) as one: the cells
    summed, the example of the earlier row kept, in the order of `columns` (as one batch
    of the whole would give them)."""
    summed = {}
    for column in columns:
        found = [f for f in (total.get(column), more.get(column)) if f]
        if found:
            summed[column] = {**min(found, key=lambda f: f["row"]), "cells": sum(f["cells"] for f in found)}
    return summed


def respelled_notes(respelled: dict[str, dict[str, Any]]) -> list["Notice"]:
    """One note per column whose cells hold the same numbers written another way."""
    from datatools.notices import Notice

    return [Notice(f"{column}: {f['cells']:,} cell{'' if f['cells'] == 1 else 's'} hold the same "
                   f"number written another way (new row {f['row']:,}: {f['old']} → {f['new']}); "
                   "not counted as changes.", "compare_numbers_respelled", column=column, **f)
            for column, f in respelled.items()]
