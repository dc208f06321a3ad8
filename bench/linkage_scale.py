"""`datatools dedupe` end to end on a German customer list of the common-name shape
(bench/synthetic/customers.py: real name frequencies, households, strangers, typos): seconds,
peak memory of the command's process and pair precision / recall of the certain groups.

ROWS (default 1,000,000; several sizes comma-separated) sets the sizes. Goal (issue 30): 1 M
rows <= 60 s and <= 1.5 GB. The command runs in its own process, started by a small launcher
(bench/peak.py) that reports its peak RSS (wait4), so the peak is the command's own.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

GOAL_S, GOAL_MB = 60.0, 1.5 * 1024


def run(path: str) -> tuple[float, float, list[list[int]], list[bool]]:
    """(seconds, peak MB, groups, certain per group) of `datatools dedupe PATH … -o OUT`."""
    from peak import measure     # bench/peak.py: the small launcher

    output = path + ".grouped.csv"
    measured = measure([sys.executable, "-m", "datatools", "dedupe", path, "--columns",
                        "first,last,street,zip,city,phone,email", "-o", output, "-q", "--force"],
                       cwd=HERE.parent)
    if measured.code != 0:
        raise SystemExit(f"datatools dedupe exited with {measured.code}")
    seconds, peak = measured.seconds, measured.peak_kb / 1024
    members: dict[str, list[int]] = {}
    certain: dict[str, bool] = {}
    with open(output, encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.DictReader(handle)):
            if record["cluster_id"]:
                members.setdefault(record["cluster_id"], []).append(row)
                certain[record["cluster_id"]] = record["match_certainty"] == "certain"
    os.remove(output)
    return seconds, peak, list(members.values()), [certain[g] for g in members]


def main() -> int:
    from synthetic.customers import customers
    from synthetic.people import pair_scores

    sizes = [int(n) for n in os.environ.get("ROWS", "1000000").split(",")]
    print(f"{'rows':>9} {'time s':>8} {'peak MB':>8} {'precision':>9} {'recall':>7}  (certain groups)")
    for rows in sizes:
        frame, truth = customers("de", rows)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, f"customers-{rows}.csv")
            frame.to_csv(path, index=False)
            del frame
            seconds, peak, groups, certain = run(path)
        found = set()
        for rows_of, sure in zip(groups, certain):
            if sure:
                found.update((rows_of[i], rows_of[j]) for i in range(len(rows_of))
                             for j in range(i + 1, len(rows_of)))
        precision, recall, _ = pair_scores(found, truth)
        print(f"{rows:9,} {seconds:8.1f} {peak:8.0f} {precision:9.3f} {recall:7.3f}", flush=True)
        if rows == 1_000_000:
            met = seconds <= GOAL_S and peak <= GOAL_MB
            print(f"Goal at 1 M (<= {GOAL_S:.0f} s, <= {GOAL_MB:.0f} MB): "
                  f"{'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
