"""Product variants are never certain duplicates (issue 30): `Crew T-Shirt - Red / S` and
`- Red / M` differ only in the size, score above the certain score, and `--keep` at defaults
removed every size but one (variants.py). Run through the installed `datatools` script."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("datatools")
ITEMS = ["Crew T-Shirt - Red", "Crew T-Shirt - Navy", "Zip Hoodie - Red", "Zip Hoodie - Navy"]


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def datatools(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(SCRIPT), *argv], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def kept_titles(tmp_path: Path, rows: list[list[str]], header: list[str], columns: str) -> list[str]:
    source = write(tmp_path / "products.csv", header, rows)
    datatools("dedupe", str(source), "--columns", columns, "--keep", "first", "-o", "kept.csv",
              cwd=tmp_path)
    return [row[header[1]] for row in read(tmp_path / "kept.csv")]


def test_keep_keeps_every_letter_size(tmp_path):
    rows = [[f"SKU-{n}", f"{item} / {size}"] for n, (item, size) in
            enumerate(((i, s) for i in ITEMS for s in ("S", "M", "L", "XL")), 1)]
    kept = kept_titles(tmp_path, rows, ["sku", "title"], "title")
    assert kept == [row[1] for row in rows]


def test_keep_keeps_every_number_size(tmp_path):
    rows = [[f"SKU-{n}", f"{item} / {size}"] for n, (item, size) in
            enumerate(((i, s) for i in ITEMS for s in ("36", "38", "40")), 1)]
    kept = kept_titles(tmp_path, rows, ["sku", "title"], "title")
    assert kept == [row[1] for row in rows]


def test_keep_keeps_sizes_beside_a_vendor_and_in_german(tmp_path):
    rows = [["Acme Apparel", "Classic Crew T-Shirt - Red / M"],
            ["Acme Apparel", "Classic Crew T-Shirt - Red / L"],
            ["Acme Apparel", "Classic Crew T-Shirt - Red / XL"],
            ["Modehaus Weber", "Damen Jeans Slim Fit blau Gr. S"],
            ["Modehaus Weber", "Damen Jeans Slim Fit blau Gr. M"]]
    kept = kept_titles(tmp_path, rows, ["vendor", "title"], "title,vendor")
    assert kept == [row[1] for row in rows]


def test_a_true_duplicate_still_goes(tmp_path):
    """The same title keyed twice (case, spacing) is still certain and removed (a guard: this
    passed before the fix too)."""
    rows = [["SKU-1", "Crew T-Shirt - Red / S"], ["SKU-2", "crew t-shirt - red / s"],
            ["SKU-3", "Apple iPhone 13 128GB Blue"], ["SKU-4", "Apple iPhone 13 128 GB Blue"],
            ["SKU-5", "Beanie Knit - Grey"]]
    kept = kept_titles(tmp_path, rows, ["sku", "title"], "title")
    assert kept == ["Crew T-Shirt - Red / S", "Apple iPhone 13 128GB Blue", "Beanie Knit - Grey"]


def test_match_leaves_another_size_for_review(tmp_path):
    write(tmp_path / "orders.csv", ["order", "item"],
          [["O-1", "Crew T-Shirt - Red / L"], ["O-2", "Zip Hoodie - Navy / 38"]])
    write(tmp_path / "skus.csv", ["sku", "title"],
          [["SKU-1", "Crew T-Shirt - Red / S"], ["SKU-2", "Crew T-Shirt - Red / L"],
           ["SKU-3", "Zip Hoodie - Navy / 36"], ["SKU-4", "Beanie Knit - Grey"]])
    datatools("match", "orders.csv", "skus.csv", "--on", "item", "--right-on", "title",
              "-o", "matched.csv", cwd=tmp_path)
    matched = {row["order"]: row["right_sku"] for row in read(tmp_path / "matched.csv")}
    assert matched == {"O-1": "SKU-2", "O-2": ""}


def test_a_learned_run_groups_the_keyed_twice_products_not_the_variants(tmp_path):
    """A catalogue large enough to learn from (1,220 rows, title and vendor): 1,200 size and
    colour variants and 20 products listed twice (the title in lower case). EM took the
    variants for the matches and learned that a title agreeing exactly weighs less than one
    nearly agreeing: every variant was grouped (240 possible groups). With m held monotone
    (linkage_model._monotone) the groups are the 20 listings, and no variant."""
    lines = ["Classic", "Essential", "Heritage", "Organic", "Everyday", "Premium"]
    items = ["Crew T-Shirt", "Zip Hoodie", "Rain Jacket", "Polo Shirt", "Fleece Vest",
             "Tank Top", "Oxford Shirt", "Cargo Pants", "Linen Shirt", "Wool Beanie"]
    vendors = ["Northwind Outfitters", "Acme Apparel", "Blue Harbor Co", "Fjell Supply",
               "Urban Thread"]
    rows = [[f"{line} {item} - {colour} / {size}", vendors[n % len(vendors)]]
            for n, (line, item) in enumerate((l, i) for l in lines for i in items)
            for colour in ("Black", "White", "Navy", "Red") for size in ("XS", "S", "M", "L", "XL")]
    twice = list(range(7, len(rows), 60))
    rows += [[rows[k][0].lower(), rows[k][1]] for k in twice]
    source = write(tmp_path / "catalogue.csv", ["title", "vendor"], rows)
    datatools("dedupe", str(source), "--columns", "title,vendor", "-o", "grouped.csv", "-q",
              cwd=tmp_path)
    groups: dict[str, list[int]] = {}
    for number, row in enumerate(read(tmp_path / "grouped.csv")):
        if row["cluster_id"]:
            groups.setdefault(row["cluster_id"], []).append(number)
    assert len(twice) == 20
    assert sorted(groups.values()) == [[k, 1200 + n] for n, k in enumerate(twice)]
