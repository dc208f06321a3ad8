"""`clean_table`: tidy text cells column by column and count every change it makes.

Each step is a vectorised pandas string operation; a step's count is the number of cells it
changed. Steps that could guess wrong (dates, numbers) decide per column from the column's own
values, report what they decided, and leave a column alone when its values contradict each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from datatools.errors import BadOption
from datatools.progress import Progress, silent
from datatools.tools import text_patterns as tp

if TYPE_CHECKING:
    import pandas as pd

EMPTY_MARKERS = ("n/a", "na", "null", "none", "nan", "nil", "-", "--", "?", "#n/a", "(blank)", "missing")
INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
ODD_SPACES = "[\u00a0\u2007\u202f\u2009\u3000]"
CASES = ("lower", "upper", "title")
DATE_ORDERS = ("auto", "day-first", "month-first")
NUMBER_STYLES = ("auto", "point", "comma")   # which character marks the decimals
COLUMN_SHARE = 0.8   # a column is "dates"/"numbers"/… when this share of filled cells looks so


@dataclass
class CleanOptions:
    columns: list[str] | None = None       # None: every column
    trim: bool = True                      # strip ends, collapse inner runs of white space
    unicode_nfc: bool = True
    invisible: bool = True                 # NBSP → space; zero-width characters and soft hyphens out
    empty_values: bool = True              # "N/A", "null", "-" … → ""
    case: str | None = None                # lower | upper | title
    dates: str | None = None               # None: leave; auto | day-first | month-first
    numbers: str | None = None             # None: leave; auto | point | comma
    phones: bool = False
    emails: bool = False


@dataclass
class CleanReport:
    rows: int
    changes: dict[str, dict[str, int]] = field(default_factory=dict)   # column → step → cells
    cells: dict[str, int] = field(default_factory=dict)                # column → cells changed
    date_orders: dict[str, str] = field(default_factory=dict)          # column → what was decided
    number_styles: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def cells_changed(self) -> int:
        """Cells that differ from the input (a cell two steps touched counts once)."""
        return sum(self.cells.values())

    def to_dict(self) -> dict:
        return {"rows": self.rows, "cells_changed": self.cells_changed, "changes": self.changes,
                "cells": self.cells, "date_orders": self.date_orders, "number_styles": self.number_styles,
                "notes": self.notes}


def clean_table(frame: "pd.DataFrame", options: CleanOptions,
                progress: Progress | None = None) -> tuple["pd.DataFrame", CleanReport]:
    """A cleaned copy of `frame` (the input is not changed) and what was changed where."""
    progress = progress or silent()
    _check_options(frame, options)
    report = CleanReport(rows=len(frame))
    result = frame.copy()
    columns = options.columns if options.columns is not None else list(frame.columns)
    for index, column in enumerate(columns):
        progress.update(index / max(len(columns), 1), f"cleaning {column}")
        counts: dict[str, int] = defaultdict(int)
        original = result[column].astype("str").fillna("")
        result[column] = _clean_column(str(column), original, options, counts, report)
        if any(counts.values()):
            report.changes[str(column)] = {k: int(v) for k, v in counts.items() if v}
            report.cells[str(column)] = int((result[column] != original).sum())
    progress.update(1.0, "cleaned")
    return result, report


def _check_options(frame: "pd.DataFrame", options: CleanOptions) -> None:
    missing = [c for c in options.columns or [] if c not in frame.columns]
    if missing:
        raise BadOption("No column named " + ", ".join(repr(c) for c in missing)
                        + "; the columns are " + ", ".join(repr(str(c)) for c in frame.columns) + ".",
                        code="no_such_column", params={"columns": ", ".join(missing)})
    for value, allowed, what in ((options.case, CASES, "case"), (options.dates, DATE_ORDERS, "dates"),
                                 (options.numbers, NUMBER_STYLES, "numbers")):
        if value is not None and value not in allowed:
            raise BadOption(f"{what} must be one of {', '.join(allowed)}, not {value!r}.",
                            code="bad_choice", params={"option": what, "value": str(value)})


def _step(series: "pd.Series", new: "pd.Series", counts: dict[str, int], name: str) -> "pd.Series":
    counts[name] += int((new != series).sum())
    return new


def _clean_column(column: str, s: "pd.Series", options: CleanOptions, counts: dict[str, int],
                  report: CleanReport) -> "pd.Series":
    s = s.fillna("")
    if options.invisible:
        s = _step(s, s.str.replace(ODD_SPACES, " ", regex=True).str.replace(INVISIBLE, "", regex=True),
                  counts, "invisible")
    if options.unicode_nfc:
        s = _step(s, s.str.normalize("NFC"), counts, "unicode")
    if options.trim:
        s = _step(s, s.str.strip().str.replace(r"\s{2,}", " ", regex=True), counts, "whitespace")
    if options.empty_values:
        s = _step(s, s.mask(s.str.lower().isin(EMPTY_MARKERS), ""), counts, "empty")
    if options.case:
        s = _step(s, getattr(s.str, options.case)(), counts, "case")
    filled = s != ""
    if options.emails:
        is_email = s.str.match(tp.EMAIL)
        if is_email.sum() >= COLUMN_SHARE * max(filled.sum(), 1):
            s = _step(s, s.mask(is_email, s.str.lower()), counts, "email")
    if options.phones:
        is_phone = s.str.match(tp.PHONE) & ~s.str.match(tp.DATE_DMY_OR_MDY) & ~s.str.match(tp.DATE_ISO)
        if is_phone.sum() >= COLUMN_SHARE * max(filled.sum(), 1):
            digits = s.str.replace(r"^00", "+", regex=True).str.replace(r"[^\d+]", "", regex=True)
            s = _step(s, s.mask(is_phone, digits), counts, "phone")
    if options.numbers:
        s = _numbers(column, s, filled, options.numbers, counts, report)
    if options.dates:
        s = _dates(column, s, filled, options.dates, counts, report)
    return s


def _numbers(column: str, s: "pd.Series", filled: "pd.Series", style: str,
             counts: dict[str, int], report: CleanReport) -> "pd.Series":
    is_number = s.str.match(tp.DECIMAL)
    if is_number.sum() < COLUMN_SHARE * max(filled.sum(), 1) or not is_number.any():
        return s
    values = s[is_number]
    if style == "auto":
        # The decimal mark is the last separator of a value holding both kinds, or a single
        # separator not followed by exactly three digits ("1,5"). "1,234" alone proves nothing.
        comma = values.str.contains(r"\.\d{3},\d+$|\.\d{3}\.\d{3}|,\d{1,2}$|,\d{4,}$", regex=True).sum()
        point = values.str.contains(r",\d{3}\.\d+$|,\d{3},\d{3}|\.\d{1,2}$|\.\d{4,}$", regex=True).sum()
        if comma and point:
            report.number_styles[column] = "conflict"
            report.notes.append(f"{column}: numbers use both decimal commas and decimal points; "
                                "left unchanged (choose --numbers point or comma).")
            return s
        if not comma and not point:
            if values.str.contains(r"[,.]", regex=True).any():
                report.number_styles[column] = "ambiguous"
                report.notes.append(f"{column}: separators could be thousands or decimals; left "
                                    "unchanged (choose --numbers point or comma).")
            return s
        style = "comma" if comma else "point"
    report.number_styles[column] = f"decimal {style}"
    if style == "comma":
        plain = values.str.replace(r"[. \u00a0\u202f']", "", regex=True).str.replace(",", ".")
    else:
        plain = values.str.replace(r"[, \u00a0\u202f']", "", regex=True)
    new = s.copy()
    new[is_number] = plain
    return _step(s, new, counts, "number")


def _dates(column: str, s: "pd.Series", filled: "pd.Series", order: str,
           counts: dict[str, int], report: CleanReport) -> "pd.Series":
    parts = s.str.extract(tp.DATE_DMY_OR_MDY)
    is_date = parts[0].notna()
    iso = s.str.match(tp.DATE_ISO)
    if (is_date | iso).sum() < COLUMN_SHARE * max(filled.sum(), 1) or not is_date.any():
        return s
    first = parts[0][is_date].astype(int)
    second = parts[1][is_date].astype(int)
    if order == "auto":
        day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
        if day_first and month_first:
            report.date_orders[column] = "conflict"
            report.notes.append(f"{column}: some dates are day-first and some month-first; "
                                "left unchanged.")
            return s
        if not day_first and not month_first:
            report.date_orders[column] = "ambiguous"
            report.notes.append(f"{column}: every date would read either way (e.g. 03/04); "
                                "left unchanged (choose --dates day-first or month-first).")
            return s
        order = "day-first" if day_first else "month-first"
    report.date_orders[column] = order
    day, month = (first, second) if order == "day-first" else (second, first)
    year = parts[2][is_date].astype(int)
    year = year.where(parts[2][is_date].str.len() == 4, year + 2000 - 100 * (year >= 70))
    import pandas as pd

    stamps = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    valid = stamps.notna()
    invalid = int((~valid).sum())
    if invalid:
        report.notes.append(f"{column}: {invalid} value(s) are not real dates (e.g. "
                            f"{s[is_date][~valid].iloc[0]!r}); left unchanged.")
    new = s.copy()
    new.loc[valid[valid].index] = stamps[valid].dt.strftime("%Y-%m-%d")
    if (parts[2][is_date].str.len() == 2).any():
        report.notes.append(f"{column}: two-digit years read as 1970–2069.")
    return _step(s, new, counts, "date")
