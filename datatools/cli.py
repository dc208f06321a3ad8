"""The `datatools` command: one subcommand per tool, each defined in its own module.

Every command module exposes `register(subparsers)`; the parser it adds sets `run`, a function
`run(args, out, err) -> int`. Errors are turned into a message and an exit code here, once:
0 ok, 1 bad input or a failed check, 2 usage (also an option the input cannot take).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Sequence, TextIO

from datatools.errors import BadOption, Cancelled, CommandError, DataToolsError
from datatools.registry import TOOLS
from datatools.terminal import shown
from datatools.version import RELEASE_DATE, __version__

# Modules that add subcommands, in the order `--help` lists them: the license commands, one per
# data tool in the registry's order, then `run` (replays a recipe). Each stays cheap to import:
# heavy libraries (pandas, rapidfuzz) load inside the command's `run`.
COMMAND_MODULES = ["datatools.commands.license", *(tool.command for tool in TOOLS.values()),
                   "datatools.commands.run"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="datatools",
        description="Offline data-cleaning tools. Your data never leaves your computer.",
        epilog="Without a COMMAND, opens the DataTools window. "
               "Example: datatools license activate license.txt\n\n" + EXIT_CODES,
        formatter_class=ParagraphFormatter,
    )
    parser.add_argument("--version", action="version",
                        version=f"datatools {__version__} (released {RELEASE_DATE.isoformat()})")
    # No subcommand opens the desktop app; these options choose how (datatools/app/launch.py).
    from datatools.app.launch import add_launch_options

    add_launch_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    _add_exit_codes(subparsers)
    return parser


class ParagraphFormatter(argparse.HelpFormatter):
    """argparse's wrapping, paragraph by paragraph: a blank line in a description or epilog stays."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(super(ParagraphFormatter, self)._fill_text(part, width, indent)
                           for part in text.split("\n\n"))


EXIT_CODES = "exit codes: 0 done, 1 the input cannot be used, 2 a wrong command line or option value"


def _add_exit_codes(subparsers: argparse._SubParsersAction) -> None:
    """End every command's `--help` with the exit codes, below its example."""
    for command in subparsers.choices.values():
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            _add_exit_codes(nested[0])
        if not issubclass(command.formatter_class, argparse.RawDescriptionHelpFormatter):
            command.formatter_class = ParagraphFormatter
        command.epilog = (command.epilog or "").rstrip("\n") + "\n\n" + EXIT_CODES


def _fail(args: argparse.Namespace, err: TextIO, exc: DataToolsError, exit_code: int) -> int:
    """Print the error once and give its exit code. With `--json` the error stream gets one
    JSON object instead of the sentence, so a script reads the code without parsing English:
    `{"error": {"code", "message", "params", "exit_code"}}`."""
    if getattr(args, "json", False):
        error = {"code": exc.code, "message": exc.message,
                 "params": {k: str(v) for k, v in getattr(exc, "params", {}).items()},
                 "exit_code": exit_code}
        print(json.dumps({"error": error}, ensure_ascii=False), file=err)
    else:
        print(f"datatools: {shown(exc.message)}", file=err)
    return exit_code


def tolerate_narrow_console(stream: TextIO) -> TextIO:
    """Let a stream whose code page cannot hold every character escape those it cannot write.

    Windows gives a redirected or piped stdout the ANSI code page (cp1252 and the like), and a
    POSIX `LANG=C` gives ASCII: printing `Łukasz` there would end in a UnicodeEncodeError
    traceback. Such a stream now writes `\u0141ukasz` instead; UTF-8 streams are left alone.
    """
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding not in ("utf8", "utf16", "utf32", "") and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="backslashreplace")
    return stream


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    out = stdout or tolerate_narrow_console(sys.stdout)
    err = stderr or tolerate_narrow_console(sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    except BadOption as exc:   # an option value the registry's check refused
        wanted_json = "--json" in (sys.argv[1:] if argv is None else argv)
        return _fail(argparse.Namespace(json=wanted_json), err, exc, 2)
    run = getattr(args, "run", None)
    # The commands that read tables import pandas next anyway; license and encoding never do.
    if getattr(args, "command", None) not in (None, "license", "encoding"):
        from datatools.pandas_floor import older_pandas, older_pandas_message

        version = older_pandas()
        if version:
            print(f"datatools: {older_pandas_message(version)}", file=err)
            return 1
    if run is None:
        from datatools.app.launch import run_desktop

        run = run_desktop
    try:
        return run(args, out, err)
    except CommandError as exc:
        return _fail(args, err, exc, exc.exit_code)
    except BadOption as exc:  # an option the table cannot take (a column it lacks): usage
        return _fail(args, err, exc, 2)
    except Cancelled as exc:   # Ctrl-C while DuckDB ran a query: the same answer as below
        if getattr(args, "json", False):
            return _fail(args, err, exc, 130)
        print("datatools: cancelled", file=err)
        return 130
    except DataToolsError as exc:
        return _fail(args, err, exc, 1)
    except KeyboardInterrupt:
        print("datatools: cancelled", file=err)
        return 130
    except BrokenPipeError:
        # `datatools … | head` closed the pipe: not an error worth a traceback.
        sys.stdout = None  # type: ignore[assignment]
        return 0


def console() -> None:
    """The `datatools` console script: `main()`, then the process ends with its exit code by
    datatools/leaving.py (never by SIGABRT from a native thread pool at interpreter exit)."""
    from datatools.leaving import run_and_leave

    run_and_leave(main)
