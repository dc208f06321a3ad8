"""Day-first and month-first dates and date-times (`13/02/2024 10:30`) to ISO 8601, by pandas.

The order (day or month first) is decided per column from the values' own evidence, never by
a default: a first part above 12 proves day-first, a second part above 12 proves month-first.
Each shape of value (separators, year digits, time with or without seconds or AM/PM) is then
parsed by `pandas.to_datetime` with the explicit strptime format of that shape, which also
rejects dates that do not exist (31/02/2024).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from datatools.tools import text_patterns as tp

if TYPE_CHECKING:
    import pandas as pd

ORDERS = ("auto", "day-first", "month-first")
ISO_DATE, ISO_MINUTE, ISO_SECOND = "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"


@dataclass
class DateReading:
    """What reading one column's dates found: the order used (or why none), and notes."""

    values: "pd.Series"           # the column with every date read rewritten as ISO 8601
    order: str | None             # day-first, month-first, ambiguous, conflict; None: no dates
    changed: int = 0
    notes: list[str] = field(default_factory=list)


def order_evidence(first, second):
    """Which dates prove the day first (`first` over 12, `second` not) and which the month
    first (the other way round), as two boolean arrays. `first` and `second` are the integer
    first and second parts of each date (13 and 2 in 13/02/2024), Series or arrays. A date
    with both over 12 (`13.13.1999`) is no date in either order, not evidence of both: it is
    left unchanged and noted as not a real date, and does not stop the column's other dates."""
    return (first > 12) & (second <= 12), (second > 12) & (first <= 12)


def decide_order(first: "pd.Series", second: "pd.Series") -> str:
    """day-first, month-first, or `conflict` / `ambiguous` when the evidence is both or neither.

    `first` and `second` are the integer first and second parts of each date (13 and 2 in
    13/02/2024); the evidence is `order_evidence`'s.
    """
    day, month = order_evidence(first, second)
    day_first, month_first = bool(day.any()), bool(month.any())
    if day_first and month_first:
        return "conflict"
    if not day_first and not month_first:
        return "ambiguous"
    return "day-first" if day_first else "month-first"


def read_dates(column: str, s: "pd.Series", order: str, keep_layout: bool = False) -> DateReading:
    """Rewrite the day/month-first dates and date-times of `s` as ISO 8601 (`s` is not changed).

    With `keep_layout` they are written in the column's own layout instead — its order,
    separator, year digits and zero padding, as most of its dates have them (`13.02.2024`
    stays `13.02.2024`, `5.3.24` among them becomes `05.03.2024`): what a spreadsheet set to
    the input's locale reads back as a date. Times keep the shape they had.

    `order` is one of ORDERS. Dates keep their precision: `13/02/2024` → `2024-02-13`,
    `13/02/2024 10:30` → `2024-02-13 10:30`, `2/13/2024 3:05:09 PM` → `2024-02-13 15:05:09`.
    With `auto`, a column whose dates read either way, or that proves both orders, is left
    as it is and the note says why. Two-digit years follow the POSIX pivot of strptime's `%y`
    (69–99 → 1969–1999, 00–68 → 2000–2068). Values that are not real dates stay and are noted.

    Each distinct value is read once (a column repeats its dates), then spread back over the
    cells; the layout and the counts in the notes weigh each value by its cells.
    """
    from datatools.tools.clean_shapes import distinct_values, spread

    distinct, codes, counts = distinct_values(s)
    reading = _read_distinct(column, distinct, counts, order, keep_layout)
    if reading.values is distinct:
        reading.values = s
    else:
        reading.values = spread(reading.values, codes, s.index)
        reading.changed = int((reading.values != s).sum())
    return reading


def _read_distinct(column: str, s: "pd.Series", counts, order: str, keep_layout: bool) -> DateReading:
    """`read_dates` on a column's distinct values `s`, each held by `counts` cells."""
    import pandas as pd

    parts = date_parts(s)
    if parts.empty:
        return DateReading(s, None)
    if order == "auto":
        order = decide_order(parts["first"].astype(int), parts["second"].astype(int))
        if order in ("conflict", "ambiguous"):
            why = ("some dates are day-first and some month-first" if order == "conflict" else
                   "every date would read either way (e.g. 03/04)")
            return DateReading(s, order, notes=[
                f"{column}: {why}; left unchanged (choose --dates day-first or month-first)."])
    weights = pd.Series(counts, index=s.index)[parts.index]
    layout = _layout(parts, order, weights) if keep_layout else None
    new, read = write_dates(s, parts, order, layout)
    reading = DateReading(new, order)
    unread = s[parts.index][~read]
    if len(unread):
        reading.notes.append(f"{column}: {int(weights[~read].sum()):,} value(s) are not real dates "
                             f"(e.g. {unread.iloc[0]!r}); left unchanged.")
    if (parts["year"].str.len() == 2).any():
        reading.notes.append(f"{column}: two-digit years read as 1969–2068.")
    return reading


def write_dates(s: "pd.Series", parts: "pd.DataFrame", order: str,
                layout: tuple[str, bool] | None) -> tuple["pd.Series", "pd.Series"]:
    """`s` with its dates (the rows of `parts`, `date_parts(s)`) read in `order` (day-first or
    month-first) and written as ISO 8601, or in `layout` (`_layout`) when given; and which
    rows of `parts` were real dates (True) or were left as they were (False). Each value
    alone: the same whether `s` is a column or one batch of it."""
    import pandas as pd

    new = s.copy()
    read = pd.Series(False, index=parts.index)
    for shape, group in parts.groupby(_shape_columns(parts), sort=False, dropna=False):
        source_format, target_format = _formats(order, *shape)
        if layout is not None:     # the column's date layout, then the value's own time shape
            target_format = layout[0] + source_format[len(source_format.split(shape[3])[0]):] \
                if shape[3] else layout[0]
        stamps = pd.to_datetime(s[group.index], format=source_format, errors="coerce")
        ok = stamps.notna()
        written = stamps[ok].dt.strftime(target_format)
        if layout is not None and not layout[1]:      # unpadded: 5.3.2024, not 05.03.2024
            written = written.str.replace(r"^0?(\d+)(\D)0?(\d+)", r"\1\2\3", regex=True)
        new.loc[ok[ok].index] = written
        read.loc[ok[ok].index] = True
    return new, read


def layout_weights(parts: "pd.DataFrame", weights: "pd.Series") -> tuple[dict[str, int], int, int, int]:
    """What `_layout` weighs, to be added up over batches: cells per first separator, cells
    with a four-digit year, cells with a zero-padded day or month, and all the cells of `parts`
    (each row weighs `weights` cells)."""
    by_separator = weights.groupby(parts["sep1"].astype(object)).sum()
    return ({str(k): int(v) for k, v in by_separator.items()},
            int(weights[parts["year"].str.len() == 4].sum()),
            int(weights[(parts["first"].str.len() == 2) | (parts["second"].str.len() == 2)].sum()),
            int(weights.sum()))


def layout_of(order: str, separators: dict[str, int], long_years: int, padded: int,
              total: int) -> tuple[str, bool]:
    """The layout (`_layout`) from the weights `layout_weights` gives, summed."""
    # The most common separator; the first in sorted order on a tie (as Series.mode gives it).
    separator = min(separators, key=lambda sep: (-separators[sep], sep))
    year = "%Y" if long_years / total >= 0.5 else "%y"
    day_month = ("%d", "%m") if order == "day-first" else ("%m", "%d")
    return f"{day_month[0]}{separator}{day_month[1]}{separator}{year}", bool(padded / total >= 0.5)


def _layout(parts: "pd.DataFrame", order: str, weights: "pd.Series") -> tuple[str, bool]:
    """The strftime date format most of a column's dates are written in, and whether day and
    month are zero-padded (`%d.%m.%Y`, True for 13.02.2024); each row of `parts` weighs
    `weights` cells."""
    return layout_of(order, *layout_weights(parts, weights))


def date_parts(s: "pd.Series") -> "pd.DataFrame":
    """The parts of each value of `s` shaped like a day/month-first date (time optional).

    One row per such value (index kept), one column per group of `DATE_TIME_PARTS`; a group
    the value lacks (no seconds, no AM/PM) is "". The regex runs in pyarrow (RE2).
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    values = s[s.str.match(tp.DATE_TIME_PARTS).fillna(False).astype(bool)]
    names = ["first", "sep1", "second", "sep2", "year", "t", "hour", "minute", "sec", "ampm"]
    if values.empty:
        return pd.DataFrame(columns=names, dtype=object)
    found = pc.extract_regex(pa.array(values.astype("str"), from_pandas=True), tp.DATE_TIME_PARTS)
    return pd.DataFrame({name: pd.Series(pc.struct_field(found, name), dtype="str",
                                         index=values.index) for name in names})


def _shape_columns(parts: "pd.DataFrame") -> list["pd.Series"]:
    """What decides a value's strptime format: separators, year digits, time parts."""
    return [parts["sep1"], parts["sep2"], parts["year"].str.len(), parts["t"],
            parts["sec"] != "", parts["ampm"].str.startswith(" "), parts["ampm"] != ""]


def _formats(order: str, sep1: str, sep2: str, year_digits: int, t: str, seconds: bool,
             spaced_ampm: bool, ampm: bool) -> tuple[str, str]:
    """(the strptime format of one value shape, the ISO format to write it in)."""
    day_month = ("%d", "%m") if order == "day-first" else ("%m", "%d")
    source = f"{day_month[0]}{sep1}{day_month[1]}{sep2}{'%Y' if year_digits == 4 else '%y'}"
    if not t:
        return source, ISO_DATE
    clock = f"{'%I' if ampm else '%H'}:%M{':%S' if seconds else ''}"
    clock += (" %p" if spaced_ampm else "%p") if ampm else ""
    return f"{source}{t}{clock}", ISO_SECOND if seconds else ISO_MINUTE
