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
LEFT = [["L1", "Brightway Over The Counter Microwave Oven Stainless"],
        ["L2", "Harbor Cordless Electric Kettle"],
        ["L3", "Polar Wireless Access Point - WX102"],
        ["L4", "Foxglove Ceramic Table Lamp Linen Shade"],
        ["L5", "Foxglove Ceramic Table Lamp Linen Shade Small"],
        ["L6", "Sundial Stainless Steel Toaster Four Slice Brushed"]]
RIGHT = [["R1", "Brightway Microwave Oven Over Range"],
         ["R2", "Harbor Cordless Automatic Electric Kettle"],
         ["R3", "Polar WX102 Wireless Access Point - Black"],
         ["R4", "Foxglove Table Lamp With Linen Shade"],
         ["R5", "Sundial Stainless Steel Toaster 4 Slice"],
         ["R6", "Fjell Ceramic Travel Mug 12 oz"]]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_title_best_both_ways_by_a_clear_margin_is_certain(tmp_path, engine):
    """main left L1 possible: its titles score 72, below the certain 75; nothing else comes near
    L1 or R1, so it is written. L4 and L5 (another size) both want R4: neither is."""
    rows = _matched(tmp_path, engine, LEFT, RIGHT)
    assert {row["id"]: (row["right_sku"], row["match_certainty"]) for row in rows} == {
        "L1": ("R1", "certain"), "L2": ("R2", "certain"), "L3": ("R3", "certain"),
        "L4": ("", "possible"), "L5": ("", "possible"), "L6": ("R5", "certain")}
    assert rows[0]["match_reason"].startswith("right row 1: best for both rows by ")


SHOP_LEFT = [["L1", "Bracketron iPod Docking Kit - IPM202BL"],
             ["L2", "Garmin Nuvi Portable Friction Mount - 0101090800"],
             ["L3", "Harbor Cordless Electric Kettle"]]
SHOP_RIGHT = [["R1", "Bracketron iPod Docking Kit"],
              ["R2", "Garmin Portable Friction Mount"],
              ["R3", "Harbor Cordless Automatic Electric Kettle"],
              ["R4", "Fjell Ceramic Travel Mug 12 oz"]]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_best_match_both_ways_whose_model_number_only_one_shop_writes_is_certain(tmp_path, engine):
    """Abt-Buy's titles (bench/data/abt_buy): one shop names the model, the other does not.
    main: L1 and L2 possible (a code on one row only, DECISIONS 281/307), although nothing
    else in either list comes near; in a list of one row each such a pair stays possible
    (test_linkage_identifiers.py), DECISIONS 510."""
    rows = _matched(tmp_path, engine, SHOP_LEFT, SHOP_RIGHT)
    assert [(row["id"], row["right_sku"], row["match_certainty"]) for row in rows] == [
        ("L1", "R1", "certain"), ("L2", "R2", "certain"), ("L3", "R3", "certain")]
    assert rows[0]["match_reason"].startswith("right row 1: best for both rows by ")


PART_LEFT = [["L1", "Olympus DS40 Digital Voice Recorder - DS40R"],
             ["L2", "Harbor Cordless Electric Kettle"],
             ["L3", "Sony DVP-FX820 Pink 8' Portable DVD Player - DVPFX820P"]]
PART_RIGHT = [["R1", "Olympus DS-40 512MB Digital Voice Recorder - 141910"],
              ["R2", "Harbor Cordless Automatic Electric Kettle"],
              ["R3", "Sony DVP-FX820 Portable DVD Player - DVPFX820"],
              ["R4", "Fjell Ceramic Travel Mug 12 oz"],
              ["R5", "Leather Carrying Case For Olympus DS40"]]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_best_match_both_ways_whose_model_number_one_shop_lengthens_is_certain(tmp_path, engine):
    """Abt-Buy's titles (bench/data/abt_buy): one shop adds letters to the maker's number
    (`DS40R`) and the other writes the number in parts beside its own article number (`DS-40 …
    141910`), so the codes agree one way only; a case for the model holds `DS40` too, so the
    two are no code partners. main: L1 possible, although nothing else in either list comes
    near (DECISIONS 542). A colour's letters added to a model whose other
    title names no colour (`DVPFX820P`, the pink one) still make another article."""
    rows = _matched(tmp_path, engine, PART_LEFT, PART_RIGHT)
    assert [(row["id"], row["right_sku"], row["match_certainty"]) for row in rows] == [
        ("L1", "R1", "certain"), ("L2", "R2", "certain"), ("L3", "", "possible")]
    assert rows[0]["match_reason"].startswith("right row 1: best for both rows by ")


def _matched(tmp_path, engine, left, right) -> list[dict]:
    """The rows `datatools match` writes for two lists of (id, title) matched on the title."""
    write(tmp_path / "left.csv", ["id", "title"], left)
    write(tmp_path / "right.csv", ["sku", "title"], right)
    done = subprocess.run([str(SCRIPT), "match", "left.csv", "right.csv", "--on", "title",
                           "--engine", engine, "-o", "matched.csv", "-q"], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "matched.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
