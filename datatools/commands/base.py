"""Plumbing every data-tool subcommand shares: common options, progress on stderr, reports."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO

from datatools.progress import Progress


def add_common_options(parser: argparse.ArgumentParser, *, output: bool = True) -> None:
    if output:
        parser.add_argument("-o", "--output", metavar="OUT", help="write the result to this new file")
        parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    parser.add_argument("--json", action="store_true", help="print a machine-readable report on stdout")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


class StderrBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, label: str):
        self._stream = stream
        self._label = label
        self._last = 0.0
        self._tty = hasattr(stream, "isatty") and stream.isatty()
        self._finished = False   # stages of one run may each report the end; draw it once
        self._decile = -1        # without a terminal, one line per tenth of the way

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < 0.1:
            return
        if fraction >= 1.0 and self._finished:
            return
        self._finished = fraction >= 1.0
        self._last = now
        width = 30
        filled = int(width * fraction)
        line = f"{self._label} [{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {message}"
        if self._tty:
            self._stream.write("\r" + line[:100].ljust(100))
            if fraction >= 1.0:
                self._stream.write("\n")
        elif fraction >= 1.0 or int(fraction * 10) != self._decile:
            self._decile = int(fraction * 10)
            self._stream.write(line + "\n")
        self._stream.flush()


def cli_progress(args: argparse.Namespace, err: TextIO, label: str) -> Progress:
    return Progress(None if getattr(args, "quiet", False) else StderrBar(err, label))


def print_report(report: dict[str, Any], args: argparse.Namespace, out: TextIO, text: str) -> None:
    """`--json` prints the report as JSON; otherwise the human-readable `text`."""
    if getattr(args, "json", False):
        json.dump(report, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif text:
        out.write(text if text.endswith("\n") else text + "\n")


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """How to read the input table: encoding, delimiter, header, sheet (all detected by default)."""
    group = parser.add_argument_group("reading the input")
    group.add_argument("--encoding", metavar="ENC", help="the input's encoding (default: detected)")
    group.add_argument("--delimiter", metavar="CHAR", help="field separator (default: detected)")
    group.add_argument("--no-header", dest="header", action="store_false",
                       help="the first row is data, not column names")
    group.add_argument("--sheet", metavar="NAME", help="spreadsheet sheet name or number (default: first)")


def read_options(args: argparse.Namespace) -> dict[str, Any]:
    delimiter = args.delimiter
    if delimiter in ("\\t", "tab", "TAB"):
        delimiter = "\t"
    return {"encoding": args.encoding, "delimiter": delimiter, "header": args.header,
            "sheet": args.sheet}


def column_list(text: str) -> list[str]:
    """argparse type for `--columns a,b,c`: the names, stripped, none empty."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of column names")
    return names


def check_output(output: str | None, force: bool, inputs: list[str]) -> None:
    """Refuse before any work: an OUT that exists (without --force) or that is one of the inputs."""
    from pathlib import Path

    from datatools.errors import BadInput, OutputExists

    if not output:
        return
    target = Path(output)
    if any(target.resolve() == Path(source).resolve() for source in inputs):
        raise BadInput(f"{output} is an input file; inputs are never overwritten. Choose another name.")
    if target.exists() and not force:
        raise OutputExists(f"{output} already exists; choose another name or use --force.")


def read_inputs(args: argparse.Namespace, paths: list[str], progress: Progress, share: float) -> list:
    """Read each input table with the command's reading options (--encoding, --delimiter, …).

    Reading takes the first `share` of the command's progress, split evenly between the inputs.
    """
    from datatools.io import read_table

    step = share / len(paths)
    return [read_table(path, progress=progress.stage(i * step, (i + 1) * step), **read_options(args))
            for i, path in enumerate(paths)]


def reading_warnings(tables: list, paths: list[str]) -> list[str]:
    """Each input's reading warnings (mixed encodings, sep= lines, formulas without results…),
    prefixed with the file's name when the command reads several."""
    from pathlib import Path

    several = len(tables) > 1
    return [f"{Path(path).name}: {warning}" if several else warning
            for table, path in zip(tables, paths) for warning in table.warnings]
