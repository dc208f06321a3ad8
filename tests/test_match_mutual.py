"""One-to-one product matching (issue 30, tools/match_mutual.py): where scores decide on titles,
a best match that is also its right row's best, each by a clear margin, is certain; two left
rows after one right row both stay possible. Run through the installed `datatools` script."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from test_dedupe_variants import write

SCRIPT = Path(sys.executable).with_name("datatools")
LEFT = [["L1", "Tonwerk 2.1 Multimedia Silver Speaker System - Q2300"],
        ["L2", "Brightway Over The Counter Microwave Oven - R1214SS"],
        ["L3", "Kestrel Network Camera - White Finish - BLC1A"],
        ["L4", "Harbor Cordless Electric Kettle - KUA17"],
        ["L5", "Polar Wireless Access Point - WX102"],
        ["L6", "Brightway Over The Counter Microwave Oven - R1214BK"]]
RIGHT = [["R1", "Tonwerk Q-2300 Multimedia Speaker System - 970118-0403"],
         ["R2", "Brightway R-1214 Microwave Oven - R-1214"],
         ["R3", "Kestrel BL-C1A Network Camera"],
         ["R4", "Harbor Cordless Automatic Electric Kettle"],
         ["R5", "Polar WX102 Wireless Access Point - Black"],
         ["R6", "Polar WX102 Wireless Access Point - White"],
         ["R7", "Sundial Stainless Steel Toaster - 4 Slice"],
         ["R8", "Fjell Ceramic Travel Mug 12 oz"]]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_title_best_both_ways_by_a_clear_margin_is_certain(tmp_path, engine):
    """main left L1-L4 possible: their titles score 56-74, below the certain 75. Each is its
    right row's only near candidate, so each is written; L2 and L6 (another colour) both want
    R2, so neither is."""
    write(tmp_path / "left.csv", ["id", "title"], LEFT)
    write(tmp_path / "right.csv", ["sku", "title"], RIGHT)
    done = subprocess.run([str(SCRIPT), "match", "left.csv", "right.csv", "--on", "title",
                           "--engine", engine, "-o", "matched.csv", "-q"], cwd=tmp_path, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "matched.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["id"]: (row["right_sku"], row["match_certainty"]) for row in rows} == {
        "L1": ("R1", "certain"), "L2": ("", "possible"), "L3": ("R3", "certain"),
        "L4": ("R4", "certain"), "L5": ("R5", "certain"), "L6": ("", "possible")}
    assert rows[0]["match_reason"].startswith("right row 1: best for both rows by ")
