"""Certain pair precision and recall of `dedupe` on the generated catalogue at several sizes
(issue 30: at 50,000 rows identical re-keyed titles were left out of certain groups).

    ROWS=2000,20000,50000 python bench/catalogue_sizes.py

One row in six lists another again (DECISIONS 429 measured catalogue(50_000, 8_333, 30)). Prints, per
size, certain P/R, + possible P/R, and how many missed pairs have identical titles (and
titles equal but for case and spacing).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic.catalogue import COLUMNS, catalogue  # noqa: E402
from synthetic.people import pair_scores  # noqa: E402


def pairs_in(groups) -> set[tuple[int, int]]:
    return {(a, b) for rows in groups for a in rows for b in rows if a < b}


def main() -> int:
    from datatools.tools.dedupe import find_duplicates

    for rows in (int(r) for r in os.environ.get("ROWS", "2000,20000,50000").split(",")):
        frame, truth = catalogue(rows, rows // 6)
        start = time.process_time()
        result = find_duplicates(frame, COLUMNS)
        cpu = time.process_time() - start
        certain = pairs_in([c.rows for c in result.clusters if c.certain])
        every = pairs_in([c.rows for c in result.clusters])
        titles = frame["title"].tolist()
        missed = truth - certain
        same = sum(1 for a, b in missed if titles[a] == titles[b])
        folded = sum(1 for a, b in missed
                     if " ".join(titles[a].casefold().split()) == " ".join(titles[b].casefold().split()))
        p, r, _ = pair_scores(certain, truth)
        pp, rr, _ = pair_scores(every, truth)
        print(f"{rows:>7,} rows {len(truth):>6,} pairs  certain P {p:.3f} R {r:.3f}  "
              f"+possible P {pp:.3f} R {rr:.3f}  missed {len(missed):,} "
              f"({same:,} identical titles, {folded:,} equal but for case and spacing)  "
              f"{cpu:.1f} CPU s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
