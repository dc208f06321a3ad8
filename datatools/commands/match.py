"""`datatools match`: for each row of one table, the most similar row(s) of another."""

from __future__ import annotations

import argparse
from typing import TextIO

from datatools.commands.base import (add_common_options, add_engine_options, add_read_options,
                                     add_tool_options, check_output, choose_engine, cli_progress,
                                     engine_report, large_read_options, memory_engine_report, memory_only_note,
                                     output_dialect, plural,
                                     print_outcome, read_inputs, reading_warnings, tool_options,
                                     write_output)
from datatools.errors import CommandError
from datatools.tools.recipe import step_options
from datatools.commands.recipe_saving import (add_recipe_options, check_recipe_target,
                                              recipe_key, recipe_line, save_recipe, second_import)

EXAMPLE = """\
example:
  datatools match orders.csv customers.csv --on name,city --right-on customer,town -o matched.csv
  datatools match bank.csv ledger.csv --on payee,amount --unique -o reconciled.csv
  datatools match orders.csv customers.csv --on name,city --review wrong.csv -o matched.csv
      (wrong.csv: a row column naming the matches to take back, numbered as in the output)
  datatools match orders.csv customers.csv --on name,city --right-on customer,town --estimate
      (how many rows would find a match, from 1,000 sampled rows; writes nothing)
  datatools match orders.csv customers.csv --on name,city --review wrong.csv -o matched.csv \
      --save-recipe orders.recipe.json
      (next month: datatools run orders.recipe.json orders-12.csv --with customers-12.csv -o m.csv)
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
    parser.add_argument("--include-possible", action="store_true",
                        help="also write possible matches (by default only certain ones are "
                             "written; a possible one is named in match_reason for review)")
    parser.add_argument("--review", metavar="FILE",
                        help="matches to take back or possible matches to accept: a table with a "
                             "row column (rows of the output, numbered from 1) and an optional action "
                             "column (reject or accept), or the window's review saved as .json")
    parser.add_argument("--estimate", action="store_true",
                        help="only say how many LEFT rows would find a match, estimated from a "
                             "random sample of them (exact for a small LEFT); writes nothing")
    parser.add_argument("--sample", metavar="N", type=int, default=None,
                        help="rows of LEFT the estimate matches (default 1000)")
    add_read_options(parser)
    add_recipe_options(parser, keyed=True)
    add_engine_options(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.tools.match import match_tables
    from datatools.tools.synonyms import synonyms_option

    if args.estimate or args.sample is not None:
        return run_estimate(args, out, err)
    check_output(args.output, args.force, [args.left, args.right])
    check_recipe_target(args, [args.left, args.right])
    synonyms = synonyms_option(args.synonyms)
    rejections = None
    if args.review:
        from datatools.tools.review import MatchRejections

        rejections = MatchRejections.read(args.review)
    progress = cli_progress(args, err, "match")
    if _engine(args, err) == "duckdb":
        return _run_large(args, out, err, synonyms, progress)
    left, right = read_inputs(args, [args.left, args.right], progress, 0.1)
    # A review that accepts possible matches needs their partners in the result.
    result = match_tables(left.frame, right.frame, progress=progress.stage(0.1, 0.95),
                          include_possible=args.include_possible or bool(rejections and rejections.accepted),
                          **{**tool_options(args, "match"), "synonyms": synonyms})
    matched = result        # before the review: the rows' right cells name the matches taken back
    if rejections is not None:
        result = rejections.result(result, hold_possible=not args.include_possible)
    report = result.report.to_dict()
    report["warnings"] = reading_warnings([left, right], [args.left, args.right]) + result.notes
    if rejections is not None:
        report["rejected"] = len(rejections.rows)
        report["accepted"] = len(rejections.accepted)

    if args.output:
        report["warnings"] += write_output(result.frame, args.output, args, [args.left, args.right],
                                           progress.stage(0.95, 1.0), source=left)
        report["output"] = args.output
    report["engine"] = memory_engine_report()
    if args.save_recipe:
        step = recipe_step(args, rejections, matched, left, right)
        save_recipe(args, step, left, [args.left, args.right, *([args.output] if args.output else [])], report)
    progress.update(1.0, "done")
    text = f"{report['matched']:,} of {plural(report['left_rows'], 'row')} matched."
    left = _left_for_review(matched, rejections)
    # With --top above 1 (or --include-possible) the file already lists the possible matches.
    if report["threshold"] is None and left and not args.include_possible and report["top"] == 1:
        text += (f"\n{plural(left, 'possible match', 'possible matches')} left for "
                 "review (named in match_reason; --include-possible writes them).")
    if args.output:
        text += f"\nWrote {args.output}."
    text += recipe_line(report) + "".join(f"\nwarning: {w}" for w in report["warnings"])
    print_outcome(report, args, out, err, text, report["warnings"])
    return 0


def _engine(args: argparse.Namespace, err: TextIO) -> str:
    """The engine of this run. A review, a recipe and an estimate work on the tables in memory:
    with them the run stays in memory (said on stderr when the files are large), or, with --engine
    duckdb, is refused."""
    paths = [args.left, args.right]
    if args.review or args.save_recipe or args.estimate:
        if args.engine == "duckdb":
            raise CommandError("match on the duckdb engine writes the matched table only; "
                               "--review, --save-recipe and --estimate need --engine memory.",
                               exit_code=2)
        memory_only_note(args, err, paths, "match --review" if args.review else
                         "match --estimate" if args.estimate else "match --save-recipe")
        return "memory"
    return choose_engine(args, err, paths)


def _run_large(args: argparse.Namespace, out: TextIO, err: TextIO, synonyms, progress) -> int:
    """Match on the duckdb engine and stream the matched table to -o (datatools/large/match.py).
    The column names are checked on the files' first rows before any working copy is made."""
    import pandas as pd

    from datatools.io.writing import write_csv_parts
    from datatools.io.xlsx_cells import input_sheet
    from datatools.large.job import check_header, large_job
    from datatools.large.match import match_tables_large, matched_parts
    from datatools.tools.match import check_match

    options = tool_options(args, "match")
    paths = [args.left, args.right]
    read = large_read_options(args)
    check_header(paths, read, lambda left, right: check_match(
        pd.DataFrame(columns=left), pd.DataFrame(columns=right), options["on"], options.get("right_on"),
        options.get("threshold"), options.get("top", 1), options.get("unique", False), 0))
    with large_job(args.left, progress=progress.stage(0, 0.05), **read) as left, \
            large_job(args.right, progress=progress.stage(0.05, 0.1), **read) as right:
        result = match_tables_large(left, right, progress=progress.stage(0.1, 0.9),
                                    include_possible=args.include_possible,
                                    **{**options, "synonyms": synonyms})
        report = result.report.to_dict()
        report["warnings"] = reading_warnings([left.copy, right.copy], paths) + result.notes
        if args.output:
            info = left.copy.info       # the output's dialect follows LEFT, as in memory
            written = write_csv_parts(matched_parts(left, right, result), args.output, force=args.force,
                                      inputs=paths, escape_formulas=getattr(args, "escape_formulas", False),
                                      progress=progress.stage(0.9, 1.0), sheet=input_sheet(info, paths),
                                      **output_dialect(args.output, args, args.left, info.delimiter,
                                                       info.encoding))
            report["warnings"] += list(written.notices())
            report["output"] = args.output
        report["engine"] = {**engine_report(left), "rows": [left.copy.rows, right.copy.rows],
                            "working_copy_bytes": left.copy.disk_bytes() + right.copy.disk_bytes()}
    progress.update(1.0, "done")
    text = f"{report['matched']:,} of {plural(report['left_rows'], 'row')} matched."
    if (report["threshold"] is None and result.possible_rows and not args.include_possible
            and report["top"] == 1):
        text += (f"\n{plural(result.possible_rows, 'possible match', 'possible matches')} left for "
                 "review (named in match_reason; --include-possible writes them).")
    if args.output:
        text += f"\nWrote {args.output}."
    text += "".join(f"\nwarning: {w}" for w in report["warnings"])
    print_outcome(report, args, out, err, text, report["warnings"])
    return 0


def _left_for_review(result, rejections) -> int:
    """The possible matches of `result` that the review (None: no review) neither accepted nor
    took back."""
    decided = (rejections.accepted | rejections.rows) if rejections is not None else frozenset()
    return sum(1 for k, c in enumerate(result.frame["match_certainty"].tolist())
               if c == "possible" and k not in decided)


def recipe_step(args: argparse.Namespace, rejections, result, left, right):
    """This run as a recipe's match step: its options, how RIGHT was read, --include-possible,
    and the matches --review took back or accepted (possible ones), each named by its left row's key and its right row's
    (--recipe-key or LEFT's key column, RIGHT's key column; else the rows' content)."""
    from datatools.tools.recipe import Step
    from datatools.tools.recipe_replay import decisions_from_rejections, match_keys

    key, right_key = recipe_key(args, left.frame), recipe_key(args, right.frame, given=False)
    left_keys, right_keys = match_keys(result.frame, len(left.frame.columns), len(right.frame.columns),
                                       key, right_key)
    scored = result.frame["match_score"].astype(str).ne("").tolist()
    rows = [r for r in sorted(rejections.rows) if r < len(scored) and scored[r]] if rejections is not None else []
    possible = result.frame["match_certainty"].tolist()
    accepted = ([r for r in sorted(rejections.accepted) if r < len(possible) and possible[r] == "possible"]
                if rejections is not None and not args.include_possible else [])
    review = {"include_possible": True} if args.include_possible else {}
    return Step("match", step_options(tool_options(args, "match")), key, review,
                decisions_from_rejections(rows, left_keys, right_keys, accepted), right_key,
                second_import(args, right))


def run_estimate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`--estimate`: the matched count predicted from a sample; reads the inputs, writes nothing."""
    from datatools.errors import BadOption
    from datatools.tools.match_estimate import SAMPLE_ROWS, estimate_matches
    from datatools.tools.synonyms import synonyms_option

    if not args.estimate:
        raise BadOption("--sample sets the size of --estimate's sample; add --estimate.",
                        code="sample_without_estimate")
    if args.output or args.save_recipe:
        raise BadOption(f"--estimate writes nothing; leave out {'-o' if args.output else '--save-recipe'}.",
                        code="estimate_with_output")
    _engine(args, err)
    options = tool_options(args, "match")
    synonyms = synonyms_option(args.synonyms)
    progress = cli_progress(args, err, "match estimate")
    left, right = read_inputs(args, [args.left, args.right], progress, 0.2)
    estimate = estimate_matches(left.frame, right.frame, options["on"], options.get("right_on"),
                                threshold=options.get("threshold"), synonyms=synonyms,
                                sample=SAMPLE_ROWS if args.sample is None else args.sample,
                                progress=progress.stage(0.2, 1.0))
    report = estimate.to_dict()
    report["warnings"] = reading_warnings([left, right], [args.left, args.right])
    progress.update(1.0, "done")
    text = describe_estimate(estimate)
    text += "".join(f"\nwarning: {w}" for w in report["warnings"])
    print_outcome(report, args, out, err, text, report["warnings"])
    return 0


def describe_estimate(estimate) -> str:
    """The estimate in one English sentence (the window says it in its own language)."""
    share = f"{estimate.share:.0%}"
    rows = "row" if estimate.left_rows == 1 else "rows"
    at = (f"as certain (match probability {estimate.threshold:g} % or more, learned from the data)"
          if estimate.learned else
          f"as certain (similarity {estimate.threshold:g} or more, no column clearly different)"
          if estimate.certain else f"at similarity {estimate.threshold:g}")
    if estimate.exact:
        return (f"{estimate.estimate:,} of {estimate.left_rows:,} left {rows} ({share}) find a match "
                f"{at} (every row checked).")
    return (f"About {estimate.about:,} of "
            f"{estimate.left_rows:,} left {rows} ({share}) find a match {at}, estimated from "
            f"{estimate.sample_rows:,} rows (95% interval {estimate.low:,}–{estimate.high:,}).")

