"""`datatools match`: for each row of one table, the most similar row(s) of another."""

from __future__ import annotations

import argparse
from typing import TextIO

from datatools.commands.base import (add_common_options, add_read_options, add_tool_options,
                                     check_output, cli_progress, print_outcome, read_inputs,
                                     plural, reading_warnings, tool_options)

EXAMPLE = """\
example:
  datatools match orders.csv customers.csv --on name,city --right-on customer,town -o matched.csv
  datatools match bank.csv ledger.csv --on payee,amount --unique -o reconciled.csv
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "match", help="fuzzy-match the rows of two tables",
        description="For each row of LEFT, find the most similar row of RIGHT (or none below "
                    "the threshold). Output: LEFT's columns, RIGHT's prefixed right_, "
                    "match_score and match_reason.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("left", metavar="LEFT", help="the table whose rows are looked up")
    parser.add_argument("right", metavar="RIGHT", help="the table searched for matches")
    add_tool_options(parser, "match")
    add_read_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.io import write_table
    from datatools.tools.match import match_tables
    from datatools.tools.synonyms import synonyms_option

    check_output(args.output, args.force, [args.left, args.right])
    synonyms = synonyms_option(args.synonyms)
    progress = cli_progress(args, err, "match")
    left, right = read_inputs(args, [args.left, args.right], progress, 0.1)
    result = match_tables(left.frame, right.frame, progress=progress.stage(0.1, 0.95),
                          **{**tool_options(args, "match"), "synonyms": synonyms})
    report = result.report.to_dict()
    report["warnings"] = reading_warnings([left, right], [args.left, args.right])
    if args.output:
        write_table(result.frame, args.output, force=args.force, inputs=[args.left, args.right])
        report["output"] = args.output
    progress.update(1.0, "done")
    text = f"{report['matched']:,} of {plural(report['left_rows'], 'row')} matched."
    if args.output:
        text += f"\nWrote {args.output}."
    text += "".join(f"\nwarning: {w}" for w in report["warnings"])
    print_outcome(report, args, out, err, text, report["warnings"])
    return 0
