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
from datatools.tools import dates, phones, text_patterns as tp

if TYPE_CHECKING:
    import pandas as pd

EMPTY_MARKERS = ("n/a", "na", "null", "none", "nan", "nil", "-", "--", "?", "#n/a", "(blank)", "missing")
INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
ODD_SPACES = "[\u00a0\u2007\u202f\u2009\u3000]"
CASES = ("lower", "upper", "title")
DATE_ORDERS = dates.ORDERS
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
    phone_region: str | None = None        # ISO 3166 code for numbers without a country code
    emails: bool = False


@dataclass
class CleanReport:
    rows: int
    changes: dict[str, dict[str, int]] = field(default_factory=dict)   # column → step → cells
    cells: dict[str, int] = field(default_factory=dict)                # column → cells changed
    date_orders: dict[str, str] = field(default_factory=dict)          # column → what was decided
    number_styles: dict[str, str] = field(default_factory=dict)
    phones_unread: dict[str, int] = field(default_factory=dict)       # column → numbers left as they were
    notes: list[str] = field(default_factory=list)

    @property
    def cells_changed(self) -> int:
        """Cells that differ from the input (a cell two steps touched counts once)."""
        return sum(self.cells.values())

    def to_dict(self) -> dict:
        return {"rows": self.rows, "cells_changed": self.cells_changed, "changes": self.changes,
                "cells": self.cells, "date_orders": self.date_orders, "number_styles": self.number_styles,
                "phones_unread": self.phones_unread, "notes": self.notes}


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
    if options.phone_region is not None:
        phones.check_region(options.phone_region)


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
            s = _phones(column, s, filled, options.phone_region, counts, report)
    if options.numbers:
        s = _numbers(column, s, filled, options.numbers, counts, report)
    if options.dates:
        s = _dates(column, s, filled, options.dates, counts, report)
    return s


def _phones(column: str, s: "pd.Series", filled: "pd.Series", region: str | None,
            counts: dict[str, int], report: CleanReport) -> "pd.Series":
    """Every filled cell of a phone column to E.164; what libphonenumber cannot read stays."""
    reading = phones.read_phones(s[filled], phones.check_region(region) if region else None)
    unread = s[filled].isin(reading.no_country_code + reading.not_valid)
    if unread.any():
        report.phones_unread[column] = int(unread.sum())
    for values, why in ((reading.no_country_code, "have no country code; choose a phone region"),
                        (reading.not_valid, "are not valid phone numbers")):
        if values:
            count = int(s[filled].isin(values).sum())
            report.notes.append(f"{column}: {count} value(s) {why} (e.g. {values[0]!r}); "
                                "left unchanged.")
    return _step(s, s.map(lambda v: reading.e164.get(v, v)), counts, "phone")


def _dates(column: str, s: "pd.Series", filled: "pd.Series", order: str,
           counts: dict[str, int], report: CleanReport) -> "pd.Series":
    dated = s.str.match(tp.DATE_TIME_PARTS)
    iso = s.str.match(tp.DATE_ISO) | s.str.match(tp.DATETIME_ISO)
    if (dated | iso).sum() < COLUMN_SHARE * max(filled.sum(), 1):
        return s
    reading = dates.read_dates(column, s, order)
    if reading.order is None:
        return s
    report.date_orders[column] = reading.order
    report.notes += reading.notes
    return _step(s, reading.values, counts, "date")


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
