"""One column of a working copy cleaned in batches: decided over the whole column, rewritten batch by batch.

`clean_table` decides per column — its kind (from a sample spread over the column), the 80 %
shares of e-mails, phones, numbers and dates, the acronyms title case keeps, the decimal mark
and grouping, the date order and layout — and then rewrites each cell alone. Here each decision
is made from figures added up over batches of `BATCH_ROWS` rows, and the same per-cell rewrite
then runs batch by batch: memory holds a batch, never a column (a 50 M-row text column is
about 3 GB in pandas).

Passes over the column: the tidy steps (`clean_tidy_pass`, written to a Parquet file of the
job), then the kind sample and each step's figures (`clean_figures`), then the rewrite
(`clean_rewrite`). A step whose figures an earlier step's
rewrite could change (e-mails after a case change, numbers after phones) gets a pass of its own
over the cells as the earlier steps leave them; numbers never touch a date, so dates are
decided on the tidied cells beside them. Cells, counts, samples, notes and held rules are those
of `clean_table` on the whole column (tests/test_large_clean.py holds them to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from datatools.large.clean_figures import figures_pass
from datatools.large.clean_rewrite import rewrite_pass
from datatools.large.clean_tidy_pass import tidy_pass
from datatools.large.column_batches import Column
from datatools.progress import Progress
from datatools.tools.clean import CleanReport, ColumnReport
from datatools.tools.clean_rules import ColumnRules
from datatools.tools.clean_tidy import TIDY_RULES, Steps

BATCH_ROWS = 256_000          # rows per batch (a text column of them is a few tens of MB)


@dataclass
class ColumnResult:
    """One column's part of the report, and its cleaned cells' file (None: none changed)."""

    report: CleanReport
    file: Path | None = None
    notes: list = field(default_factory=list)


def clean_column(column: Column, file_wide: ColumnRules, own: dict[str, Any], half_width: bool,
                 formats: dict[str, str], rows: int, progress: Progress) -> ColumnResult:
    """`clean_table` on one column of the working copy, batch by batch; the report part holds
    this column's entries as `clean_table` on it alone gives them (held and format notices
    left to the caller, which tells them once for all columns)."""
    column = replace(column, batch_rows=BATCH_ROWS)
    report = CleanReport(rows=rows, formats=formats)
    name = column.name
    steps = Steps()
    tidy_rules = replace(file_wide, **{k: v for k, v in own.items() if k in TIDY_RULES})
    progress.update(0.0, f"cleaning {name}")
    tidied_path, filled, changed = tidy_pass(column, tidy_rules, half_width, steps, rows, progress)
    decided = figures_pass(column, tidied_path, file_wide, own, formats, filled, progress)
    progress.update(0.5, f"cleaning {name}")
    kind, chain, scratch, held = decided.kind, decided.chain, decided.scratch, decided.held
    info = ColumnReport(kind=kind, example=decided.example, rules=decided.rules.to_dict(), own=sorted(own),
                        held=held)
    asked = bool(chain or held)
    result = ColumnResult(report)
    if not asked or not any(step.active for step in chain) and not any(scratch.values()):
        cells = changed if steps.counts else 0
        if cells:
            result.file = tidied_path
    else:
        cells, result.file = rewrite_pass(column, tidied_path, chain, scratch, steps, rows, progress)
        if changed:
            tidied_path.unlink(missing_ok=True)
    for step in chain:
        if step.name == "numbers" and step.decided:
            report.number_styles[name] = step.decided
        if step.name == "dates" and step.decided:
            report.date_orders[name] = step.decided
        if hasattr(step, "finish"):
            step.finish(report)
        if getattr(step, "held", None):
            held[step.name] = step.held
        result.notes += getattr(step, "notes", [])
    info.spared = {n: (pair[1].counts[pair[0].booked], pair[1].samples[pair[0].booked][0][0])
                   for n, pair in scratch.items() if pair and pair[0].booked in pair[1].counts}
    if kind == "empty":
        held.clear()
    info.held = held
    info.steps, info.samples = steps.counts, steps.samples
    info.cells = cells if steps.counts else 0
    report.columns[name] = info
    if steps.counts:
        report.changes[name] = dict(steps.counts)
        report.cells[name] = info.cells
    if not info.cells and result.file is not None:
        result.file.unlink(missing_ok=True)
        result.file = None
    return result
