"""`clean --numbers` on many columns of a short table at once: the columns whose stacked
counts say their numbers need rewriting (clean_shapes.numbers_need_work gave None) are read
and written in one run over their stacked cells, so a wide table pays no fixed pandas cost per
column. Each step is the one `clean._numbers` takes on a column alone, done on the distinct
(column, value) pairs and counted per column; the answer is the same cell for cell, and so
are the styles, notices and step counts (tests/test_clean_wide.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from datatools.notices import Notice
from datatools.tools import text_patterns as tp
from datatools.tools.clean_rules import rules_for
from datatools.tools.clean_shapes import numbers_need_work
from datatools.tools.clean_tidy import StackedSteps

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.tools.clean_rules import ColumnRules
    from datatools.tools.clean_shapes import ColumnShapes
    from datatools.tools.clean_tidy import Tidied

# The decimal mark is the last separator of a value holding both kinds, or a single separator
# not followed by exactly three digits ("1,5"); "1,234" alone proves nothing (clean._numbers).
COMMA_DECIMAL = r"\.\d{3},\d+$|\.\d{3}\.\d{3}|,\d{1,2}$|,\d{4,}$"
POINT_DECIMAL = r",\d{3}\.\d+$|,\d{3},\d{3}|\.\d{1,2}$|\.\d{4,}$"


@dataclass
class NumbersDone:
    """What `clean._numbers` does to one column: its cells after the step (a pyarrow array,
    or None: left as they were), its `number_styles` entry, its notice, and the step's count
    and samples (as Steps books them)."""

    cells: Any = None
    style: str | None = None
    notice: Notice | None = None
    count: int = 0
    samples: list[list[str]] = field(default_factory=list)


def numbers_at_once(tidied: "Tidied | None", stacked: dict, kinds: dict, shapes: "ColumnShapes | None",
                    own_rules: dict, file_wide: "ColumnRules", known: dict, share: float,
                    wanted: str) -> dict:
    """The numbers step of every stacked column that needs it (clean_shapes.numbers_need_work
    gave None), with the file-wide rules of its kind and no case, e-mail or phone step before
    it, run at once (`batch_numbers`); column → its NumbersDone. `stacked`: column → position
    in `tidied`; `kinds`: column → (kind, example); `known`: clean._clean_column's cache of
    each kind's file-wide rules; `share`: clean.COLUMN_SHARE; `wanted`: the number format."""
    if shapes is None or not file_wide.numbers:
        return {}
    chosen = []
    for column, position in stacked.items():
        if own_rules.get(str(column)):
            continue
        kind = kinds[column][0]
        if kind not in known:
            rules, held = rules_for(kind, file_wide, {})
            known[kind] = rules, held, rules.to_dict()
        rules = known[kind][0]
        if rules.numbers and not (rules.case or rules.emails or rules.phones) \
                and numbers_need_work(shapes, position, share) is None:
            chosen.append(column)
    if len(chosen) < 2:
        return {}
    done = batch_numbers(tidied, [str(c) for c in chosen], [stacked[c] for c in chosen],
                         file_wide.numbers, wanted)
    return dict(zip(chosen, done))


def style_notice(column: str, why: str) -> Notice:
    """The notice of a numbers column left unchanged: `conflict` (both decimal marks) or
    `ambiguous` (the separators could be either)."""
    if why == "conflict":
        return Notice(f"{column}: numbers use both decimal commas and decimal points; "
                      "left unchanged (choose --numbers point or comma).",
                      "clean_numbers_conflict", column=column)
    return Notice(f"{column}: separators could be thousands or decimals; left "
                  "unchanged (choose --numbers point or comma).", "clean_numbers_ambiguous", column=column)


def batch_numbers(tidied: "Tidied", names: list[str], positions: list[int], style: str,
                  wanted: str) -> list[NumbersDone]:
    """`clean._numbers` on the columns at `positions` of the stacked run `tidied` (named
    `names`), each with decimal style `style` (auto, point, comma) written as `wanted`
    (clean.NUMBER_FORMATS). Only for columns whose numbers are enough and hold a separator
    (numbers_need_work gave None). Linear in their cells: a fixed number of vectorised calls."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    rows, width = max(tidied.rows, 1), len(positions)
    at = (np.asarray(positions, dtype=np.int64)[:, None] * rows + np.arange(tidied.rows)).ravel()
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    cells = pd.Series(pd.arrays.ArrowStringArray(tidied.cells.take(pa.array(at)), dtype=dtype),
                      copy=False)
    owner = np.arange(len(cells)) // rows
    is_number = tp.match(cells, tp.DECIMAL).to_numpy(dtype=bool)
    where = np.flatnonzero(is_number)
    # The distinct (column, value) pairs in order of first appearance, as each column alone has them.
    value_codes, uniques = pd.factorize(cells.iloc[where], use_na_sentinel=False)
    pair_codes, pairs = pd.factorize(owner[where] * max(len(uniques), 1) + value_codes)
    pair_owner = pairs // max(len(uniques), 1)
    values = pd.Series(pd.Series(uniques, dtype=dtype).array.take(pairs % max(len(uniques), 1)))
    counts = np.bincount(pair_codes, minlength=len(pairs))
    done = [NumbersDone() for _ in range(width)]

    def per_column(mask) -> "np.ndarray":
        return np.bincount(pair_owner[np.asarray(mask, dtype=bool)], minlength=width) > 0

    styles = np.full(width, style, dtype=object)
    if style == "auto":
        comma = per_column(values.str.contains(COMMA_DECIMAL, regex=True).to_numpy(dtype=bool))
        point = per_column(values.str.contains(POINT_DECIMAL, regex=True).to_numpy(dtype=bool))
        separated = per_column(values.str.contains(r"[,.]", regex=True).to_numpy(dtype=bool))
        for i in np.flatnonzero(comma & point):
            done[i].style, done[i].notice = "conflict", style_notice(names[i], "conflict")
        for i in np.flatnonzero(~comma & ~point & separated):
            done[i].style, done[i].notice = "ambiguous", style_notice(names[i], "ambiguous")
        styles = np.where(comma & ~point, "comma", np.where(point & ~comma, "point", None))
    run = np.array([s is not None for s in styles], dtype=bool)
    if not run.any():
        return done
    for i in np.flatnonzero(run):
        done[i].style = f"decimal {styles[i]}"
    pair_style = styles[pair_owner]
    is_comma = pd.Series(pair_style == "comma", index=values.index)
    plain = values.where(is_comma, values.str.replace("[, \u00a0\u202f']", "", regex=True))
    plain = plain.mask(is_comma, values.str.replace("[. \u00a0\u202f']", "", regex=True).str.replace(",", "."))
    written = _written(plain, values, pair_owner, counts, styles, wanted, width)
    new = cells.copy()
    new.iloc[where] = written.array.take(pair_codes)
    # Columns whose numbers are not rewritten keep their cells.
    keep = ~run[owner]
    if keep.any():
        new = new.where(~pd.Series(keep, index=new.index), cells)
    steps = StackedSteps(tidied.rows, width)
    new = steps(cells, new, "number")
    arrow = new.array.__arrow_array__()
    arrow = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
    for i in np.flatnonzero(run):
        done[i].cells = arrow.slice(i * tidied.rows, tidied.rows)
        done[i].count = steps.counts[i].get("number", 0)
        done[i].samples = steps.samples[i].get("number", [])
    return done


def _written(plain: "pd.Series", values: "pd.Series", owner: "np.ndarray", counts: "np.ndarray",
             styles: "np.ndarray", wanted: str, width: int) -> "pd.Series":
    """clean_shapes.written_numbers on the distinct pairs of many columns: `owner` gives each
    pair's column, `styles` each column's decimal style (None: not rewritten)."""
    import numpy as np
    import pandas as pd

    if wanted == "point":
        return plain
    marks = np.where((styles == "comma") | (wanted == "comma"), ",", ".")
    groups = _groupings(values, plain, owner, counts, styles, width) if wanted == "as-input" \
        else np.full(width, None, dtype=object)
    parts = plain.str.extract(r"^([+-]?)(\d+)(?:\.(\d+))?$")
    whole = parts[1].fillna("")
    pair_group = groups[owner]
    for group in {g for g in groups.tolist() if g}:
        at = pair_group == group
        whole[at] = whole[at].str.replace(r"\B(?=(?:\d{3})+$)", group, regex=True)
    fraction = parts[2].fillna("")
    mark = pd.Series(marks[owner], index=plain.index)
    return (parts[0].fillna("") + whole + fraction.where(fraction == "", mark + fraction)).where(
        parts[1].notna(), plain)


def _groupings(values: "pd.Series", plain: "pd.Series", owner: "np.ndarray", counts: "np.ndarray",
               styles: "np.ndarray", width: int) -> "np.ndarray":
    """clean_shapes._grouping for every column at once: the thousands separator most of each
    column's long numbers use, or None."""
    import numpy as np
    import pandas as pd

    groups = np.full(width, None, dtype=object)
    long = (plain.str.replace(r"^[+-]", "", regex=True).str.split(".").str[0].str.len() >= 4).to_numpy(dtype=bool)
    long_weight = np.bincount(owner[long], weights=counts[long], minlength=width)
    if not long.any():
        return groups
    separators = values[long].str.extract(r"^[+-]?\d{1,3}([" + tp.NUMBER_SEPARATORS + r"])\d{3}")[0]
    at = np.flatnonzero(long)
    marks = np.where(styles[owner[at]] == "comma", ",", ".")
    ok = (separators.notna() & (separators != pd.Series(marks, index=separators.index))).to_numpy(dtype=bool)
    at = at[ok]
    seps = separators[ok]
    sep_weight = np.bincount(owner[at], weights=counts[at], minlength=width)
    if not len(at):
        return groups
    table = pd.DataFrame({"column": owner[at], "sep": seps.astype(object).to_numpy(),
                          "weight": counts[at]}).groupby(["column", "sep"], sort=True)["weight"].sum()
    table = table.reset_index()
    # The most common separator; the first in sorted order on a tie (as Series.mode gives it).
    best = table.loc[table.groupby("column", sort=True)["weight"].idxmax()]
    for column, sep in zip(best["column"].tolist(), best["sep"].tolist()):
        if long_weight[column] and sep_weight[column] * 2 >= long_weight[column]:
            groups[column] = str(sep)
    return groups
