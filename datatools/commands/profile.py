"""`datatools profile`: a per-column summary of a table, as a text table or JSON, or a report file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from datatools.commands.base import (add_common_options, add_engine_options, add_read_options,
                                     check_output, choose_engine, cli_progress, engine_report,
                                     large_read_options, memory_engine_report, print_outcome,
                                     read_inputs)
from datatools.errors import CommandError

# The report files `-o` writes, by the name's extension (`--format` names one for any name).
REPORT_FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".json": "json"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "profile", help="per column: type, fill rate, distinct values, shapes, suspicious values",
        description="Profile a table: for every column its inferred type, fill rate, distinct "
                    "count, top values, lengths, value shapes (Aa9) and suspicious values. "
                    "With -o, also write it as a report: an HTML page to view and print, "
                    "a workbook with a row per column, or JSON, chosen by OUT's extension.",
        epilog="Example: datatools profile customers.csv -o customers-profile.html")
    parser.add_argument("file", type=Path)
    parser.add_argument("--format", choices=sorted(set(REPORT_FORMATS.values())),
                        help="the report's format when OUT's extension does not say "
                             "(.html/.htm, .xlsx, .json)")
    add_read_options(parser)
    add_engine_options(parser)
    add_common_options(parser, table=False)
    parser.set_defaults(run=run)


def report_format(output: str, chosen: str | None) -> str:
    """The format of report file `output`: `chosen` (--format), else its extension's.

    CommandError (exit 2) when neither says, or when they disagree: a page named .xlsx would
    not open as a workbook.
    """
    by_name = REPORT_FORMATS.get(Path(output).suffix.lower())
    if chosen and by_name and chosen != by_name:
        raise CommandError(f"{output} names a {by_name} file, not {chosen}; name it "
                           f"{Path(output).stem}.{chosen} or leave out --format", exit_code=2)
    if not (chosen or by_name):
        raise CommandError(f"cannot tell the report's format from {output}: name it .html, .xlsx "
                           "or .json, or choose --format html|xlsx|json", exit_code=2)
    return chosen or by_name


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.tools.profile import profile_read

    if args.output:
        fmt = report_format(args.output, args.format)
        check_output(args.output, args.force, [args.file])
    elif args.format:
        raise CommandError("--format needs -o OUT, the report file to write", exit_code=2)
    progress = cli_progress(args, err, "profile")
    engine = memory_engine_report()
    if choose_engine(args, err, [args.file]) == "duckdb":
        from datatools.large.job import large_job
        from datatools.large.profile import profile_large

        with large_job(args.file, progress=progress.stage(0, 0.5), **large_read_options(args)) as job:
            profile = profile_large(job, progress.stage(0.5, 1.0))
            table, engine = job.copy.info, engine_report(job)
    else:
        (table,) = read_inputs(args, [args.file], progress, 0.5)
        profile = profile_read(table, progress.stage(0.5, 1.0))
    data = {"input": str(args.file), "encoding": table.encoding, "delimiter": table.delimiter,
            "warnings": table.warnings, **profile.to_dict(), "engine": engine}
    text = profile.to_text() + "".join(f"warning: {w}\n" for w in table.warnings)
    if args.output:
        _write_report(profile.to_dict(), table, args, fmt)
        data["output"] = args.output
        text += f"report: {args.output}\n"
    print_outcome(data, args, out, err, text, table.warnings)
    return 0


def _write_report(profile: dict, table, args: argparse.Namespace, fmt: str) -> None:
    """The report file, through the guarded writer (never over the input, whole or not at all)."""
    from datatools.io.excel import write_xlsx
    from datatools.safe_write import open_output, write_file
    from datatools.tools.profile_report import ReportSource, encoding_label, profile_html, profile_sheet

    profile = json.loads(json.dumps(profile, default=str))   # numpy numbers as the JSON report has them
    if fmt == "xlsx":
        with open_output(args.output, inputs=[args.file], force=args.force) as handle:
            write_xlsx(profile_sheet(profile), handle)
        return
    if fmt == "html":
        encoding = encoding_label(table.encoding) if table.encoding else ""
        source = ReportSource(args.file.name, encoding, table.delimiter, list(table.warnings))
        content = profile_html(profile, source)
    else:
        content = json.dumps(profile, ensure_ascii=False, indent=2) + "\n"
    write_file(args.output, content, inputs=[args.file], force=args.force)
