"""Product variants are never certain duplicates (issue 30): `Crew T-Shirt - Red / S` and
`- Red / M` differ only in the size, score above the certain score, and `--keep` at defaults
removed every size but one (variants.py). So are a model's lettered variant (`KM-1000X`/
`KM-1000`), another capacity (`256GB`/`128GB`) and a size beside an agreeing model column
(DECISIONS 314, 315). Run through the installed `datatools` script."""

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
                          encoding="utf-8", timeout=300)
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


def matched(tmp_path: Path, orders: list[list[str]], skus: list[list[str]]) -> list[dict]:
    """The rows of `match orders.csv skus.csv --on item --right-on title` (order,item and
    sku,title)."""
    write(tmp_path / "orders.csv", ["order", "item"], orders)
    write(tmp_path / "skus.csv", ["sku", "title"], skus)
    datatools("match", "orders.csv", "skus.csv", "--on", "item", "--right-on", "title",
              "-o", "matched.csv", cwd=tmp_path)
    return read(tmp_path / "matched.csv")


def test_match_leaves_another_size_for_review(tmp_path):
    rows = matched(tmp_path, [["O-1", "Crew T-Shirt - Red / L"], ["O-2", "Zip Hoodie - Navy / 38"]],
                   [["SKU-1", "Crew T-Shirt - Red / S"], ["SKU-2", "Crew T-Shirt - Red / L"],
                    ["SKU-3", "Zip Hoodie - Navy / 36"], ["SKU-4", "Beanie Knit - Grey"]])
    assert {row["order"]: row["right_sku"] for row in rows} == {"O-1": "SKU-2", "O-2": ""}


def kept_skus(tmp_path: Path, header: list[str], rows: list[list[str]], columns: str) -> list[str]:
    """The `sku` of each row `dedupe --keep first` keeps."""
    kept_titles(tmp_path, rows, header, columns)
    return [row["sku"] for row in read(tmp_path / "kept.csv")]


def test_keep_keeps_a_lettered_model_and_each_capacity(tmp_path):
    rows = [["1", "Kaffeemaschine Deluxe KM-1000"], ["2", "Kaffeemaschine Deluxe KM-1000X"],
            ["3", "Bosch Wasserkocher CP-212"], ["4", "Bosch Wasserkocher CP-212X"],
            ["5", "Samsung Galaxy S21 SM-G991B 128GB"], ["6", "Samsung Galaxy S21 SM-G991B 256GB"],
            ["7", "Apple iPhone 13 256 GB Blau"], ["8", "Mineralwasser still 500ml"],
            ["9", "Mineralwasser still 1,5l"], ["10", "Beanie Knit - Grey"],
            ["11", "Apple iPhone 13 256GB Blau"]]
    # 11 is 7 written without the space: a true duplicate, still removed.
    assert kept_skus(tmp_path, ["sku", "title"], rows, "title") == \
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]


def test_keep_keeps_every_size_when_the_model_column_agrees(tmp_path):
    rows = []
    for n, item in enumerate(["Sneaker - Grau", "Kapuzenpullover - Blau", "Jeans - Schwarz"]):
        for size in ("XS", "M", "XXL"):
            rows.append([str(len(rows) + 1), f"Makita {item} / {size}", "Makita", f"RT-91{n}8"])
    assert kept_skus(tmp_path, ["sku", "title", "brand", "model"], rows, "title,brand,model") == \
        [row[0] for row in rows]


def test_keep_keeps_every_size_and_capacity_on_a_learned_run(tmp_path):
    """1,200 rows (over LEARN_FROM_ROWS): the model is learned from the table, codes_differ
    vetoes."""
    rows, expected = [], []
    brands = ["Makita", "Bosch", "Tefal", "Miele", "Braun"]
    goods = ["Sneaker", "Toaster", "Jeans", "Rasierer", "Wasserkocher", "Laufschuh"]
    for n in range(300):
        brand, good = brands[n % 5], goods[n // 5 % 6]
        model = f"{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}-{1000 + 7 * n}"
        if n % 2:
            titles = [f"{brand} {good} {model} - Grau / {s}" for s in ("XS", "M", "XXL")]
        else:
            titles = [f"{brand} {good} {model} {c}" for c in ("64GB", "256GB", "1TB")]
        for title in titles:
            rows.append([str(len(rows) + 1), title, brand, model])
            expected.append(rows[-1][0])
        rows.append([str(len(rows) + 1), titles[0].lower(), brand, model])   # keyed twice
    got = kept_skus(tmp_path, ["sku", "title", "brand", "model"], rows, "title,brand,model")
    assert set(expected) <= set(got)


def test_match_leaves_a_lettered_model_and_another_capacity_for_review(tmp_path):
    rows = matched(tmp_path, [["L1", "Kaffeemaschine Deluxe KM-1000X"],
                              ["L2", "Samsung Galaxy S21 SM-G991B 512GB"],
                              ["L3", "Bosch GSR 12V-15 Akkuschrauber"]],
                   [["1", "Kaffeemaschine Deluxe KM-1000"],
                    ["2", "Samsung Galaxy S21 SM-G991B 128GB"],
                    ["3", "Bosch GSR 12V-15 Akkuschrauber"], ["4", "Sony Bravia KDL46V5100"]])
    certainty = {row["order"]: row["match_certainty"] for row in rows}
    assert certainty == {"L1": "possible", "L2": "possible", "L3": "certain"}


def test_a_learned_run_groups_the_keyed_twice_products_not_the_variants(tmp_path):
    """A catalogue large enough to learn from (1,220 rows, title and vendor): 1,200 size and
    colour variants and 20 products listed twice (the title in lower case). EM took the
    variants for the matches and learned that a title agreeing exactly weighs less than one
    nearly agreeing: every variant was grouped (240 possible groups). With m held monotone
    (linkage_m.monotone) the groups are the 20 listings, and no variant."""
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
