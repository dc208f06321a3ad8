"""`datatools encoding detect|fix`: report a file's encoding, or re-encode it into a new file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from datatools.errors import CommandError
from datatools.commands.base import (add_common_options, add_tool_options, cli_progress, print_report,
                                     plural, tool_options)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "encoding", help="detect a file's text encoding, or convert it to UTF-8",
        description="Detect a file's text encoding (verified over the whole file) or re-encode it.",
        epilog="Example: datatools encoding detect customers.csv")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    detect = actions.add_parser(
        "detect", help="report the encoding, how sure, and the runners-up",
        description="Report the file's encoding as a Python codec name, with confidence, whether "
                    "it has a byte-order mark, whether the whole file decodes, and runners-up.",
        epilog="Example: datatools encoding detect customers.csv --json")
    detect.add_argument("file", type=Path)
    add_common_options(detect, output=False)
    detect.set_defaults(run=run_detect)

    fix = actions.add_parser(
        "fix", help="re-encode into a new file (default UTF-8)",
        description="Re-encode FILE into OUT, streaming in constant memory. The input is never "
                    "changed; OUT is written whole or not at all.",
        epilog="Example: datatools encoding fix old.csv -o new.csv --from cp1252 --repair-mojibake")
    fix.add_argument("file", type=Path)
    add_tool_options(fix, "encoding")
    fix.add_argument("--preview", action="store_true",
                     help="show what --repair-mojibake would change; write nothing")
    fix.add_argument("--bom", action="store_const", const=True, default=None,
                     help="start a UTF-8 OUT with a byte order mark, whatever its name (--to utf-8-sig)")
    fix.add_argument("--no-bom", dest="bom", action="store_const", const=False,
                     help="write UTF-8 without a byte order mark, also to a .csv or .tsv (--to utf-8)")
    add_common_options(fix, table=False)
    fix.set_defaults(run=run_fix)


def _utf8_with_bom(target: str | None, bom: bool) -> str:
    """The codec `--bom`/`--no-bom` ask for: UTF-8 with or without its mark; BadOption (exit 2)
    beside a `--to` that is not UTF-8 (only UTF-8 has a mark to choose)."""
    import codecs

    from datatools.errors import BadOption

    if target is not None and codecs.lookup(target).name not in ("utf-8", "utf-8-sig"):
        raise BadOption(f"--{'bom' if bom else 'no-bom'} is for UTF-8; --to {target} decides "
                        "its own mark.", code="bom_not_utf8", params={"value": target})
    return "utf-8-sig" if bom else "utf-8"


def _detection_text(report) -> str:
    if report.undecided:
        return "\n".join([f"cannot tell  (closest: {report.encoding}, confidence "
                          f"{report.confidence:.0%})", f"  why: {report.reason}",
                          "  candidates: " + ", ".join(
                              f"{c.encoding} {c.confidence:.0%}" for c in report.candidates)])
    checked = (", whole file verified" if report.verified else
               ", mixed: some lines in another code page" if report.legacy else ", NOT verified")
    lines = [f"{report.encoding}  (confidence {report.confidence:.0%}"
             f"{', byte-order mark' if report.bom else ''}{checked})"]
    if report.reason:
        lines.append(f"  why: {report.reason}")
    if report.candidates:
        lines.append("  runners-up: " + ", ".join(
            f"{c.encoding} {c.confidence:.0%}" + (f" (lines {_numbers(c.lines)})" if c.lines else "")
            for c in report.candidates))
    return "\n".join(lines)


def _numbers(lines: list[int], limit: int = 10) -> str:
    more = len(lines) - limit
    return ", ".join(map(str, lines[:limit])) + (f" and {more} more" if more > 0 else "")


def run_detect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.tools.encoding import detect_encoding, refuse_non_text

    refuse_non_text(args.file)
    progress = cli_progress(args, err, "detect")
    report = detect_encoding(args.file, progress)
    progress.update(1.0, "done")
    print_report(report.to_dict(), args, out, _detection_text(report))
    return 0


def run_fix(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.tools.encoding import (detect_encoding, fix_encoding, preview_mojibake,
                                          refuse_non_text)

    if args.preview:
        refuse_non_text(args.file)
        encoding = args.source_encoding or detect_encoding(args.file).encoding
        pairs = preview_mojibake(args.file, encoding)
        text = "\n".join(f"- {p['before']}\n+ {p['after']}" for p in pairs) or \
            "Nothing to repair in the start of the file."
        print_report({"encoding": encoding, "samples": pairs}, args, out, text)
        return 0
    if not args.output:
        raise CommandError("encoding fix needs -o OUT (or --preview)", exit_code=2)
    options = tool_options(args, "encoding")
    if args.bom is not None:
        options["target"] = _utf8_with_bom(options["target"], args.bom)
    report = fix_encoding(args.file, args.output, force=args.force,
                          progress=cli_progress(args, err, "fix"), **options)
    text = (f"{report.output}: {report.source_encoding} → {report.target_encoding}, "
            f"{report.bytes_read:,} bytes in, {report.bytes_written:,} bytes out")
    if report.target_encoding == "utf-8-sig" and args.target is None and args.bom is None:
        text += "\nstarts with a byte order mark, so Excel reads it as UTF-8 (--no-bom writes none)"
    if report.detection is not None and report.detection.legacy is not None:
        text += (f"\nnot UTF-8 and repaired: {report.detection.legacy.describe()}")
    if args.repair_mojibake:
        text += f"\n{plural(report.mojibake_repaired, 'garbled sequence')} repaired"
        text += "".join(f"\n- {p['before']}\n+ {p['after']}" for p in report.samples)
    print_report(report.to_dict(), args, out, text if not args.quiet else "")
    return 0
