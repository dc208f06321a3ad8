"""How the `datatools` process ends: with the command's exit code, never with SIGABRT.

pyarrow's and DuckDB's thread pools are native threads that call into Python (a read-ahead from
a Python file object, a transcoding codec, dropping a reference to one). When the command returns
while such a thread is still at work, Python 3.11's finalization ends that thread with
`pthread_exit`, whose unwinding through the library's C++ frames calls `std::terminate`: the
process prints "terminate called without an active exception" and dies of SIGABRT (exit -6,
134 in a shell) after it has already printed its answer. CPython gh-87135 describes the fault
(3.14 hangs such threads instead); apache/arrow#34314 and duckdb/duckdb#13904 are the reports on
the two libraries. A reader that stops early (a missing column found right after reading) hits it
most often.

So the process does its own orderly part of the shutdown — joins its own non-daemon threads,
runs the `atexit` handlers (temporary folders are removed there), flushes stdout and stderr —
and then leaves with `os._exit`, without the interpreter's finalization that the native threads
race with. mod_wsgi ends its processes the same way for the same reason.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import Callable, NoReturn


def run_and_leave(main: Callable[[], int]) -> NoReturn:
    """Run `main` (returns the exit code) and end the process with that code (`leave`). What
    `sys.exit(main())` gives otherwise stays the same: a SystemExit's code, or the traceback of
    an uncaught exception and exit code 1."""
    try:
        code = main()
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except BaseException:   # noqa: BLE001 - printed as Python prints it, then exit 1
        sys.excepthook(*sys.exc_info())
        code = 1
    leave(code)


def leave(code: int) -> NoReturn:
    """End the process with exit `code` (0–255) after joining the threads Python would join,
    running the `atexit` handlers and flushing stdout and stderr; native threads still running
    are not waited for (see the module's docstring). A stdout closed by its reader
    (`datatools … | head`) is not an error."""
    current = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon and thread.is_alive():
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass
    os._exit(code)


def _exit_code(value: object) -> int:
    """The exit code `sys.exit(value)` gives: None is 0, an int itself, anything else is
    printed to stderr and gives 1."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1
