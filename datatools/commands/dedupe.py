"""`datatools dedupe`: find duplicate rows in a table, and optionally keep one per group."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from datatools.errors import BadInput, BadOption, CommandError
from datatools.terminal import shown
from datatools.commands.base import (add_common_options, add_engine_options, add_read_options,
                                     add_tool_options, check_output, choose_engine, cli_progress,
                                     engine_report, large_read_options, memory_engine_report,
                                     memory_only_note, plural,
                                     print_outcome, read_inputs, reading_warnings, tool_options,
                                     output_dialect, write_output)
from datatools.tools.recipe import step_options
from datatools.commands.recipe_saving import (add_recipe_options, check_recipe_target,
                                              recipe_key, recipe_line, save_recipe)

EXAMPLE = """\
example:
  datatools dedupe customers.csv --columns name,street,city -o customers-grouped.csv
  datatools dedupe customers.csv --columns name,street,city --keep most-complete -o clean.csv
  datatools dedupe customers.csv --columns first,last,street --synonyms nicknames.csv -o grouped.csv
  datatools dedupe customers.csv --columns name,city --keep first --values choices.csv -o clean.csv
  datatools dedupe customers.csv --columns name,city --keep most-complete --review review.csv -o clean.csv
  datatools dedupe customers.csv --columns name,city --keep most-complete --review review.csv \
      -o clean.csv --save-recipe customers.recipe.json   (replay next month: datatools run)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dedupe", help="find rows that describe the same thing",
        description="Find rows that describe the same person, company or thing despite typos, "
                    "case, accents, abbreviations, swapped words and empty cells.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", metavar="FILE", help="the table to search (CSV, TSV, TXT, Excel or OpenDocument)")
    add_tool_options(parser, "dedupe", metavars={"columns": "C1,C2,…"})
    parser.add_argument("--include-possible", action="store_true",
                        help="with --keep: also merge the possible groups (by default only groups "
                             "whose every row is a certain match lose rows; the others are "
                             "written whole for you to review)")
    parser.add_argument("--merge-report", metavar="FILE",
                        help="with --keep: where to list which rows were merged "
                             "(default: OUT with .merges.csv)")
    parser.add_argument("--review", metavar="FILE",
                        help="decisions on the groups: a table of cluster_id,action,column,row "
                             "(action same, different or undecided; keep ROW; value COLUMN ROW; "
                             "split ROW; fill_empty; rows numbered as in the merge report) or the "
                             "window's review saved as .json")
    parser.add_argument("--values", metavar="FILE",
                        help="with --keep: a table of cluster_id,column,row; the kept row of that "
                             "group takes that column's value from that row (numbered as in the "
                             "merge report); short for a --review of value lines")
    parser.add_argument("--fill-empty", action="store_true",
                        help="with --keep: fill the kept rows' empty cells from the other rows "
                             "of their group (every value taken is listed in the merge report); "
                             "short for a --review line fill_empty")
    add_read_options(parser)
    add_recipe_options(parser, keyed=True)
    add_engine_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)


def merge_report_path(args: argparse.Namespace) -> str:
    from datatools.tools.dedupe import merge_report_path as beside

    return args.merge_report or str(beside(args.output))


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.tools.dedupe import find_duplicates
    from datatools.tools.recipe import key_column, row_keys
    from datatools.tools.recipe_replay import with_keys
    from datatools.tools.synonyms import synonyms_option

    if args.values and args.review:
        raise CommandError("--values is short for a --review file: give one of them.", exit_code=2)
    review = review_option(args)
    if args.keep and not args.output:
        raise BadInput("--keep writes a new file: add -o OUT.")
    if (args.values or args.fill_empty) and not args.keep:
        raise CommandError("--values and --fill-empty choose what a kept row holds: add --keep.",
                           exit_code=2)
    if args.include_possible and not args.keep:
        raise CommandError("--include-possible says which groups --keep merges: add --keep.",
                           exit_code=2)
    check_output(args.output, args.force, [args.file])
    if args.keep:
        check_output(merge_report_path(args), args.force, [args.file])
        if Path(merge_report_path(args)).resolve() == Path(args.output).resolve():
            raise CommandError("--merge-report must name another file than -o OUT.", exit_code=2)
    check_recipe_target(args, [args.file])
    synonyms = synonyms_option(args.synonyms)
    progress = cli_progress(args, err, "dedupe")
    if _engine(args, err) == "duckdb":
        report = _run_large(args, err, synonyms, progress)
        print_outcome(report, args, out, err, _text(report, args), report["warnings"])
        return 0
    (table,) = read_inputs(args, [args.file], progress, 0.1)
    result = find_duplicates(table.frame, args.columns, threshold=args.threshold,
                             synonyms=synonyms, progress=progress.stage(0.1, 0.95))
    report = result.report.to_dict()
    report["warnings"] = reading_warnings([table], [args.file]) + result.notes
    if not args.include_possible:
        review.possible |= review.possible_groups(result)
    unknown = review.unknown_groups(result)
    if unknown:
        source = args.values or args.review
        raise BadOption(f"{source} names group {unknown[0]}, which this run did not find "
                        f"(it found {len(result.clusters):,}).",
                        code="bad_values_file" if args.values else "bad_review_file",
                        params={"file": str(source)})
    if args.keep:
        kept = review.apply(result)
        key = key_column(table.frame, [str(c) for c in table.frame.columns])
        if key is not None:      # the merge list also names the rows by the table's key column
            kept.merges = with_keys(kept.merges, row_keys(table.frame, key), key)
        report["warnings"] += write_output(kept.frame, args.output, args, [args.file],
                                           progress.stage(0.95, 0.99), source=table)
        report["warnings"] += write_output(kept.merges, merge_report_path(args), args, [args.file],
                                           source=table)
        report.update(kept=kept.report["kept"], dropped=kept.report["dropped"],
                      merged=kept.report["merged"],
                      possible_kept=kept.report["possible_kept"], cells_lost=kept.report["cells_lost"],
                      output=args.output, merge_report=merge_report_path(args))
        if "values_taken" in kept.report:
            report["values_taken"] = kept.report["values_taken"]
    elif args.output:
        report["warnings"] += write_output(review.apply(result).frame, args.output, args, [args.file],
                                           progress.stage(0.95, 1.0), source=table)
        report["output"] = args.output
    report["engine"] = memory_engine_report()
    save_recipe(args, recipe_step(args, review, result, table.frame), table,
                [args.file, *(p for p in (args.output, report.get("merge_report")) if p)], report)
    progress.update(1.0, "done")
    print_outcome(report, args, out, err, _text(report, args), report["warnings"])
    return 0


def _engine(args: argparse.Namespace, err: TextIO) -> str:
    """The engine of this run. --keep, a review and a recipe act on whole rows in memory: with
    them the run stays in memory (said on stderr when the file is large), or, with --engine
    duckdb, is refused."""
    if args.keep or args.review or args.values or args.save_recipe:
        if args.engine == "duckdb":
            raise CommandError("dedupe on the duckdb engine writes the grouped table only; "
                               "--keep, --review, --values and --save-recipe need --engine memory.",
                               exit_code=2)
        memory_only_note(args, err, [args.file], "dedupe --keep")
        return "memory"
    return choose_engine(args, err, [args.file])


def _run_large(args: argparse.Namespace, err: TextIO, synonyms, progress) -> dict:
    """Find the groups on the duckdb engine and stream the grouped table to -o; the report.
    The --columns are checked on the file's first rows before the working copy is made."""
    import pandas as pd

    from datatools.io.writing import write_csv_parts
    from datatools.io.xlsx_cells import input_sheet
    from datatools.large.dedupe import annotated_parts, find_duplicates_large
    from datatools.large.job import check_header, large_job
    from datatools.tools.similarity import check_columns

    check_header([args.file], large_read_options(args),
                 lambda names: check_columns(pd.DataFrame(columns=names), args.columns))
    with large_job(args.file, progress=progress.stage(0, 0.1), **large_read_options(args)) as job:
        result = find_duplicates_large(job, args.columns, threshold=args.threshold,
                                       synonyms=synonyms, progress=progress.stage(0.1, 0.95))
        report = result.report.to_dict()
        report["warnings"] = list(job.copy.warnings) + result.notes
        if args.output:
            info = job.copy.info
            written = write_csv_parts(annotated_parts(job, result), args.output, force=args.force,
                                      inputs=[args.file],
                                      escape_formulas=getattr(args, "escape_formulas", False),
                                      progress=progress.stage(0.95, 1.0),
                                      sheet=input_sheet(info, [args.file]),
                                      **output_dialect(args.output, args, args.file, info.delimiter,
                                                       info.encoding))
            report["warnings"] += list(written.notices())
            report["output"] = args.output
        report["engine"] = engine_report(job)
    progress.update(1.0, "done")
    return report


def _text(report: dict, args: argparse.Namespace) -> str:
    """The run's outcome in words."""
    text = (f"{plural(report['rows'], 'row')}: {plural(report['clusters'], 'group')} of duplicates "
            f"covering {plural(report['rows_in_clusters'], 'row')} ({report['duplicates']:,} could go).")
    if report["threshold"] is None and report["clusters"]:
        possible = report["clusters"] - report["certain"]
        text += f"\n{report['certain']:,} certain, {possible:,} possible (to review)."
    if args.keep:
        text += (f"\nKept {plural(report['kept'], 'row')} in {args.output}: "
                 f"{plural(report['dropped'], 'row')} removed from {plural(report['merged'], 'merged group')}; "
                 f"merges listed in {report['merge_report']}.")
        if report["possible_kept"]:
            # --keep writes no annotated output, and on a list of households the possible
            # groups are mostly two people (trial E: 68 of 72): say how to review, not to merge.
            text += (f"\n{plural(report['possible_kept'], 'possible group')} written whole (all their "
                     "rows kept): to review them, run without --keep for the annotated output "
                     "(match_certainty, match_reason) or open the file in the window; "
                     "--include-possible merges them unreviewed.")
        if "values_taken" in report:
            text += f"\nValues taken from other rows into the kept rows: {report['values_taken']:,}."
        text += lost_text(report.get("cells_lost", {}), "add --fill-empty")
    elif args.output:
        text += (f"\nWrote {args.output} with cluster_id, match_score, match_certainty and "
                 "match_reason.")
    text += recipe_line(report) + "".join(f"\nwarning: {w}" for w in report["warnings"])
    return text


def lost_text(lost: dict[str, int], remedy: str) -> str:
    """The line on filled cells only removed rows held (`survivors.cells_lost`), with `remedy`
    (how to keep them: --fill-empty here, the review's fill box in the window); "" for none."""
    if not lost:
        return ""
    columns = ", ".join(f"{shown(column)} {n:,}" for column, n in lost.items())
    return (f"\nValues only the removed rows held, gone with them (their kept row is empty "
            f"there): {sum(lost.values()):,} ({columns}); {remedy} to copy them into the kept rows.")


def recipe_step(args: argparse.Namespace, review, result, frame):
    """This run as a recipe's dedupe step: its options, the review's settings (the keep policy,
    whether a merge report is written, --include-possible) and its decisions about rows named
    by --recipe-key or the table's key column, else by their content."""
    from dataclasses import replace

    from datatools.tools.recipe import Step, row_keys
    from datatools.tools.recipe_replay import decisions_from_review, review_settings

    if not args.save_recipe:
        return None
    key = recipe_key(args, frame)
    settings = review_settings(replace(review, merge_report=bool(args.keep)), args.include_possible)
    return Step("dedupe", step_options(tool_options(args, "dedupe"), "keep"), key, settings,
                decisions_from_review(review, result, row_keys(frame, key)))


def review_option(args: argparse.Namespace):
    """The decisions `--review`, `--values` and `--fill-empty` give, as one engine `Review`.
    Its keep policy: `--keep`, else the one a .json review names (then set as `args.keep`),
    else every row. BadOption `bad_review_file` / `bad_values_file`."""
    from datatools.tools.review import KEEP_ALL, Review

    if args.review:
        review = Review.read(args.review)
    elif args.values:
        from datatools.tools.survivors import read_value_choices

        review = Review(values=read_value_choices(args.values))
    else:
        review = Review()
    if not args.keep and review.keep != KEEP_ALL:
        args.keep = review.keep
    review.keep = args.keep or KEEP_ALL
    review.fill_empty = review.fill_empty or args.fill_empty
    return review
