"""`clean_table`: tidy text cells column by column and count every change it makes.

Each step is a vectorised pandas string operation; a step's count is the number of cells it
changed. Steps that could guess wrong (dates, numbers) decide per column from the column's own
values, report what they decided, and leave a column alone when its values contradict each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from datatools.errors import BadOption, no_such_column
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools import dates, phones, text_patterns as tp
from datatools.tools.id_headers import names_no_phone
from datatools.tools.clean_rules import (RULE_NAMES, ColumnRules, check_rules, column_kind,
                                         kind_of_cells, known_acronyms, rules_for, title_case)
from datatools.tools.clean_batch import (COMMA_DECIMAL, POINT_DECIMAL, DatesDone, NumbersDone,
                                         dates_at_once, numbers_at_once, style_notice)
from datatools.tools.clean_notices import emptied_notices, format_notices, held_notices
from datatools.tools.clean_shapes import (ColumnShapes, column_shapes, dates_need_work, distinct_values,
                                          numbers_need_work, plain_numbers, spread,
                                          written_numbers)
from datatools.tools.clean_tidy import TIDY_RULES, Steps, Tidied, tidy, tidy_stacked
from datatools.tools.stacked import SHORT_ROWS

if TYPE_CHECKING:
    import pandas as pd

CASES = ("lower", "upper", "title")
DATE_ORDERS = dates.ORDERS
NUMBER_STYLES = ("auto", "point", "comma")   # which character marks the decimals
# How rewritten numbers and dates are written: as the input writes them (its decimal mark and
# grouping, its date layout: what a spreadsheet in the input's locale reads back), or plainly.
NUMBER_FORMATS = ("as-input", "point", "comma")
DATE_FORMATS = ("as-input", "iso")
PHONE_FORMATS = phones.PHONE_FORMATS
COLUMN_SHARE = 0.8   # a column is "dates"/"numbers"/… when this share of filled cells looks so
PLAN_ROWS = 2000     # rows `plan_clean` looks at


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
    phone_format: str = "e164"             # e164 (+819088229328) | national | international
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
                                                              "dates": "as-input",
                                                              "phones": "e164"})

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
                                                   "dates": options.date_format,
                                                   "phones": options.phone_format})
    columns = list(frame.columns) if options.columns is None else \
        [*options.columns, *(c for c in own_rules if c not in options.columns)]   # a rule asks for it
    tidied, stacked = _tidy_short_table(frame, columns, own_rules, file_wide, options.half_width)
    # Numbers and dates tested once over every stacked cell: columns with nothing to do cost
    # no pandas call of their own (a wide table has thousands).
    shapes = column_shapes(tidied, len(stacked), *(
        bool(getattr(file_wide, rule) or any(own.get(rule) for own in own_rules.values()))
        for rule in ("numbers", "dates"))) if stacked else None
    cleaned_columns: dict = {}
    memo: dict[str, tuple[str, bool]] = {}      # value → its kind, and whether it is code-like
    known: dict[str, tuple] = {}     # kind → its file-wide rules, held rules and their record
    kinds = {column: kind_of_cells(str(column), tidied.column_values(position), memo)
             for column, position in stacked.items()}
    batched = numbers_at_once(tidied, stacked, kinds, shapes, own_rules, file_wide, known,
                              COLUMN_SHARE, report.formats.get("numbers", "point"))
    batched_dates = dates_at_once(tidied, stacked, kinds, shapes, own_rules, file_wide, known,
                                  COLUMN_SHARE, report.formats.get("dates") == "as-input")
    for index, column in enumerate(columns):
        if index % 100 == 0:
            progress.update(index / max(len(columns), 1), f"cleaning {column}")
        own = own_rules.get(str(column), {})
        steps = Steps()
        if column in stacked:
            position = stacked[column]
            steps.counts, steps.samples = tidied.steps.counts[position], tidied.steps.samples[position]
            kind, example = kinds[column]
            tidied_cells = tidied.column(position)
        else:
            original = frame[column].astype("str").fillna("")
            tidy_rules = replace(file_wide, **{k: v for k, v in own.items() if k in TIDY_RULES})
            tidied_cells = tidy(original, tidy_rules, options.half_width, steps)
            kind, example = column_kind(str(column), tidied_cells)
        cleaned, column_report = _clean_column(str(column), tidied_cells, kind, example, file_wide,
                                               own, steps, report, frame.index, known,
                                               (shapes, stacked[column]) if shapes and column in stacked
                                               else None, (batched.get(column), batched_dates.get(column)))
        cleaned_columns[column] = cleaned
        column_report.steps, column_report.samples = steps.counts, steps.samples
        # No step changed a cell: the column is as it came (no comparison, a wide table has many).
        if not steps.counts:
            column_report.cells = 0
        elif cleaned is tidied_cells and column in stacked:
            column_report.cells = tidied.changed[stacked[column]]
        else:
            before = frame[column].astype("str").fillna("")
            column_report.cells = int((_series(cleaned, frame.index) != before).sum())
        report.columns[str(column)] = column_report
        if steps.counts:
            report.changes[str(column)] = dict(steps.counts)
            report.cells[str(column)] = column_report.cells
    result = _assemble(frame, cleaned_columns)
    report.notes[:0] = held_notices(report.columns)
    report.notes += [*emptied_notices(report.columns), *format_notices(report)]
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
        raise no_such_column(missing, frame.columns)
    for value, allowed, what in ((options.case, CASES, "case"), (options.dates, DATE_ORDERS, "dates"),
                                 (options.numbers, NUMBER_STYLES, "numbers"),
                                 (options.number_format, NUMBER_FORMATS, "number_format"),
                                 (options.date_format, DATE_FORMATS, "date_format"),
                                 (options.phone_format, phones.PHONE_FORMATS, "phone_format")):
        if value is not None and value not in allowed:
            raise BadOption(f"{what} must be one of {', '.join(allowed)}, not {value!r}.",
                            code="bad_choice", params={"option": what, "value": str(value)})
    if options.phone_region is not None:
        phones.check_region(options.phone_region)
    return own


def _clean_column(column: str, tidied, kind: str, example: str, file_wide: ColumnRules,
                  own: dict[str, Any], step: Steps, report: CleanReport, index: "pd.Index",
                  known: dict[str, tuple],
                  shaped: tuple[ColumnShapes, int] | None = None,
                  done: tuple[NumbersDone | None, DatesDone | None] = (None, None)
                  ) -> tuple[Any, ColumnReport]:
    """The steps after tidying (case, e-mails, phones, numbers, dates) on one column's tidied
    cells (`tidied`: a Series, or a pyarrow array from a stacked run) of kind `kind`; the
    result is `tidied` itself when no such step is asked for or none would change a cell.
    `known` keeps the file-wide rules of each kind found so far (`rules_for`); `shaped`, the
    counts of a stacked run and the column's position in it (clean_shapes.column_shapes);
    `done`, the numbers and dates steps already run with other columns (clean_batch)."""
    if own:
        rules, held = rules_for(kind, file_wide, own)
        described = rules.to_dict()
    else:              # the same for every column of a kind: found once
        if kind not in known:
            rules, held = rules_for(kind, file_wide, {})
            known[kind] = rules, held, rules.to_dict()
        rules, held, described = known[kind]
    held = dict(held)
    asked = rules.case or rules.emails or rules.phones or rules.numbers or rules.dates or held
    info = ColumnReport(kind=kind, example=example, rules=dict(described), own=sorted(own), held=held,
                        spared=_spared(column, _series(tidied, index), file_wide, held, report.formats,
                                       shaped is not None and numbers_need_work(
                                           *shaped, COLUMN_SHARE) is not None) if held else {})
    if not asked:
        return tidied, info
    # Decided from the stacked counts when no earlier step may change the cells they counted.
    decided: dict[str, str | None] = {}
    if shaped is not None and not (rules.case or rules.emails or rules.phones):
        if rules.numbers:
            decided["numbers"] = numbers_need_work(shaped[0], shaped[1], COLUMN_SHARE)
        if rules.dates:
            decided["dates"] = dates_need_work(shaped[0], shaped[1], COLUMN_SHARE)
        if None not in decided.values():
            held.update({rule: why for rule, why in decided.items() if why})
            if kind == "empty":
                held.clear()
            return tidied, info
    s = _series(tidied, index)
    if rules.case:
        s = step(s, _change_case(s, rules.case), "case")
    filled = s != ""
    enough = COLUMN_SHARE * max(filled.sum(), 1)
    # Phones and e-mails are recognised on their NFKC form: full-width ones are the same.
    folded = s.str.normalize("NFKC") if (rules.emails or rules.phones) else s
    if rules.emails:
        is_email = tp.match(folded, tp.EMAIL, needs="@")
        if is_email.sum() >= enough:
            s = step(s, s.mask(is_email, folded.str.lower()), "email")
        else:
            held["emails"] = _too_few("emails", is_email)
    if rules.phones and names_no_phone(column):
        # A postcode or an ID written like a phone (`530-0001`, `013.710.406-56`) is no phone
        # (trials H and J: id_headers.names_no_phone).
        held["phones"] = "no_phones"
    elif rules.phones:
        is_phone = tp.phone_like(folded)
        if is_phone.sum() >= enough:
            s = _phones(column, s, filled, rules.phone_region, step, report)
        else:
            held["phones"] = _too_few("phones", is_phone)
    for rule, run in (("numbers", _numbers), ("dates", _dates)):
        if done[rule == "dates"] is not None:
            s = _done_at_once(column, s, done[rule == "dates"], step, report, index)
        elif getattr(rules, rule) and decided.get(rule) is None:
            s = run(column, s, filled, getattr(rules, rule), step, report, held)
        elif decided.get(rule):
            held[rule] = decided[rule]
    if kind == "empty":
        held.clear()
    return s, info


def _done_at_once(column: str, s: "pd.Series", done, step: Steps, report: CleanReport,
                  index: "pd.Index") -> "pd.Series":
    """What `_numbers` or `_dates` would have done to the column, as clean_batch did it
    (a NumbersDone or DatesDone), booked on `step` and `report`."""
    if isinstance(done, DatesDone):
        if done.order is not None:
            report.date_orders[column] = done.order
        report.notes += done.notes
        name = "date"
    else:
        if done.style:
            report.number_styles[column] = done.style
        if done.notice is not None:
            report.notes.append(done.notice)
        name = "number"
    if done.cells is None or not done.count:
        return s
    step.counts[name] = step.counts.get(name, 0) + done.count
    step.samples.setdefault(name, []).extend(done.samples)
    return _series(done.cells, index)


def _tidy_short_table(frame: "pd.DataFrame", columns: list, own_rules: dict[str, dict[str, Any]],
                      file_wide: ColumnRules, half_width: bool) -> tuple[Tidied | None, dict]:
    """For a short table (stacked.SHORT_ROWS rows at most), the tidy steps run once over the
    stacked cells of every column without tidying rules of its own (clean_tidy.tidy_stacked),
    and where each such column sits in that run; (None, {}) for other tables."""
    shared = [c for c in columns if not (set(own_rules.get(str(c), {})) & set(TIDY_RULES))]
    if len(frame) > SHORT_ROWS or len(shared) < 2 or not frame.columns.is_unique \
            or len(set(shared)) < len(shared):
        return None, {}
    part = frame if shared == list(frame.columns) else frame[shared]
    return tidy_stacked(part, file_wide, half_width), {c: i for i, c in enumerate(shared)}


def _series(cells, index: "pd.Index") -> "pd.Series":
    """Cleaned cells as a `str` Series on `index`: a Series as it is, a pyarrow array wrapped."""
    import pandas as pd

    if isinstance(cells, pd.Series):
        return cells
    return pd.Series(_text_array(cells), index=index, copy=False)


def _text_array(cells):
    """Cleaned cells (a Series or a pyarrow large_string array) as a pandas `str` array."""
    import numpy as np
    import pandas as pd

    if isinstance(cells, pd.Series):
        return cells.array
    return pd.arrays.ArrowStringArray(cells, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _assemble(frame: "pd.DataFrame", cleaned: dict) -> "pd.DataFrame":
    """A copy of `frame` with the `cleaned` columns (name → Series or pyarrow array) in place,
    built in one go when every column is cleaned (a column set at a time costs pandas a
    millisecond: seconds on a wide table)."""
    import numpy as np
    import pandas as pd

    from_blocks = getattr(getattr(pd.api, "internals", None), "create_dataframe_from_blocks", None)
    if from_blocks is not None and len(cleaned) == frame.shape[1] and frame.columns.is_unique:
        arrays = [_text_array(cleaned[name]) for name in frame.columns]
        return from_blocks([(array, np.array([i])) for i, array in enumerate(arrays)],
                           index=frame.index.copy(), columns=frame.columns.copy())
    result = frame.copy()
    for name, cells in cleaned.items():
        result[name] = _series(cells, frame.index)
    return result


def _spared(column: str, s: "pd.Series", file_wide: ColumnRules, held: dict[str, str],
            formats: dict[str, str], numbers_idle: bool = False) -> dict[str, tuple[int, str]]:
    """What each held-back rule would have changed (cells, first cell): only that makes the hold
    worth a notice (title case changes nothing in `C-00123` anyway, numbers nothing in `SKU-4471`).
    `numbers_idle`: the stacked counts show numbers would change nothing."""
    scratch = Steps()
    if "case" in held:
        scratch(s, _change_case(s, file_wide.case), "case")
    if "numbers" in held and not numbers_idle:
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


def _phones(column: str, s: "pd.Series", filled: "pd.Series", region: str | None,
            step: Steps, report: CleanReport) -> "pd.Series":
    """Every filled cell of a phone column to E.164; what libphonenumber cannot read stays."""
    reading = phones.read_phones(s[filled], phones.check_region(region) if region else None,
                                 report.formats.get("phones", "e164"))
    unread = s[filled].isin(reading.no_country_code + reading.not_valid)
    if unread.any():
        report.phones_unread[column] = int(unread.sum())
    for values, code, why in ((reading.no_country_code, "clean_phones_no_country",
                               "have no country code; choose a phone region"),
                              (reading.not_valid, "clean_phones_not_valid", "are not valid phone numbers")):
        if values:
            count = int(s[filled].isin(values).sum())
            report.notes.append(Notice(f"{column}: {count:,} value(s) {why} (e.g. {values[0]!r}); "
                                       "left unchanged.", code, column=column, count=count,
                                       example=values[0]))
    return step(s, s.map(lambda v: reading.written.get(v, v)), "phone")


def _dates(column: str, s: "pd.Series", filled: "pd.Series", order: str, step: Steps,
           report: CleanReport, held: dict[str, str]) -> "pd.Series":
    shaped = tp.date_shaped(s)[1]
    if shaped.sum() < COLUMN_SHARE * max(filled.sum(), 1):
        held["dates"] = _too_few("dates", shaped)
        return s
    reading = dates.read_dates(column, s, order,
                               keep_layout=report.formats.get("dates") == "as-input")
    if reading.order is None:
        return s
    report.date_orders[column] = reading.order
    report.notes += reading.notes
    return step(s, reading.values, "date")


def _numbers(column: str, s: "pd.Series", filled: "pd.Series", style: str, step: Steps,
             report: CleanReport, held: dict[str, str]) -> "pd.Series":
    is_number = tp.match(s, tp.DECIMAL)
    if is_number.sum() < COLUMN_SHARE * max(filled.sum(), 1) or not is_number.any():
        held["numbers"] = _too_few("numbers", is_number)
        return s
    # Each distinct number is read and written once (a column repeats its amounts), then spread.
    values, codes, counts = distinct_values(s[is_number])
    if style == "auto":
        # The decimal mark (clean_batch.COMMA_DECIMAL, POINT_DECIMAL).
        comma = values.str.contains(COMMA_DECIMAL, regex=True).any()
        point = values.str.contains(POINT_DECIMAL, regex=True).any()
        if comma and point:
            report.number_styles[column] = "conflict"
            report.notes.append(style_notice(column, "conflict"))
            return s
        if not comma and not point:
            if values.str.contains(r"[,.]", regex=True).any():
                report.number_styles[column] = "ambiguous"
                report.notes.append(style_notice(column, "ambiguous"))
            return s
        style = "comma" if comma else "point"
    report.number_styles[column] = f"decimal {style}"
    plain = plain_numbers(values, style)
    wanted = report.formats.get("numbers", "point")
    new = s.copy()
    new[is_number] = spread(written_numbers(plain, values, style, wanted, counts), codes, new.index[is_number.to_numpy()])
    return step(s, new, "number")
