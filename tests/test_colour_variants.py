"""Two colours of a product and two article codes are never certain duplicates (DECISIONS 319,
320): `Wool Beanie - Blue` and `- Green`, `Tote Bag Grey` and `Tote Bag Dark Grey`, the SKUs
`HD-BLACK-M` and `CH-BLACK-M` scored above the certain score, and `--keep first` removed one of
each. Run through the installed `datatools` script."""

from __future__ import annotations

from pathlib import Path

from tests.test_dedupe_variants import datatools, read, write


def kept(tmp_path: Path, header: list[str], rows: list[list[str]], columns: str) -> list[str]:
    """The first column of each row `dedupe --columns … --keep first` keeps."""
    write(tmp_path / "rows.csv", header, rows)
    datatools("dedupe", "rows.csv", "--columns", columns, "--keep", "first", "-o", "kept.csv",
              cwd=tmp_path)
    return [row[header[0]] for row in read(tmp_path / "kept.csv")]


def test_keep_keeps_every_colour_and_shade(tmp_path):
    rows = [[title, "Outpost"] for title in (
        "Wool Beanie - Green / One Size", "Wool Beanie - Blue / One Size",
        "Wool Beanie - Black / One Size", "Wool Beanie - Light Blue / One Size",
        "Tote Bag Grey", "Tote Bag Dark Grey", "Strickmütze blau", "Strickmütze hellblau",
        "Rain Jacket - Navy / M")]
    rows.append(["rain jacket - navy / m", "Outpost"])    # keyed twice: still goes
    assert kept(tmp_path, ["Product", "Brand"], rows, "Product,Brand") == [r[0] for r in rows[:-1]]


def test_keep_keeps_every_article_code(tmp_path):
    rows = [["HD-BLACK-M", "Hoodie"], ["CH-BLACK-M", "Chino"], ["CT-GREY-M", "Tee"],
            ["CH-GREY-M", "Chino"], ["ch-grey-m ", "Chino"]]     # the last keyed twice: goes
    assert kept(tmp_path, ["SKU", "Name"], rows, "SKU") == [r[0] for r in rows[:-1]]


def test_match_leaves_another_shade_for_review(tmp_path):
    write(tmp_path / "shop.csv", ["Variant Title"], [["Classic Hoodie - Grey / L"],
                                                     ["Classic Hoodie - Black / L"]])
    write(tmp_path / "supplier.csv", ["Supplier Item", "Ref"],
          [["Classic Hoodie Dark Grey, Size L", "S-1"], ["Classic Hoodie Black, Size L", "S-2"]])
    datatools("match", "shop.csv", "supplier.csv", "--on", "Variant Title", "--right-on",
              "Supplier Item", "-o", "matched.csv", cwd=tmp_path)
    assert [row["right_Ref"] for row in read(tmp_path / "matched.csv")] == ["", "S-2"]


def test_a_colour_surname_keyed_twice_still_goes(tmp_path):
    """Colour words are read only in product columns: `Weiß`/`Weiss` and `Braun` are people (a
    guard: this passed before the change too)."""
    rows = [["Peter Weiß", "Hauptstr. 3"], ["Peter Weiss", "Hauptstr. 3"],
            ["Anna Braun", "Lindenweg 7"], ["Anna Braun", "Lindenweg 7"],
            ["Karl Schwarz", "Am Markt 1"]]
    assert kept(tmp_path, ["Name", "Strasse"], rows, "Name,Strasse") == [
        "Peter Weiß", "Anna Braun", "Karl Schwarz"]
