"""A group of duplicates is certain only when no two of its rows clearly differ (issue 30,
DECISIONS 325): a shop's catalogue deduped on its title alone put five sizes of one product into
one certain group through a listing keyed again with typos, merged `Blue Hand Mixer - Pink` with
`- Blue` (the brand a colour word) and one title of two vendors. Run through the installed
`datatools` script; each group is its rows' `ref` cells."""

from __future__ import annotations

from pathlib import Path

from tests.cli_process import groups_by_certainty
from tests.test_dedupe_variants import datatools, write


def groups(tmp_path: Path, header: list[str], rows: list[list[str]], columns: str) -> dict:
    write(tmp_path / "products.csv", ["ref", *header], [[f"R{k + 1}", *row]
                                                       for k, row in enumerate(rows)])
    datatools("dedupe", "products.csv", "--columns", columns, "-o", "out.csv", cwd=tmp_path)
    return groups_by_certainty(tmp_path / "out.csv", "ref")


def test_sizes_chained_by_a_mistyped_listing_are_never_one_certain_group(tmp_path):
    rows = [["Premium Sweatpants - Burgundy / XL"], ["Premium Sweatpants - Burgundy / XXL"],
            ["Premim Sweatpants - Brgundy / XXL"], ["Premium Sweatpants - Burgundy / L"],
            ["premium sweatpants - burgundy / xl"], ["Rain Jacket - Navy / M"]]
    found = groups(tmp_path, ["Title"], rows, "Title")
    assert found["certain"] == {"R1|R5", "R2|R3"}


def test_a_brand_that_is_a_colour_word_does_not_hide_another_colour(tmp_path):
    rows = [["Blue Hand Mixer DVK-1707 - Pink"], ["Blue Hand Mixer DVK-1707 - Blue"],
            ["blue hand mixer DVK-1707 - pink"], ["Northwind Kettle KX-2040 - Black"]]
    found = groups(tmp_path, ["Title"], rows, "Title")
    assert found["certain"] == {"R1|R3"}
    assert "R1|R2" not in found["certain"] and "R2|R3" not in found["certain"]


def test_one_title_of_two_vendors_is_not_certain_when_the_vendor_is_not_compared(tmp_path):
    rows = [["Premium Fleece Vest - Olive / XS", "Fjell Supply"],
            ["Premium Fleece Vest - Olive / XS", "Kessler Home"],
            ["Rain Jacket - Navy / M", "Kessler Home"], ["Rain Jacket - Navy / M", "KESSLER HOME"]]
    found = groups(tmp_path, ["Title", "Vendor"], rows, "Title")
    assert found == {"certain": {"R3|R4"}, "possible": {"R1|R2"}}


def test_a_column_of_one_code_per_row_tells_no_pair_apart(tmp_path):
    """A guard: an uncompared SKU column that numbers every row says nothing about a pair
    (this passed before the change too)."""
    rows = [["Rain Jacket - Navy / M", "SKU-1"], ["rain jacket - navy / m", "SKU-2"],
            ["Zip Hoodie - Red / S", "SKU-3"]]
    found = groups(tmp_path, ["Title", "SKU"], rows, "Title")
    assert found == {"certain": {"R1|R2"}, "possible": set()}


def test_a_listing_keyed_again_in_another_case_is_certain_in_a_large_catalogue(tmp_path):
    """With a model (1,000 rows or more): a title and vendor that agree fully are certain,
    though the prior learned from many candidate pairs left such pairs below 99 %; before, no
    group of this list was certain. Sizes and colours of one product never are."""
    garments = ["Linen Shirt", "Zip Hoodie", "Cargo Pants", "Rain Jacket", "Polo Shirt",
                "Fleece Vest", "Tank Top", "Bomber Jacket", "Wool Socks", "Denim Jacket"]
    vendors = ["Northwind Outfitters", "Acme Apparel", "Fjell Supply", "Urban Thread",
               "Lotus Yoga", "Polar Peak"]
    lines = ["", "Premium ", "Everyday ", "Heritage "]
    rows = [[f"{lines[(v + g) % 4]}{garment} - {colour} / {size}", vendor]
            for v, vendor in enumerate(vendors) for g, garment in enumerate(garments)
            for colour in ("Black", "Navy", "Olive", "Sand", "Burgundy", "Grey")
            for size in ("S", "M", "L")]
    twice = list(range(0, len(rows), 5))
    keyed_again = {"|".join(sorted((f"R{k + 1}", f"R{len(rows) + n + 1}")))
                   for n, k in enumerate(twice)}
    rows += [[rows[k][0].upper(), rows[k][1]] for k in twice]
    found = groups(tmp_path, ["Title", "Vendor"], rows, "Title,Vendor")
    assert found["possible"] == set()
    assert found["certain"] and found["certain"] <= keyed_again
