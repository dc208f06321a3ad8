"""Precision and recall of *certain* groups at defaults on small lists (issue 30, DECISIONS 233).

Below linkage_model.LEARN_FROM_ROWS rows no model is learned and the fixed score decides; this
runs the installed `datatools dedupe` at defaults, as a user does, on German customer lists of
100-1,000 rows (bench/synthetic/customers.py: Zipf surnames, households, strangers, corrupted
duplicates) and counts the row pairs inside certain groups (what --keep removes) and inside all
groups against the true duplicate pairs.

    python -m bench.small_lists [--datatools PATH] [--rows 100,300,674,1000] [--extra CSV:ID:DUPS]

`--extra` adds a list of your own: a `;` CSV with an ID column and a file of true pairs (two IDs
a line), compared on its name and address columns (the trial's kunden.csv and dups.txt).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from itertools import combinations
from pathlib import Path

import pandas as pd

from bench.synthetic.customers import customers

ADDRESS = ["first", "last", "street", "zip", "city"]
ALL = ADDRESS + ["phone", "email"]


def pairs_of(frame: pd.DataFrame, certain_only: bool) -> set[tuple[int, int]]:
    """Row pairs (a < b) inside the groups of an annotated output."""
    found: set[tuple[int, int]] = set()
    grouped = frame[frame["cluster_id"].astype(str) != ""]
    if certain_only:
        grouped = grouped[grouped["match_certainty"] == "certain"]
    for _, rows in grouped.groupby("cluster_id").groups.items():
        found.update(combinations(sorted(int(r) for r in rows), 2))
    return found


def run(datatools: str, table: pd.DataFrame, columns: list[str], sep: str = ",") -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        table.to_csv(source, index=False, sep=sep)
        subprocess.run([datatools, "dedupe", str(source), "--columns", ",".join(columns),
                        "-o", str(out), "--quiet"], check=True, capture_output=True)
        return pd.read_csv(out, sep=sep, dtype=str, keep_default_na=False)


def score(found: set, truth: set) -> str:
    right = len(found & truth)
    precision = right / len(found) if found else 1.0
    return f"{len(found):5d} pairs P {precision:.3f} R {right / len(truth) if truth else 1:.3f}"


def report(name: str, frame: pd.DataFrame, truth: set) -> None:
    print(f"{name:32s} certain {score(pairs_of(frame, True), truth)}   "
          f"all groups {score(pairs_of(frame, False), truth)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datatools", default="datatools")
    parser.add_argument("--rows", default="100,300,674,1000")
    parser.add_argument("--seeds", default="11,12,13")
    parser.add_argument("--extra", action="append", default=[])
    args = parser.parse_args()
    for rows in [int(r) for r in args.rows.split(",")]:
        for columns, label in ((ADDRESS, "name+address"), (ALL, "all 7")):
            frames, truths = [], []
            for seed in [int(s) for s in args.seeds.split(",")]:
                table, truth = customers("de", rows, seed=seed)
                out = run(args.datatools, table, columns)
                offset = sum(len(f) for f in frames)
                frames.append(out.set_axis(range(offset, offset + len(out))))
                truths.append({(a + offset, b + offset) for a, b in truth})
                frames[-1]["cluster_id"] = frames[-1]["cluster_id"].map(
                    lambda c, s=seed: f"{s}-{c}" if c else "")
            report(f"de {rows} rows, {label}", pd.concat(frames), set().union(*truths))
    for extra in args.extra:
        path, key, dups = extra.split(":")
        table = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        position = {value: k for k, value in enumerate(table[key])}
        truth = set()
        for line in Path(dups).read_text().split("\n"):
            if line.strip():
                a, b = sorted(position[v] for v in line.split())
                truth.add((a, b))
        columns = [c for c in ("Vorname", "Nachname", "Straße", "PLZ", "Ort") if c in table]
        report(f"{Path(path).name} ({len(table)} rows)", run(args.datatools, table, columns, ";"),
               truth)


if __name__ == "__main__":
    main()
