"""Files of a buyer's size for the UI tests, made once per session with known answers.

- a 50,000-row customer list: 49,400 people plus 600 known duplicates (a letter swap in the
  name, the e-mail in capitals, no phone); 150 of those copies moved to the city "Testville";
- the same list's first rows as a German Excel export: semicolons, cp1252, CRLF;
- a UTF-8 semicolon export with a byte order mark;
- a two-sheet workbook whose first sheet is a cover page;
- two versions of a product table, the second with a renamed column.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuyerFiles:
    customers: Path
    duplicates: dict[int, int]      # id of each known copy → id of the original it copies
    testville: frozenset[int]       # ids of the copies (and their originals) in Testville pairs
    german_export: Path
    bom_export: Path
    workbook: Path
    products_old: Path
    products_new: Path


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(syllables))


def make_buyer_files(folder: Path) -> BuyerFiles:
    rng = random.Random(19)
    people = []
    for _ in range(49_400):
        first, last = _word(rng, 3).title(), _word(rng, 4).title()
        people.append([f"{first} {last}", f"{first}.{last}@mail.example".lower(),
                       f"+44 20 {rng.randint(1000000, 9999999)}", rng.choice(["Leeds", "York", "Bath", "Derby"])])
    rows = [(k, person) for k, person in enumerate(people)]
    copies, in_testville = [], []
    for n, k in enumerate(rng.sample(range(len(people)), 600)):
        if n < 150:
            people[k][3] = "Testville"
            in_testville.append(k)
        name, email, _, city = people[k]
        copies.append((("copy", k), [name[:-2] + name[-1] + name[-2], email.upper(), "", city]))
    rows += copies
    rng.shuffle(rows)
    ids = {key: number for number, (key, _) in enumerate(rows, start=1)}
    duplicates = {ids[key]: ids[key[1]] for key, _ in copies}
    testville = frozenset(ids[key] for k in in_testville for key in (k, ("copy", k)))
    customers = folder / "customers-50k.csv"
    with customers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "email", "phone", "city"])
        writer.writerows([number, *row] for number, (_, row) in enumerate(rows, start=1))

    german = [["Kundennr", "Name", "Straße", "Ort", "Umsatz"]] + [
        [str(1000 + i), f"Müller {_word(rng, 2).title()}", f"Hauptstraße {i % 90 + 1}", "Köln",
         f"{rng.randint(1, 9999)},{rng.randint(0, 99):02d}"] for i in range(2_000)]
    german_export = folder / "kunden-export.csv"
    german_export.write_bytes(_csv_text(german, ";", "\r\n").encode("cp1252"))
    bom_export = folder / "kunden-bom.csv"
    bom_export.write_bytes(b"\xef\xbb\xbf" + _csv_text(german, ";", "\n").encode("utf-8"))

    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "Deckblatt"
    cover.append(["Kundenliste März"])
    cover.append(["Stand: 2026-11-01"])
    data = book.create_sheet("Kunden")
    for row in german[:501]:
        data.append(row)
    workbook = folder / "kunden.xlsx"
    book.save(workbook)

    products = [["sku", "product", "price", "colour"]] + [
        [f"P{i:05d}", f"{_word(rng, 3).title()} chair", f"{rng.randint(10, 500)}.00",
         rng.choice(["red", "blue", "oak"])] for i in range(5_000)]
    products_old = folder / "products-2025.csv"
    products_old.write_text(_csv_text(products, ",", "\n"), encoding="utf-8")
    renamed = [["sku", "product", "price", "color"]] + [
        [*row[:2], f"{float(row[2]) + (1 if i % 50 == 0 else 0):.2f}", row[3]]
        for i, row in enumerate(products[1:])]
    products_new = folder / "products-2026.csv"
    products_new.write_text(_csv_text(renamed, ",", "\n"), encoding="utf-8")
    return BuyerFiles(customers, duplicates, testville, german_export, bom_export, workbook,
                      products_old, products_new)


def _csv_text(rows: list[list[str]], delimiter: str, newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()
