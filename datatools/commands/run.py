"""`datatools run RECIPE FILE [--with OTHER] -o OUT`: replay a saved recipe (import settings, tool
steps, review decisions) on a file — next month's export of the same list
(datatools/tools/recipe.py, datatools/tools/recipe_replay.py).

FILE takes the place of the first file of the run the recipe was saved from (match's LEFT,
compare's OLD); each match or compare step takes the next --with OTHER as its second file
(match's RIGHT, compare's NEW), read as that step's import settings say."""

from __future__ import annotations

import argparse
from typing import TextIO

from datatools.commands.base import (add_common_options, check_output, cli_progress, plural,
                                     print_outcome, reading_warnings, write_output)
from datatools.errors import BadOption, CommandError

EXAMPLE = """\
example:
  datatools run customers.recipe.json customers-2026-12.csv -o customers-clean.csv
  datatools run customers.recipe.json december.csv --map "Ort=Stadt" --dry-run
      (what each step would change, and which decisions found no rows; writes nothing)
  datatools run orders.recipe.json orders-12.csv --with customers-12.csv -o matched.csv
      (a match step: FILE is the left table, --with the right one)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="replay a saved recipe on a file",
        description="Read FILE as the recipe's import settings say, run its steps with their "
                    "options, and apply its review decisions to the rows they name (by key "
                    "column or content, never by row number). A match or compare step reads "
                    "its second file from --with. Columns the recipe uses must be in the files "
                    "or mapped with --map; decisions whose rows are gone are listed.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recipe", metavar="RECIPE",
                        help="the recipe (.json), saved by the window or by a tool's --save-recipe")
    parser.add_argument("file", metavar="FILE",
                        help="the table to run it on (in the place of the first file the recipe was made from)")
    parser.add_argument("--with", dest="others", metavar="OTHER", action="append", default=[],
                        help="the second file of a match step (its right table) or a compare "
                             "step (its new version); one per such step, in order")
    parser.add_argument("--map", metavar="OLD=NEW", action="append", default=[],
                        help="a column the recipe names OLD is called NEW in FILE or OTHER (repeatable)")
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
    from pathlib import Path

    from datatools.io import read_table
    from datatools.tools.dedupe import merge_report_path
    from datatools.tools.recipe import Recipe, check_columns, read_options
    from datatools.tools.recipe_replay import run_steps
    from datatools.tools.synonyms import synonyms_option

    mapping = column_map(args.map)
    if args.dry_run and args.output:
        raise BadOption("--dry-run writes nothing; leave out -o.", code="dry_run_with_output")
    if not args.dry_run and not args.output:
        raise CommandError("run writes a new file: add -o OUT (or --dry-run to only look).", exit_code=2)
    recipe = Recipe.read(args.recipe)
    check_others(recipe, args.others)
    inputs = [args.file, args.recipe, *args.others]
    if args.output:
        check_output(args.output, args.force, inputs)
    progress = cli_progress(args, err, "run")
    reading = 0.2 / (1 + len(args.others))
    table = read_table(args.file, progress=progress.stage(0.0, reading), **read_options(recipe.import_settings))
    others = [read_table(path, progress=progress.stage(reading * k, reading * (k + 1)),
                         **read_options(step.import_settings))
              for k, (path, (_, step)) in enumerate(zip(args.others, recipe.two_file_steps()), start=1)]
    recipe = check_columns(recipe, [str(c) for c in table.frame.columns], mapping,
                           [(Path(p).name, [str(c) for c in t.frame.columns]) for p, t in zip(args.others, others)])
    frame, outcomes = run_steps(recipe, table.frame, synonyms_option, progress.stage(0.2, 0.95),
                                [(Path(p).name, t.frame) for p, t in zip(args.others, others)],
                                Path(args.file).name)
    merges = next((o.merges for o in reversed(outcomes) if o.merges is not None), None)
    report = {"rows_in": len(table.frame), "rows_out": len(frame), "steps": [o.to_json() for o in outcomes],
              "dry_run": args.dry_run}
    warnings: list[str] = reading_warnings([table, *others], [args.file, *args.others])
    if args.output:
        # Clean steps alone give the table back row for row: a workbook OUT keeps the cells
        # they left as they were, as `datatools clean` does (DECISIONS 390).
        cleaned = all(step.tool == "clean" for step in recipe.steps)
        warnings += write_output(frame, args.output, args, inputs, source=table, same_cells=cleaned)
        report["output"] = args.output
        if merges is not None:
            report["merge_report"] = str(merge_report_path(args.output))
            warnings += write_output(merges, report["merge_report"], args, inputs, source=table)
    report["warnings"] = warnings
    progress.update(1.0, "done")
    text = describe(report) + "".join(f"\nwarning: {w}" for w in warnings)
    print_outcome(report, args, out, err, text, warnings)
    return 0


def check_others(recipe, others: list[str]) -> None:
    """One --with per match or compare step: a usage error naming the steps otherwise."""
    steps = recipe.two_file_steps()
    if len(steps) == len(others):
        return
    if not steps:
        raise CommandError("This recipe has no match or compare step: leave out --with.", exit_code=2)
    named = ", ".join(f"step {n}, {s.tool}" for n, s in steps)
    raise CommandError(f"This recipe reads a second file in {plural(len(steps), 'step')} ({named}): give "
                       f"--with OTHER once for each, in order (given {plural(len(others), 'time')}).",
                       exit_code=2)


WHY = {"rows_gone": "its rows are gone", "not_grouped": "its rows are no longer duplicates",
       "not_matched": "those rows no longer match"}


def describe(report: dict) -> str:
    """The run in English: per step what it did (would do), the decisions that found no rows."""
    lines = []
    verb = "would" if report["dry_run"] else ""
    for number, step in enumerate(report["steps"], start=1):
        lines.append(f"Step {number}, {step['tool']}: " + _step_text(step, verb))
        for gone in step["decisions_gone"]:
            rows = ", ".join(gone["rows"]) + (f" with {gone['right']}" if "right" in gone else "")
            lines.append(f"  not applied ({WHY[gone['why']]}): {gone['decision']} for {rows}")
    if report.get("output"):
        lines.append(f"Wrote {plural(report['rows_out'], 'row')} to {report['output']}"
                     + (f"; merges listed in {report['merge_report']}." if report.get("merge_report") else "."))
    else:
        lines.append(f"{plural(report['rows_in'], 'row')} in, {plural(report['rows_out'], 'row')} "
                     "would be written. Nothing was written (--dry-run).")
    return "\n".join(lines)


def _step_text(step: dict, verb: str) -> str:
    if step["tool"] == "clean":
        return (f"{plural(step['cells_changed'], 'cell')} {verb + ' change' if verb else 'changed'} "
                f"in {plural(step['columns_changed'], 'column')}.")
    if step["tool"] == "dedupe":
        return (f"{plural(step['groups'], 'group')} found, {plural(step['decisions_applied'], 'decision')} "
                f"applied; {plural(step['rows_removed'], 'row')} {verb + ' go' if verb else 'removed'}.")
    if step["tool"] == "match":
        return (f"{step['matched']:,} of {plural(step['rows'], 'row')} {verb + ' be matched' if verb else 'matched'}, "
                f"{plural(step['decisions_applied'], 'decision')} applied "
                f"({plural(step['matches_taken_back'], 'match', 'matches')} taken back"
                + (f", {plural(step['matches_accepted'], 'possible match', 'possible matches')} accepted"
                   if step.get("matches_accepted") else "") + ").")
    return (f"{step['added']:,} added, {step['removed']:,} removed, {step['changed']:,} changed, "
            f"{step['unchanged']:,} unchanged.")
