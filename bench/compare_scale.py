"""Comparing two versions of a million-row table: ours beside a pandas merge on the key.

    .venv/bin/python bench/compare_scale.py [ROWS]     # default 1,000,000 rows × 8 columns

The new version inserts and deletes 1 % of the rows (so the `No` row counter shifts), changes
5 % of the prices and 2 % of the stock, renames `stock` to `qty_on_hand` and moves it. Each
measurement runs in a fresh interpreter and reports its own time (engine only, inputs built
before the clock starts) and peak RSS. The baseline is what a script would do by hand: an
outer `pandas.merge` on the key `sku` with an indicator, then `!=` on each shared column.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def versions(rows: int):
    """(old, new) text frames, the same for every run (fixed seed)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    ids = np.arange(rows)
    towns = np.array(["Leeds", "York", "Hull", "Bath", "Ely", "Wells"], dtype=object)
    old = pd.DataFrame({
        "sku": [f"SKU{i:08d}" for i in ids],
        "name": [f"item {i % 50_000}" for i in ids],
        "price": [f"{p / 100:.2f}" for p in rng.integers(100, 100_000, rows)],
        "stock": [str(s) for s in rng.integers(0, 500, rows)],
        "town": towns[rng.integers(0, len(towns), rows)],
        "supplier": [f"S{s:04d}" for s in rng.integers(0, 2_000, rows)],
        "updated": [f"2024-{m:02d}-{d:02d}" for m, d in zip(rng.integers(1, 13, rows),
                                                            rng.integers(1, 29, rows))],
    })
    keep = rng.random(rows) >= 0.01
    new = old[keep].reset_index(drop=True)
    changed = rng.random(len(new)) < 0.05
    new.loc[changed, "price"] = [f"{p / 100:.2f}" for p in rng.integers(100, 100_000, int(changed.sum()))]
    restocked = rng.random(len(new)) < 0.02
    new.loc[restocked, "stock"] = [str(s) for s in rng.integers(500, 900, int(restocked.sum()))]
    extra = rows // 100
    added = old.sample(extra, random_state=1).reset_index(drop=True)
    added["sku"] = [f"NEW{i:08d}" for i in range(extra)]
    at = np.sort(rng.integers(0, len(new), extra))
    pieces, start = [], 0
    for k, position in enumerate(at):
        pieces += [new.iloc[start:position], added.iloc[[k]]]
        start = position
    new = pd.concat([*pieces, new.iloc[start:]], ignore_index=True)
    new = new.rename(columns={"stock": "qty_on_hand"})[
        ["sku", "name", "qty_on_hand", "price", "town", "supplier", "updated"]]
    old.insert(0, "No", [str(i + 1) for i in range(len(old))])
    new.insert(0, "No", [str(i + 1) for i in range(len(new))])
    return old.astype("str"), new.astype("str")


def ours(old, new, key):
    from datatools.tools.compare import compare_tables

    summary = compare_tables(old, new, key).summary
    return {k: getattr(summary, k) for k in ("added", "removed", "changed", "unchanged", "key")} | {
        "renamed": [r["old"] + "→" + r["new"] for r in summary.columns_renamed]}


def baseline(old, new, key):
    import numpy as np
    import pandas as pd

    merged = pd.merge(old, new, on=key, how="outer", suffixes=(" (old)", ""), indicator=True)
    both = merged["_merge"] == "both"
    shared = [c for c in new.columns if c in old.columns and c not in key]
    differs = np.zeros(int(both.sum()), dtype=bool)
    for column in shared:
        differs |= (merged.loc[both, column + " (old)"] != merged.loc[both, column]).to_numpy()
    return {"added": int((merged["_merge"] == "right_only").sum()),
            "removed": int((merged["_merge"] == "left_only").sum()),
            "changed": int(differs.sum()), "unchanged": int((~differs).sum()), "key": key,
            "renamed": []}


def measure(which: str, rows: int) -> None:
    old, new = versions(rows)
    start = time.perf_counter()
    if which == "ours (key inferred)":
        result = ours(old, new, None)
    elif which == "ours (--key sku)":
        result = ours(old, new, ["sku"])
    else:
        result = baseline(old, new, ["sku"])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, **result}, ensure_ascii=False))


def main() -> None:
    if len(sys.argv) > 2:
        measure(sys.argv[2], int(sys.argv[1]))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"compare: {rows:,} old rows × 8 columns; 1 % inserted and deleted, 5 % prices and "
          "2 % stock changed, stock renamed to qty_on_hand and moved, a No row counter")
    runs = {}
    for which in ("baseline pandas merge on sku", "ours (--key sku)", "ours (key inferred)"):
        out = subprocess.run([sys.executable, __file__, str(rows), which], capture_output=True,
                             text=True, check=True)
        runs[which] = json.loads(out.stdout)
    base = runs["baseline pandas merge on sku"]["seconds"]
    print(f"{'':32} {'time':>8} {'ratio':>6} {'peak RSS':>9}  added / removed / changed / unchanged, key, renamed")
    for which, r in runs.items():
        print(f"{which:32} {r['seconds']:7.2f}s {r['seconds'] / base:5.1f}× {r['peak_mb']:7.0f} MB  "
              f"{r['added']:,} / {r['removed']:,} / {r['changed']:,} / {r['unchanged']:,}, "
              f"{','.join(r['key'])}, {', '.join(r['renamed']) or '—'}")
    print("(the baseline compares every shared column: the No counter makes nearly every row "
          "\"changed\", and the renamed stock column is not compared at all)")


if __name__ == "__main__":
    main()
