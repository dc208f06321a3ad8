"""A code two rows alone share in match (issue 30, tools/match_codes.py): a left row and a right
row sharing a rare model number that no other row holds are certain partners, whatever their
titles' score or a veto on an ordinary word says; a code two right rows hold, or two variants
(another capacity) sharing one, are not made certain so. Run through the installed `datatools`
script on both engines, which write the same file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from test_dedupe_variants import write

SCRIPT = Path(sys.executable).with_name("datatools")
LEFT = [["L1", "Garmin Nuvi Dashboard Friction Mount 0101072300"],
        ["L2", "Canon Pixma Ink Cartridge PG210XL"],
        ["L3", "Sony Memory Stick Pro Duo 8GB MSX8G4"],
        ["L4", "Brightway Over The Counter Microwave Oven Stainless"],
        ["L5", "Harbor Cordless Electric Kettle"],
        ["L6", "Netgear ProSafe 16 Port Gigabit Desktop Switch GS116NA"]]
RIGHT = [["R1", "Garmin Portable Friction Mount 010-10723-00"],
         ["R2", "PG210XL Refill Black"],
         ["R3", "PG210XL Refill Tricolour"],
         ["R4", "Sony MSX8G4 Memory Stick Pro Duo 16GB"],
         ["R5", "Brightway Microwave Oven Over Range"],
         ["R6", "Harbor Cordless Automatic Electric Kettle"],
         ["R7", "GS116NA Switch Netgear Sixteen Ports White Boxed Refurbished"]]
ALONE = "held by no other row"


def _match(tmp_path: Path, engine: str) -> tuple[str, list[dict]]:
    done = subprocess.run([str(SCRIPT), "match", "left.csv", "right.csv", "--on", "title",
                           "--engine", engine, "-o", f"{engine}.csv", "-q"], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / f"{engine}.csv").read_text(encoding="utf-8")
    with open(tmp_path / f"{engine}.csv", encoding="utf-8", newline="") as handle:
        return text, list(csv.DictReader(handle))


def test_a_code_two_rows_alone_share_makes_them_certain_in_both_engines(tmp_path):
    """main: L1 (`0101072300` against `010-10723-00`, a code written in parts) is vetoed on
    `dashboard`/`portable`, no partner; GS116NA's pair is certain by its score, without saying
    why. PG210XL is held by two right rows and the MSX8G4 pair differs in capacity: neither is
    certain by the shared code."""
    write(tmp_path / "left.csv", ["id", "title"], LEFT)
    write(tmp_path / "right.csv", ["sku", "title"], RIGHT)
    memory, rows = _match(tmp_path, "memory")
    duckdb, _ = _match(tmp_path, "duckdb")
    assert memory == duckdb
    by_id = {row["id"]: row for row in rows}
    assert (by_id["L1"]["right_sku"], by_id["L1"]["match_certainty"]) == ("R1", "certain")
    assert by_id["L1"]["match_reason"].startswith(
        "right row 1: the same model number 0101072300, held by no other row; ")
    assert by_id["L6"]["match_reason"].startswith(
        "right row 7: the same model number GS116NA, held by no other row; ")
    assert ALONE not in by_id["L2"]["match_reason"]      # PG210XL: two right rows hold it
    assert (by_id["L3"]["right_sku"], by_id["L3"]["match_certainty"]) == ("", "possible")
    assert ALONE not in by_id["L3"]["match_reason"]      # 8GB against 16GB: a variant


COLOUR_LEFT = [["L1", "Panasonic Countertop Microwave Oven In Stainless Steel - NNSD667SS"],
               ["L2", "Danby Designer Portable Dishwasher - DDW1805WH"],
               ["L3", "Yamaha Black Digital Sound Projector - YSP4000BK"],
               ["L4", "Sony DVP-FX820 Pink 8' Portable DVD Player - DVPFX820P"],
               ["L5", "Whirlpool Duet Sport Front Loading Washer - WFW8300SWH"]]
COLOUR_RIGHT = [["R1", "Panasonic NNSD667S 1.2 cu. ft. Countertop Microwave Oven In Stainless Steel"],
                ["R2", "Danby DDW1805W 18' Portable Dishwasher (White)"],
                ["R3", "Yamaha YSP-4000 Digital Sound Projector -- Black - YSP-4000BL"],
                ["R4", "Sony DVP-FX820 Portable DVD Player - DVPFX820"],
                ["R5", "Whirlpool WFW8300SB 27' Front-Load Washer"]]


def test_a_model_number_whose_colour_is_lettered_two_ways_is_one_product_in_both_engines(tmp_path):
    """main: L1–L3 are possible (two codes agreeing only in part, DECISIONS 314). A shop adds
    its colour letters to the maker's number (`SS` to `NNSD667S`, `WH` to `DDW1805W`, Yamaha's
    `BL` for black against `BK`): one product (DECISIONS 378). A colour added to a bare model
    the other title does not name (`DVPFX820P`, the pink one) and two colours (`SWH`/`SB`)
    stay two products."""
    write(tmp_path / "left.csv", ["id", "title"], COLOUR_LEFT)
    write(tmp_path / "right.csv", ["sku", "title"], COLOUR_RIGHT)
    memory, rows = _match(tmp_path, "memory")
    duckdb, _ = _match(tmp_path, "duckdb")
    assert memory == duckdb
    found = [(row["right_sku"], row["match_certainty"]) for row in rows]
    assert found[:3] == [("R1", "certain"), ("R2", "certain"), ("R3", "certain")]
    assert rows[0]["match_reason"].startswith("right row 1: the same model number NNSD667")
    assert found[3] == ("", "possible")
    assert found[4][0] == "" and found[4][1] != "certain"


SHARED_LEFT = [["L1", "Panasonic Countertop Microwave Oven In Black - NNSN667BK"],
               ["L2", "Panasonic Countertop Microwave Oven In White - NNSN667WH"],
               ["L3", "Sony Silver Cyber-Shot 7.2 Megapixel Digital Camera - DSCW120"],
               ["L4", "Canon Black Ink Cartridge - Black - PG40BK"],
               ["L5", "Sony Home Entertainment Server In Black - HESV1000"]]
SHARED_RIGHT = [["R1", "Panasonic NNSN667B 1.2 cu. ft. Countertop Microwave Oven In Black"],
                ["R2", "Panasonic NNSN667W 1.2 cu. ft. Countertop Microwave Oven In White"],
                ["R3", "Sony Cyber-shot DSC-W120 Digital Camera - Pink - DSCW120/P"],
                ["R4", "Canon PG-40 Twin Pack Black Ink Cartridge - 0615B013"],
                ["R5", "Sony HESV1000 Blu-ray Player/Recorder"]]


def test_of_rows_sharing_a_model_number_the_one_whose_colour_agrees_is_the_partner(tmp_path):
    """main: L1 has no partner and L2 is possible — `nnsn667` is held by four rows, so no code
    partner, and the codes agree only in part. Now each takes the one right row whose code is
    its own with the colour lettered another way (DECISIONS 381). A model number agreeing both
    ways does not make `Silver` and `Pink` one article, a twin pack is not one cartridge, and
    `Blu-ray` names no colour (L5 is certain)."""
    write(tmp_path / "left.csv", ["id", "title"], SHARED_LEFT)
    write(tmp_path / "right.csv", ["sku", "title"], SHARED_RIGHT)
    memory, rows = _match(tmp_path, "memory")
    duckdb, _ = _match(tmp_path, "duckdb")
    assert memory == duckdb
    found = [(row["right_sku"], row["match_certainty"]) for row in rows]
    assert found[:2] == [("R1", "certain"), ("R2", "certain")]
    assert rows[0]["match_reason"].startswith("right row 1: the same model number NNSN667, its "
                                              "colour lettered two ways, agreeing in no other pair; ")
    assert found[2][1] != "certain" and found[3][1] != "certain"
    assert found[4] == ("R5", "certain")
