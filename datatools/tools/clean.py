"""`clean_table`: tidy text cells column by column and count every change it makes.

Each step is a vectorised pandas string operation; a step's count is the number of cells it
changed. Steps that could guess wrong (dates, numbers) decide per column from the column's own
values, report what they decided, and leave a column alone when its values contradict each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from datatools.errors import BadOption
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools import dates, phones, text_patterns as tp
from datatools.tools.stacked import SHORT_ROWS, ChangedColumns, stack_cells
from datatools.tools.clean_rules import (RULE_NAMES, ColumnRules, check_rules, column_kind,
                                         known_acronyms, rules_for, title_case)

if TYPE_CHECKING:
    import pandas as pd

EMPTY_MARKERS = ("n/a", "na", "null", "none", "nan", "nil", "-", "--", "?", "#n/a", "(blank)", "missing")
INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
ODD_SPACES = "[\u00a0\u2007\u202f\u2009\u3000]"
CASES = ("lower", "upper", "title")
DATE_ORDERS = dates.ORDERS
NUMBER_STYLES = ("auto", "point", "comma")   # which character marks the decimals
# How rewritten numbers and dates are written: as the input writes them (its decimal mark and
# grouping, its date layout: what a spreadsheet in the input's locale reads back), or plainly.
NUMBER_FORMATS = ("as-input", "point", "comma")
DATE_FORMATS = ("as-input", "iso")
COLUMN_SHARE = 0.8   # a column is "dates"/"numbers"/… when this share of filled cells looks so
SAMPLES = 3          # before → after examples kept per column and step
PLAN_ROWS = 2000     # rows `plan_clean` looks at
TIDY_RULES = ("trim", "invisible", "empty_values", "unicode_nfc")
PROTECTED = r"^['\t][=+\-@\t\r]"   # a cell someone made inert: kept so by every step
# Full-width forms of ASCII (U+FF01–U+FF5E) and the ideographic space to their ordinary forms;
# half- and full-width Katakana are left as they are (NFKC would widen half-width Katakana).
HALF_WIDTH = {**{0xFF01 + i: 0x21 + i for i in range(94)}, 0x3000: 0x20}


@dataclass
class CleanOptions:
    """The file-wide options; `rules` gives single columns their own (they win over these)."""

    columns: list[str] | None = None       # None: every column
    trim: bool = True                      # strip ends, collapse inner runs of spaces and tabs
    unicode_nfc: bool = True
    invisible: bool = True                 # NBSP → space; zero-width characters and soft hyphens out
    half_width: bool = False               # ＡＢＣ１２３＠ → ABC123@ (full-width ASCII forms)
    empty_values: bool = True              # "N/A", "null", "-" … → ""
    case: str | None = None                # lower | upper | title (never on codes, numbers…)
    dates: str | None = None               # None: leave; auto | day-first | month-first
    numbers: str | None = None             # None: leave; auto | point | comma
    number_format: str = "as-input"        # as-input (1.234,5 stays so) | point (1234.5) | comma
    date_format: str = "as-input"          # as-input (13.02.2024 stays so) | iso (2024-02-13)
    phones: bool = False
    phone_region: str | None = None        # ISO 3166 code for numbers without a country code
    emails: bool = False
    rules: dict[str, dict[str, Any]] | None = None   # column → {rule: value} (clean_rules.check_rules)


@dataclass
class ColumnReport:
    """What happened in one column: its kind, the rules it got, what ran and what did not."""

    kind: str                                   # code, text, email, date … (clean_rules.column_kind)
    example: str                                # a typical value, as the kind was decided on
    rules: dict[str, Any]                       # the rules it was cleaned with
    own: list[str]                              # the rules the user set for this column
    held: dict[str, str] = field(default_factory=dict)     # rule → why it did not run
    spared: dict[str, tuple[int, str]] = field(default_factory=dict)   # held rule → (cells it
    #                                           would have changed, the first such cell)
    steps: dict[str, int] = field(default_factory=dict)    # step → cells it changed
    samples: dict[str, list[list[str]]] = field(default_factory=dict)   # step → [before, after]…
    cells: int = 0                              # cells that differ from the input


@dataclass
class CleanReport:
    rows: int
    changes: dict[str, dict[str, int]] = field(default_factory=dict)   # column → step → cells
    cells: dict[str, int] = field(default_factory=dict)                # column → cells changed
    date_orders: dict[str, str] = field(default_factory=dict)          # column → what was decided
    number_styles: dict[str, str] = field(default_factory=dict)
    phones_unread: dict[str, int] = field(default_factory=dict)       # column → numbers left as they were
    notes: list[str] = field(default_factory=list)                     # Notices, and dates' notes
    columns: dict[str, ColumnReport] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=lambda: {"numbers": "as-input",
                                                              "dates": "as-input"})

    @property
    def cells_changed(self) -> int:
        """Cells that differ from the input (a cell two steps touched counts once)."""
        return sum(self.cells.values())

    def to_dict(self) -> dict:
        return {"rows": self.rows, "cells_changed": self.cells_changed, "changes": self.changes,
                "cells": self.cells, "date_orders": self.date_orders, "number_styles": self.number_styles,
                "phones_unread": self.phones_unread, "notes": self.notes, "formats": self.formats,
                "columns": {name: asdict(c) for name, c in self.columns.items()}}


def clean_table(frame: "pd.DataFrame", options: CleanOptions,
                progress: Progress | None = None) -> tuple["pd.DataFrame", CleanReport]:
    """A cleaned copy of `frame` (the input is not changed) and what was changed where.

    Each column gets the file-wide options, restricted by what it holds
    (`clean_rules.rules_for`), with the column's own `options.rules` on top. BadOption for a
    column that does not exist or a value that is not allowed.
    """
    progress = progress or silent()
    own_rules = _check_options(frame, options)
    file_wide = ColumnRules(**{name: getattr(options, name) for name in RULE_NAMES})
    report = CleanReport(rows=len(frame), formats={"numbers": options.number_format,
                                                   "dates": options.date_format})
    result = frame.copy()
    columns = list(frame.columns) if options.columns is None else \
        [*options.columns, *(c for c in own_rules if c not in options.columns)]   # a rule asks for it
    unchanged = _unchanged_steps(frame, columns, own_rules, file_wide, options.half_width)
    for index, column in enumerate(columns):
        progress.update(index / max(len(columns), 1), f"cleaning {column}")
        original = result[column].astype("str").fillna("")
        steps = _Steps()
        cleaned, column_report = _clean_column(str(column), original, file_wide,
                                               own_rules.get(str(column), {}), steps, report,
                                               options.half_width, unchanged.get(str(column), set()))
        result[column] = cleaned
        column_report.steps, column_report.samples = steps.counts, steps.samples
        # No step changed a cell: the column is as it came (no comparison, a wide table has many).
        column_report.cells = int((cleaned != original).sum()) if steps.counts else 0
        report.columns[str(column)] = column_report
        if steps.counts:
            report.changes[str(column)] = dict(steps.counts)
            report.cells[str(column)] = column_report.cells
    report.notes[:0] = _held_notices(report.columns)
    report.notes += _format_notices(report)
    progress.update(1.0, "cleaned")
    return result, report


def plan_clean(frame: "pd.DataFrame", options: CleanOptions, rows: int = PLAN_ROWS) -> CleanReport:
    """What `clean_table` would do, found on up to `rows` rows spread over the file.

    The kinds, rules, held-back rules and before → after samples of each column, for showing
    before a run; the counts are those of the sample, not of the file.
    """
    step = max(len(frame) // rows, 1)
    sample = frame.iloc[::step].head(rows).reset_index(drop=True)
    return clean_table(sample, options)[1]


def _check_options(frame: "pd.DataFrame", options: CleanOptions) -> dict[str, dict[str, Any]]:
    """The per-column rules, checked; BadOption for an unknown column or an unknown value."""
    own = check_rules(options.rules)
    named = [*(options.columns or []), *own]
    missing = [c for c in dict.fromkeys(named) if c not in frame.columns]
    if missing:
        raise BadOption("No column named " + ", ".join(repr(c) for c in missing)
                        + "; the columns are " + ", ".join(repr(str(c)) for c in frame.columns) + ".",
                        code="no_such_column", params={"columns": ", ".join(missing)})
    for value, allowed, what in ((options.case, CASES, "case"), (options.dates, DATE_ORDERS, "dates"),
                                 (options.numbers, NUMBER_STYLES, "numbers"),
                                 (options.number_format, NUMBER_FORMATS, "number_format"),
                                 (options.date_format, DATE_FORMATS, "date_format")):
        if value is not None and value not in allowed:
            raise BadOption(f"{what} must be one of {', '.join(allowed)}, not {value!r}.",
                            code="bad_choice", params={"option": what, "value": str(value)})
    if options.phone_region is not None:
        phones.check_region(options.phone_region)
    return own


def keep_protection(before: "pd.Series", after: "pd.Series") -> "pd.Series":
    """`after`, where each cell of `before` protected against formula injection — a leading
    apostrophe or TAB before =, +, -, @, TAB or CR (datatools/io/formula_cells.py) — keeps that
    first character: trimming or any other step never makes a protected cell live again."""
    lost = before.str.match(PROTECTED) & (after.str[:1] != before.str[:1])
    if not lost.any():
        return after
    return after.mask(lost, before.str[:1] + after)


class _Steps:
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


def _clean_column(column: str, s: "pd.Series", file_wide: ColumnRules, own: dict[str, Any],
                  step: _Steps, report: CleanReport, half_width: bool = False,
                  skip: frozenset[str] | set[str] = frozenset()) -> tuple["pd.Series", ColumnReport]:
    s = _tidy(s.fillna(""), replace(file_wide, **{k: v for k, v in own.items() if k in TIDY_RULES}),
              half_width, step, skip)
    kind, example = column_kind(column, s)
    rules, held = rules_for(kind, file_wide, own)
    info = ColumnReport(kind=kind, example=example, rules=rules.to_dict(), own=sorted(own), held=held,
                        spared=_spared(column, s, file_wide, held, report.formats))
    if rules.case:
        s = step(s, _change_case(s, rules.case), "case")
    filled = s != ""
    enough = COLUMN_SHARE * max(filled.sum(), 1)
    # Phones and e-mails are recognised on their NFKC form: full-width ones are the same.
    folded = s.str.normalize("NFKC") if (rules.emails or rules.phones) else s
    if rules.emails:
        is_email = folded.str.match(tp.EMAIL)
        if is_email.sum() >= enough:
            s = step(s, s.mask(is_email, folded.str.lower()), "email")
        else:
            held["emails"] = _too_few("emails", is_email)
    if rules.phones:
        is_phone = (folded.str.match(tp.PHONE) & ~folded.str.match(tp.DATE_DMY_OR_MDY)
                    & ~folded.str.match(tp.DATE_ISO))
        if is_phone.sum() >= enough:
            s = _phones(column, s, filled, rules.phone_region, step, report)
        else:
            held["phones"] = _too_few("phones", is_phone)
    if rules.numbers:
        s = _numbers(column, s, filled, rules.numbers, step, report, held)
    if rules.dates:
        s = _dates(column, s, filled, rules.dates, step, report, held)
    if kind == "empty":
        held.clear()
    return s, info


def _tidy(s: "pd.Series", tidy: ColumnRules, half_width: bool, step: Any,
          skip: frozenset[str] | set[str] = frozenset()) -> "pd.Series":
    """The tidying steps of `tidy` (and `half_width`) on `s`, each through `step`; the steps named
    in `skip` are known to change nothing here (a stacked run found so) and are not run. Each
    step looks at each cell alone, so it may run on the stacked cells of many columns."""
    if tidy.invisible and "invisible" not in skip:
        s = step(s, s.str.replace(ODD_SPACES, " ", regex=True).str.replace(INVISIBLE, "", regex=True),
                 "invisible")
    if tidy.unicode_nfc and "unicode" not in skip:
        s = step(s, s.str.normalize("NFC"), "unicode")
    if half_width and "half_width" not in skip:
        s = step(s, s.str.translate(HALF_WIDTH), "half_width")
    if tidy.trim and "whitespace" not in skip:
        # Runs of spaces and tabs collapse; a line break inside a cell (LF, CRLF or CR) is the
        # user's own and stays byte for byte.
        s = step(s, s.str.strip().str.replace(r"[^\S\r\n]{2,}", " ", regex=True), "whitespace")
    if tidy.empty_values and "empty" not in skip:
        s = step(s, s.mask(s.str.lower().isin(EMPTY_MARKERS), ""), "empty")
    return s


def _unchanged_steps(frame: "pd.DataFrame", columns: list, own_rules: dict[str, dict[str, Any]],
                     file_wide: ColumnRules, half_width: bool) -> dict[str, set[str]]:
    """For a short table (stacked.SHORT_ROWS rows at most), each column's tidying steps that
    change none of its cells, found by one stacked run over every cell: pandas' fixed cost per
    call is then paid once per step, not once per column and step (stacked.py). Columns with
    their own tidying rules are left out (they run every step)."""
    shared = [c for c in columns if not (set(own_rules.get(str(c), {})) & set(TIDY_RULES))]
    if len(frame) > SHORT_ROWS or len(shared) < 2 or not frame.columns.is_unique \
            or len(set(shared)) < len(shared):
        return {}
    cells, codes = stack_cells(frame, shared)
    changed = ChangedColumns(codes, keep_protection)
    _tidy(cells, file_wide, half_width, changed)
    return {str(column): changed.unchanged(position) for position, column in enumerate(shared)}


def _spared(column: str, s: "pd.Series", file_wide: ColumnRules, held: dict[str, str],
            formats: dict[str, str]) -> dict[str, tuple[int, str]]:
    """What each held-back rule would have changed (cells, first cell): only that makes the hold
    worth a notice (title case changes nothing in `C-00123` anyway, numbers nothing in `SKU-4471`)."""
    scratch = _Steps()
    if "case" in held:
        scratch(s, _change_case(s, file_wide.case), "case")
    if "numbers" in held:
        _numbers(column, s, s != "", file_wide.numbers, scratch,
                 CleanReport(rows=len(s), formats=formats), {})
    return {rule: (scratch.counts[step], scratch.samples[step][0][0])
            for rule, step in (("case", "case"), ("numbers", "number")) if step in scratch.counts}


def _too_few(rule: str, matched: "pd.Series") -> str:
    """Why a rule did not run: `few_<rule>` when some cells fit it (worth a notice: the user may
    expect it), `no_<rule>` when none do (a name column is plainly not dates)."""
    return f"few_{rule}" if matched.any() else f"no_{rule}"


def _change_case(s: "pd.Series", case: str) -> "pd.Series":
    """Lower or upper case as Python writes them; title case word by word (clean_rules.title_case),
    each distinct value once (a column repeats its names and cities)."""
    if case != "title":
        return getattr(s.str, case)()
    distinct = s.unique()
    acronyms = known_acronyms(distinct)
    titled = {value: title_case(value, acronyms) for value in distinct}
    return s.map(titled)


# Why a rule did not run in a column → the notice that says so, listing the columns.
HELD_NOTICES = {
    ("case", "not_words"): ("clean_case_held", "Capitalisation left as it is in {columns}: they hold "
                            "codes, numbers, dates, e-mail addresses or phone numbers, not words "
                            "(e.g. {example!r}). Give a column its own rule to change it anyway."),
    ("numbers", "codes"): ("clean_numbers_held", "Numbers left as they are in {columns}: they hold "
                           "codes (e.g. {example!r}), whose zeros and separators belong to the code. "
                           "Give a column its own rule to change it anyway."),
    ("dates", "few_dates"): ("clean_dates_skipped", "Dates left as they are in {columns}: only some "
                             "of their cells are dates (fewer than 80 %)."),
    ("numbers", "few_numbers"): ("clean_numbers_skipped", "Numbers left as they are in {columns}: "
                                 "only some of their cells are numbers (fewer than 80 %)."),
    ("phones", "few_phones"): ("clean_phones_skipped", "Phone numbers left as they are in {columns}: "
                               "only some of their cells are phone numbers (fewer than 80 %)."),
    ("emails", "few_emails"): ("clean_emails_skipped", "E-mail addresses left as they are in {columns}: "
                               "only some of their cells are e-mail addresses (fewer than 80 %)."),
}


# The format rewritten numbers and dates were written in: the result says which (the window in
# its language through the notice's code).
FORMAT_NOTICES = {
    ("numbers", "as-input"): ("clean_numbers_as_input", "Numbers in {columns} were written as the "
                              "input writes them (its decimal mark and grouping)."),
    ("numbers", "point"): ("clean_numbers_point", "Numbers in {columns} were written with a decimal "
                           "point and no grouping (1234.5)."),
    ("numbers", "comma"): ("clean_numbers_comma", "Numbers in {columns} were written with a decimal "
                           "comma and no grouping (1234,5)."),
    ("dates", "as-input"): ("clean_dates_as_input", "Dates in {columns} were written in the input's "
                            "layout (its order and separators)."),
    ("dates", "iso"): ("clean_dates_iso", "Dates in {columns} were written as YYYY-MM-DD."),
}


def _format_notices(report: CleanReport) -> list[Notice]:
    """One notice per kind of value rewritten (numbers, dates), naming the format and columns."""
    found = []
    for kind, decided, ok in (("numbers", report.number_styles, ("decimal point", "decimal comma")),
                              ("dates", report.date_orders, ("day-first", "month-first"))):
        columns = ", ".join(c for c, how in decided.items() if how in ok)
        if columns:
            code, sentence = FORMAT_NOTICES[(kind, report.formats[kind])]
            found.append(Notice(sentence.format(columns=columns), code, columns=columns))
    return found


def _held_notices(columns: dict[str, ColumnReport]) -> list[Notice]:
    """One notice per rule and reason, naming every column it was held back in."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, column in columns.items():
        for rule, why in column.held.items():
            if why in ("not_words", "codes") and not column.spared.get(rule):
                continue      # holding it back kept nothing from changing: nothing to tell
            grouped[(rule, why)].append(name)
    found = []
    for key, (code, sentence) in HELD_NOTICES.items():
        if key in grouped:
            names = ", ".join(grouped[key])
            first = columns[grouped[key][0]]
            example = first.spared[key[0]][1] if key[0] in first.spared else first.example
            found.append(Notice(sentence.format(columns=names, example=example), code,
                                columns=names, example=example))
    return found


def _phones(column: str, s: "pd.Series", filled: "pd.Series", region: str | None,
            step: _Steps, report: CleanReport) -> "pd.Series":
    """Every filled cell of a phone column to E.164; what libphonenumber cannot read stays."""
    reading = phones.read_phones(s[filled], phones.check_region(region) if region else None)
    unread = s[filled].isin(reading.no_country_code + reading.not_valid)
    if unread.any():
        report.phones_unread[column] = int(unread.sum())
    for values, code, why in ((reading.no_country_code, "clean_phones_no_country",
                               "have no country code; choose a phone region"),
                              (reading.not_valid, "clean_phones_not_valid", "are not valid phone numbers")):
        if values:
            count = int(s[filled].isin(values).sum())
            report.notes.append(Notice(f"{column}: {count} value(s) {why} (e.g. {values[0]!r}); "
                                       "left unchanged.", code, column=column, count=count,
                                       example=values[0]))
    return step(s, s.map(lambda v: reading.e164.get(v, v)), "phone")


def _dates(column: str, s: "pd.Series", filled: "pd.Series", order: str, step: _Steps,
           report: CleanReport, held: dict[str, str]) -> "pd.Series":
    dated = s.str.match(tp.DATE_TIME_PARTS)
    iso = s.str.match(tp.DATE_ISO) | s.str.match(tp.DATETIME_ISO)
    if (dated | iso).sum() < COLUMN_SHARE * max(filled.sum(), 1):
        held["dates"] = _too_few("dates", dated | iso)
        return s
    reading = dates.read_dates(column, s, order,
                               keep_layout=report.formats.get("dates") == "as-input")
    if reading.order is None:
        return s
    report.date_orders[column] = reading.order
    report.notes += reading.notes
    return step(s, reading.values, "date")


def _numbers(column: str, s: "pd.Series", filled: "pd.Series", style: str, step: _Steps,
             report: CleanReport, held: dict[str, str]) -> "pd.Series":
    is_number = s.str.match(tp.DECIMAL)
    if is_number.sum() < COLUMN_SHARE * max(filled.sum(), 1) or not is_number.any():
        held["numbers"] = _too_few("numbers", is_number)
        return s
    values = s[is_number]
    if style == "auto":
        # The decimal mark is the last separator of a value holding both kinds, or a single
        # separator not followed by exactly three digits ("1,5"). "1,234" alone proves nothing.
        comma = values.str.contains(r"\.\d{3},\d+$|\.\d{3}\.\d{3}|,\d{1,2}$|,\d{4,}$", regex=True).sum()
        point = values.str.contains(r",\d{3}\.\d+$|,\d{3},\d{3}|\.\d{1,2}$|\.\d{4,}$", regex=True).sum()
        if comma and point:
            report.number_styles[column] = "conflict"
            report.notes.append(Notice(f"{column}: numbers use both decimal commas and decimal points; "
                                       "left unchanged (choose --numbers point or comma).",
                                       "clean_numbers_conflict", column=column))
            return s
        if not comma and not point:
            if values.str.contains(r"[,.]", regex=True).any():
                report.number_styles[column] = "ambiguous"
                report.notes.append(Notice(f"{column}: separators could be thousands or decimals; left "
                                           "unchanged (choose --numbers point or comma).",
                                           "clean_numbers_ambiguous", column=column))
            return s
        style = "comma" if comma else "point"
    report.number_styles[column] = f"decimal {style}"
    if style == "comma":
        plain = values.str.replace(r"[. \u00a0\u202f']", "", regex=True).str.replace(",", ".")
    else:
        plain = values.str.replace(r"[, \u00a0\u202f']", "", regex=True)
    wanted = report.formats.get("numbers", "point")
    new = s.copy()
    new[is_number] = written_numbers(plain, values, style, wanted)
    return step(s, new, "number")


def written_numbers(plain: "pd.Series", values: "pd.Series", style: str, wanted: str) -> "pd.Series":
    """`plain` numbers (`-1234.5`) written in format `wanted` (one of NUMBER_FORMATS).

    `point` gives them as they are; `comma` with a decimal comma; `as-input` with the input
    column's decimal mark (`style`, point or comma) and, when most of its numbers of four or
    more digits are grouped, with the separator they are grouped by (`.`, space, NBSP, `'`), so
    a number already written that way comes out byte for byte the same.
    """
    if wanted == "point":
        return plain
    mark = "," if wanted == "comma" or style == "comma" else "."
    group = _grouping(values, plain, style) if wanted == "as-input" else None
    parts = plain.str.extract(r"^([+-]?)(\d+)(?:\.(\d+))?$")
    whole = parts[1].fillna("")
    if group:
        whole = whole.str.replace(r"\B(?=(?:\d{3})+$)", group, regex=True)
    fraction = parts[2].fillna("")
    return (parts[0].fillna("") + whole + fraction.where(fraction == "", mark + fraction)).where(
        parts[1].notna(), plain)


def _grouping(values: "pd.Series", plain: "pd.Series", style: str) -> str | None:
    """The thousands separator most of a column's long numbers use, or None (not grouped)."""
    long = plain.str.replace(r"^[+-]", "", regex=True).str.split(".").str[0].str.len() >= 4
    if not long.any():
        return None
    separators = values[long].str.extract(r"^[+-]?\d{1,3}([., \u00a0\u202f'])\d{3}")[0]
    mark = "," if style == "comma" else "."
    separators = separators[separators.notna() & (separators != mark)]
    if len(separators) * 2 < int(long.sum()):
        return None
    return str(separators.mode().iloc[0])
