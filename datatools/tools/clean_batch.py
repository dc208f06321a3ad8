"""`clean --numbers` and `--dates` on many columns of a short table at once: the columns whose
stacked counts say their numbers or dates need rewriting (clean_shapes.numbers_need_work,
dates_need_work gave None) are read and written in one run over their stacked cells, so a
wide table pays no fixed pandas cost per column. Each step is the one `clean._numbers` or
`dates.read_dates` takes on a column alone, done on the distinct (column, value) pairs and
counted per column; the answer is the same cell for cell, and so are the styles, orders,
notes and step counts (tests/test_clean_wide.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from datatools.notices import Notice
from datatools.tools import text_patterns as tp
from datatools.tools.clean_rules import rules_for
from datatools.tools.clean_shapes import dates_need_work, numbers_need_work
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
    chosen = _chosen(stacked, kinds, own_rules, file_wide, known, lambda rules, position: bool(
        rules.numbers) and numbers_need_work(shapes, position, share) is None)
    if len(chosen) < 2:
        return {}
    done = batch_numbers(tidied, [str(c) for c in chosen], [stacked[c] for c in chosen],
                         file_wide.numbers, wanted)
    return dict(zip(chosen, done))


def _chosen(stacked: dict, kinds: dict, own_rules: dict, file_wide: "ColumnRules", known: dict,
            wants) -> list:
    """The stacked columns without rules of their own whose kind's file-wide rules have no
    case, e-mail or phone step and for which `wants(rules, position)` is true."""
    chosen = []
    for column, position in stacked.items():
        if own_rules.get(str(column)):
            continue
        kind = kinds[column][0]
        if kind not in known:
            rules, held = rules_for(kind, file_wide, {})
            known[kind] = rules, held, rules.to_dict()
        rules = known[kind][0]
        if not (rules.case or rules.emails or rules.phones) and wants(rules, position):
            chosen.append(column)
    return chosen


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

    cells, owner, width = _substack(tidied, positions)
    is_number = tp.match(cells, tp.DECIMAL).to_numpy(dtype=bool)
    where = np.flatnonzero(is_number)
    pair_codes, pair_owner, values, counts = _pairs(cells, owner, where)
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
    new = new.where(pd.Series(run[owner], index=new.index), cells)
    _book(done, run, cells, new, tidied.rows, "number")
    return done


def _substack(tidied: "Tidied", positions: list[int]) -> tuple["pd.Series", "np.ndarray", int]:
    """The cells of the columns at `positions` of `tidied`, stacked column after column (a
    `str` Series), each cell's column (0..len(positions)-1), and how many columns."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    rows = max(tidied.rows, 1)
    at = (np.asarray(positions, dtype=np.int64)[:, None] * rows + np.arange(tidied.rows)).ravel()
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    cells = pd.Series(pd.arrays.ArrowStringArray(tidied.cells.take(pa.array(at, pa.int64())), dtype=dtype),
                      copy=False)
    return cells, np.arange(len(cells)) // rows, len(positions)


def _pairs(cells: "pd.Series", owner: "np.ndarray", where: "np.ndarray"):
    """The distinct (column, value) pairs of the cells at `where`, in order of first appearance
    (as clean_shapes.distinct_values gives each column alone): each such cell's pair number,
    each pair's column, its value (a Series on 0..n-1) and how many cells hold it."""
    import numpy as np
    import pandas as pd

    value_codes, uniques = pd.factorize(cells.iloc[where], use_na_sentinel=False)
    base = max(len(uniques), 1)
    pair_codes, pairs = pd.factorize(owner[where] * base + value_codes)
    values = pd.Series(pd.Series(uniques, dtype=cells.dtype).array.take(pairs % base))
    return pair_codes, pairs // base, values, np.bincount(pair_codes, minlength=len(pairs))


def _book(done: list, run: "np.ndarray", cells: "pd.Series", new: "pd.Series", rows: int,
          name: str) -> None:
    """Step `name` from `cells` to `new` counted and sampled per column (StackedSteps, as a
    column alone books it); each column in `run` gets its cells, count and samples in `done`."""
    import numpy as np
    import pyarrow as pa

    steps = StackedSteps(rows, len(done))
    new = steps(cells, new, name)
    arrow = new.array.__arrow_array__()
    arrow = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
    for i in np.flatnonzero(run):
        done[i].cells = arrow.slice(i * rows, rows)
        done[i].count = steps.counts[i].get(name, 0)
        done[i].samples = steps.samples[i].get(name, [])


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


@dataclass
class DatesDone:
    """What `clean._dates` does to one column (dates.read_dates on it alone): its cells after
    the step (pyarrow, or None: as they were), the order decided, the notes, the step's count
    and samples."""

    cells: Any = None
    order: str | None = None
    notes: list[str] = field(default_factory=list)
    count: int = 0
    samples: list[list[str]] = field(default_factory=list)


def dates_at_once(tidied: "Tidied | None", stacked: dict, kinds: dict, shapes: "ColumnShapes | None",
                  own_rules: dict, file_wide: "ColumnRules", known: dict, share: float,
                  keep_layout: bool) -> dict:
    """The dates step of every stacked column that needs it (clean_shapes.dates_need_work gave
    None) and whose numbers step changes nothing (decided from the counts), with its kind's
    file-wide rules and no case, e-mail or phone step, run at once (`batch_dates`); column →
    its DatesDone. The arguments are those of `numbers_at_once`; `keep_layout`: dates written
    as the input writes them."""
    if shapes is None or not file_wide.dates:
        return {}
    chosen = _chosen(stacked, kinds, own_rules, file_wide, known, lambda rules, position: bool(
        rules.dates) and dates_need_work(shapes, position, share) is None
        and not (rules.numbers and numbers_need_work(shapes, position, share) is None))
    if len(chosen) < 2:
        return {}
    done = batch_dates(tidied, [str(c) for c in chosen], [stacked[c] for c in chosen],
                       file_wide.dates, keep_layout)
    return dict(zip(chosen, done))


def batch_dates(tidied: "Tidied", names: list[str], positions: list[int], order: str,
                keep_layout: bool) -> list[DatesDone]:
    """dates.read_dates on each column at `positions` of the stacked run `tidied` (named
    `names`), all in one run over their distinct (column, value) pairs: order, layout and
    notes found per column, each value shape parsed once for all columns sharing it."""
    import numpy as np
    import pandas as pd

    from datatools.tools.dates import _formats, _shape_columns, date_parts, order_evidence

    cells, owner, width = _substack(tidied, positions)
    pair_codes, pair_owner, values, counts = _pairs(cells, owner, np.arange(len(cells)))
    done = [DatesDone() for _ in range(width)]
    parts = date_parts(values)
    if parts.empty:
        return done
    at = parts.index.to_numpy()
    column = pair_owner[at]
    first, second = parts["first"].astype(int).to_numpy(), parts["second"].astype(int).to_numpy()
    orders = np.full(width, order, dtype=object)
    if order == "auto":
        day_dates, month_dates = order_evidence(first, second)
        day = np.bincount(column[day_dates], minlength=width) > 0
        month = np.bincount(column[month_dates], minlength=width) > 0
        orders = np.where(day & month, "conflict", np.where(day, "day-first",
                                                            np.where(month, "month-first", "ambiguous")))
    seen = np.bincount(column, minlength=width) > 0
    for i in np.flatnonzero(seen & np.isin(orders, ["conflict", "ambiguous"])):
        why = ("some dates are day-first and some month-first" if orders[i] == "conflict" else
               "every date would read either way (e.g. 03/04)")
        done[i].order = str(orders[i])
        done[i].notes = [f"{names[i]}: {why}; left unchanged (choose --dates day-first or month-first)."]
    run = seen & np.isin(orders, ["day-first", "month-first"])
    weights = counts[at]
    layouts = _layouts(parts, column, weights, orders, width) if keep_layout else None
    # Columns of one order and layout share each shape's strptime call: grouped by that, not by column.
    decisions, _ = pd.factorize(pd.Series(
        [f"{orders[i]}|{layouts[i] if layouts is not None else ''}" for i in range(width)]))
    first_of = {code: i for i, code in reversed(list(enumerate(decisions.tolist())))}
    key = [pd.Series(decisions[column], index=parts.index), *_shape_columns(parts)]
    new = values.copy()
    read = np.zeros(len(parts), dtype=bool)
    position = pd.Series(np.arange(len(parts)), index=parts.index)
    for shape_key, group in parts[run[column]].groupby(
            [k[run[column]] for k in key], sort=False, dropna=False):
        i, shape = first_of[int(shape_key[0])], shape_key[1:]
        source_format, target_format = _formats(str(orders[i]), *shape)
        if layouts is not None:
            layout = layouts[i]
            target_format = layout[0] + source_format[len(source_format.split(shape[3])[0]):] \
                if shape[3] else layout[0]
        stamps = pd.to_datetime(values[group.index], format=source_format, errors="coerce")
        ok = stamps.notna()
        written = stamps[ok].dt.strftime(target_format)
        if layouts is not None and not layouts[i][1]:
            written = written.str.replace(r"^0?(\d+)(\D)0?(\d+)", r"\1\2\3", regex=True)
        new.loc[ok[ok].index] = written
        read[position[ok[ok].index].to_numpy()] = True
    two_digit = np.bincount(column[(parts["year"].str.len() == 2).to_numpy()], minlength=width) > 0
    unread_weight = np.bincount(column[~read], weights=weights[~read], minlength=width)
    unread_first = {}
    for row, col in zip(at[~read].tolist(), column[~read].tolist()):
        unread_first.setdefault(col, row)
    for i in np.flatnonzero(run):
        done[i].order = str(orders[i])
        if i in unread_first:
            done[i].notes.append(f"{names[i]}: {int(unread_weight[i]):,} value(s) are not real dates "
                                 f"(e.g. {values.iloc[unread_first[i]]!r}); left unchanged.")
        if two_digit[i]:
            done[i].notes.append(f"{names[i]}: two-digit years read as 1969–2068.")
    spread_cells = pd.Series(new.array.take(pair_codes), index=cells.index, copy=False)
    spread_cells = spread_cells.where(pd.Series(run[owner], index=cells.index), cells)
    _book(done, run, cells, spread_cells, tidied.rows, "date")
    return done


def _layouts(parts: "pd.DataFrame", column: "np.ndarray", weights: "np.ndarray", orders: "np.ndarray",
             width: int) -> list:
    """dates._layout for every column: (strftime date format, zero-padded) by position."""
    import numpy as np
    import pandas as pd

    total = np.bincount(column, weights=weights, minlength=width)
    table = pd.DataFrame({"column": column, "sep": parts["sep1"].astype(object).to_numpy(),
                          "weight": weights}).groupby(["column", "sep"], sort=True)["weight"].sum().reset_index()
    best = table.loc[table.groupby("column", sort=True)["weight"].idxmax()]
    separators = dict(zip(best["column"].tolist(), best["sep"].tolist()))
    long_year = (parts["year"].str.len() == 4).to_numpy()
    padded = ((parts["first"].str.len() == 2) | (parts["second"].str.len() == 2)).to_numpy()
    years = np.bincount(column[long_year], weights=weights[long_year], minlength=width)
    pads = np.bincount(column[padded], weights=weights[padded], minlength=width)
    layouts = []
    for i in range(width):
        if i not in separators:
            layouts.append(None)
            continue
        day_month = ("%d", "%m") if orders[i] == "day-first" else ("%m", "%d")
        year = "%Y" if years[i] / total[i] >= 0.5 else "%y"
        layouts.append((f"{day_month[0]}{separators[i]}{day_month[1]}{separators[i]}{year}",
                        bool(pads[i] / total[i] >= 0.5)))
    return layouts
