"""`datatools clean`: tidy a table's cells into a new file, or preview the changes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from datatools.errors import CommandError
from datatools.commands.base import (add_common_options, add_read_options, add_tool_options,
                                     check_output, cli_progress, print_outcome, print_report,
                                     plural, read_inputs, tool_options)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "clean", help="trim, normalise and standardise cells; dates to ISO, numbers plain",
        description="Clean a table into a new file: white space, Unicode (NFC), invisible "
                    "characters and empty markers by default; case, dates, numbers, phones and "
                    "e-mails on request. Every change is counted per column.",
        epilog="Example: datatools clean orders.csv -o orders-clean.csv --dates auto --numbers auto")
    parser.add_argument("file", type=Path)
    add_tool_options(parser, "clean")
    parser.add_argument("--preview", type=int, metavar="N",
                        help="show the first N changed rows (before → after); write nothing")
    parser.add_argument("--bom", action="store_true", help="start the CSV with a BOM (for Excel)")
    add_read_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.preview is None and not args.output:
        raise CommandError("clean needs -o OUT, or --preview N to only show changes", exit_code=2)
    if args.preview is not None and args.preview < 1:
        raise CommandError("--preview needs a number of rows of at least 1", exit_code=2)
    from datatools.io import write_table
    from datatools.tools.clean import CleanOptions, clean_table

    if args.preview is None:
        check_output(args.output, args.force, [args.file])
    progress = cli_progress(args, err, "clean")
    (table,) = read_inputs(args, [args.file], progress, 0.4)
    options = CleanOptions(**tool_options(args, "clean"))
    cleaned, report = clean_table(table.frame, options, progress.stage(0.4, 0.9))
    data = {"input": str(args.file), "warnings": table.warnings, **report.to_dict()}
    if args.preview is not None:
        changes = _changed_rows(table.frame, cleaned, args.preview)
        data["preview"] = changes
        print_report(data, args, out, _text(report, table.warnings) + "\n" + _preview_text(changes))
        return 0
    write_table(cleaned, args.output, force=args.force, bom=args.bom, inputs=[args.file])
    data["output"] = str(args.output)
    print_outcome(data, args, out, err, _text(report, table.warnings), table.warnings)
    return 0


def _changed_rows(before, after, limit: int) -> list[dict]:
    changed = (before.astype("str").fillna("") != after).any(axis=1)
    rows = []
    for index in changed[changed].index[:limit]:
        cells = {str(c): {"before": before.at[index, c], "after": after.at[index, c]}
                 for c in before.columns if before.at[index, c] != after.at[index, c]}
        rows.append({"row": int(index) + 1, "changes": cells})
    return rows


def _preview_text(rows: list[dict]) -> str:
    if not rows:
        return "No cell would change."
    lines = []
    for row in rows:
        for column, change in row["changes"].items():
            lines.append(f"row {row['row']}, {column}: {change['before']!r} → {change['after']!r}")
    return "\n".join(lines)


def _text(report, warnings: list[str]) -> str:
    lines = [f"{plural(report.rows, 'row')}, {plural(report.cells_changed, 'cell')} changed"]
    for column, steps in report.changes.items():
        lines.append(f"  {column}: " + ", ".join(f"{step} {n:,}" for step, n in steps.items()))
    for column, order in report.date_orders.items():
        lines.append(f"  {column}: dates {order}")
    for column, style in report.number_styles.items():
        lines.append(f"  {column}: numbers {style}")
    lines += [f"note: {n}" for n in report.notes] + [f"warning: {w}" for w in warnings]
    return "\n".join(lines)
