"""Read a spreadsheet in a child process with a memory limit, so one bad file cannot kill the app.

python-calamine is fast, but a workbook it cannot hold makes it abort the whole process (a
failed allocation in Rust is not an exception). The desktop's server, its window and every
other job would go with it. So the reading runs in a child process: the package is checked
first (datatools/io/sheet_guard.py), then `excel.read_sheet_rows` runs in the child under an
address-space limit (`RLIMIT_AS`; none on Windows, which has no such limit), and its rows come
back pickled on the child's stdout. A child that dies answers BadInput `sheet_too_large`; Cancel
stops it at once.

    python -m datatools.io.sheet_process   # the child; reads its request on stdin
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from datatools.errors import BadInput, BadOption, DataToolsError
from datatools.io.sheet_guard import check_workbook
from datatools.progress import Progress, silent

FROZEN_FLAG = "--datatools-sheet-reader"   # the bundled program's entry point runs the child
POLL_SECONDS = 0.2


def memory_limit() -> int:
    """Bytes of address space the child may use: half the machine's memory, 2–8 GiB."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        physical = 8 << 30
    return max(2 << 30, min(physical // 2, 8 << 30))


def read_sheet(path: Path, sheet: str | int | None, warnings: list[str],
               progress: Progress | None = None):
    """`excel.read_sheet_rows(path, sheet, warnings)`, checked first and run in a child.

    Raises what `sheet_guard.check_workbook` and `read_sheet_rows` raise, BadInput
    `sheet_too_large` when the child runs out of its memory, Cancelled when cancelled.
    """
    check_workbook(path)
    rows, found = _in_child(("rows", str(path), sheet), path, progress or silent())
    warnings.extend(found)
    return rows


def sheet_names(path: Path) -> list[str]:
    """`excel.sheet_names(path)`, checked first and run in a child (see `read_sheet`)."""
    check_workbook(path)
    return _in_child(("names", str(path), None), path, silent())[0]


def _command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, FROZEN_FLAG]
    return [sys.executable, "-m", "datatools.io.sheet_process"]


def _in_child(request: tuple, path: Path, progress: Progress):
    child = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,   # noqa: S603
                             stderr=subprocess.PIPE)
    payload: bytes | None = pickle.dumps((request, memory_limit()))
    try:
        while True:
            try:
                out, _ = child.communicate(payload, timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                payload = None         # given once; communicate keeps what it has read
                progress.update(0.05, "opening spreadsheet")    # raises Cancelled when asked
    except BaseException:
        child.kill()
        child.communicate()
        raise
    try:
        answer = pickle.loads(out) if child.returncode == 0 else None
    except (pickle.UnpicklingError, EOFError, ValueError):
        answer = None
    if answer is None:
        raise BadInput(f"{path.name} needs more memory to read than DataTools gives one "
                       f"workbook ({memory_limit() >> 30} GiB), or it is damaged. Save its sheet "
                       "as CSV in a spreadsheet program and read that.", code="sheet_too_large",
                       params={"file": path.name, "cells": ""})
    kind, value, extra = answer
    if kind == "error":       # rebuilt here: an exception's pickle keeps only its message
        name, message, code, params = value
        raise (BadOption if name == "BadOption" else BadInput)(message, code=code, params=params)
    return value, extra


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:        # Windows: no address-space limit to set
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def child_main() -> int:
    """The child: read the pickled request on stdin, answer pickled on stdout."""
    (operation, name, sheet), limit = pickle.loads(sys.stdin.buffer.read())
    _limit_memory(limit)
    from datatools.io import excel

    warnings: list[str] = []
    try:
        if operation == "names":
            answer = ("ok", excel.sheet_names(Path(name)), [])
        else:
            answer = ("ok", excel.read_sheet_rows(Path(name), sheet, warnings), warnings)
    except MemoryError:
        return 3               # the parent says the sheet needs more memory than allowed
    except DataToolsError as exc:
        answer = ("error", (type(exc).__name__, exc.message, exc.code,
                            {k: str(v) for k, v in getattr(exc, "params", {}).items()}), [])
    except Exception as exc:  # calamine's own error types for files it cannot parse
        answer = ("error", ("BadInput", f"{Path(name).name} is not a readable spreadsheet ({exc}).",
                            "bad_spreadsheet", {"file": Path(name).name}), [])
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
