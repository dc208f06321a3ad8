"""Plumbing every data-tool subcommand shares: common options, progress on stderr, reports."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any, TextIO

from datatools.progress import Progress
from datatools.terminal import shown, shown_lines
from datatools.registry import (CHOICE, COLUMN, COLUMNS, ENCODING, FILE, FLAG, INTEGER, NUMBER,
                                REGION, RULES, TOOLS, check_codec, check_delimiter)


def output_file(text: str) -> str:
    """argparse type for -o OUT: a file name. `-` is refused (exit 2): a result is a file whose
    notes and merges are written beside it, never standard output (it once made a file named `-`)."""
    if text == "-":
        raise argparse.ArgumentTypeError(
            "'-' (standard output) is not a file name: the result is written to a file; give one, "
            "such as out.csv, or add --json to print the report on stdout")
    return text


def add_common_options(parser: argparse.ArgumentParser, *, output: bool = True,
                       table: bool = True) -> None:
    """-o/--force (with `output`), --escape-formulas (with a `table` output), --json, -q."""
    if output:
        parser.add_argument("-o", "--output", metavar="OUT", type=output_file,
                            help="write the result to this new file")
        parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    if output and table:
        parser.add_argument("--output-delimiter", metavar="CHAR", type=check_delimiter,
                            help="the separator of a CSV OUT (default: the input's, so a ;-separated "
                                 "file stays ;-separated; a .tsv OUT uses tabs)")
        parser.add_argument("--bom", action="store_const", const=True, default=None,
                            help="start a CSV OUT with a byte order mark, so Excel reads its UTF-8 "
                                 "(added by itself when the input had one, was in a legacy "
                                 "code page such as cp1252, or was a spreadsheet)")
        parser.add_argument("--no-bom", dest="bom", action="store_const", const=False,
                            help="never start a CSV OUT with a byte order mark (for scripts)")
        parser.add_argument("--escape-formulas", action="store_true",
                            help="in a CSV OUT, start each cell that begins with =, +, -, @, TAB "
                                 "or CR with an apostrophe, so a spreadsheet shows it as text "
                                 "(an .xlsx OUT always holds such cells as text)")
    parser.add_argument("--json", action="store_true", help="print a machine-readable report on stdout")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress on stderr" + ("; with OUT no summary either (warnings "
                                                        "still go to stderr)" if output else ""))


class StderrBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second on a terminal;
    elsewhere (a log, a pipe) one line each time the run reaches a further tenth."""

    def __init__(self, stream: TextIO, label: str):
        self._stream = stream
        self._label = label
        self._last = 0.0
        self._tty = hasattr(stream, "isatty") and stream.isatty()
        self._finished = False   # stages of one run may each report the end; draw it once
        self._decile = -1        # without a terminal, one line per tenth of the way

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if self._tty and fraction < 1.0 and now - self._last < 0.1:
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


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 row`, `2,500 rows`: the count with thousands separators and the word that fits it.

    The CLI speaks English; `words` is the plural when it is not `word + "s"`.
    """
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def cli_progress(args: argparse.Namespace, err: TextIO, label: str) -> Progress:
    """The bar on stderr; none with `-q`, and none with `--json` unless stderr is a terminal,
    so a script reading a failed run's stderr finds its one JSON error object alone there."""
    return Progress(None if quiet_stderr(args, err) else StderrBar(err, label))


def quiet_stderr(args: argparse.Namespace, err: TextIO) -> bool:
    """No progress or notes on stderr: `-q`, or `--json` when stderr is not a terminal."""
    return getattr(args, "quiet", False) or (
        getattr(args, "json", False) and not (hasattr(err, "isatty") and err.isatty()))


def print_report(report: dict[str, Any], args: argparse.Namespace, out: TextIO, text: str) -> None:
    """`--json` prints the report as JSON; otherwise the human-readable `text`."""
    if getattr(args, "json", False):
        json.dump(report, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif text:
        # Names and cells from the file are in `text`: escape sequences in them must not
        # reach the terminal (datatools/terminal.py); --json above stays exact.
        out.write(shown_lines(text if text.endswith("\n") else text + "\n"))


def print_outcome(report: dict[str, Any], args: argparse.Namespace, out: TextIO, err: TextIO,
                  text: str, warnings: list[str]) -> None:
    """The end of a command that may write OUT: its report, as `print_report` prints it.

    `-q` with OUT written leaves the summary out (quiet on success), yet the reader's
    `warnings` still reach stderr: a quiet run must not hide that a column read as empty or that
    lines were in another code page. Without OUT the summary is the result, so `-q` keeps it.
    """
    if args.quiet and args.output and not args.json:
        err.write("".join(f"warning: {shown(w)}\n" for w in warnings))
        return
    print_report(report, args, out, text)


_METAVARS = {COLUMNS: "COLS", COLUMN: "COLS", NUMBER: "T", INTEGER: "K", ENCODING: "ENC",
             FILE: "FILE", REGION: "CC"}


def add_tool_options(parser: argparse.ArgumentParser, tool: str,
                     metavars: dict[str, str] | None = None) -> None:
    """One CLI option per registry option of `tool` that has a flag, defaults from the engine."""
    spec = TOOLS[tool]
    for option in spec.options:
        if option.flag is None:
            continue
        default = spec.default(option.name)
        kwargs: dict[str, Any] = {"dest": option.name, "help": option.help, "default": default}
        if option.kind == FLAG:
            kwargs["action"] = "store_false" if option.invert else "store_true"
        else:
            kwargs["metavar"] = (metavars or {}).get(option.name) or _METAVARS.get(option.kind)
            if option.kind == CHOICE:
                kwargs.update(choices=option.choices(), metavar=None)
            elif option.kind in (COLUMN, COLUMNS):
                kwargs["type"] = column_list
            elif option.kind == RULES:     # one per column: --column a:case=keep --column b:…
                kwargs.update(type=option.check, action="append")
            else:
                # The registry's check raises BadOption, which argparse lets through to
                # `cli.main`: one line and exit 2, the same as a column the table lacks.
                kwargs["type"] = option.check
            if default is not None:
                kwargs["help"] += f" (default {default:g})" if isinstance(default, float) \
                    else f" (default {default})"
            kwargs["required"] = option.required
        parser.add_argument(option.flag, **kwargs)


def tool_options(args: argparse.Namespace, tool: str) -> dict[str, Any]:
    """The registry options of `tool` as parsed from the command line, by engine name."""
    return {o.name: getattr(args, o.name) for o in TOOLS[tool].options if o.flag is not None}


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """How to read the input table: encoding, delimiter, header, sheet (all detected by default)."""
    group = parser.add_argument_group("reading the input")
    group.add_argument("--encoding", metavar="ENC", type=check_codec,
                       help="the input's encoding (default: detected)")
    group.add_argument("--delimiter", metavar="CHAR", type=check_delimiter,
                       help="field separator (default: detected)")
    group.add_argument("--no-header", dest="header", action="store_false",
                       help="the first row is data, not column names")
    group.add_argument("--sheet", metavar="NAME", help="spreadsheet sheet name or number (default: first)")
    group.add_argument("--header-row", metavar="N", type=header_row,
                       help="the line (a spreadsheet's row) holding the column names, counted "
                            "from 1; the lines above it are left out (default: detected, 1 "
                            "unless a title stands above the table)")


def header_row(text: str) -> int:
    """argparse type for `--header-row N`: a whole number from 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a line number (1, 2, 3 …)")
    return int(text)


def read_options(args: argparse.Namespace) -> dict[str, Any]:
    """How `add_read_options` asked the input to be read, as `read_table`'s keyword arguments;
    BadOption (exit 2) when --no-header and --header-row are both given."""
    if args.header_row is not None and args.header is False:
        from datatools.errors import BadOption

        raise BadOption("--no-header and --header-row contradict each other: choose one.",
                        code="header_row_no_header")
    return {"encoding": args.encoding, "delimiter": args.delimiter, "header": args.header,
            "sheet": args.sheet, "header_row": args.header_row}


def column_list(text: str) -> list[str]:
    """argparse type for `--columns a,b,c`: the names, stripped, none empty."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of column names")
    return names


def write_output(frame, target: str, args: argparse.Namespace, inputs: list,
                 progress: Progress | None = None, source=None, same_cells: bool = False) -> list[str]:
    """Write a command's result table to `target` (-o OUT or a report beside it) with the
    command's --force and --escape-formulas, the bar showing the rows written, in the CSV
    dialect of `source` (the first input's `Table`, see `output_dialect`); return what the
    user is told about it (warnings). `same_cells`: `frame` is `source` row for row and column
    for column (clean's result), so an .xlsx keeps the workbook's cells it did not change."""
    from datatools.io import write_table
    from datatools.io.xlsx_cells import input_sheet, source_cells

    dialect = output_dialect(target, args, source.path, source.delimiter, source.encoding) \
        if source is not None else output_dialect(target, args)
    written = write_table(frame, target, force=args.force, inputs=inputs,
                          escape_formulas=getattr(args, "escape_formulas", False),
                          progress=progress, source=source_cells(source) if same_cells else None,
                          sheet=input_sheet(source, inputs), **dialect)
    return list(written.notices())


def output_dialect(target: str, args: argparse.Namespace, path=None, delimiter: str = "",
                   encoding: str = "") -> dict:
    """How a command writes a CSV OUT, as `write_table` keyword arguments (DECISIONS 225):
    the separator of the input `path` (read with `delimiter`, "" for a spreadsheet: commas),
    so a German Excel export separated by `;` comes back separated by `;`; tabs for a `.tsv`
    OUT; `--output-delimiter` over both. A byte order mark when the input began with one, when
    it was in a legacy code page (cp1252, Mac Roman …: a spreadsheet's export, and the Excel that
    wrote it reads UTF-8 only after a mark), or with `--bom`; never with `--no-bom`; Excel's `sep=` first line when the
    input began with one. The input's line ends (CRLF from a Windows export stays CRLF, as the
    window's save keeps them: a spreadsheet user's file comes back as it came; DECISIONS 515).
    A spreadsheet input (.xlsx, .xls, .ods …) gives a byte order mark too, and LF (DECISIONS
    555). Always UTF-8, the form scripts read."""
    from pathlib import Path

    from datatools.app.saving import file_habits

    from datatools.io.excel import SPREADSHEET_SUFFIXES

    bom, sep_line, newline = False, False, "\n"
    if path is not None and delimiter:
        habits = file_habits(Path(path), delimiter, encoding)
        legacy = not habits.encoding.startswith(("utf-8", "utf-16", "utf-32"))
        bom, sep_line, newline = habits.bom or legacy, habits.sep_line, habits.newline
    elif path is not None and Path(path).suffix.lower() in SPREADSHEET_SUFFIXES:
        bom = True      # a workbook's table goes back to a spreadsheet (DECISIONS 555)
    if getattr(args, "bom", None) is not None:      # --bom or --no-bom
        bom = args.bom
    chosen = getattr(args, "output_delimiter", None)
    if chosen is None:
        chosen = "\t" if Path(target).suffix.lower() == ".tsv" else (delimiter or ",")
    return {"delimiter": chosen, "bom": bom, "sep_line": sep_line and chosen == delimiter,
            "newline": newline}


def check_output(output: str | None, force: bool, inputs: list[str]) -> None:
    """Refuse before any work: an OUT that is one of the inputs, or that exists without --force.

    The same check the writer makes at write time (datatools/safe_write.py), made early so a
    long run does not end in a refusal.
    """
    from datatools.safe_write import guard_target

    if output:
        guard_target(output, inputs=inputs, force=force)


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


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """--engine and --memory-limit: which engine runs the tool (chosen by size by default)."""
    from datatools.large.engine import ENGINES, parse_size

    group = parser.add_argument_group("large files")
    group.add_argument("--engine", choices=ENGINES, default="auto",
                       help="memory: pandas, the whole table in memory; duckdb: a working copy "
                            "on disk and a fixed memory budget; auto (default) picks duckdb for "
                            "large inputs and says so on stderr")
    group.add_argument("--memory-limit", metavar="SIZE", type=parse_size,
                       help="the duckdb engine's memory limit, e.g. 512MB or 2GB "
                            "(default: a sixteenth of this machine's RAM, 256MB to 1GB)")


def choose_engine(args: argparse.Namespace, err: TextIO, paths: list) -> str:
    """The engine for this run ("memory" or "duckdb"); a note on stderr says which and why
    (not with -q, nor with --json unless stderr is a terminal, nor when an input is missing:
    the reader's "Cannot open" is then the one line)."""
    from datatools.large.engine import choose_engine as choose, default_memory_limit, human_size
    from datatools.large.workcopy import cache_folder

    choice = choose(getattr(args, "engine", "auto"), paths)
    if not quiet_stderr(args, err) and all(os.path.exists(p) for p in paths):
        if choice.engine == "duckdb":
            limit = args.memory_limit or default_memory_limit()
            err.write(f"datatools: engine duckdb ({choice.reason}); memory limit {human_size(limit)}, "
                      f"working copy in {cache_folder()}\n")
        else:
            err.write(f"datatools: engine memory ({choice.reason})\n")
        err.flush()
    return choice.engine


def large_read_options(args: argparse.Namespace) -> dict[str, Any]:
    """`read_options` plus the memory limit, as `large_job` takes them."""
    return {**read_options(args), "memory_limit": args.memory_limit}


def engine_report(job) -> dict[str, Any]:
    """What the JSON report says of a duckdb run: the limit and the working copy's disk use."""
    return {"name": "duckdb", "memory_limit": job.memory_limit,
            "working_copy_bytes": job.copy.disk_bytes(), "rows": job.copy.rows}


def memory_engine_report() -> dict[str, Any]:
    """What the JSON report says of an in-memory run: its `name`, as on the engine line."""
    return {"name": "memory"}


def memory_only_note(args: argparse.Namespace, err: TextIO, paths: list, tool: str) -> None:
    """For a tool without a duckdb engine yet: say on stderr, when the inputs are large enough
    that `auto` would have chosen duckdb, that the tool still holds them in memory."""
    from datatools.large.engine import choose_engine as choose, human_size

    choice = choose("auto", paths)
    if choice.engine == "duckdb" and not quiet_stderr(args, err):
        total = sum(Path(p).stat().st_size for p in paths if Path(p).is_file())
        err.write(f"datatools: engine memory ({tool} has no duckdb engine yet; its {human_size(total)} "
                  f"of input may need about {human_size(5 * total)} of memory)\n")
        err.flush()
