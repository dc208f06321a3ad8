"""Cells a spreadsheet program would run as formulas (CSV/formula injection): find, count, escape.

A text cell that starts with `=`, `+`, `-`, `@`, TAB or CR is read by Excel, LibreOffice and
Google Sheets as a formula when it arrives in a CSV file: `=HYPERLINK("http://…","Click")` or
`=cmd|' /C calc'!A0` then runs on the buyer's machine. OWASP's "CSV Injection" page
(https://owasp.org/www-community/attacks/CSV_Injection) names exactly these six first
characters and the cure: prefix the cell with a single quote, which every spreadsheet program
hides and takes as "this is text".

A value made only of digits, signs, spaces and `.,()/'%` (`-12.5`, `+49 30 1234567`) is a
number or a phone number: no function can be called without letters, so it is not counted and
never escaped. A cell already starting with an apostrophe is already protected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.tools.stacked import StackedText

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN = r"^[+\-]?[\d\s.,()/'%+\-]*$"     # digits and signs only: a number or a phone number


@dataclass(frozen=True)
class FormulaCells:
    """What a writer found: `count` formula-like cells (column names included), `escaped`
    when they were written with a leading apostrophe, and up to three `examples`."""

    count: int = 0
    escaped: bool = False
    examples: tuple[str, ...] = ()


def formula_like(series: "pd.Series") -> "pd.Series":
    """True for each text cell a spreadsheet would run as a formula (see the module's rule)."""
    text = series.astype("str")
    starts = text.str.match(_FORMULA_START)
    if not starts.any():
        return starts
    # `_PLAIN` holds \d and \s, which send pandas to Python's re cell by cell on non-ASCII
    # text: it is asked only of the few cells that start like a formula.
    at = starts.to_numpy(dtype=bool)
    found = starts.copy()
    found[at] = ~_plain(text[at])
    return found


# `_PLAIN` for ASCII text in RE2 (pyarrow): `\d` there is what Python's is on ASCII, and `\s`
# is spelled out as Python reads it on ASCII (RE2's lacks \v and \x1c-\x1f).
_PLAIN_ASCII = r"^[+\-]?[0-9\t\n\x0b\x0c\r\x1c-\x1f .,()/'%+\-]*$"


def _plain(text: "pd.Series") -> "np.ndarray":
    """`text.str.match(_PLAIN)` as a numpy bool array: ASCII cells in one pyarrow call, the
    others by Python's re (a phone column starts every cell with `+`)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(text, pa.string(), from_pandas=True)
    ascii_ = np.asarray(pc.fill_null(pc.string_is_ascii(cells), False))
    plain = np.asarray(pc.fill_null(pc.match_substring_regex(cells, _PLAIN_ASCII), False))
    if not ascii_.all():
        others = ~ascii_
        plain[others] = text[others].str.match(_PLAIN).fillna(False).to_numpy(dtype=bool)
    return plain


def is_formula_like(value: str) -> bool:
    """`formula_like` for one value (column names, single cells)."""
    import re

    return bool(re.match(_FORMULA_START, value)) and not re.match(_PLAIN, value)


def escape_formulas(frame: "pd.DataFrame", escape: bool, cells: "StackedText | None" = None
                    ) -> tuple["pd.DataFrame", FormulaCells]:
    """Count `frame`'s formula-like cells (and names); with `escape`, a copy where each of them
    starts with an apostrophe (OWASP). Without `escape` the frame comes back unchanged.
    `cells`: `frame`'s text stacked (stacked.text_stacked), when the caller has it: only the
    columns with a cell starting like a formula are then looked at cell by cell."""
    from datatools.tools.stacked import columns_where

    names = [str(c) for c in frame.columns]
    found = [name for name in names if is_formula_like(name)]
    count = len(found)
    masks = {}
    if cells is not None and frame.columns.is_unique:
        starting = cells.starting("".join(FORMULA_STARTS))
        candidates = [column for column, hit in zip(frame.columns, starting) if hit]
    else:
        candidates = columns_where(frame, formula_like)
    for column in candidates:
        mask = formula_like(frame[column].fillna(""))
        if mask.any():
            masks[column] = mask
            count += int(mask.sum())
            if len(found) < 3:
                found += list(frame[column][mask].astype("str").head(3 - len(found)))
    if not escape or not count:
        return frame, FormulaCells(count, False, tuple(found[:3]))
    result = frame.copy()
    for column, mask in masks.items():
        result.loc[mask, column] = ESCAPE + result.loc[mask, column].astype("str")
    result.columns = [ESCAPE + n if is_formula_like(n) else n for n in names]
    return result, FormulaCells(count, True, tuple(found[:3]))


def formula_notice(found: FormulaCells, target_name: str):
    """The sentence a CSV output's formula-like cells earn (a Notice), or None when there are none."""
    from datatools.notices import Notice

    if not found.count:
        return None
    example = found.examples[0] if found.examples else ""
    if found.escaped:
        return Notice(f"{target_name}: {found.count:,} cell(s) started with =, +, -, @, TAB or CR "
                      f"(e.g. {example!r}); they were written with a leading apostrophe, so a "
                      "spreadsheet program shows them as text and never runs them.",
                      "formulas_escaped", count=found.count, file=target_name, example=example)
    return Notice(f"{target_name}: {found.count:,} cell(s) start with =, +, -, @, TAB or CR "
                  f"(e.g. {example!r}); a spreadsheet program opening this CSV may run them as "
                  "formulas. Write with --escape-formulas to make them text, or save as .xlsx.",
                  "formulas_in_csv", count=found.count, file=target_name, example=example)
