"""The large clean's second pass: the kind's sample and every figure a column's steps decide on.

Each step (`CaseStep`, `ShareStep`, `NumbersStep`, `DatesStep`) adds up its figures batch by
batch on each batch's distinct values with their counts (`observe`), decides once over the
whole column (`decide`) and then rewrites a batch's distinct values (`apply`, in the rewrite
pass). A step whose figures an earlier step's rewrite could change (e-mails after a case
change) gets a pass of its own over the cells as the earlier steps leave them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datatools.large.column_batches import Column
from datatools.large.written_values import WrittenValues
from datatools.notices import Notice
from datatools.progress import Progress
from datatools.tools import dates, phones, text_patterns as tp
from datatools.tools.clean import COLUMN_SHARE, CleanReport, _change_case, _too_few
from datatools.tools.clean_batch import COMMA_DECIMAL, POINT_DECIMAL, style_notice
from datatools.tools.clean_rules import SAMPLE, ColumnRules, known_acronyms, kind_of_cells, rules_for
from datatools.tools.clean_shapes import (distinct_values, grouping_of, grouping_weights, plain_numbers,
                                          spread, written_numbers)
from datatools.tools.clean_tidy import Steps
from datatools.tools.id_headers import names_no_phone

if TYPE_CHECKING:
    import pandas as pd

ORDER = ("case", "emails", "phones", "numbers", "dates")
# Steps whose figures a rewrite by the first step never changes: a rewritten number is no date
# shape, and a date shape is no number (tp.DECIMAL wants groups of three digits).
UNCHANGED_BY = {"dates": {"numbers"}}


class CaseStep:
    """`clean._change_case`; title case keeps the acronyms the whole column shows (`observe`)."""

    name, booked = "case", "case"

    def __init__(self, case: str) -> None:
        self.case, self.acronyms, self.active = case, set(), True
        self.needs_figures = case == "title"

    def observe(self, values: "pd.Series", counts) -> None:
        if self.needs_figures:
            self.acronyms |= known_acronyms(values.unique())

    def decide(self, filled: int, column: str, formats: dict) -> None:
        self.known = frozenset(self.acronyms)

    def apply(self, s: "pd.Series", counts) -> "pd.Series":
        from datatools.tools.clean_rules import title_case

        if self.case != "title":
            return _change_case(s, self.case)
        distinct = s.unique()
        return s.map({value: title_case(value, self.known) for value in distinct})


class ShareStep:
    """E-mails or phones: run when COLUMN_SHARE of the filled cells are such (on their NFKC form)."""

    def __init__(self, name: str, region: str | None = None, style: str = "e164") -> None:
        self.name, self.booked = name, {"emails": "email", "phones": "phone"}[name]
        self.style = style                      # phones.PHONE_FORMATS
        self.region, self.found, self.needs_figures = region, 0, True
        self.held: str | None = None
        self.notes: list = []
        self.reset()

    def reset(self) -> None:
        """Forget the unread numbers counted so far (a pass that is not the rewrite saw them)."""
        self.unread = {"no_country_code": [0, None], "not_valid": [0, None]}

    def _matches(self, s: "pd.Series") -> "pd.Series":
        folded = s.str.normalize("NFKC")
        if self.name == "emails":
            return tp.match(folded, tp.EMAIL, needs="@")
        return tp.phone_like(folded)

    def observe(self, values: "pd.Series", counts) -> None:
        self.found += int(counts[self._matches(values).to_numpy(dtype=bool)].sum())

    def decide(self, filled: int, column: str, formats: dict) -> None:
        self.column = column
        self.active = self.found >= COLUMN_SHARE * max(filled, 1)
        if self.name == "phones" and names_no_phone(column):
            self.active = False         # a postcode or ID written like a phone (clean.py, trials H, J)
            self.held = "no_phones"
        elif not self.active:
            self.held = f"few_{self.name}" if self.found else f"no_{self.name}"
        elif self.name == "phones":
            self.region_code = phones.check_region(self.region) if self.region else None

    def apply(self, s: "pd.Series", counts) -> "pd.Series":
        if self.name == "emails":
            folded = s.str.normalize("NFKC")
            return s.mask(tp.match(folded, tp.EMAIL, needs="@"), folded.str.lower())
        filled = s != ""
        reading = phones.read_phones(s[filled], self.region_code, self.style)
        for key, values in (("no_country_code", reading.no_country_code), ("not_valid", reading.not_valid)):
            if values:
                tally = self.unread[key]
                tally[0] += int(counts[(filled & s.isin(values)).to_numpy(dtype=bool)].sum())
                tally[1] = values[0] if tally[1] is None else tally[1]
        return s.map(lambda v: reading.written.get(v, v))

    def finish(self, report: CleanReport) -> None:
        """`clean._phones`' count of unread numbers and its notes, for the whole column."""
        if self.name != "phones" or not self.active:
            return
        column = self.column
        unread = sum(tally[0] for tally in self.unread.values())
        if unread:
            report.phones_unread[column] = unread
        for key, code, why in (("no_country_code", "clean_phones_no_country",
                                "have no country code; choose a phone region"),
                               ("not_valid", "clean_phones_not_valid", "are not valid phone numbers")):
            count, example = self.unread[key]
            if example is not None:
                self.notes.append(Notice(f"{column}: {count:,} value(s) {why} (e.g. {example!r}); "
                                         "left unchanged.", code, column=column, count=count,
                                         example=example))


class NumbersStep:
    """`clean._numbers`: the share, the decimal mark and the grouping over the column, then
    each distinct number of a batch read and written once."""

    name, booked = "numbers", "number"

    def __init__(self, style: str) -> None:
        self.style, self.needs_figures, self.held = style, True, None
        self.numbers = self.seen = self.filled = 0   # filled: the column's, set before observing
        self.comma = self.point = self.separated = False
        self.long = {"point": 0, "comma": 0}
        self.separators: dict[str, dict[str, int]] = {"point": {}, "comma": {}}
        self.notes: list = []
        self.decided: str | None = None       # number_styles' entry

    def observe(self, s: "pd.Series", counts) -> None:
        is_number = tp.match(s, tp.DECIMAL).to_numpy(dtype=bool)
        self.numbers += int(counts[is_number].sum())
        self.seen += int(counts[(s != "").to_numpy(dtype=bool)].sum())
        if not is_number.any() or self.numbers + self.filled - self.seen < COLUMN_SHARE * max(self.filled, 1):
            return        # too few numbers whatever the rest holds: their figures are not needed
        values, counts = s[is_number].reset_index(drop=True), counts[is_number]
        styles = ("point", "comma") if self.style == "auto" else (self.style,)
        digits, length = _digits_alone(values)
        if digits.any():
            # Digits alone (ids, counts) hold no mark and no separator: only their length counts.
            for style in styles:
                self.long[style] += int(counts[digits & (length >= 4)].sum())
            values, counts = values[~digits].reset_index(drop=True), counts[~digits]
            if not len(values):
                return
        if self.style == "auto":
            self.comma = self.comma or bool(values.str.contains(COMMA_DECIMAL, regex=True).any())
            self.point = self.point or bool(values.str.contains(POINT_DECIMAL, regex=True).any())
            self.separated = self.separated or bool(values.str.contains(r"[,.]", regex=True).any())
        for style in styles:
            long, separators = grouping_weights(values, plain_numbers(values, style), style, counts)
            self.long[style] += long
            for separator, weight in separators.items():
                self.separators[style][separator] = self.separators[style].get(separator, 0) + weight

    def decide(self, filled: int, column: str, formats: dict) -> None:
        self.active = False
        if self.numbers < COLUMN_SHARE * max(filled, 1) or not self.numbers:
            self.held = "few_numbers" if self.numbers else "no_numbers"
            return
        style = self.style
        if style == "auto":
            if self.comma and self.point:
                self.decided = "conflict"
                self.notes.append(style_notice(column, "conflict"))
                return
            if not self.comma and not self.point:
                if self.separated:
                    self.decided = "ambiguous"
                    self.notes.append(style_notice(column, "ambiguous"))
                return
            style = "comma" if self.comma else "point"
        self.decided, self.active, self.chosen = f"decimal {style}", True, style
        self.wanted = formats.get("numbers", "point")
        self.group = grouping_of(self.long[style], self.separators[style]) \
            if self.wanted == "as-input" else None

    def apply(self, s: "pd.Series", counts) -> "pd.Series":
        is_number = tp.match(s, tp.DECIMAL)
        if not is_number.any():
            return s
        values, codes, counts = distinct_values(s[is_number])
        written = written_numbers(plain_numbers(values, self.chosen), values, self.chosen, self.wanted,
                                  counts, group=self.group)
        new = s.copy()
        new[is_number] = spread(written, codes, new.index[is_number.to_numpy()])
        return new


def _digits_alone(values: "pd.Series"):
    """Which values are ASCII digits alone (a sign allowed), and how many digits each holds:
    numpy arrays. Such a value is the same plain number in either decimal style, and
    `grouping_weights` counts it long at four digits or more, with no separator."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values.astype("str"), pa.string(), from_pandas=True)
    digits = np.asarray(pc.fill_null(pc.match_substring_regex(text, r"^[+-]?[0-9]+$"), False))
    signed = np.asarray(pc.fill_null(pc.match_substring_regex(text, r"^[+-]"), False))
    return digits, np.asarray(pc.fill_null(pc.utf8_length(text), 0)) - signed


class DatesStep:
    """`clean._dates` (dates.read_dates): the share, the order and the layout over the column,
    then each distinct date of a batch read and written once; the unread dates noted at the end."""

    name, booked = "dates", "date"

    def __init__(self, order: str, keep_layout: bool) -> None:
        self.order, self.keep_layout, self.needs_figures = order, keep_layout, True
        self.found = self.seen = self.filled = 0     # filled: the column's, set before observing
        self.held: str | None = None
        self.parts = self.day = self.month = self.two_digit = False
        self.separators: dict[str, int] = {}
        self.weights = [0, 0, 0]            # four-digit years, zero-padded, all dated cells
        self.notes: list = []
        self.decided: str | None = None
        self.memo = WrittenValues()          # the dates written in earlier batches
        self.reset()

    def reset(self) -> None:
        """Forget the unread dates counted so far."""
        self.unread, self.unread_example = 0, None

    def observe(self, s: "pd.Series", counts) -> None:
        import pandas as pd

        dated, shaped = (mask.to_numpy(dtype=bool) for mask in tp.date_shaped(s))
        self.found += int(counts[shaped].sum())
        self.seen += int(counts[(s != "").to_numpy(dtype=bool)].sum())
        if self.found + self.filled - self.seen < COLUMN_SHARE * max(self.filled, 1):
            return        # too few dates whatever the rest holds: their figures are not needed
        values, counts = s[dated].reset_index(drop=True), counts[dated]
        parts = dates.date_parts(values)
        if parts.empty:
            return
        self.parts = True
        day, month = dates.order_evidence(parts["first"].astype(int), parts["second"].astype(int))
        self.day, self.month = self.day or bool(day.any()), self.month or bool(month.any())
        self.two_digit = self.two_digit or bool((parts["year"].str.len() == 2).any())
        separators, *weights = dates.layout_weights(parts, pd.Series(counts, index=values.index)[parts.index])
        for separator, weight in separators.items():
            self.separators[separator] = self.separators.get(separator, 0) + weight
        self.weights = [a + b for a, b in zip(self.weights, weights)]

    def decide(self, filled: int, column: str, formats: dict) -> None:
        self.active, self.column = False, column
        if self.found < COLUMN_SHARE * max(filled, 1):
            self.held = _too_few("dates", _Any(self.found))
            return
        if not self.parts:
            return
        order = self.order
        if order == "auto":
            order = "conflict" if self.day and self.month else "day-first" if self.day else \
                "month-first" if self.month else "ambiguous"
            if order in ("conflict", "ambiguous"):
                why = ("some dates are day-first and some month-first" if order == "conflict" else
                       "every date would read either way (e.g. 03/04)")
                self.decided = order
                self.notes.append(f"{column}: {why}; left unchanged (choose --dates day-first or month-first).")
                return
        self.decided, self.active, self.chosen = order, True, order
        self.layout = dates.layout_of(order, self.separators, *self.weights) if self.keep_layout else None

    def apply(self, s: "pd.Series", counts) -> "pd.Series":
        import numpy as np

        dated = tp.date_shaped(s)[0]        # the cells dates.date_parts reads: its own test
        values, codes, _ = distinct_values(s[dated])
        # A date met in an earlier batch is written as it was then (each value alone).
        known, states, made = self.memo.lookup(values)
        new = values.copy()
        fresh = values[~known]
        if len(fresh):
            fresh_states = np.zeros(len(values), dtype=np.int8)
            parts = dates.date_parts(fresh)
            if not parts.empty:
                written, read = dates.write_dates(fresh, parts, self.chosen, self.layout)
                new[fresh.index] = written
                fresh_states[parts.index.to_numpy()] = np.where(read.to_numpy(dtype=bool), 1, 2)
            states = np.where(known, states, fresh_states)
            self.memo.add(fresh, new[fresh.index], fresh_states[~known])
        if known.any():
            new.iloc[np.flatnonzero(known)] = made
        if not states.any():
            return s
        unread = states == 2              # shaped like a date, not a real one: left as it is
        if unread.any():
            weights = np.bincount(codes, weights=counts[dated.to_numpy(dtype=bool)], minlength=len(values))
            self.unread += int(weights[unread].sum())
            if self.unread_example is None:
                self.unread_example = values[unread].iloc[0]
        result = s.copy()
        result[dated] = spread(new, codes, result.index[dated.to_numpy()])
        return result

    def finish(self, report: CleanReport) -> None:
        if self.unread:
            self.notes.append(f"{self.column}: {self.unread:,} value(s) are not real dates "
                              f"(e.g. {self.unread_example!r}); left unchanged.")
        if self.active and self.two_digit:
            self.notes.append(f"{self.column}: two-digit years read as 1969–2068.")


class _Any:
    """A count standing in for the mask `clean._too_few` asks `.any()` of."""

    def __init__(self, count: int) -> None:
        self.count = count

    def any(self) -> bool:
        return bool(self.count)


def _step(name: str, rules: ColumnRules, formats: dict, filled: int):
    """The step `name` with `rules`, for a column of `filled` filled cells."""
    if name == "case":
        step = CaseStep(rules.case)
    elif name in ("emails", "phones"):
        step = ShareStep(name, rules.phone_region, formats.get("phones", "e164"))
    elif name == "numbers":
        step = NumbersStep(rules.numbers)
    else:
        step = DatesStep(rules.dates, formats.get("dates") == "as-input")
    step.filled = filled
    return step


@dataclass
class Decided:
    """What the figures decided for one column: its kind (and the value it was read on), the
    rules it gets and those its kind held back, the steps to run in order (`chain`), and for
    each held rule that would have run a step and a `Steps` to count what it would change."""

    kind: str
    example: str
    rules: ColumnRules
    held: dict[str, str]
    chain: list
    scratch: dict


def figures_pass(column: Column, tidied_path: Path, file_wide: ColumnRules, own: dict[str, Any],
                 formats: dict[str, str], filled: int, progress: Progress) -> Decided:
    """The kind's sample and each step's figures over the tidied cells in `tidied_path` (the
    column has `filled` filled cells), and what they decide. `progress` hears each batch (at
    0.4, for Cancel)."""
    import numpy as np

    name = column.name
    # Each step the column may get (its own rules over the file's; a kind may hold one back)
    # watches the tidied cells beside the kind sample: most are decided on those.
    merged = replace(file_wide, **own)
    potential = {n: _step(n, merged, formats, filled) for n in ORDER if getattr(merged, n)}
    every = max(filled // SAMPLE, 1)
    wanted = np.arange(0, filled, every)[:SAMPLE]
    sample, seen = [], 0
    for s in column.batches(tidied_path):
        values, codes, counts = distinct_values(s)
        mask = (values != "").to_numpy(dtype=bool)
        count = int(counts[mask].sum())
        low, high = np.searchsorted(wanted, [seen, seen + count])
        if high > low:
            at = np.flatnonzero(mask[codes])[wanted[low:high] - seen]
            sample += values.iloc[codes[at]].tolist()
        seen += count
        for step in potential.values():
            if step.needs_figures:
                step.observe(values, counts)
        progress.update(0.4, f"cleaning {name}")
    kind, example = kind_of_cells(name, sample)
    rules, held = rules_for(kind, file_wide, own)
    held = dict(held)
    chain: list = []
    for n in ORDER:
        if not getattr(rules, n):
            continue
        step = potential[n]          # rules.n is own.n or file_wide.n: merged.n
        if step.needs_figures and any(done.active and done.name not in UNCHANGED_BY.get(n, ())
                                      for done in chain):
            step = _step(n, rules, formats, filled)
            for s in column.batches(tidied_path):
                values, _, counts = distinct_values(s)
                for done in chain:
                    values = done.apply(values, counts) if done.active else values
                step.observe(values, counts)
                progress.update(0.45, f"cleaning {name}")
        step.decide(filled, name, formats)
        chain.append(step)
    # A rule the kind held back (case on codes, numbers on codes): what it would have changed.
    scratch = {}
    for n in held:
        if n in potential:
            step = potential[n]
            step.decide(filled, name, formats)
            scratch[n] = (step, Steps()) if step.active else None
    return Decided(kind, example, rules, held, chain, scratch)
