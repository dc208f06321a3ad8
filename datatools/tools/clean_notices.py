"""What `clean` tells besides its counts: the rules a column's kind held back, and the format
rewritten numbers and dates were written in; one notice per rule and reason (or per kind of
value), naming every column concerned (the window shows it in its language through the code)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from datatools.notices import Notice

if TYPE_CHECKING:
    from datatools.tools.clean import CleanReport, ColumnReport


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


def format_notices(report: CleanReport) -> list[Notice]:
    """One notice per kind of value rewritten (numbers, dates), naming the format and columns."""
    found = []
    for kind, decided, ok in (("numbers", report.number_styles, ("decimal point", "decimal comma")),
                              ("dates", report.date_orders, ("day-first", "month-first"))):
        columns = ", ".join(c for c, how in decided.items() if how in ok)
        if columns:
            code, sentence = FORMAT_NOTICES[(kind, report.formats[kind])]
            found.append(Notice(sentence.format(columns=columns), code, columns=columns))
    return found


def emptied_notices(columns: dict[str, ColumnReport]) -> list[Notice]:
    """One notice naming each column placeholders were emptied in, with its count and the
    spellings emptied (those of its first samples, e.g. `note 2 ('-', 'N/A')`, after `e.g.` when
    more cells were emptied than were sampled: `note 4 (e.g. 'N/A', '-', 'nan')`), so that the
    user sees which values went and how to keep them (clean_tidy.EMPTY_MARKERS says which
    spellings are emptied)."""
    parts = []
    for name, column in columns.items():
        count = column.steps.get("empty", 0)
        if count:
            samples = column.samples.get("empty", [])
            seen = dict.fromkeys(before for before, _after in samples)
            # Only the first few cells are kept as samples: more cells than that may hold
            # spellings not named, so the list is then an example.
            example = "e.g. " if count > len(samples) else ""
            parts.append(f"{name} {count} ({example}{', '.join(map(repr, seen))})")
    if not parts:
        return []
    details = "; ".join(parts)
    return [Notice(f"Placeholders emptied: {details}. --keep-empty-markers (or a column's own "
                   "rule empty_values=off) keeps them.", "clean_emptied", details=details)]


def held_notices(columns: dict[str, ColumnReport]) -> list[Notice]:
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
