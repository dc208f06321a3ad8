"""Code partners whose model numbers agree while one title adds a number of its own (issue 30,
DECISIONS 431): the maker's catalogue number beside the model (`PGI-5BK … - 0628B002`), a
region's letters with the bare model named too (`WG102 … - WG102NA`). Such pairs were possible
(codes agreeing only in part, DECISIONS 314); they are certain now, on both engines. A model
with letters added where the other title names only the bare model stays possible. Run through
the installed `datatools` script."""

from __future__ import annotations

from test_dedupe_variants import write
from test_match_codes import _match

# (left title, right title): each left row Lk beside right row Rk.
PAIRS = [("Canon PGI-5BK Black Ink Tank Cartridge - PGI5BK",
          "Canon PGI-5BK Black Ink Cartridge - 0628B002"),
         ("Netgear Wireless Access Point - WG102",
          "Netgear ProSafe WG102 Wireless Access Point 802.11g - WG102NA"),
         ("Olympus Digital Voice Recorder - VN4100PC",
          "Olympus VN-4100PC 256MB Digital Voice Recorder - 141927"),
         ("Peerless Wall TV Mounts In Black - PM1327BK",
          "Peerless Adjustable TV Wall Mount - PM1327"),
         ("Harbor Cordless Electric Kettle", "Brightway Microwave Oven Over Range")]


def test_a_number_one_title_adds_to_the_shared_model_keeps_the_partners_certain(tmp_path):
    """main: L1 has no partner (vetoed on `tank`), L2 and L3 are possible, their codes read as
    agreeing only in part."""
    rows = _both_engines(tmp_path, PAIRS)
    by_id = {row["id"]: row for row in rows}
    found = {key: (row["right_sku"], row["match_certainty"]) for key, row in by_id.items()}
    assert found["L1"] == ("R1", "certain")
    assert found["L2"] == ("R2", "certain")
    assert found["L3"] == ("R3", "certain")
    assert by_id["L1"]["match_reason"].startswith(
        "right row 1: the same model number PGI5BK, held by no other row; ")
    # PM1327BK against the bare PM1327: letters added, a variant (DECISIONS 314, 378)
    assert found["L4"][1] != "certain"
    assert found["L5"] == ("", "no partner")


# Letters one shop adds to the maker's number: a region's (`NA`), a colour's its title does not
# name (`WH` in a title naming no colour).
ADDED = [("Netgear Prosafe 16 Port 10/100 Rackmount Switch - Black Finish - JFS516NA",
          "Netgear ProSafe JFS516 Ethernet Switch"),
         ("Danby Twin Tub Washer - DTT420WH", "Twin Tub DTT420 Washer (Top Loading, 10 Lbs.)"),
         ("Sony DVP-FX820 Pink 8' Portable DVD Player - DVPFX820P",
          "Sony DVP-FX820 Portable DVD Player - DVPFX820")]


def test_letters_one_shop_adds_to_a_model_number_no_other_row_holds_keep_the_partners_certain(tmp_path):
    """main: L1 and L2 have no partner (DECISIONS 431 read `JFS516NA` against the bare
    `JFS516` as a variant), though the two rows alone share the model number (DECISIONS 543).
    A colour's letters added where that title names the colour and the other none (`DVPFX820P`,
    the pink one) stay another article."""
    rows = _both_engines(tmp_path, ADDED)
    assert [(row["right_sku"], row["match_certainty"]) for row in rows] == [
        ("R1", "certain"), ("R2", "certain"), ("", "possible")]
    assert rows[0]["match_reason"].startswith(
        "right row 1: the same model number JFS516, held by no other row; ")


# Two switches whose titles both say `5 Port`: each row shares the key `5port` with a row of the
# other's model, and its own model number with its partner alone.
SWITCHES = [("Netgear ProSafe 5 Port 10/100 Desktop Switch - FS105",
             "Netgear ProSafe FS105 Ethernet Switch - FS105NA"),
            ("Netgear ProSafe 5 Port Gigabit Desktop Switch - GS105",
             "Netgear 5 Port Gigabit Switch - GS105NA"),
            ("Harbor Cordless Electric Kettle", "Harbor Cordless Automatic Electric Kettle")]


def test_the_one_pair_alone_holding_a_model_number_is_certain_where_other_keys_are_shared(tmp_path):
    """main: L1 and L2 have no partner: each shares `5port` with the other's right row too, so
    no pair shares its keys alone, and `FS105` against `FS105NA` agrees one way only, so 381's
    pass among shared keys skipped it (DECISIONS 544)."""
    rows = _both_engines(tmp_path, SWITCHES)
    assert [(row["right_sku"], row["match_certainty"]) for row in rows] == [
        ("R1", "certain"), ("R2", "certain"), ("R3", "certain")]
    assert rows[0]["match_reason"].startswith(
        "right row 1: the same model number FS105, held by no other row; ")


def _both_engines(tmp_path, pairs) -> list[dict]:
    """The rows `datatools match` writes for left row Lk beside right row Rk of `pairs`, the
    same on both engines."""
    write(tmp_path / "left.csv", ["id", "title"],
          [[f"L{k + 1}", left] for k, (left, _) in enumerate(pairs)])
    write(tmp_path / "right.csv", ["sku", "title"],
          [[f"R{k + 1}", right] for k, (_, right) in enumerate(pairs)])
    memory, rows = _match(tmp_path, "memory")
    duckdb, _ = _match(tmp_path, "duckdb")
    assert memory == duckdb
    return rows


# One camera in two colours on both sides: the left titles write the maker's colour letter after
# the model number, the right titles the colour in words (DECISIONS 565).
COLOURED = [("Panasonic Silver Lumix Wide Angle Lens Digital Camera - DMCTZ5S",
             "Panasonic Lumix DMC-TZ5 Digital Camera - Silver"),
            ("Panasonic Black Lumix Wide Angle Lens Digital Camera - DMCTZ5B",
             "Panasonic Lumix DMC-TZ5 Digital Camera - Black"),
            ("Canon PowerShot Black Digital Camera - SX110ISB",
             "Canon PowerShot SX110 IS Digital Camera - Silver - 2666B001"),
            ("Harbor Cordless Electric Kettle", "Brightway Microwave Oven Over Range")]


def test_a_colour_letter_after_the_model_number_names_the_colour_the_other_title_states(tmp_path):
    """main: L1 and L2 have no partner: both share `dmctz5` with both right rows, and their
    codes are held by one side only. A colour letter (`B`, black) the other title contradicts
    (`Silver`) keeps a pair apart."""
    rows = _both_engines(tmp_path, COLOURED)
    assert [(row["right_sku"], row["match_certainty"]) for row in rows[:2]] == [
        ("R1", "certain"), ("R2", "certain")]
    assert rows[0]["match_reason"].startswith(
        "right row 1: the same model number DMCTZ5, its added letters the colour the other "
        "title names, agreeing in no other pair; ")
    assert rows[2]["match_certainty"] != "certain"
    assert rows[3]["match_certainty"] == "no partner"


# One camera in three colours: the silver left row's model number agrees both ways with the pink
# right row's, but the titles name two colours; the pink left row writes the colour's letter
# (`isp`/`is`: the bare row's title names pink, DECISIONS 378).
THREE = [("Canon Silver 8.0 Megapixel PowerShot Digital Camera - SD1100IS",
          "Canon PowerShot SD1100 IS Digital ELPH Camera - Melody Pink - 2509B001"),
         ("Canon Pink 8.0 Megapixel PowerShot Digital Camera - SD1100ISP",
          "Canon Powered Stereo Speakers For Desktop Computers - 3311B002"),
         ("Harbor Cordless Electric Kettle", "Brightway Microwave Oven Over Range")]


def test_a_pair_naming_two_colours_is_no_rival_of_the_pair_whose_colour_agrees(tmp_path):
    """main: L2 has no partner: L1 and L2 both pair with R1 on `sd1100` (L1's codes agree
    both ways), so neither was the one pair of R1 (DECISIONS 566)."""
    rows = _both_engines(tmp_path, THREE)
    by_id = {row["id"]: row for row in rows}
    assert (by_id["L2"]["right_sku"], by_id["L2"]["match_certainty"]) == ("R1", "certain")
    assert by_id["L2"]["match_reason"].startswith(
        "right row 1: the same model number SD1100, its colour lettered two ways, agreeing in no "
        "other pair; ")
    assert by_id["L1"]["match_certainty"] != "certain"
