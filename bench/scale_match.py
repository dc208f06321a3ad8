"""Match of two large people tables: the duckdb engine beside the in-memory engine, with the
peak memory of each run, whether they wrote the same bytes, and pairwise precision and recall
of the certain matches on the generated truth.

    .venv/bin/python bench/scale_match.py --rows 1000000            # 500,000 rows matched to 500,000
    .venv/bin/python bench/scale_match.py --rows 200000 --memory-limit 64MB --engines duckdb

The two tables are the halves of bench/scale_dedupe.py's people table (bench/synthetic/people.py:
FEBRL-style corrupted duplicates), so a person typed twice may have a row on each side; the
true matches are the truth's pairs with one row in each half. Each run is measured as
scale_dedupe.py measures it (a fresh process; bench/peak.py's launcher).

    .venv/bin/python bench/scale_match.py --rows 10000000 --wide --leads 1000000 --engines auto

`--wide` matches a list of `--leads` new sign-ups (LEFT: people columns, e-mail, date; 80 % of
them a corrupted copy of an export row, the rest new people from the same name pools,
bench/synthetic/export.py's `write_leads`) against scale_dedupe.py's `--wide` customer export
of `--rows` rows (RIGHT, 5.1 GB at 10 M): which sign-ups are customers already. A found match is
right when its export row is the copied row or one of that row's true duplicates; recall counts
the copies. `--engines auto` runs the command at its defaults.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_dedupe import COLUMNS, PYTHON, made, measure, working  # noqa: E402


def halves(table: Path) -> tuple[Path, Path, int]:
    """The table's first and second halves as two CSV files (made once), and the first's rows."""
    left, right = table.with_suffix(".left.csv"), table.with_suffix(".right.csv")
    with open(table, encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in handle) - 1
    half = rows // 2
    if not right.exists():
        with open(table, encoding="utf-8", newline="") as source, \
                open(left, "w", encoding="utf-8", newline="") as first, \
                open(str(right) + ".part", "w", encoding="utf-8", newline="") as second:
            header = source.readline()
            first.write(header)
            second.write(header)
            for number, line in enumerate(source):
                (first if number < half else second).write(line)
        os.replace(str(right) + ".part", right)
    return left, right, half


def scores(output: Path, truth: Path, half: int) -> tuple[float, float]:
    """Pairwise precision and recall of the certain matches in `output` against the truth's
    pairs that join a left row to a right row."""
    reason = re.compile(r"^right row (\d+):")
    found = set()
    with open(output, encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.DictReader(handle)):
            hit = reason.match(record["match_reason"])
            if record["match_certainty"] == "certain" and hit:
                found.add((row, half + int(hit.group(1)) - 1))
    with open(truth, encoding="ascii") as handle:
        true = {pair for pair in (tuple(int(x) for x in line.split(",")) for line in handle)
                if pair[0] < half <= pair[1]}
    right = len(found & true)
    return right / max(len(found), 1), right / max(len(true), 1)


def leads_made(rows: int, export_rows: int, folder: Path) -> tuple[Path, Path]:
    """write_leads' list and truth for the export of `export_rows`, made once, in a child process."""
    table, truth = folder / f"leads-{rows}-of-{export_rows}.csv", folder / f"leads-{rows}-of-{export_rows}.truth"
    if not table.exists():
        subprocess.run([PYTHON, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); from pathlib import Path; "
                        f"from synthetic.export import write_leads; write_leads({rows}, {export_rows}, "
                        f"Path({str(table)!r}), Path({str(truth)!r}))"], check=True)
    return table, truth


def lead_scores(output: Path, truth: Path) -> tuple[float, float]:
    """Precision and recall of the certain matches in `output` (a row per lead) on write_leads' truth."""
    reason = re.compile(r"^right row (\d+):")
    partners: dict[int, set[int]] = {}
    with open(truth, encoding="ascii") as handle:
        for line in handle:
            lead, export = (int(x) for x in line.split(","))
            partners.setdefault(lead, set()).add(export)
    found = right = 0
    with open(output, encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.DictReader(handle)):
            hit = reason.match(record["match_reason"])
            if record["match_certainty"] == "certain" and hit:
                found += 1
                right += int(hit.group(1)) - 1 in partners.get(row, ())
    return right / max(found, 1), right / max(len(partners), 1)


def main_wide(args: argparse.Namespace) -> int:
    """The leads matched to the wide export (see the module's docstring)."""
    export, _ = made(args.rows, args.folder, wide=True)
    leads, truth = leads_made(args.leads, args.rows, args.folder)
    env = {"XDG_CACHE_HOME": str(args.folder / "cache")}
    print(f"{args.leads:,} leads ({leads.stat().st_size / 1e6:.0f} MB) matched to an export of {args.rows:,} rows "
          f"({export.stat().st_size / 1e9:.2f} GB); {os.cpu_count()} cores")
    print(f"{'engine':<17} {'seconds':>8} {'CPU s':>8} {'peak GB':>8}  precision recall (certain)")
    datatools = str(Path(PYTHON).with_name("datatools"))
    for engine in args.engines.split(","):
        out = args.folder / f"match-leads-{engine}.csv"
        chosen = [] if engine == "auto" else ["--engine", engine, "--memory-limit", args.memory_limit]
        run = measure([datatools, "match", str(leads), str(export), "--on", COLUMNS, *chosen, "-o", str(out),
                       "--force", "-q", "--json"], env, capture=True)
        if run.code:
            print(f"{'datatools ' + engine:<17} exit {run.code}")
            continue
        precision, recall = lead_scores(out, truth)
        print(f"{'datatools ' + engine:<17} {run.seconds:>8.1f} {run.cpu:>8.1f} {run.peak_gb:>8.2f}  "
              f"{precision:.3f} {recall:.3f}  {working(run.stdout)}", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "datatools-scale")
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--engines", default="duckdb,memory")
    parser.add_argument("--wide", action="store_true", help="leads against the wide export (see above)")
    parser.add_argument("--leads", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.wide:
        return main_wide(args)
    table, truth = made(args.rows, args.folder)
    left, right, half = halves(table)
    env = {"XDG_CACHE_HOME": str(args.folder / "cache")}
    print(f"{half:,} rows matched to {args.rows - half:,} ({left.stat().st_size / 1e6:.0f} MB + "
          f"{right.stat().st_size / 1e6:.0f} MB); memory limit {args.memory_limit}; {os.cpu_count()} cores")
    print(f"{'engine':<17} {'seconds':>8} {'CPU s':>8} {'peak GB':>8}  precision recall (certain)")
    datatools = str(Path(PYTHON).with_name("datatools"))
    written = []
    for engine in args.engines.split(","):
        out = args.folder / f"match-{engine}.csv"
        run = measure([datatools, "match", str(left), str(right), "--on", COLUMNS, "--engine", engine,
                       "--memory-limit", args.memory_limit, "-o", str(out), "--force", "-q"], env)
        if run.code:
            print(f"{'datatools ' + engine:<17} exit {run.code}")
            continue
        precision, recall = scores(out, truth, half)
        print(f"{'datatools ' + engine:<17} {run.seconds:>8.1f} {run.cpu:>8.1f} "
              f"{run.peak_gb:>8.2f}  {precision:.3f} {recall:.3f}", flush=True)
        written.append(out)
    if len(written) == 2:
        same = written[0].read_bytes() == written[1].read_bytes()
        print("the two engines wrote " + ("the same bytes" if same else "DIFFERENT files"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
