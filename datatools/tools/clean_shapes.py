"""What each column of a short table holds for `clean --numbers` and `--dates`, found in one
pass over every cell at once, so a wide table pays no fixed cost per column for columns with
nothing to do; and the helpers that read and write numbers once per distinct value.

A short table's tidied cells sit stacked column after column (clean_tidy.tidy_stacked); the
shape tests of `clean._numbers` and `clean._dates` run once over all of them and are counted
per column (numpy's bincount). A column whose counts say those steps would change nothing is
decided from the counts alone; the others take the column-by-column path as before, which
gives the same answer cell for cell (each test looks at each cell alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from datatools.tools import text_patterns as tp

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.tools.clean_tidy import Tidied

# Any character `clean._numbers` removes or reads as a separator: a number with none of them
# is written back byte for byte the same in every style and format.
SEPARATORS = "[" + tp.NUMBER_SEPARATORS + "]"


@dataclass
class ColumnShapes:
    """Per column (by position in the stacked run) counts of cells: filled, shaped like a
    number (tp.DECIMAL), numbers holding a separator, and cells shaped like a date
    (tp.DATE_TIME_PARTS) or an ISO date or date-time."""

    filled: "np.ndarray"
    numbers: "np.ndarray"
    separated: "np.ndarray"
    dated: "np.ndarray"
    dated_or_iso: "np.ndarray"


def column_shapes(tidied: "Tidied", width: int, numbers: bool, dates: bool) -> ColumnShapes | None:
    """The counts of every column of `tidied` (`width` columns), for the tests asked for
    (`numbers`, `dates`); None when neither is. Linear in the cells: each test runs once."""
    import numpy as np
    import pandas as pd

    if not (numbers or dates):
        return None
    rows = max(tidied.rows, 1)
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    cells = pd.Series(pd.arrays.ArrowStringArray(tidied.cells, dtype=dtype), copy=False)
    owner = np.arange(len(cells)) // rows

    def count(mask) -> "np.ndarray":
        return np.bincount(owner[np.asarray(mask, dtype=bool)], minlength=width)

    zero = np.zeros(width, dtype=np.int64)
    filled = count((cells != "").to_numpy(dtype=bool))
    shapes = ColumnShapes(filled, zero, zero, zero, zero)
    if numbers:
        is_number = tp.match(cells, tp.DECIMAL).to_numpy()
        shapes.numbers = count(is_number)
        separated = np.zeros(len(cells), dtype=bool)
        at = np.flatnonzero(is_number)
        if len(at):
            separated[at] = cells.iloc[at].str.contains(SEPARATORS, regex=True).to_numpy(dtype=bool)
        shapes.separated = count(separated)
    if dates:
        dated, shaped = tp.date_shaped(cells)
        shapes.dated, shapes.dated_or_iso = count(dated.to_numpy()), count(shaped.to_numpy())
    return shapes


def numbers_need_work(shapes: ColumnShapes, position: int, share: float) -> str | None:
    """What `clean._numbers` would do with the column at `position`, from the counts alone:
    `few_numbers` / `no_numbers` (held: too few numbers), "" (nothing: no number holds a
    separator, so each is written back as it is), or None (the column must be looked at)."""
    numbers = int(shapes.numbers[position])
    if numbers < share * max(int(shapes.filled[position]), 1) or not numbers:
        return "few_numbers" if numbers else "no_numbers"
    return "" if not shapes.separated[position] else None


def dates_need_work(shapes: ColumnShapes, position: int, share: float) -> str | None:
    """The same for `clean._dates`: `few_dates` / `no_dates`, "" (only ISO dates: nothing to
    read), or None."""
    found = int(shapes.dated_or_iso[position])
    if found < share * max(int(shapes.filled[position]), 1):
        return "few_dates" if found else "no_dates"
    return "" if not shapes.dated[position] else None


def distinct_values(s: "pd.Series") -> tuple["pd.Series", "np.ndarray", "np.ndarray"]:
    """The distinct values of `s` in order of first appearance (a Series of the same dtype on
    a fresh 0..n-1 index), each cell's position among them, and how many cells hold each.

    Real columns repeat their values (a date column of a million rows holds a few thousand
    dates): a rule that looks at each value alone runs once per distinct value and is
    spread back with `spread`; counts weigh the column-wide decisions (most common layout).
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    return pd.Series(uniques, dtype=s.dtype), codes, np.bincount(codes, minlength=len(uniques))


def spread(done: "pd.Series", codes: "np.ndarray", index: "pd.Index") -> "pd.Series":
    """The results `done` of each distinct value (as `distinct_values` numbered them) put back
    in the cells' order, on `index`."""
    import pandas as pd

    return pd.Series(done.array.take(codes), index=index, copy=False)


def plain_numbers(values: "pd.Series", style: str) -> "pd.Series":
    """Numbers written in decimal style `style` (point or comma) as plain numbers (`-1234.5`):
    thousands separators out, the decimal mark a point."""
    if style == "comma":
        return values.str.replace("[. \u00a0\u202f']", "", regex=True).str.replace(",", ".")
    return values.str.replace("[, \u00a0\u202f']", "", regex=True)


def written_numbers(plain: "pd.Series", values: "pd.Series", style: str, wanted: str,
                    counts=None, group: "str | None | bool" = False) -> "pd.Series":
    """`plain` numbers (`-1234.5`) written in format `wanted` (one of clean.NUMBER_FORMATS).

    `point` gives them as they are; `comma` with a decimal comma; `as-input` with the input
    column's decimal mark (`style`, point or comma) and, when most of its numbers of four or
    more digits are grouped, with the separator they are grouped by (`.`, space, NBSP, `'`), so
    a number already written that way comes out byte for byte the same. `counts` (an integer
    array, default one each): how many cells hold each value, when `values` are a column's
    distinct values (clean_shapes.distinct_values). `group`: that separator (or None) when
    found already, over more values than these (`grouping_weights`, `grouping_of`).
    """
    if wanted == "point":
        return plain
    mark = "," if wanted == "comma" or style == "comma" else "."
    if group is False:
        group = _grouping(values, plain, style, counts) if wanted == "as-input" else None
    if not group:
        fast = _ascii_written(plain, mark)
        if fast is not None:
            return fast
    parts = plain.str.extract(r"^([+-]?)(\d+)(?:\.(\d+))?$")
    whole = parts[1].fillna("")
    if group:
        whole = whole.str.replace(r"\B(?=(?:\d{3})+$)", group, regex=True)
    fraction = parts[2].fillna("")
    return (parts[0].fillna("") + whole + fraction.where(fraction == "", mark + fraction)).where(
        parts[1].notna(), plain)


def _ascii_written(plain: "pd.Series", mark: str) -> "pd.Series | None":
    """`written_numbers` without grouping, by pyarrow, when every plain number is ASCII (RE2's
    `\\d` is Python's there); None otherwise."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(plain.astype("str"), pa.string(), from_pandas=True)
    if not pc.all(pc.string_is_ascii(text)).as_py():
        return None
    found = pc.extract_regex(text, r"^(?P<sign>[+-]?)(?P<whole>\d+)(?:\.(?P<fraction>\d+))?$")
    fraction = pc.struct_field(found, "fraction")
    written = pc.binary_join_element_wise(
        pc.struct_field(found, "sign"), pc.struct_field(found, "whole"),
        pc.if_else(pc.equal(fraction, ""), "", pc.binary_join_element_wise(mark, fraction, "")), "")
    written = pc.if_else(found.is_valid(), written, text)
    return pd.Series(pd.arrays.ArrowStringArray(written, dtype=plain.dtype) if isinstance(
        plain.dtype, pd.StringDtype) and plain.dtype.storage == "pyarrow" else written.to_pylist(),
        index=plain.index, dtype=plain.dtype)


def grouping_weights(values: "pd.Series", plain: "pd.Series", style: str,
                     counts=None) -> tuple[int, dict[str, int]]:
    """What `_grouping` weighs, to be added up over batches: the cells holding a number of
    four or more digits, and of those the cells per thousands separator (not the decimal mark
    of `style`); each value weighs `counts` cells (default one)."""
    import numpy as np
    import pandas as pd

    weights = pd.Series(np.ones(len(values), dtype=np.int64) if counts is None else counts,
                        index=values.index)
    fast = _ascii_grouping(values, plain)       # the same in pyarrow, for ASCII values
    if fast is not None:
        long, separators = fast
    else:
        long = plain.str.replace(r"^[+-]", "", regex=True).str.split(".").str[0].str.len() >= 4
    if not long.any():
        return 0, {}
    if fast is None:
        separators = values[long].str.extract(_GROUPED)[0]
    mark = "," if style == "comma" else "."
    separators = separators[separators.notna() & (separators != mark)]
    by_separator = weights[separators.index].groupby(separators.astype(object)).sum()
    return int(weights[long].sum()), {str(k): int(v) for k, v in by_separator.items()}


_GROUPED = r"^[+-]?\d{1,3}([" + tp.NUMBER_SEPARATORS + r"])\d{3}"


def _ascii_grouping(values: "pd.Series", plain: "pd.Series"):
    """`grouping_weights`' long numbers (a boolean Series) and the separator of each (a Series
    on the long ones' index, NaN where none), by pyarrow, when every value is ASCII (there
    RE2's `\\d` and Python's agree, and byte offsets are characters); None otherwise."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values.astype("str"), pa.string(), from_pandas=True)
    if not pc.all(pc.string_is_ascii(text)).as_py():
        return None
    unsigned = pc.replace_substring_regex(pa.array(plain.astype("str"), pa.string(), from_pandas=True),
                                          "^[+-]", "", max_replacements=1)
    dot = pc.find_substring(unsigned, ".")
    whole = pc.if_else(pc.equal(dot, -1), pc.utf8_length(unsigned), dot)
    long = pd.Series(np.asarray(pc.greater_equal(whole, 4).fill_null(False)), index=values.index)
    found = pc.extract_regex(text.filter(pa.array(long.to_numpy())), _GROUPED.replace("(", "(?P<s>", 1))
    separators = pd.Series(pc.struct_field(found, "s").to_numpy(zero_copy_only=False),
                           index=values.index[long.to_numpy()], dtype=object)
    return long, separators.where(separators.notna() & pd.Series(np.asarray(found.is_valid()),
                                                                 index=separators.index), np.nan)


def grouping_of(long: int, separators: dict[str, int]) -> str | None:
    """The thousands separator from the weights `grouping_weights` gives, summed: the most
    common one (the first in sorted order on a tie, as Series.mode gives it) when at least
    half the long numbers are grouped, else None."""
    if not long or sum(separators.values()) * 2 < long:
        return None
    return min(separators, key=lambda sep: (-separators[sep], sep))


def _grouping(values: "pd.Series", plain: "pd.Series", style: str, counts=None) -> str | None:
    """The thousands separator most of a column's long numbers use, or None (not grouped);
    each value weighs `counts` cells (default one)."""
    return grouping_of(*grouping_weights(values, plain, style, counts))
