"""Street types fold and flats are read only in columns read as addresses (issue 30,
DECISIONS 511: column_kinds.reads_as_address, by the column's name or by the street types its
values hold): a product title's `CL-51` is a model number, not `calle 51` (and `KX 2050` a
kettle, not a flat: tests/test_model_numbers_in_parts.py)."""

import pandas as pd

from datatools.tools.dedupe import find_duplicates
from datatools.tools.match import match_tables


def test_a_model_number_in_a_title_is_no_street_type_but_a_street_still_folds():
    """Abt-Buy's titles (bench/data/abt_buy). main: both left rows without a partner: `CL-51`
    read `calle 51`, so the model number `CL51` was found in no right title."""
    left = pd.DataFrame({"title": ["Canon High Capacity Color Ink Cartridge - Color Ink - CL51",
                                   "Canon Photo Ink Cartridge - CL52"]})
    right = pd.DataFrame({"title": [
        "Canon CL-51 High Capacity Color Ink Cartridge For PIXMA MP450, PIXMA iP6210D and "
        "PIXMA iP6220D Printers - 0618B002",
        "Canon CL-52 Photo Ink Cartridge For PIXMA iP6210D and PIXMA iP6220D Printers - 0619B002"]})
    result = match_tables(left, right, ["title"])
    assert result.frame["match_certainty"].tolist() == ["certain", "certain"]
    assert result.frame["match_reason"][0].startswith(
        "right row 1: the same model number CL51, held by no other row; ")
    assert result.frame["match_reason"][1].startswith(
        "right row 2: the same model number CL52, held by no other row; ")
    # A column of streets, named so or not, still reads `Cl.` as `Calle` and `Str.` as `Straße`.
    for name in ("Dirección", "a"):
        table = pd.DataFrame({"firm": ["Talleres Ruiz", "Talleres Ruiz", "Bäckerei Krüger",
                                       "Bäckerei Krüger"],
                              name: ["Calle Mayor 5", "Cl. Mayor 5", "Hauptstraße 7",
                                     "Hauptstr. 7"]})
        found = find_duplicates(table, ["firm", name])
        assert [(c.rows, c.certain) for c in found.clusters] == [([0, 1], True), ([2, 3], True)]
        assert found.frame["match_score"].tolist() == ["100"] * 4

