"""The tidying steps of `clean` (invisible characters, Unicode form, width, spaces, empty
markers): on one column, or on every cell of a short table at once.

Each step looks at each cell alone, so its result for a cell is the same whichever column the
cell sits in. A short table (stacked.SHORT_ROWS rows at most) therefore runs each step once
over all its cells stacked column after column (`tidy_stacked`), and `StackedSteps` books each
change to its column: pandas pays its fixed cost per call once per step, not once per column
and step (a table of 3,000 columns × 30 rows paid it 3,000 times and took ten times as long as
10 × 9,000 cells). The counts, samples and cells are those of the column-by-column run
(tests/test_wide_tables.py holds them to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from datatools.tools.clean_rules import ColumnRules
from datatools.tools.stacked import stacked_arrow

if TYPE_CHECKING:
    import pandas as pd

# The placeholder spellings `empty_values` empties. Only spellings that are never a real value:
# in any case, the symbols (N/A, #N/A, -, --, ?, (blank)); as machines write them, NULL/null
# (SQL) and NaN/nan (pandas, NumPy). Words that are also names or codes stay: `Na`, `Null`,
# `None` are Korean, German and English surnames, `NA` is Namibia's country code, `nil`,
# `none` and `missing` are words (trial 5: the old list, compared in lower case, emptied all of
# them). Each cell is judged alone, so both engines and every column get the same answer.
EMPTY_MARKERS = ("n/a", "#n/a", "-", "--", "?", "(blank)")
EMPTY_SPELLINGS = ("NULL", "null", "NaN", "nan")
INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
# The ideographic space U+3000 is not among them: it is a visible, full-width space (the
# separator of Japanese names, 鈴木　修); the width option makes it a space (DECISIONS 556).
ODD_SPACES = "[\u00a0\u2007\u202f\u2009]"
TIDY_RULES = ("trim", "invisible", "empty_values", "unicode_nfc")
PROTECTED = r"^['\t][=+\-@\t\r]"   # a cell someone made inert: kept so by every step
SAMPLES = 3          # before → after examples kept per column and step
# Full-width forms of ASCII (U+FF01–U+FF5E) and the ideographic space to their ordinary forms.
HALF_WIDTH = {**{0xFF01 + i: 0x21 + i for i in range(94)}, 0x3000: 0x20}
# Half-width Katakana and its signs (U+FF61–U+FF9F: ｶﾀｶﾅ, ｶﾞ, ｰ, ｡「」、・), which only old
# Japanese systems write: widened as NFKC widens them, a voiced mark joined to its letter.
HALF_KATAKANA = "[\uff61-\uff9f]+"


def keep_protection(before: "pd.Series", after: "pd.Series") -> "pd.Series":
    """`after`, where each cell of `before` protected against formula injection — a leading
    apostrophe or TAB before =, +, -, @, TAB or CR (datatools/io/formula_cells.py) — keeps that
    first character: trimming or any other step never makes a protected cell live again."""
    protected = before.str.match(PROTECTED)
    if not protected.any():
        return after
    lost = protected & (after.str[:1] != before.str[:1])
    if not lost.any():
        return after
    return after.mask(lost, before.str[:1] + after)


# Two whitespace characters in a row, as Python's `str.isspace` knows them (RE2's `\s` alone
# misses \x0b, \x1c-\x1f, \x85 and the Unicode spaces): the cells `_collapse_spaces` may change.
_SPACE = r"[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]"
SPACE_PAIR = _SPACE + _SPACE


def _collapse_spaces(s: "pd.Series") -> "pd.Series":
    """Runs of spaces and tabs (any whitespace but line breaks) made one space. `\\S` sends
    pandas to Python's `re` cell by cell, so it runs only on the cells RE2 finds two
    whitespace characters in a row in."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    may = pc.fill_null(pc.match_substring_regex(pa.array(s, pa.string(), from_pandas=True), SPACE_PAIR), False)
    at = np.flatnonzero(np.asarray(may))
    if not len(at):
        return s
    result = s.copy()
    result.iloc[at] = s.iloc[at].str.replace(r"[^\S\r\n]{2,}", " ", regex=True)
    return result


def _non_ascii(s: "pd.Series"):
    """The positions of the cells of `s` holding a non-ASCII character."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    ascii_ = pc.fill_null(pc.string_is_ascii(pa.array(s, pa.string(), from_pandas=True)), True)
    return np.flatnonzero(~np.asarray(ascii_))


def _on_non_ascii(s: "pd.Series", change) -> "pd.Series":
    """`change(s)` run only on the cells holding a non-ASCII character: for a change that
    leaves ASCII text as it is (pandas' Unicode-aware text methods go cell by cell)."""
    at = _non_ascii(s)
    if not len(at):
        return s
    result = s.copy()
    result.iloc[at] = change(s.iloc[at])
    return result


def _nfc(s: "pd.Series") -> "pd.Series":
    """`s.str.normalize("NFC")` (ASCII text is in every normal form already)."""
    return _on_non_ascii(s, lambda cells: cells.str.normalize("NFC"))


# An odd space between two digits is a thousands separator as French, Swiss and Nordic number
# formats write it (`1\u202f234,56`: CLDR's narrow no-break space; `1\u00a0000`): the value
# is written as its column writes it, and stays so. Elsewhere it is made a space.
ODD_SPACE_OUTSIDE_NUMBERS = f"(?<![0-9]){ODD_SPACES}|{ODD_SPACES}(?![0-9])"


def _visible(s: "pd.Series") -> "pd.Series":
    """Odd spaces made spaces (but between two digits: ODD_SPACE_OUTSIDE_NUMBERS) and invisible
    characters removed (all of them are non-ASCII)."""
    return _on_non_ascii(s, lambda cells: cells.str.replace(ODD_SPACE_OUTSIDE_NUMBERS, " ", regex=True)
                         .str.replace(INVISIBLE, "", regex=True))


def _widths(s: "pd.Series") -> "pd.Series":
    """The width step (DECISIONS 556): full-width ASCII forms and the ideographic space made
    ordinary (ＡＢＣ１２３＠　→ ABC123@ and a space), half-width Katakana made full-width as
    JIS and NFKC write it (ｶﾀｶﾅ → カタカナ, ｶﾞ → ガ: the voiced mark composed with its letter,
    also after a letter that was full-width already). Other compatibility forms NFKC would
    change (①, ㈱, ﬁ, superscripts) stay as written."""
    import unicodedata

    def widen(cells: "pd.Series") -> "pd.Series":
        return cells.str.replace(HALF_KATAKANA, lambda m: unicodedata.normalize("NFKC", m.group()),
                                 regex=True).str.normalize("NFC")

    s = s.str.translate(HALF_WIDTH)
    kana = s.str.contains(HALF_KATAKANA, regex=True, na=False).to_numpy(dtype=bool)
    if not kana.any():
        return s
    result = s.copy()
    result[kana] = widen(s[kana])
    return result


class Steps:
    """Each step's count of changed cells and its first few changes (before → after)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.samples: dict[str, list[list[str]]] = {}

    def __call__(self, series: "pd.Series", new: "pd.Series", name: str) -> "pd.Series":
        new = keep_protection(series, new)
        differs = (new != series).to_numpy()
        count = int(differs.sum())
        if count:
            self.counts[name] = self.counts.get(name, 0) + count
            rows = differs.nonzero()[0][:SAMPLES]
            self.samples.setdefault(name, []).extend(
                [str(series.iat[r]), str(new.iat[r])] for r in rows[:SAMPLES - len(self.samples.get(name, []))])
        return new


def tidy(s: "pd.Series", rules: ColumnRules, half_width: bool, step: Any) -> "pd.Series":
    """The tidying steps of `rules` (and `half_width`) on the text cells `s`, each through
    `step` (a `Steps` or `StackedSteps`)."""
    if rules.invisible:
        s = step(s, _visible(s), "invisible")
    if rules.unicode_nfc:
        s = step(s, _nfc(s), "unicode")
    if half_width:
        s = step(s, _widths(s), "half_width")
    if rules.trim:
        # Runs of spaces and tabs collapse; a line break inside a cell (LF, CRLF or CR) is the
        # user's own and stays byte for byte.
        s = step(s, _collapse_spaces(s.str.strip()), "whitespace")
    if rules.empty_values:
        s = step(s, s.mask(s.str.lower().isin(EMPTY_MARKERS) | s.isin(EMPTY_SPELLINGS), ""), "empty")
    return s


class StackedSteps:
    """The `Steps` of every column of a stacked run (`rows` cells per column): each column's
    counts and first SAMPLES changes per step, as a run on the column alone books them."""

    def __init__(self, rows: int, width: int) -> None:
        self.rows = max(rows, 1)
        self.counts: list[dict[str, int]] = [{} for _ in range(width)]
        self.samples: list[dict[str, list[list[str]]]] = [{} for _ in range(width)]

    def __call__(self, series: "pd.Series", new: "pd.Series", name: str) -> "pd.Series":
        import numpy as np

        new = keep_protection(series, new)
        at = np.flatnonzero((new != series).to_numpy(dtype=bool))
        if not len(at):
            return new
        owner = at // self.rows
        for column, count in zip(*np.unique(owner, return_counts=True)):
            self.counts[column][name] = int(count)
        # The first SAMPLES changes of each column: `at` is in order, so a column's changes
        # follow each other and the first of them is where its owner number first appears.
        keep = at[np.arange(len(at)) - np.searchsorted(owner, owner) < SAMPLES]
        for cell, before, after in zip(keep.tolist(), series.take(keep).tolist(), new.take(keep).tolist()):
            self.samples[cell // self.rows].setdefault(name, []).append([str(before), str(after)])
        return new


@dataclass
class Tidied:
    """The tidy steps' work on every column of a stacked run, by position."""

    rows: int
    cells: Any                          # the tidied cells, column after column (pyarrow)
    values: list[str]                   # the same, as Python text
    steps: StackedSteps
    changed: list[int] = field(default_factory=list)   # cells that differ from the input

    def column(self, position: int):
        """The tidied cells of the column at `position`, a pyarrow array."""
        return self.cells.slice(position * self.rows, self.rows)

    def column_values(self, position: int) -> list[str]:
        """The tidied cells of the column at `position`, as a list of text."""
        return self.values[position * self.rows:(position + 1) * self.rows]


def tidy_stacked(frame: "pd.DataFrame", rules: ColumnRules, half_width: bool) -> Tidied:
    """The tidy steps of `rules` on every cell of `frame` (text as `str` gives it, "" for
    missing), run once over the cells stacked column after column."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    rows, width = frame.shape
    before = stacked_arrow(frame)
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    cells = pd.Series(pd.arrays.ArrowStringArray(before, dtype=dtype), copy=False)
    steps = StackedSteps(rows, width)
    after = tidy(cells, rules, half_width, steps)
    changed = [0] * width
    if any(steps.counts):
        differs = np.flatnonzero((after != cells).to_numpy(dtype=bool))
        changed = np.bincount(differs // max(rows, 1), minlength=width).tolist()
    tidied = after.array.__arrow_array__()
    tidied = tidied.combine_chunks() if isinstance(tidied, pa.ChunkedArray) else tidied
    return Tidied(rows, tidied, tidied.to_pylist(), steps, changed)
