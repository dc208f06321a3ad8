"""Dedupe of a large people table: our duckdb engine beside a bare DuckDB blocking query and the
in-memory engine, with pairwise precision, recall and F1 on the generated truth.

    .venv/bin/python bench/scale_dedupe.py --rows 1000000          # what a shared machine tolerates
    .venv/bin/python bench/scale_dedupe.py --rows 10000000         # the goal: 4 GB, 15 minutes
    .venv/bin/python bench/scale_dedupe.py --rows 10000000 --wide --engines auto   # a 5 GB export

`--wide` takes the same people inside a customer export of 27 columns (customer number, e-mail,
phone, company, order figures, dates, free-text notes: bench/synthetic/export.py), about 500
bytes a row, 5.1 GB at 10 M rows, written a chunk at a time; the people columns are compared.
`--engines auto` runs the command at its defaults (the engine by size, the machine's memory
limit) and prints the engine it took and the working copy's size from its `--json` report.

The table is bench/synthetic/people.py's (FEBRL-style corrupted duplicates, a fifth of the
rows). Each run is a fresh process started by a small launcher (bench/peak.py), whose wait4
gives the peak memory of that process alone (Linux carries ru_maxrss across fork and exec, so a
grown parent would report its own). The bare DuckDB peer blocks on surname and on date of birth and keeps
pairs whose Jaro-Winkler similarity of the whole row reaches 0.9, as a hand-written SQL dedupe
would (bench/scale_peer.sql): it has no clustering, no explanations and no learned weights.
CPU seconds (user + system, from the same wait4) are printed beside the wall time: on a shared
machine they vary less. `--engines duckdb,memory,bare` chooses the runs, in that order.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
sys.path.insert(0, str(HERE))
from peak import measure  # noqa: E402  (bench/peak.py: the small launcher)

COLUMNS = "first_name,last_name,street,city,postcode,date_of_birth"


def generate(rows: int, folder: Path) -> tuple[Path, Path]:
    """The table as CSV and its true pairs (one `a,b` line each), made once per size."""
    table, truth = folder / f"people-{rows}.csv", folder / f"people-{rows}.truth"
    if not table.exists():
        sys.path.insert(0, str(HERE))
        from synthetic.people import generate as people

        frame, pairs = people(rows)
        frame.to_csv(str(table) + ".part", index=False)
        with open(str(truth) + ".part", "w", encoding="ascii") as handle:
            handle.writelines(f"{a},{b}\n" for a, b in sorted(pairs))
        os.replace(str(truth) + ".part", truth)
        os.replace(str(table) + ".part", table)
    return table, truth


def generate_wide(rows: int, folder: Path) -> tuple[Path, Path]:
    """The same people as `generate`'s, with a customer export's other columns (about 500 bytes
    a row: bench/synthetic/export.py), written a chunk at a time; made once per size."""
    table, truth = folder / f"export-{rows}.csv", folder / f"export-{rows}.truth"
    if not table.exists():
        sys.path.insert(0, str(HERE))
        from synthetic.export import write_export

        write_export(rows, table, truth)
    return table, truth


def made(rows: int, folder: Path, wide: bool = False) -> tuple[Path, Path]:
    """`generate`'s (or `generate_wide`'s) files, made in a child process so the measuring
    process stays small."""
    folder.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(HERE))
    maker = "generate_wide" if wide else "generate"
    subprocess.run([PYTHON, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); import scale_dedupe; "
                    f"scale_dedupe.{maker}({rows}, __import__('pathlib').Path({str(folder)!r}))"],
                   check=True)
    return (generate_wide if wide else generate)(rows, folder)


def scores(output: Path, truth: Path, certain_only: bool) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 of the groups in `output` (its cluster_id column)."""
    sys.path.insert(0, str(HERE))
    from synthetic.people import pair_scores

    groups: dict[str, list[int]] = {}
    with open(output, encoding="utf-8", newline="") as handle:
        for row, record in enumerate(csv.DictReader(handle)):
            if record["cluster_id"] and (not certain_only or record["match_certainty"] == "certain"):
                groups.setdefault(record["cluster_id"], []).append(row)
    found = {(m[i], m[j]) for m in groups.values() for i in range(len(m)) for j in range(i + 1, len(m))}
    with open(truth, encoding="ascii") as handle:
        true = {tuple(int(x) for x in line.split(",")) for line in handle}
    return pair_scores(found, true)


def peer(table: Path, limit: str, spill: Path) -> list[str]:
    """The bare DuckDB dedupe as a `python -c` argv."""
    from scale import duckdb_argv, peer_sql

    return duckdb_argv(peer_sql()["dedupe"].format(path=repr(str(table))), limit, spill)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "datatools-scale")
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--engines", default="duckdb,memory,bare",
                        help="auto: the command at defaults (engine by size, the machine's memory limit)")
    parser.add_argument("--wide", action="store_true",
                        help="the same people in a customer export of 27 columns (about 500 bytes a row)")
    args = parser.parse_args()
    table, truth = made(args.rows, args.folder, args.wide)
    env = {"XDG_CACHE_HOME": str(args.folder / "cache")}
    spill = args.folder / "spill"
    spill.mkdir(exist_ok=True)
    print(f"{args.rows:,} {'export' if args.wide else 'people'} rows, {table.stat().st_size / 1e6:.0f} MB; "
          f"memory limit {args.memory_limit} (auto: the machine's); {os.cpu_count()} cores")
    print(f"{'engine':<17} {'seconds':>8} {'CPU s':>8} {'peak GB':>8}  precision recall F1 (certain | all)")
    datatools = str(Path(PYTHON).with_name("datatools"))
    for engine in args.engines.split(","):
        if engine == "bare":
            run = measure(peer(table, args.memory_limit, spill), env, ROOT)
            print(f"{'bare duckdb':<17} {run.seconds:>8.1f} {run.cpu:>8.1f} "
                  f"{run.peak_gb:>8.2f}  (pairs only: no groups, no reasons)", flush=True)
            continue
        out = args.folder / f"dedupe-{engine}.csv"
        chosen = [] if engine == "auto" else ["--engine", engine, "--memory-limit", args.memory_limit]
        run = measure([datatools, "dedupe", str(table), "--columns", COLUMNS, *chosen,
                       "-o", str(out), "--force", "-q", "--json"], env, ROOT, capture=True)
        if run.code:
            print(f"{'datatools ' + engine:<17} exit {run.code}")
            continue
        certain, every = scores(out, truth, True), scores(out, truth, False)
        print(f"{'datatools ' + engine:<17} {run.seconds:>8.1f} {run.cpu:>8.1f} "
              f"{run.peak_gb:>8.2f}  {certain[0]:.3f} {certain[1]:.3f} {certain[2]:.3f} | "
              f"{every[0]:.3f} {every[1]:.3f} {every[2]:.3f}  {working(run.stdout)}", flush=True)
    return 0


def working(report: str) -> str:
    """The engine `--json` names, its memory limit and the working copy's size on disk."""
    try:
        engine = json.loads(report)["engine"]
    except (ValueError, KeyError):
        return ""
    if engine.get("name") != "duckdb":
        return f"engine {engine.get('name')}"
    return (f"engine duckdb, limit {engine['memory_limit'] / 2**30:.2f} GiB, "
            f"working copy {engine['working_copy_bytes'] / 1e9:.2f} GB" if isinstance(engine.get("memory_limit"), int)
            else f"engine duckdb, limit {engine.get('memory_limit')}, working copy "
                 f"{engine['working_copy_bytes'] / 1e9:.2f} GB")


if __name__ == "__main__":
    sys.exit(main())
