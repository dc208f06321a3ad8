"""Where the window's find-duplicates run spends its CPU, phase by phase (issue 30).

    .venv/bin/python bench/dedupe_phases.py [FILE] [--profile OUT.prof] [--cold]

Runs what the app's job thread runs for the dedupe tool (`datatools.app.tool_jobs`: reading the
file, `find_duplicates`, the review), then the review's first page as JSON (what the window
asks for to show the first group), in this process, on FILE (default: a German customer list of
50,000 rows of the common-name shape, bench/synthetic/customers.py) with the seven columns
bench/desktop_review.py ticks. Prints the CPU seconds (user + system, every thread) and the
seconds on the clock of each phase the run's own progress messages name (counts dropped:
"compared 75,000 of 600,000 pairs" is "compared … pairs"), of the review and of the first page, of the scoring workers that ran beside it
(DECISIONS 409, 436; none at 50,000 rows by default), and the load average beside them: CPU
seconds, which other work on a busy machine does not inflate as it inflates the wall clock. A run
before the measured one warms the imports, as the app's file preview has before Run; `--cold`
measures instead the first run after the file's preview, as a window's first Run is (the
first-use costs: tables and patterns each process builds once, DECISIONS 413).
`--profile OUT` also writes a cProfile of the measured run (timed by CPU, not the wall clock).
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

COLUMNS = ["first", "last", "street", "zip", "city", "phone", "email"]


def cpu() -> float:
    """This process's CPU seconds so far, every thread's."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def run(source: Path, profile: Path | None = None) -> list[tuple[str, float, float]]:
    """(phase, CPU seconds, seconds on the clock) of one window run on `source`, in order."""
    import cProfile

    from datatools.app.inputs import InputSpec
    from datatools.app.review import GroupFilter
    from datatools.app.tool_jobs import TOOLS
    from datatools.progress import Progress

    phases: list[tuple[str, float, float]] = []
    clock = [cpu(), time.perf_counter()]

    def close(now: float, wall: float) -> None:
        name, used, took = phases[-1]
        phases[-1] = (name, used + now - clock[0], took + wall - clock[1])

    def heard(_fraction: float, message: str) -> None:
        name = re.sub(r"[\d,.]+", "…", message) or "(no message)"
        if not phases or phases[-1][0] != name:
            now, wall = cpu(), time.perf_counter()
            if phases:
                close(now, wall)
            phases.append((name, 0.0, 0.0))
            clock[:] = [now, wall]

    tool = TOOLS["dedupe"]
    options = tool.check({"columns": COLUMNS})
    spec = InputSpec.from_json({"path": str(source)})
    profiler = cProfile.Profile(time.process_time) if profile else None
    with tempfile.TemporaryDirectory() as work:
        if profiler:
            profiler.enable()
        clock[:] = [cpu(), time.perf_counter()]
        result = tool.run([spec], options, None, Progress(heard), Path(work))
        now, wall = cpu(), time.perf_counter()
        close(now, wall)
        json.dumps(result.to_json(), default=str)
        json.dumps(result.review.page(GroupFilter(), "score", 1))
        phases.append(("the job's answer and the first page as JSON", cpu() - now,
                       time.perf_counter() - wall))
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
    return phases


def main() -> int:
    args = sys.argv[1:]
    profile = None
    cold = "--cold" in args
    args = [a for a in args if a != "--cold"]
    if "--profile" in args:
        at = args.index("--profile")
        profile = Path(args[at + 1])
        del args[at:at + 2]
    with tempfile.TemporaryDirectory() as tmp:
        if args:
            source = Path(args[0])
        else:
            from synthetic.customers import customers

            source = Path(tmp) / "kunden-50000.csv"
            customers("de", 50_000)[0].to_csv(source, index=False)
        if cold:                        # what the window has done before Run: the preview
            from datatools.app.inputs import InputSpec, preview_file

            preview_file(InputSpec.from_json({"path": str(source)}), rows=200)
        else:
            run(source)                 # imports and first-use caches, as in a running app
        start = time.perf_counter()
        phases = run(source, profile)
        seconds = time.perf_counter() - start
    total = sum(used for _, used, _ in phases)
    print(f"{'CPU s':>7} {'clock s':>7}  phase ({source.name})")
    for name, used, took in phases:
        print(f"{used:7.2f} {took:7.2f}  {name}")
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker = kids.ru_utime + kids.ru_stime      # ended scoring workers (DECISIONS 436)
    print(f"{worker:7.2f} {'':7}  the scoring workers (beside this process)")
    print(f"{total + worker:7.2f} {seconds:7.2f}  in all ({seconds:.2f} s on the clock, load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
