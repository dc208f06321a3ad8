"""A model's lettered variant (`KM-1000X`/`KM-1000`), another capacity (`256GB`/`128GB`) and a
size beside an agreeing model column are other products, never certain (DECISIONS 314, 315):
`--keep` at defaults removed them. Run through the installed `datatools` script."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("datatools")


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def datatools(*argv: str, cwd: Path) -> None:
    done = subprocess.run([str(SCRIPT), *argv], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr


def kept(tmp_path: Path, header: list[str], rows: list[list[str]], columns: str) -> list[str]:
    write(tmp_path / "products.csv", header, rows)
    datatools("dedupe", "products.csv", "--columns", columns, "--keep", "first", "-o", "kept.csv",
              cwd=tmp_path)
    return [row["sku"] for row in read(tmp_path / "kept.csv")]


def test_keep_keeps_a_lettered_model_and_each_capacity(tmp_path):
    rows = [["1", "Kaffeemaschine Deluxe KM-1000"], ["2", "Kaffeemaschine Deluxe KM-1000X"],
            ["3", "Bosch Wasserkocher CP-212"], ["4", "Bosch Wasserkocher CP-212X"],
            ["5", "Samsung Galaxy S21 SM-G991B 128GB"], ["6", "Samsung Galaxy S21 SM-G991B 256GB"],
            ["7", "Apple iPhone 13 256 GB Blau"], ["8", "Mineralwasser still 500ml"],
            ["9", "Mineralwasser still 1,5l"], ["10", "Beanie Knit - Grey"],
            ["11", "Apple iPhone 13 256GB Blau"]]
    # 11 is 7 written without the space: a true duplicate, still removed.
    assert kept(tmp_path, ["sku", "title"], rows, "title") == \
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]


def test_keep_keeps_every_size_when_the_model_column_agrees(tmp_path):
    rows = []
    for n, item in enumerate(["Sneaker - Grau", "Kapuzenpullover - Blau", "Jeans - Schwarz"]):
        for size in ("XS", "M", "XXL"):
            rows.append([str(len(rows) + 1), f"Makita {item} / {size}", "Makita", f"RT-91{n}8"])
    assert kept(tmp_path, ["sku", "title", "brand", "model"], rows, "title,brand,model") == \
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
    got = kept(tmp_path, ["sku", "title", "brand", "model"], rows, "title,brand,model")
    assert set(expected) <= set(got)


def test_match_leaves_a_lettered_model_and_another_capacity_for_review(tmp_path):
    write(tmp_path / "supplier.csv", ["ref", "item"],
          [["L1", "Kaffeemaschine Deluxe KM-1000X"], ["L2", "Samsung Galaxy S21 SM-G991B 512GB"],
           ["L3", "Bosch GSR 12V-15 Akkuschrauber"]])
    write(tmp_path / "catalogue.csv", ["sku", "title"],
          [["1", "Kaffeemaschine Deluxe KM-1000"], ["2", "Samsung Galaxy S21 SM-G991B 128GB"],
           ["3", "Bosch GSR 12V-15 Akkuschrauber"], ["4", "Sony Bravia KDL46V5100"]])
    datatools("match", "supplier.csv", "catalogue.csv", "--on", "item", "--right-on", "title",
              "-o", "matched.csv", cwd=tmp_path)
    certainty = {row["ref"]: row["match_certainty"] for row in read(tmp_path / "matched.csv")}
    assert certainty == {"L1": "possible", "L2": "possible", "L3": "certain"}
