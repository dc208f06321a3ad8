"""The window's match job (the adapter the server runs, review included) on both engines: CPU
seconds of the run, of a page and of Save, peak RSS, RSS held with the review open, the kept
files' sizes, whether the saved files are the same bytes. The tables are bench/scale_match.py's
halves of the people table.

    .venv/bin/python bench/window_match.py --rows 300000
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def one(engine: str, left: Path, right: Path, folder: Path, memory_limit: int) -> None:
    """Run, page and save in this process; print one line of figures."""
    if engine == "duckdb":
        os.environ["DATATOOLS_LARGE_SIZE"] = "1KB"
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    from scale_dedupe import COLUMNS

    from datatools.app.inputs import InputSpec
    from datatools.app.review import GroupFilter
    from datatools.app.tool_jobs import TOOLS, run_match
    from datatools.progress import silent

    options = TOOLS["match"].check({"on": COLUMNS.split(",")})
    start = time.process_time()
    result = run_match([InputSpec(path=left), InputSpec(path=right)], options, None, silent(), folder,
                       memory_limit=memory_limit)
    ran = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    held = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20
    start = time.process_time()
    result.review.page(GroupFilter.from_json({}), "score", 2)
    paged = time.process_time() - start
    held_in = getattr(result, "folder", None)
    kept = [(p.name, p.stat().st_size) for p in sorted(held_in.iterdir())] if held_in else []
    start = time.process_time()
    result.write(folder / f"window-match-{engine}.csv", force=True)
    saved = time.process_time() - start
    getattr(result, "close", lambda: None)()
    print(f"{engine:<8} run {ran:7.1f} s CPU  save {saved:5.1f} s CPU  peak {peak:6,} MB  "
          f"held {held:6,} MB  matched {result.summary['matched']:,} possible {result.summary['possible']:,}  "
          f"page {paged * 1000:.0f} ms CPU" + "".join(f"  {name} {size >> 10:,} KB" for name, size in kept),
          flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "datatools-scale")
    parser.add_argument("--memory-limit", type=int, default=256 << 20, help="bytes")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from scale_dedupe import made
    from scale_match import halves

    if args.one:
        table = args.folder / f"people-{args.rows}.csv"     # scale_dedupe.generate's name
        one(args.one, *halves(table)[:2], args.folder, args.memory_limit)
        return 0
    table, _ = made(args.rows, args.folder)
    left, right, half = halves(table)
    print(f"{half:,} rows matched to {args.rows - half:,}; memory limit {args.memory_limit >> 20} MB")
    for engine in ("memory", "duckdb"):
        subprocess.run([sys.executable, __file__, "--one", engine, "--folder", str(args.folder), "--rows", str(args.rows),
                        "--memory-limit", str(args.memory_limit)], check=True)
    same = (args.folder / "window-match-memory.csv").read_bytes() == \
        (args.folder / "window-match-duckdb.csv").read_bytes()
    print("the two engines saved " + ("the same bytes" if same else "DIFFERENT files"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
