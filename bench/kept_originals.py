"""Which row `--keep most-complete` keeps: the share of merged groups whose kept row is the
original, on FEBRL 1–3 (record ids `rec-N-org` against `rec-N-dup-K`; bench/linkage_sets.py).

    PYTHONPATH=. .venv-bench/bin/python bench/kept_originals.py [febrl1 febrl2 febrl3]

Groups as a default run finds them (find_duplicates at defaults on FEBRL's ten columns); only
the certain groups are merged, as `--keep` does. Prints, per set, the merged groups, those that
hold the original, and how many of those keep it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_sets import febrl_set  # noqa: E402

from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster  # noqa: E402


def kept_originals(name: str) -> str:
    """One line of figures for FEBRL set `name`."""
    frame, columns, _ = febrl_set(name)
    kept = keep_one_per_cluster(find_duplicates(frame, columns), "most-complete")
    ids = frame["rec_id"].tolist()
    groups = [[int(kept_row) - 1] + [int(r) - 1 for r in dropped.split()]
              for kept_row, dropped in zip(kept.merges["kept_row"], kept.merges["dropped_rows"])]
    holding = [rows for rows in groups if any(ids[r].endswith("-org") for r in rows)]
    good = sum(ids[rows[0]].endswith("-org") for rows in holding)
    return (f"{name}: {len(groups)} merged groups, {len(holding)} hold the original, "
            f"{good} keep it ({good / max(1, len(holding)):.3f})")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["febrl1", "febrl2", "febrl3"]:
        print(kept_originals(name), flush=True)
