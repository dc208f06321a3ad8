"""The match estimate beside the full match it predicts: time, ratio, and whether it was right.

    .venv/bin/python bench/match_estimate.py [ROWS]     # default 1,000,000 × 1,000,000 rows

Left: ROWS generated people; right: corrupted copies of 80 % of them plus ROWS / 5 others
(bench/synthetic/match_pairs.py), matched on first name, last name, street and city. Times are
the engine's (tables built before the clock starts, both in this process): `estimate_matches`
at its default sample (1,000 rows), the same with a deliberately wrong pairing (the four
columns paired in reverse: city against first name, …), a threshold change answered from the
kept sample scores, and `match_tables`, the full run whose matched count the estimate predicts. The estimate is right when the full run's
count lies in its 95 % interval (19 times in 20 by chance; the sample's own rows are checked
against the full run's result one by one, and should all agree).

    SETS=abt-buy,febrl4 .venv/bin/python bench/match_estimate.py

runs instead the default estimate (no threshold: the certain matches a default run writes) on
real match sets of bench/linkage_sets.py (abt-buy, febrl4, match-de, match-us, legal-forms;
ROWS sizes the customer sets), at samples of 300 and 1,000 rows, beside the full run's certain
count (DECISIONS 402).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

ON = ["first_name", "last_name", "street", "city"]
WRONG = ON[::-1]   # each column against another (city against first name, …)


def timed(work):
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main(rows: int) -> None:
    from synthetic.match_pairs import match_pair

    from datatools.tools.match import match_tables
    from datatools.tools.match_estimate import estimate_matches, score_sample

    left, right = match_pair(rows)
    print(f"match estimate: {len(left):,} left rows × {len(right):,} right rows, columns {', '.join(ON)}")
    estimate, estimate_s = timed(lambda: estimate_matches(left, right, ON))
    wrong, wrong_s = timed(lambda: estimate_matches(left, right, ON, WRONG))
    kept = score_sample(left, right, ON)
    again, again_s = timed(lambda: kept.at(70))
    full, full_s = timed(lambda: match_tables(left, right, ON))
    true = full.report.matched
    inside = estimate.low <= true <= estimate.high
    # Each sampled row should be matched exactly as the full run matched it (DECISIONS 116).
    run_matched = (full.frame["match_score"] != "").to_numpy()[kept.rows]
    differ = int(((kept.best >= 54) != run_matched).sum())
    print(f"{'':34}{'seconds':>9}{'× full run':>12}")
    print(f"{'estimate (1,000-row sample)':34}{estimate_s:9.1f}{estimate_s / full_s:12.2f}")
    print(f"{'estimate, wrong pairing':34}{wrong_s:9.1f}{wrong_s / full_s:12.2f}")
    print(f"{'new threshold from kept sample':34}{again_s:9.3f}{again_s / full_s:12.4f}")
    print(f"{'full match (baseline)':34}{full_s:9.1f}{1:12.2f}")
    print(f"estimate {estimate.estimate:,} (95 % interval {estimate.low:,}–{estimate.high:,}), "
          f"full run {true:,} of {len(left):,}: {'inside' if inside else 'OUTSIDE'} the interval")
    print(f"sampled rows the full run matched otherwise than the estimate: {differ} of {len(kept.rows):,}")
    print(f"wrong pairing: estimate {wrong.estimate:,} ({wrong.share:.1%}) of {len(left):,}")
    print(f"at similarity 70 from the kept sample: {again.estimate:,}")


def sets_main(only: list[str], rows: int) -> None:
    """Default estimates beside the full run's certain count, per match set of linkage_sets."""
    from linkage_sets import abt_buy, febrl4, legal_forms
    from synthetic.customers import COLUMNS, customer_match

    from datatools.tools.match import match_tables
    from datatools.tools.match_estimate import estimate_matches

    makers = {"abt-buy": abt_buy, "febrl4": febrl4, "legal-forms": legal_forms,
              "match-de": lambda: (*customer_match("de", rows)[:2], COLUMNS),
              "match-us": lambda: (*customer_match("us", rows)[:2], COLUMNS)}
    for name in only:
        left, right, columns = makers[name]()[:3]
        full, full_s = timed(lambda: match_tables(left, right, columns))
        print(f"{name}: {len(left):,} × {len(right):,} rows on {', '.join(columns)}; full run "
              f"{full.report.certain:,} certain ({full_s:.0f} s)")
        for sample in (300, 1000):
            estimate, estimate_s = timed(lambda: estimate_matches(left, right, columns, sample=sample))
            inside = estimate.low <= full.report.certain <= estimate.high
            print(f"  sample {estimate.sample_rows:,}: estimate {estimate.estimate:,} "
                  f"({estimate.low:,}–{estimate.high:,}), {'inside' if inside else 'OUTSIDE'}; "
                  f"sampled rows certain {estimate.sample_matched:,} ({estimate_s:.0f} s)")


if __name__ == "__main__":
    import os

    if os.environ.get("SETS"):
        sets_main(os.environ["SETS"].split(","), int(os.environ.get("ROWS", "20000")))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
