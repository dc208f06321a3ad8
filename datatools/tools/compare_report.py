"""Compare's report: the diff's status columns, the summary, and its notes in words."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from datatools.errors import BadInput
from datatools.notices import Notice
from datatools.tools.compare_key import KeyCandidate, repeated_key_notes
from datatools.tools.compare_numbers import respelled_notes

STATUS_COLUMNS = ("status", "changed_columns", "old_row", "new_row")
# The diff's status words: the file keeps them in English for every language (scripts and
# spreadsheet filters rely on them); the window shows them translated (DECISIONS 134).
STATUSES = ("added", "removed", "changed", "unchanged")


def reserved_column(column: str, file: str) -> BadInput:
    """BadInput `compare_reserved_column`: `file` holds `column`, one of STATUS_COLUMNS, which
    the diff adds to each row (exact name, so `Status` is not one of them)."""
    subject = file[:1].upper() + file[1:] if file.startswith("the ") else file
    return BadInput(f"{subject} already has a column named {column!r}, which the comparison adds to "
                    "each row of its result (status, changed_columns, old_row, new_row); rename "
                    "that column in the file first.", code="compare_reserved_column",
                    params={"column": column, "file": file})
OLD_SUFFIX = " (old)"
# The codes of compare's notes (catalog keys `notice.<code>`, tests/desktop/test_i18n.py).
NOTICE_CODES = ("compare_renamed_by_name", "compare_renamed_by_content", "compare_columns_added",
                "compare_columns_removed", "compare_columns_moved", "compare_paired_by_key",
                "compare_paired_by_key_inferred", "compare_paired_by_key_inferred_others",
                "compare_paired_by_keys", "compare_paired_by_keys_inferred",
                "compare_paired_by_keys_inferred_others",
                "compare_paired_by_content", "compare_paired_by_content_counter",
                "compare_paired_by_content_few_rows",
                "compare_row_counter", "compare_key_repeated", "compare_numbers_respelled",
                "invisible_keys", "invisible_cells")


@dataclass
class CompareSummary:
    """What changed; schema changes come first, as the report shows them."""

    columns_renamed: list[dict[str, Any]] = field(default_factory=list)   # RenamedColumn.to_dict()
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_moved: list[str] = field(default_factory=list)
    added: int = 0                 # rows
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    cells_changed: dict[str, int] = field(default_factory=dict)   # column (new name) → cells
    key: list[str] = field(default_factory=list)                  # empty: rows aligned by content
    key_inferred: bool = False
    aligned_by: str = "key"        # "key" or "content"
    key_candidates: list[dict[str, Any]] = field(default_factory=list)   # best first
    counters: list[str] = field(default_factory=list)             # running row numbers
    renumbered: dict[str, int] = field(default_factory=dict)      # counter → paired rows renumbered
    repeated_key: dict[str, Any] = field(default_factory=dict)    # repeated_key(): why by content
    # unique columns not taken as the key in a file of few rows (compare_key.unconvincing_keys)
    keys_passed_over: list[str] = field(default_factory=list)
    numbers_respelled: dict[str, dict[str, Any]] = field(default_factory=dict)  # compare_numbers
    notes: list[Notice] = field(default_factory=list)             # the above in words, schema first

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain data; `notes` stay Notices (their English text in JSON)."""
        data = asdict(replace(self, notes=[]))   # asdict would deep-copy, and lose, the codes
        data["notes"] = list(self.notes)
        return data

    def to_text(self) -> str:
        """The report as the command prints it: schema changes, the counts, what was set aside."""
        counts = (f"{self.added:,} added, {self.removed:,} removed, {self.changed:,} changed, "
                  f"{self.unchanged:,} unchanged; rows paired {pairing_text(self)}.")
        invisible = [n for n in self.notes if getattr(n, "code", "").startswith("invisible_")]
        return "\n".join([*_schema_notes(self), counts, *repeated_key_notes(self.repeated_key),
                          *respelled_notes(self.numbers_respelled), *_counter_notes(self), *invisible])


def _notes(summary: CompareSummary) -> list[Notice]:
    """The schema changes first, then how rows were paired and what was set aside, in words."""
    return [*_schema_notes(summary), pairing_notice(summary), *repeated_key_notes(summary.repeated_key),
            *respelled_notes(summary.numbers_respelled), *_counter_notes(summary)]


def _schema_notes(summary: CompareSummary) -> list[Notice]:
    notes = []
    for r in summary.columns_renamed:
        if r["by"] == "name":
            notes.append(Notice(f"Column {r['old']} is now {r['new']} (renamed: same name up to case "
                                "and spacing).", "compare_renamed_by_name", old=r["old"], new=r["new"]))
        else:
            notes.append(Notice(f"Column {r['old']} is now {r['new']} (renamed: {r['agreement']:.0%} "
                                "of paired rows hold the same value).", "compare_renamed_by_content",
                                old=r["old"], new=r["new"], percent=round(100 * r["agreement"])))
    for what, names in (("added", summary.columns_added), ("removed", summary.columns_removed),
                        ("moved", summary.columns_moved)):
        if names:
            notes.append(Notice(f"Column{'s' if len(names) > 1 else ''} {what}: {', '.join(names)}.",
                                f"compare_columns_{what}", columns=", ".join(names), count=len(names)))
    return notes


def _counter_notes(summary: CompareSummary) -> list[Notice]:
    return [Notice(f"{column} is a running row number: {_count(rows, 'paired row')} renumbered, not "
                   "counted as changes.", "compare_row_counter", column=column, rows=rows)
            for column, rows in summary.renumbered.items()]


def pairing_notice(summary: CompareSummary) -> Notice:
    """How rows were paired (`Rows paired by key sku (…).`), coded by the way they were paired.

    `others` (inferred key with other candidates): the other candidates in English; the window
    words them itself from `key_candidates`.
    """
    text = f"Rows paired {pairing_text(summary)}."
    key = ", ".join(summary.key)
    if not summary.key:
        if summary.key_candidates:
            return Notice(text, "compare_paired_by_content_counter")
        if summary.keys_passed_over:
            return Notice(text, "compare_paired_by_content_few_rows",
                          columns=", ".join(summary.keys_passed_over))
        return Notice(text, "compare_paired_by_content")
    by = "compare_paired_by_keys" if len(summary.key) > 1 else "compare_paired_by_key"   # columns
    if not summary.key_inferred:
        return Notice(text, by, key=key)
    chosen, *others = [KeyCandidate(**c) for c in summary.key_candidates]
    if not others:
        return Notice(text, f"{by}_inferred", key=key)
    return Notice(text, f"{by}_inferred_others", key=key, equal=chosen.equal_cells,
                  others=_considered(others))


def pairing_text(summary: CompareSummary) -> str:
    """How rows were paired, with the other key candidates: `by key sku (inferred; …)`."""
    if not summary.key:
        passed = summary.keys_passed_over
        why = ("a running row number left fewer cells equal" if summary.key_candidates
               else "too few rows to take a column as the key only because it is unique, and "
                    f"none of the unique ones ({', '.join(passed)}) looks like an identifier; "
                    "name a key with --key" if passed
               else "no column identifies rows in both versions")
        return f"by content ({why})"
    text = f"by key {', '.join(summary.key)}"
    if not summary.key_inferred:
        return text
    chosen, *others = [KeyCandidate(**c) for c in summary.key_candidates]
    if not others:
        return text + " (inferred)"
    return (f"{text} (inferred: {_count(chosen.equal_cells, 'other cell')} equal; also considered: "
            f"{_considered(others)})")


def _considered(others: list[KeyCandidate]) -> str:
    return "; ".join(f"{c.column}, a running row number" if c.counter else
                     f"{c.column}, {_count(c.equal_cells, 'cell')} equal" for c in others)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
