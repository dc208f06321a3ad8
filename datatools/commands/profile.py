"""`datatools profile`: a per-column summary of a table, as a text table or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from datatools.commands.base import (add_common_options, add_read_options, cli_progress, print_report,
                                read_inputs)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "profile", help="per column: type, fill rate, distinct values, shapes, suspicious values",
        description="Profile a table: for every column its inferred type, fill rate, distinct "
                    "count, top values, lengths, value shapes (Aa9) and suspicious values.",
        epilog="Example: datatools profile customers.csv --json")
    parser.add_argument("file", type=Path)
    add_read_options(parser)
    add_common_options(parser, output=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.tools.profile import profile_table

    progress = cli_progress(args, err, "profile")
    (table,) = read_inputs(args, [args.file], progress, 0.5)
    profile = profile_table(table.frame, progress.stage(0.5, 1.0))
    data = {"input": str(args.file), "encoding": table.encoding, "delimiter": table.delimiter,
            "warnings": table.warnings, **profile.to_dict()}
    text = profile.to_text() + "".join(f"warning: {w}\n" for w in table.warnings)
    print_report(data, args, out, text)
    return 0
