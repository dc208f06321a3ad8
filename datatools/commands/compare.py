"""`datatools compare`: what was added, removed and changed between two versions of a table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from datatools.commands.base import (add_common_options, add_read_options, add_tool_options,
                                     check_output, cli_progress, memory_only_note, print_outcome,
                                     read_inputs, reading_warnings)

EXAMPLE = """\
example:
  datatools compare prices-june.csv prices-july.csv --key sku -o changes.csv
  datatools compare old.csv new.csv --changed-only --json -o changes.csv
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare", help="compare two versions of a table",
        description="List renamed, added, removed and moved columns first, then added, removed "
                    "and changed rows and the changed cells. Rows pair up by --key; without it, "
                    "by the column whose pairing leaves the most cells equal (never a running "
                    "row number while another column qualifies), else by content.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", metavar="OLD", help="the earlier version")
    parser.add_argument("new", metavar="NEW", help="the later version")
    add_tool_options(parser, "compare")
    add_read_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.io import write_table
    from datatools.tools.compare import compare_tables

    check_output(args.output, args.force, [args.old, args.new])
    progress = cli_progress(args, err, "compare")
    memory_only_note(args, err, [args.old, args.new], "compare")
    old, new = read_inputs(args, [args.old, args.new], progress, 0.1)
    result = compare_tables(old.frame, new.frame, args.key, changed_only=args.changed_only,
                            progress=progress.stage(0.1, 0.95),
                            names=(Path(args.old).name, Path(args.new).name))
    report = result.summary.to_dict()
    report["warnings"] = reading_warnings([old, new], [args.old, args.new])
    if args.output:
        write_table(result.diff, args.output, force=args.force, inputs=[args.old, args.new])
        report["output"] = args.output
    progress.update(1.0, "done")
    text = result.summary.to_text()
    if args.output:
        text += f"\nWrote {args.output}."
    text += "".join(f"\nwarning: {w}" for w in report["warnings"])
    print_outcome(report, args, out, err, text, report["warnings"])
    return 0
