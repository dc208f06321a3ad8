"""Two versions of a product table of a buyer's size, with every difference known in advance.

The 2026 version renames `colour` to `color`, raises the price of every 97th product, changes
the stock of every 211th, drops every 101st product and adds 400 new ones at the end. Product
names repeat, so only `sku` identifies a row.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProductVersions:
    old: Path
    new: Path
    changed: dict[str, dict[str, tuple[str, str]]]   # sku → column → (old value, new value)
    added: frozenset[str]                            # skus only in the new version
    removed: frozenset[str]                          # skus only in the old version


def make_product_versions(folder: Path, rows: int = 30_000) -> ProductVersions:
    """Write products-2025.csv and products-2026.csv into `folder` (UTF-8, comma, LF)."""
    rng = random.Random(134)
    kinds, woods = ["chair", "table", "lamp", "shelf", "stool"], ["Oak", "Pine", "Birch", "Walnut"]
    old_rows = [[f"P{i:06d}", f"{rng.choice(woods)} {rng.choice(kinds)}", f"{rng.randint(10, 500)}.00",
                 rng.choice(["red", "blue", "oak", "white"]), str(rng.randint(0, 80))] for i in range(rows)]
    new_rows, changed, removed = [], {}, set()
    for i, (sku, product, price, colour, stock) in enumerate(old_rows):
        if i % 101 == 50:
            removed.add(sku)
            continue
        cells = {}
        if i % 97 == 3:
            cells["price"] = (price, f"{float(price) + 5:.2f}")
        if i % 211 == 7:
            cells["stock"] = (stock, str(int(stock) + 12))
        if cells:
            changed[sku] = cells
        new_rows.append([sku, product, cells.get("price", (0, price))[1], colour,
                         cells.get("stock", (0, stock))[1]])
    added = [f"N{i:05d}" for i in range(400)]
    new_rows += [[sku, f"New {rng.choice(kinds)}", "99.00", "green", "5"] for sku in added]
    old, new = folder / "products-2025.csv", folder / "products-2026.csv"
    _write(old, ["sku", "product", "price", "colour", "stock"], old_rows)
    _write(new, ["sku", "product", "price", "color", "stock"], new_rows)
    return ProductVersions(old, new, changed, frozenset(added), frozenset(removed))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
