"""Two generated company lists to match, with known partners: the second puts `city` first.

The first table has `id, company, city`; the second `city, company, contact` and holds a
copy of a known share of the first table's companies (spelled differently: a typo, capitals,
the legal form written out or left off) plus as many unrelated companies as there are copies
missing, shuffled. Seeded: the same arguments give the same tables.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

CITIES = ["Leeds", "York", "Bath", "Derby", "Hull", "Ely", "Wells", "Bristol", "Cardiff", "Berlin",
          "Köln", "München", "Hamburg", "Lyon", "Lille", "Nantes", "Madrid", "Sevilla", "Bilbao",
          "Porto", "Lisboa", "Gent", "Utrecht", "Malmö", "Aarhus", "Turku", "Graz", "Basel"]
LEGAL = [("Ltd", "Limited"), ("GmbH", "Gesellschaft mbH"), ("SA", "S.A."), ("AG", "Aktiengesellschaft"),
         ("BV", "B.V."), ("SL", "S.L."), ("Oy", "OY")]
SECTORS = ["Trading", "Logistics", "Foods", "Systems", "Textiles", "Metals", "Print", "Labs"]


@dataclass(frozen=True)
class CompanyTables:
    left: list[list[str]]       # header first: id, company, city
    right: list[list[str]]      # header first: city, company, contact
    partners: int               # left rows that have a copy in the right table

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Both tables as UTF-8 CSV files in `folder`: (left path, right path)."""
        paths = folder / "companies.csv", folder / "suppliers.csv"
        for path, rows in zip(paths, (self.left, self.right)):
            with path.open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows(rows)
        return paths


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))).title()


def _respelled(rng: random.Random, name: str, legal: tuple[str, str]) -> str:
    kind = rng.randrange(4)
    if kind == 0:                                   # one letter typed wrong
        k = rng.randrange(1, len(name) - len(legal[0]) - 1)
        return name[:k] + rng.choice("aeiou") + name[k + 1:]
    if kind == 1:
        return name.upper()
    if kind == 2:
        return name[: -len(legal[0])] + legal[1]
    return name[: -len(legal[0]) - 1]               # the legal form left off


def company_tables(rows: int, share: float, seed: int = 19) -> CompanyTables:
    """`rows` companies; a copy of `round(rows * share)` of them in the second table."""
    rng = random.Random(seed)
    names: set[str] = set()
    companies = []
    while len(companies) < rows + rows:             # the first table's, then unrelated ones
        legal = rng.choice(LEGAL)
        name = f"{_word(rng)} {rng.choice(SECTORS)} {legal[0]}"
        if name not in names:
            names.add(name)
            companies.append((name, legal, rng.choice(CITIES)))
    mine, others = companies[:rows], companies[rows:]
    left = [["id", "company", "city"]] + [[str(k + 1), name, city] for k, (name, _, city) in enumerate(mine)]
    partners = round(rows * share)
    copies = [[city, _respelled(rng, name, legal), _word(rng)]
              for name, legal, city in rng.sample(mine, partners)]
    copies += [[city, name, _word(rng)] for name, _, city in others[: rows - partners]]
    rng.shuffle(copies)
    return CompanyTables(left=left, right=[["city", "company", "contact"]] + copies, partners=partners)
