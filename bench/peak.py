"""Peak memory of one command, measured by a small launcher (shared by the scale benchmarks).

Linux carries ru_maxrss across fork and exec: a command forked from a benchmark that has grown
(it generated the table, it holds results) would report the benchmark's own size as its peak.
`measure` therefore starts a small launcher interpreter, which starts the command with
posix_spawn and reports what wait4 gives for it alone: peak resident memory, wall and CPU
seconds (user + system, its waited-for children's included), exit code.
tests/test_hostile_files.py measures its runs the same way.

A command may start a second process (a dedupe's scoring worker, DECISIONS 409), and wait4's
peak is the largest single process's, never their sum. So on Linux the launcher also samples,
every SAMPLE seconds, the proportional set size (PSS: a page shared by n processes counts 1/n
in each) of the command and every process below it, from /proc/PID/smaps_rollup, and reports
the largest sum seen: `peak_kb` is the larger of the two, `single_kb` wait4's alone. A sample
can miss a peak shorter than its step; the single process's peak is never missed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SAMPLE = 0.1
PROCESSES = """
import os

def tree(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parents.setdefault(int(stat.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found

def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
"""
exec(PROCESSES)   # tree(pid) and pss_kb(pid), also for the window benches' per-phase figures

LAUNCHER = PROCESSES + """
import json, sys, time

started = time.monotonic()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
summed = 0
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        break
    if os.path.exists("/proc/self/smaps_rollup"):
        summed = max(summed, sum(pss_kb(p) for p in tree(pid)))
    time.sleep(%(SAMPLE)s)
with open(sys.argv[1], "w") as report:
    json.dump({"code": os.waitstatus_to_exitcode(status), "single_kb": usage.ru_maxrss,
               "peak_kb": max(usage.ru_maxrss, summed),
               "seconds": time.monotonic() - started, "cpu": usage.ru_utime + usage.ru_stime}, report)
""" % {"SAMPLE": SAMPLE}


@dataclass
class Run:
    """One measured command: exit code, peak memory (KiB: the larger of its largest process's
    RSS and the largest sampled sum of its processes' PSS), wall and CPU seconds (every
    process's), its stdout, and `single_kb`, the largest single process's RSS alone."""

    code: int
    peak_kb: int
    seconds: float
    cpu: float
    stdout: str = ""
    single_kb: int = 0

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
               done.stdout or "", measured["single_kb"])
