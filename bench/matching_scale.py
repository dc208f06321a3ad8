"""Duplicate finding at 100 k and 1 M generated rows: time, peak memory and F1, beside the peers.

Each approach runs in a fresh process (so peak RSS is its own) on the same generated CSV:
ours (`find_duplicates` at defaults on all six columns), string_grouper on the joined columns
(default settings; in the peers' environment, bench/peers, which reads the CSV with pandas 2),
and rapidfuzz all-pairs `cdist` on the joined columns (100 k only: its 1 M is quadratic, hours). "ours end to end" is the command a user types, `datatools dedupe FILE
--columns … -o OUT`, timed from start to written file with its peak RSS, printed beside the
figures issue 13 measured before its changes (TODAY_*). Goal (issue 13): 1 M rows end to end in
<= 30 s and <= 1.2 GB, F1 >= 0.95.
Set DATATOOLS_BENCH_QUICK=1 to skip string_grouper at 1 M. A peer that runs longer than
DATATOOLS_BENCH_PEER_LIMIT seconds (default 900) is stopped and reported as "over N s" with the
memory it had reached, so one slow peer cannot hold the whole run for an hour.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

RAPIDFUZZ_THRESHOLD = 85   # fuzz.ratio on the joined row; a fair fixed cut for this data
RAPIDFUZZ_CHUNK = 500
# 1 M rows before issue 13's changes, as the issue measured them: end to end, peak, in the engine.
TODAY_END_TO_END_S, TODAY_PEAK_MB, TODAY_ENGINE_S = 39.0, 1.89 * 1024, 28.8
GOAL_END_TO_END_S, GOAL_PEAK_MB = 30.0, 1.2 * 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(path: str):
    from datatools.io import read_table

    return read_table(path).frame


def _joined(frame) -> list[str]:
    from synthetic.people import COLUMNS

    return frame[COLUMNS].agg(" ".join, axis=1).tolist()


def run_ours(path: str) -> tuple[set, float]:
    from datatools.tools.dedupe import find_duplicates
    from synthetic.people import COLUMNS

    frame = _read(path)
    start = time.perf_counter()
    result = find_duplicates(frame, COLUMNS)
    seconds = time.perf_counter() - start
    found = set()
    for cluster in result.clusters:
        rows = cluster.rows
        found.update((rows[i], rows[j]) for i in range(len(rows)) for j in range(i + 1, len(rows)))
    return found, seconds


def run_ours_end_to_end(path: str) -> tuple[set, float]:
    """`datatools dedupe` as a user runs it: read, find, write; its own process (RSS: children)."""
    import csv
    import subprocess

    from synthetic.people import COLUMNS

    output = path + ".grouped.csv"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "datatools", "dedupe", path, "--columns", ",".join(COLUMNS),
                    "-o", output, "-q", "--force"], check=True, cwd=HERE.parent)
    seconds = time.perf_counter() - start
    members: dict = {}
    with open(output, encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.DictReader(handle)):
            if record["cluster_id"]:
                members.setdefault(record["cluster_id"], []).append(row)
    os.remove(output)
    found = set()
    for rows in members.values():
        found.update((rows[i], rows[j]) for i in range(len(rows)) for j in range(i + 1, len(rows)))
    return found, seconds


def run_rapidfuzz_all_pairs(path: str) -> tuple[set, float]:
    import numpy as np
    from rapidfuzz import fuzz, process

    strings = [text.lower() for text in _joined(_read(path))]
    start = time.perf_counter()
    found = set()
    for first in range(0, len(strings), RAPIDFUZZ_CHUNK):
        block = process.cdist(strings[first:first + RAPIDFUZZ_CHUNK], strings, scorer=fuzz.ratio,
                              score_cutoff=RAPIDFUZZ_THRESHOLD, dtype=np.uint8, workers=-1)
        rows, cols = np.nonzero(block)
        rows = rows + first
        keep = rows < cols
        found.update(zip(rows[keep].tolist(), cols[keep].tolist()))
    return found, time.perf_counter() - start


def _child(function_name: str, path: str, truth_path: str, queue) -> None:
    from synthetic.people import pair_scores

    try:
        found, seconds = globals()[function_name](path)
        with open(truth_path, "rb") as handle:
            truth = pickle.load(handle)
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        queue.put((seconds, max(_peak_mb(), children), *pair_scores(found, truth), ""))
    except Exception as exc:  # report a peer's failure in the table instead of stopping
        queue.put((float("nan"), _peak_mb(), float("nan"), float("nan"), float("nan"),
                   f"failed: {type(exc).__name__}: {exc}"[:70]))


def _peak_mb_of(pid: int) -> float:
    """Peak resident memory of a running process, from /proc (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def measure_string_grouper(path: str, truth_path: str, limit: float) -> tuple:
    """string_grouper at its defaults, in the peers' environment (bench/peers; it needs pandas < 3):
    its own process reads the CSV with pandas and groups the joined columns. Its seconds are the
    grouping's, its peak the whole process's."""
    import json
    import subprocess

    from peers import peer_command, read_pairs
    from synthetic.people import COLUMNS, pair_scores

    nan = float("nan")
    out = path + ".pairs.parquet"
    try:
        process = subprocess.Popen(peer_command("group-csv", path, ",".join(COLUMNS), out),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except RuntimeError as exc:     # no peers' environment
        return (nan, nan, nan, nan, nan, f"failed: {exc}"[:70])
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        peak = _peak_mb_of(process.pid)
        process.kill()
        process.communicate()
        return (nan, peak, nan, nan, nan, f"stopped: over {limit:.0f} s")
    if process.returncode:
        return (nan, nan, nan, nan, nan, f"failed: {(stderr.strip().splitlines() or [''])[-1]}"[:70])
    figures = json.loads(stdout.strip().splitlines()[-1])
    with open(truth_path, "rb") as handle:
        truth = pickle.load(handle)
    found = read_pairs(out)
    os.remove(out)
    return (figures["seconds"], figures["peak_mb"], *pair_scores(found, truth), "")


def measure(function_name: str, path: str, truth_path: str, limit: float | None = None):
    import queue as queues

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(function_name, path, truth_path, queue))
    process.start()
    try:
        result = queue.get(timeout=limit)
    except queues.Empty:
        peak = _peak_mb_of(process.pid)
        process.kill()
        process.join()
        nan = float("nan")
        return (nan, peak, nan, nan, nan, f"stopped: over {limit:.0f} s")
    process.join()
    return result


def main() -> int:
    from datatools.io import write_table
    from synthetic.people import generate

    quick = os.environ.get("DATATOOLS_BENCH_QUICK") == "1"
    peer_limit = float(os.environ.get("DATATOOLS_BENCH_PEER_LIMIT", "900"))
    table = []
    with tempfile.TemporaryDirectory() as folder:
        for rows in (100_000, 1_000_000):
            frame, truth = generate(rows)
            path = os.path.join(folder, f"people-{rows}.csv")
            truth_path = os.path.join(folder, f"truth-{rows}.pickle")
            write_table(frame, path)
            with open(truth_path, "wb") as handle:
                pickle.dump(truth, handle)
            del frame
            plan = [("ours (defaults)", "run_ours"), ("ours end to end (CLI)", "run_ours_end_to_end")]
            if not (quick and rows > 100_000):
                plan.append(("string_grouper (default 0.8)", "string_grouper"))
            if rows <= 100_000:
                plan.append((f"rapidfuzz all-pairs >= {RAPIDFUZZ_THRESHOLD}", "run_rapidfuzz_all_pairs"))
            for label, function_name in plan:
                limit = None if function_name.startswith("run_ours") else peer_limit
                figures = (measure_string_grouper(path, truth_path, limit) if function_name == "string_grouper"
                           else measure(function_name, path, truth_path, limit))
                table.append((rows, label, len(truth), *figures))
                print(f"{rows:,} {label}: {figures[0]:.1f} s, {figures[1]:.0f} MB, F1 {figures[4]:.3f}",
                      file=sys.stderr, flush=True)
    print(f"\n{'rows':>9} {'approach':30} {'true pairs':>10} {'time s':>8} {'peak MB':>8} "
          f"{'precision':>9} {'recall':>7} {'F1':>6}  note")
    for rows, label, pairs, seconds, peak, precision, recall, f1, note in table:
        print(f"{rows:9,} {label:30} {pairs:10,} {seconds:8.1f} {peak:8.0f} {precision:9.3f} "
              f"{recall:7.3f} {f1:6.3f}  {note}")
    for rows in (100_000, 1_000_000):
        ours = next(r for r in table if r[0] == rows and r[1] == "ours (defaults)")
        for other in (r for r in table if r[0] == rows and not r[1].startswith("ours")):
            if other[3] == other[3]:  # not NaN
                print(f"{rows:,} rows: {other[1]} takes {other[3] / ours[3]:.1f}x our time")
    engine = next(r for r in table if r[0] == 1_000_000 and r[1] == "ours (defaults)")
    whole = next(r for r in table if r[0] == 1_000_000 and r[1] == "ours end to end (CLI)")
    print(f"\n1 M rows      {'today (before issue 13)':>24} {'now':>10} {'ratio':>6}")
    print(f"end to end s  {TODAY_END_TO_END_S:24.1f} {whole[3]:10.1f} {whole[3] / TODAY_END_TO_END_S:6.2f}")
    print(f"peak MB       {TODAY_PEAK_MB:24.0f} {whole[4]:10.0f} {whole[4] / TODAY_PEAK_MB:6.2f}")
    print(f"in engine s   {TODAY_ENGINE_S:24.1f} {engine[3]:10.1f} {engine[3] / TODAY_ENGINE_S:6.2f}")
    met = whole[3] <= GOAL_END_TO_END_S and whole[4] <= GOAL_PEAK_MB and whole[7] >= 0.95
    print(f"Goal at 1 M (end to end <= {GOAL_END_TO_END_S:.0f} s, <= {GOAL_PEAK_MB:.0f} MB, "
          f"F1 >= 0.95): {'met' if met else 'NOT met'} "
          f"({whole[3]:.1f} s, {whole[4]:.0f} MB, F1 {whole[7]:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
