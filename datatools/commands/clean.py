"""`datatools clean`: tidy a table's cells into a new file, or preview the changes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from datatools.errors import CommandError
from datatools.commands.base import (add_common_options, add_engine_options, add_read_options,
                                     add_tool_options, check_output, choose_engine, cli_progress,
                                     engine_report, large_read_options, memory_engine_report,
                                     print_outcome, print_report, output_dialect, write_output,
                                     plural, read_inputs, tool_options)
from datatools.tools.recipe import step_options
from datatools.commands.recipe_saving import (add_recipe_options, check_recipe_target,
                                              recipe_line, save_recipe)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "clean", help="trim, normalise and standardise cells; dates and numbers kept as the input writes them",
        description="Clean a table into a new file: white space, Unicode (NFC), invisible\n"
                    "characters and empty markers by default; case, dates, numbers, phones and\n"
                    "e-mails on request. Each column gets the options that fit what it holds (case\n"
                    "never changes codes, postcodes, ids or e-mails) and --column gives one column\n"
                    "its own rules. Every change is counted per column.",
        epilog="Example: datatools clean orders.csv -o orders-clean.csv --dates auto --numbers auto\n"
               "Example, rules per column:\n"
               "  datatools clean customers.csv --case title --column postcode:case=upper \\\n"
               "      --column joined:dates=day-first -o customers-clean.csv\n"
               "Example, see what each column would get first: datatools clean customers.csv "
               "--case title --plan",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    add_tool_options(parser, "clean")
    parser.add_argument("--preview", type=int, metavar="N",
                        help="show the first N changed rows (before → after); write nothing")
    add_read_options(parser)
    add_engine_options(parser)
    add_recipe_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.preview is None and not args.plan and not args.output:
        raise CommandError("clean needs -o OUT, or --preview N or --plan to only show changes",
                           exit_code=2)
    if args.preview is not None and args.preview < 1:
        raise CommandError("--preview needs a number of rows of at least 1", exit_code=2)
    from datatools.tools.clean import CleanOptions, clean_table, plan_clean

    if args.preview is None and not args.plan:
        check_output(args.output, args.force, [args.file])
    if args.save_recipe and (args.preview is not None or args.plan):
        raise CommandError("--save-recipe saves a run that writes -o OUT, not --preview or --plan.",
                           exit_code=2)
    check_recipe_target(args, [str(args.file)])
    progress = cli_progress(args, err, "clean")
    options = CleanOptions(**column_rules(tool_options(args, "clean")))
    if choose_engine(args, err, [args.file]) == "duckdb":
        return _run_large(args, out, err, options, progress)
    (table,) = read_inputs(args, [args.file], progress, 0.4)
    if args.plan:
        plan = plan_clean(table.frame, options)
        print_report({"input": str(args.file), "warnings": table.warnings, **plan.to_dict()},
                     args, out, _plan_text(plan, table.warnings))
        return 0
    cleaned, report = clean_table(table.frame, options, progress.stage(0.4, 0.8))
    data = {"input": str(args.file), "warnings": table.warnings, **report.to_dict()}
    if args.preview is not None:
        changes = _changed_rows(table.frame, cleaned, args.preview)
        data["preview"] = changes
        data["engine"] = memory_engine_report()
        print_report(data, args, out, _text(report, table.warnings) + "\n" + _preview_text(changes))
        return 0
    warnings = table.warnings + write_output(cleaned, args.output, args, [args.file],
                                             progress.stage(0.8, 1.0), source=table, same_cells=True)
    data["warnings"], data["engine"] = warnings, memory_engine_report()
    data["output"] = str(args.output)
    save_recipe(args, recipe_step(args), table, [str(args.file), str(args.output)], data)
    print_outcome(data, args, out, err, _text(report, warnings, args.output) + recipe_line(data), warnings)
    return 0


def recipe_step(args: argparse.Namespace):
    """This run as a recipe's clean step: its options, the --column rules merged."""
    from datatools.tools.recipe import Step

    return Step("clean", step_options(column_rules(tool_options(args, "clean"))))


def _run_large(args: argparse.Namespace, out: TextIO, err: TextIO, options, progress) -> int:
    """The same run on the duckdb engine: a working copy, cleaned column by column, streamed out."""
    from datatools.io.writing import write_csv_parts
    from datatools.large.clean import (changed_rows_large, clean_large, cleaned_parts, plan_sample,
                                       source_cells)
    from datatools.large.job import large_job
    from datatools.tools.clean import plan_clean

    with large_job(args.file, progress=progress.stage(0, 0.4), **large_read_options(args)) as job:
        warnings = job.copy.warnings
        if args.plan:
            plan = plan_clean(plan_sample(job), options)
            print_report({"input": str(args.file), "warnings": warnings, **plan.to_dict()},
                         args, out, _plan_text(plan, warnings))
            return 0
        cleaned = clean_large(job, options, progress.stage(0.4, 0.8))
        report = cleaned.report
        data = {"input": str(args.file), "warnings": warnings, **report.to_dict()}
        if args.preview is not None:
            changes = changed_rows_large(job, cleaned, args.preview)
            data["preview"] = changes
            data["engine"] = engine_report(job)
            print_report(data, args, out, _text(report, warnings) + "\n" + _preview_text(changes))
            return 0
        info = job.copy.info
        dialect = output_dialect(args.output, args, args.file, info.delimiter, info.encoding)
        workbook = source_cells(job) if str(args.output).lower().endswith(".xlsx") else None
        written = write_csv_parts(cleaned_parts(job, cleaned), args.output, force=args.force,
                                  inputs=[args.file], escape_formulas=args.escape_formulas,
                                  progress=progress.stage(0.8, 1.0), source=workbook, **dialect)
        warnings += [str(n) for n in written.notices()]
        data["engine"] = engine_report(job)
        save_recipe(args, recipe_step(args), job.copy.info, [str(args.file), str(args.output)], data)
    data["output"] = str(args.output)
    print_outcome(data, args, out, err, _text(report, warnings, args.output) + recipe_line(data), warnings)
    return 0


def column_rules(options: dict) -> dict:
    """The options with every `--column NAME:…` merged into one {column: rules} (later wins)."""
    options = {k: v for k, v in options.items() if k != "plan"}
    merged: dict[str, dict] = {}
    for given in options.get("rules") or []:
        for column, rules in given.items():
            merged.setdefault(column, {}).update(rules)
    options["rules"] = merged or None
    return options


def _plan_text(plan, warnings: list[str]) -> str:
    """Per column: what it holds, the rules it gets (* = its own; "tidy" = the four default
    steps), and the first before → after of each rule that would change something."""
    from datatools.tools.clean import TIDY_RULES

    lines = [f"What clean would do (from {plural(plan.rows, 'row')}):"]
    for name, column in plan.columns.items():
        on = {rule: value for rule, value in column.rules.items()
              if value not in (None, False) and rule not in column.held}
        if "phones" not in on:
            on.pop("phone_region", None)     # a setting of the phones rule, not a rule of its own
        if all(on.get(rule) for rule in TIDY_RULES) and not set(TIDY_RULES) & set(column.own):
            on = {"tidy": True, **{k: v for k, v in on.items() if k not in TIDY_RULES}}
        rules = [_rule_text(rule, value) + ("*" if rule in column.own else "") for rule, value in on.items()]
        lines.append(f"  {name} ({column.kind}): " + (", ".join(rules) or "nothing"))
        lines += [f"    {step}: {before!r} → {after!r}" for step, pairs in column.samples.items()
                  for before, after in pairs[:1]]
    if any(rule.endswith("*") for line in lines for rule in line.split(", ")):
        lines.append("  (* a rule you gave that column with --column)")
    lines += [f"note: {n}" for n in plan.notes] + [f"warning: {w}" for w in warnings]
    return "\n".join(lines)


def _rule_text(rule: str, value) -> str:
    return rule if value is True else f"{rule}={value}"


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


def _text(report, warnings: list[str], output=None) -> str:
    lines = [f"{plural(report.rows, 'row')}, {plural(report.cells_changed, 'cell')} changed"]
    for column, steps in report.changes.items():
        lines.append(f"  {column} ({report.columns[column].kind}): "
                     + ", ".join(f"{step} {n:,}" for step, n in steps.items()))
    for column, order in report.date_orders.items():
        lines.append(f"  {column}: dates {order}")
    for column, style in report.number_styles.items():
        lines.append(f"  {column}: numbers {style}")
    if output:
        lines.append(f"Wrote {output}.")
    lines += [f"note: {n}" for n in report.notes] + [f"warning: {w}" for w in warnings]
    return "\n".join(lines)
