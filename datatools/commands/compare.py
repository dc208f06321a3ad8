"""`datatools compare`: what was added, removed and changed between two versions of a table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from datatools.commands.base import (add_common_options, add_engine_options, add_read_options,
                                     add_tool_options, check_output, choose_engine, cli_progress,
                                     engine_report, large_read_options, memory_engine_report, memory_only_note,
                                     print_outcome, read_inputs, reading_warnings, tool_options,
                                     output_dialect, write_output)
from datatools.tools.recipe import step_options
from datatools.commands.recipe_saving import (add_recipe_options, check_recipe_target,
                                              recipe_line, save_recipe, second_import)
from datatools.errors import CommandError

EXAMPLE = """\
example:
  datatools compare prices-june.csv prices-july.csv --key sku -o changes.csv
  datatools compare old.csv new.csv --changed-only --json -o changes.csv
  datatools compare prices-june.csv prices-july.csv --key sku -o changes.csv --save-recipe prices.recipe.json
      (next month: datatools run prices.recipe.json prices-july.csv --with prices-august.csv -o c.csv)
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
    add_engine_options(parser)
    add_recipe_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.tools.compare import compare_tables

    check_output(args.output, args.force, [args.old, args.new])
    check_recipe_target(args, [args.old, args.new])
    progress = cli_progress(args, err, "compare")
    if choose_engine(args, err, [args.old, args.new]) == "duckdb":
        done = _run_large(args, out, err, progress)
        if done is not None:
            return done
        memory_only_note(args, err, [args.old, args.new], "compare by content or of other columns")
    old, new = read_inputs(args, [args.old, args.new], progress, 0.1)
    result = compare_tables(old.frame, new.frame, args.key, changed_only=args.changed_only,
                            progress=progress.stage(0.1, 0.95),
                            names=(Path(args.old).name, Path(args.new).name))
    report = result.summary.to_dict()
    report["warnings"] = reading_warnings([old, new], [args.old, args.new])
    if args.output:
        report["warnings"] += write_output(result.diff, args.output, args, [args.old, args.new],
                                           progress.stage(0.95, 1.0), source=old)
        report["output"] = args.output
    report["engine"] = memory_engine_report()
    _save_recipe(args, old, new, report)
    return _finish(args, out, err, progress, result.summary, report)


def _save_recipe(args: argparse.Namespace, old, new, report: dict) -> None:
    """--save-recipe: a compare step (its options, how NEW was read), step 0 how OLD was read."""
    from datatools.tools.recipe import Step

    step = Step("compare", step_options(tool_options(args, "compare")), import_settings=second_import(args, new))
    save_recipe(args, step, old, [args.old, args.new, *([args.output] if args.output else [])], report)


def _finish(args: argparse.Namespace, out: TextIO, err: TextIO, progress, summary, report) -> int:
    """The summary on stdout (or the JSON report), the reading warnings after it."""
    progress.update(1.0, "done")
    text = summary.to_text()
    if args.output:
        text += f"\nWrote {args.output}."
    text += recipe_line(report) + "".join(f"\nwarning: {w}" for w in report["warnings"])
    print_outcome(report, args, out, err, text, report["warnings"])
    return 0


def _run_large(args: argparse.Namespace, out: TextIO, err: TextIO, progress) -> int | None:
    """Compare on the duckdb engine; None when it does not apply — the versions' columns differ,
    or the best key is a running row number (then the caller compares in memory, which pairs
    renamed columns, and weighs a row number against the rows' content). With --engine duckdb
    those cases are usage errors. Versions no column identifies pair by content here."""
    from datatools.io.writing import write_csv_parts
    from datatools.io.xlsx_cells import input_sheet
    from datatools.large.compare import compare_large, diff_parts, fits, infer_key
    from datatools.large.job import large_job

    names = (Path(args.old).name, Path(args.new).name)
    options = large_read_options(args)
    with large_job(args.old, progress=progress.stage(0, 0.25), **options) as old, \
            large_job(args.new, progress=progress.stage(0.25, 0.5), **options) as new:
        if not fits(old, new):
            if args.engine == "duckdb":
                raise CommandError("compare on the duckdb engine needs both versions to have the "
                                   "same columns in the same order", exit_code=2)
            return None
        key, inferred = args.key, None
        if not key:
            found = infer_key(old, new)
            if found is None:
                if args.engine == "duckdb":
                    raise CommandError("compare on the duckdb engine found that the column best "
                                       "identifying rows is a running row number; name the key with "
                                       "--key, or run with --engine memory to weigh it against the "
                                       "rows' content", exit_code=2)
                return None
            key, inferred = found      # no key: rows pair by content
        comparison = compare_large(old, new, key, names=names, progress=progress.stage(0.5, 0.8),
                                   inferred=inferred)
        report = comparison.summary.to_dict()
        report["warnings"] = reading_warnings([old.copy.info, new.copy.info], [args.old, args.new])
        if args.output:
            info = old.copy.info
            written = write_csv_parts(diff_parts(old, new, comparison, args.changed_only), args.output,
                                      force=args.force, inputs=[args.old, args.new],
                                      escape_formulas=args.escape_formulas,
                                      progress=progress.stage(0.8, 1.0),
                                      sheet=input_sheet(info, [args.old, args.new]),
                                      **output_dialect(args.output, args, args.old, info.delimiter,
                                                       info.encoding))
            report["warnings"] += [str(n) for n in written.notices()]
            report["output"] = args.output
        report["engine"] = {**engine_report(old), "rows": [old.copy.rows, new.copy.rows],
                            "working_copy_bytes": old.copy.disk_bytes() + new.copy.disk_bytes()}
        _save_recipe(args, old.copy.info, new.copy.info, report)
    return _finish(args, out, err, progress, comparison.summary, report)
