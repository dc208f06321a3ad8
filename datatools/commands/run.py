"""`datatools run RECIPE FILE -o OUT`: replay a saved recipe (import settings, tool steps, review
decisions) on a file — next month's export of the same list (datatools/tools/recipe.py)."""

from __future__ import annotations

import argparse
from typing import TextIO

from datatools.commands.base import (add_common_options, check_output, cli_progress, plural,
                                     print_outcome, write_output)
from datatools.errors import BadOption, CommandError

EXAMPLE = """\
example:
  datatools run customers.recipe.json customers-2026-12.csv -o customers-clean.csv
  datatools run customers.recipe.json december.csv --map "Ort=Stadt" --dry-run
      (what each step would change, and which decisions found no rows; writes nothing)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="replay a saved recipe on a file",
        description="Read FILE as the recipe's import settings say, run its steps with their "
                    "options, and apply its review decisions to the rows they name (by key "
                    "column or content, never by row number). Columns the recipe uses must be "
                    "in FILE or mapped with --map; decisions whose rows are gone are listed.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recipe", metavar="RECIPE", help="the recipe (.json), saved by the window")
    parser.add_argument("file", metavar="FILE", help="the table to run it on")
    parser.add_argument("--map", metavar="OLD=NEW", action="append", default=[],
                        help="a column the recipe names OLD is called NEW in FILE (repeatable)")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what each step would change; write nothing")
    add_common_options(parser)
    parser.set_defaults(run=run)


def column_map(pairs: list[str]) -> dict[str, str]:
    """`--map OLD=NEW` pairs as {old: new}; a usage error for one without `=`."""
    mapping = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise CommandError(f"--map takes OLD=NEW, not {pair!r}.", exit_code=2)
        mapping[old.strip()] = new.strip()
    return mapping


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.io import read_table
    from datatools.tools.dedupe import merge_report_path
    from datatools.tools.recipe import Recipe, check_columns, run_steps
    from datatools.tools.synonyms import synonyms_option

    mapping = column_map(args.map)
    if args.dry_run and args.output:
        raise BadOption("--dry-run writes nothing; leave out -o.", code="dry_run_with_output")
    if not args.dry_run and not args.output:
        raise CommandError("run writes a new file: add -o OUT (or --dry-run to only look).", exit_code=2)
    recipe = Recipe.read(args.recipe)
    if args.output:
        check_output(args.output, args.force, [args.file, args.recipe])
    progress = cli_progress(args, err, "run")
    settings = recipe.import_settings
    table = read_table(args.file, encoding=settings.get("encoding") or None,
                       delimiter=settings.get("delimiter") or None, header=settings.get("header", True),
                       sheet=settings.get("sheet"), progress=progress.stage(0.0, 0.2))
    recipe = check_columns(recipe, [str(c) for c in table.frame.columns], mapping)
    frame, outcomes = run_steps(recipe, table.frame, synonyms_option, progress.stage(0.2, 0.95))
    merges = next((o.merges for o in reversed(outcomes) if o.merges is not None), None)
    report = {"rows_in": len(table.frame), "rows_out": len(frame), "steps": [o.to_json() for o in outcomes],
              "dry_run": args.dry_run}
    warnings: list[str] = []
    if args.output:
        warnings += write_output(frame, args.output, args, [args.file, args.recipe])
        report["output"] = args.output
        if merges is not None:
            report["merge_report"] = str(merge_report_path(args.output))
            warnings += write_output(merges, report["merge_report"], args, [args.file, args.recipe])
    report["warnings"] = warnings
    progress.update(1.0, "done")
    text = describe(report) + "".join(f"\nwarning: {w}" for w in warnings)
    print_outcome(report, args, out, err, text, warnings)
    return 0


def describe(report: dict) -> str:
    """The run in English: per step what it did (would do), the decisions that found no rows."""
    lines = []
    verb = "would" if report["dry_run"] else ""
    for number, step in enumerate(report["steps"], start=1):
        if step["tool"] == "clean":
            lines.append(f"Step {number}, clean: {plural(step['cells_changed'], 'cell')} "
                         f"{verb + ' change' if verb else 'changed'} in {plural(step['columns_changed'], 'column')}.")
        else:
            lines.append(f"Step {number}, dedupe: {plural(step['groups'], 'group')} found, "
                         f"{plural(step['decisions_applied'], 'decision')} applied; "
                         f"{plural(step['rows_removed'], 'row')} {verb + ' go' if verb else 'removed'}.")
            for gone in step["decisions_gone"]:
                why = "its rows are gone" if gone["why"] == "rows_gone" else "its rows are no longer duplicates"
                lines.append(f"  not applied ({why}): {gone['decision']} for {', '.join(gone['rows'])}")
    if report.get("output"):
        lines.append(f"Wrote {plural(report['rows_out'], 'row')} to {report['output']}"
                     + (f"; merges listed in {report['merge_report']}." if report.get("merge_report") else "."))
    else:
        lines.append(f"{plural(report['rows_in'], 'row')} in, {plural(report['rows_out'], 'row')} "
                     "would be written. Nothing was written (--dry-run).")
    return "\n".join(lines)
