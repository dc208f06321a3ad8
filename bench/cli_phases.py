"""Where a `datatools` command spends its CPU, phase by phase (issue 27's large dedupe).

    .venv/bin/python bench/cli_phases.py dedupe people-1000000.csv --columns ... --engine duckdb -o OUT -q

Runs the command in this process (`datatools.cli.main`, the arguments as given) and prints the
CPU seconds (user + system, every thread: DuckDB's and rapidfuzz's too) and the wall seconds of
each phase its progress messages name, counts dropped ("compared 3 of 8 batches of pairs" is
"compared … of … batches of pairs"), then the whole run's and this process's peak resident
memory (this process's alone: bench/peak.py sums a worker's). A phase runs from its first
message to the next message of another name, so a step
that reports only when it ends is counted under the message before it. `-q` keeps the progress
bar off; the messages are still heard. bench/dedupe_phases.py does the same for the window's
in-memory job.
"""

from __future__ import annotations

import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def cpu() -> float:
    """This process's CPU seconds so far, every thread's, and its ended children's: a dedupe's
    scoring worker (DECISIONS 409) is counted in the phase it ends in, its scoring's."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime + ended.ru_utime + ended.ru_stime


def main(argv: list[str]) -> int:
    from datatools import progress
    from datatools.cli import main as datatools

    phases: dict[str, list[float]] = {}     # name → [CPU s, wall s], in first-heard order
    current = [None, cpu(), time.monotonic()]
    heard = progress.Progress.update

    def close() -> None:
        if current[0] is not None:
            spent = phases.setdefault(current[0], [0.0, 0.0])
            spent[0] += cpu() - current[1]
            spent[1] += time.monotonic() - current[2]

    def update(self, fraction: float, message: str = "") -> None:
        name = re.sub(r"[\d,.]+", "…", message) or "(no message)"
        if name != current[0]:
            close()
            current[:] = [name, cpu(), time.monotonic()]
        heard(self, fraction, message)

    progress.Progress.update = update
    started, used = time.monotonic(), cpu()
    code = datatools(argv)
    close()
    for name, (seconds, wall) in phases.items():
        print(f"{seconds:8.1f} CPU s {wall:8.1f} wall s  {name}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"total {cpu() - used:.1f} CPU s, {time.monotonic() - started:.1f} wall s, "
          f"peak {peak:,.0f} MB, exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
