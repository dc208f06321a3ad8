"""Peak memory of one command, measured by a small launcher (shared by the scale benchmarks).

Linux carries ru_maxrss across fork and exec: a command forked from a benchmark that has grown
(it generated the table, it holds results) would report the benchmark's own size as its peak.
`measure` therefore starts a small launcher interpreter, which starts the command with
posix_spawn and reports what wait4 gives for it alone: peak resident memory, wall and CPU
seconds (user + system), exit code. tests/test_hostile_files.py measures its runs the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = """
import json, os, sys, time
started = time.monotonic()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    json.dump({"code": os.waitstatus_to_exitcode(status), "peak_kb": usage.ru_maxrss,
               "seconds": time.monotonic() - started, "cpu": usage.ru_utime + usage.ru_stime}, report)
"""


@dataclass
class Run:
    """One measured process: exit code, peak RSS (KiB), wall and CPU seconds, its stdout."""

    code: int
    peak_kb: int
    seconds: float
    cpu: float
    stdout: str = ""

    @property
    def peak_gb(self) -> float:
        return self.peak_kb / (1 << 20)


def measure(argv: list[str], env: dict | None = None, cwd: Path | None = None,
            capture: bool = False) -> Run:
    """Run `argv` (argv[0] an executable path, e.g. sys.executable) in a fresh process under
    the launcher; its stdout is returned when `capture`, else discarded with stderr."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "peak.json"
        done = subprocess.run([sys.executable, "-c", LAUNCHER, str(report), *argv], cwd=cwd,
                              env={**os.environ, **(env or {})}, check=True, text=True,
                              stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        measured = json.loads(report.read_text())
    return Run(measured["code"], measured["peak_kb"], measured["seconds"], measured["cpu"],
               done.stdout or "")
