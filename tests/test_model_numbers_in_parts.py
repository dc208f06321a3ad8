"""A model number written whole on one row and in parts on the other (`E2430` / `E-2430`,
`SD4100` / `SD 4100`) is one model number (issue 30, DECISIONS 477): such rows are certain
duplicates or matches where their titles agree, on small tables made here. A number one digit
apart, another colour or a pack of several on one side stays apart or possible; two model
numbers of one series a digit apart are never certain, however they are written (478)."""

import pandas as pd
from test_dedupe_variants import write
from test_match_codes import _match

from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster


def test_a_model_number_with_and_without_its_hyphen_is_one_listing():
    """main: [3, 4] possible (74: the code `lav1465` read as held by one row only), row 0
    apart, and rows 1 and 2 (E-2430, E-2431) one certain group."""
    table = pd.DataFrame({"title": [
        "Northwind Bluetooth Speaker E2430 - Black",
        "Northwind Bluetooth Speaker E-2430 - Black",
        "Northwind Bluetooth Speaker E-2431 - Black",      # the next model
        "Harbor Stand Mixer LAV-1465 2 L - Green",
        "Harbor Stand Mixer LAV1465 2 L  -  Green",
        "Harbor Stand Mixer LAV1465 2 L - Red",            # another colour
    ]})
    result = find_duplicates(table, ["title"])
    assert [(c.rows, c.certain) for c in result.clusters] == [([0, 1], True), ([3, 4], True)]
    assert result.frame["match_certainty"].tolist() == ["certain", "certain", "", "certain",
                                                        "certain", ""]
    assert result.frame["match_score"].tolist()[:2] == ["98", "98"]
    assert result.frame["match_reason"][0] == "row 2: agreed title 99; whole row 99"


SERIES = pd.DataFrame({"title": ["Northwind Bluetooth Speaker E-2430 - Black",
                                 "Northwind Bluetooth Speaker E-2431 - Black",
                                 "Acme Kettle KX-2040 1.7 L - Black",
                                 "Acme Kettle KX 2050 1.7 L - Black",
                                 "Acme Kettle KX2040 1.7 L - Black"]})


def test_model_numbers_of_one_series_a_digit_apart_are_never_one_listing():
    """main: rows 0 and 1 one certain group (94), rows 2 and 3 another (80): --keep removed
    the E-2431 speaker and kept the KX-2040 kettle twice."""
    result = find_duplicates(SERIES, ["title"])
    assert [(c.rows, c.certain) for c in result.clusters] == [([0, 1], False), ([2, 4], True)]
    assert result.frame["match_reason"][0] == ("row 2: possible (a column clearly differs); "
                                               "agreed title 97; whole row 97; rare words "
                                               "bluetooth, northwind, speaker")
    assert keep_one_per_cluster(result).frame["title"].tolist() == [
        "Northwind Bluetooth Speaker E-2430 - Black", "Northwind Bluetooth Speaker E-2431 - Black",
        "Acme Kettle KX-2040 1.7 L - Black", "Acme Kettle KX 2050 1.7 L - Black"]


LEFT = ["Microsoft Office Standard 2007 - 02107746",
        "Mitsubishi 735 Series 60' 1080p DLP Rear Projection Black HDTV - WD60735",
        "D-Link Broadband Cable Modem - DCM202",
        "Canon Black Ink Cartridge - Black - PG40BK",
        "Denon Black Home Theater Receiver - AVR1709",
        "GE Pre-Amplifier For Stereo Turntable - AV23292"]
RIGHT = ["Microsoft Office 2007 Standard - 021-07746",
         "Mitsubishi WD-60735 60' Projection TV",
         "Mitsubishi WD-60737 60' Projection TV",                 # the next model
         "D-Link Express EtherNetwork High-Speed DOCSIS 2.0 Cable Modem - DCM-202",
         "D-Link DCM-202B Cable Modem - Black",                    # letters added: a variant
         "Canon PG-40 Black Ink Cartridge - PG-40-BK-TWIN",        # a pack of two: another article
         "Denon AVR-1609 A/V Receiver",                            # another model
         "GE Pre-Amplifier for Stereo Turntable - 23292"]


def test_a_title_naming_the_model_number_in_parts_is_the_certain_match(tmp_path):
    """Abt-Buy's titles (bench/data/abt_buy), through the installed script on both engines.
    main: L1 possible (its `021 07746` read as two flats' numbers), L3 no partner (R4's
    `DCM-202` read as holding no code, R5 vetoed), L6 possible (`23292` is no code: too short)."""
    rows = _both_engines(tmp_path, LEFT, RIGHT)
    assert [(row["id"], row["right_sku"], row["match_certainty"]) for row in rows] == [
        ("L1", "R1", "certain"), ("L2", "R2", "certain"), ("L3", "R4", "certain"),
        ("L4", "", "possible"), ("L5", "", "no partner"), ("L6", "R8", "certain")]
    assert rows[0]["match_reason"] == ("right row 1: agreed title 99; whole row 99; rare words "
                                       "microsoft, standard, office")
    assert rows[2]["match_reason"].startswith(
        "right row 4: the same model number DCM202, agreeing in no other pair; ")


def test_a_model_number_written_in_four_parts_is_the_certain_match(tmp_path):
    """Abt-Buy's Speck cases (bench/data/abt_buy), through the installed script on both
    engines. main: no partner for either (`MB13-AQU-SEE-V2` was looked for as up to three
    words run together, so the left row's `MB13AQUSEEV2` agreed with it only in part)."""
    left = ["Speck SeeThru Aqua Hard Shell Case For 13' MacBook - MB13AQUSEEV2",
            "Speck SeeThru Pink Hard Shell Case For 13' MacBook - MB13PNKSEEV2"]
    right = ["Speck Products SeeThru Case for Apple 13' MacBook - MB13-PNK-SEE-V2",
             "Speck Products SeeThru Case for Apple 13' MacBook - MB13-AQU-SEE-V2"]
    rows = _both_engines(tmp_path, left, right)
    assert [(row["id"], row["right_sku"], row["match_certainty"]) for row in rows] == [
        ("L1", "R2", "certain"), ("L2", "R1", "certain")]
    assert rows[0]["match_reason"].startswith(
        "right row 2: the same model number MB13AQUSEEV2, held by no other row; ")


def test_a_model_number_in_parts_in_a_title_is_no_flat():
    """main: `KX 2050` against `KX-2040 1.7 L` was kept apart as `two flats of one building`:
    flats are read only in a column read as addresses (DECISIONS 511)."""
    result = find_duplicates(SERIES, ["title"])
    assert result.frame["match_reason"][3] == ("row 3: kept apart (a column clearly differs); "
                                               "agreed title 90; whole row 90; rare words kx")


def _both_engines(tmp_path, left: list[str], right: list[str]) -> list[dict]:
    """`datatools match` of the two title lists on both engines (which write the same file):
    the memory engine's rows."""
    write(tmp_path / "left.csv", ["id", "title"], [[f"L{k}", t] for k, t in enumerate(left, 1)])
    write(tmp_path / "right.csv", ["sku", "title"], [[f"R{k}", t] for k, t in enumerate(right, 1)])
    memory, rows = _match(tmp_path, "memory")
    duckdb, _ = _match(tmp_path, "duckdb")
    assert memory == duckdb
    return rows
