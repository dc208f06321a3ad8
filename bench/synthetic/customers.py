"""Customer lists shaped like real ones: Zipf-distributed names from real frequency lists,
households at one address, strangers who share a name and a city, and corrupted duplicates.

Names come from public frequency lists (bench/data/names/README.md): German surnames ranked by
phone-book entries and given names counted by registry offices; US surnames and given names with
their census / social-security shares. Surnames are drawn in proportion to their frequency
(German: Zipf with exponent 1 over the rank), so Müller and Schmidt are as common as in a real
German list. The shapes the matching issue names:

- households: two to four people sharing surname, street, postcode, city and landline, with
  different given names (never one person);
- strangers: the same given name and surname in one city at another address;
- duplicates of a quarter of the people, each with one to three of: a typo, `Straße`/`Str.`
  (`Street`/`St`), `ä`/`ae`, a missing cell, given and surname swapped, the phone written
  another way, upper or lower case.

`customers(country, rows, seed)` returns (table, truth) like people.generate; `customer_match`
makes the match task: one row of each duplicate group on the left, plus people with no partner.
"""

from __future__ import annotations

import csv
import random
import string
from pathlib import Path

import numpy as np
import pandas as pd

NAMES = Path(__file__).resolve().parent.parent / "data" / "names"
COLUMNS = ["first", "last", "street", "zip", "city", "phone", "email"]
# The most common German street names (each town has its own Hauptstraße) and US ones.
STREETS = {
    "de": ["Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße",
           "Bergstraße", "Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße",
           "Schillerstraße", "Goethestraße", "Jahnstraße", "Wiesenweg", "Buchenweg",
           "Mühlenweg", "Friedhofstraße", "Amselweg", "Rosenstraße", "Feldstraße",
           "Mozartstraße", "Industriestraße", "Talstraße", "Poststraße", "Eichendorffstraße",
           "Am Sportplatz", "Lessingstraße", "Blumenstraße", "Brunnenstraße"],
    "us": ["Main Street", "Oak Street", "Pine Street", "Maple Avenue", "Cedar Street",
           "Elm Street", "Washington Street", "Lake Street", "Hill Street", "Park Avenue",
           "Second Street", "Third Street", "First Street", "Church Street", "Walnut Street",
           "Spring Street", "North Street", "Ridge Road", "Mill Road", "Center Street",
           "Highland Avenue", "Sunset Drive", "Jackson Street", "Lincoln Avenue",
           "Chestnut Street", "River Road", "Madison Avenue", "Forest Drive", "Cherry Lane",
           "Union Street"],
}
SHORT_STREET = {"de": [("straße", "str."), ("Straße", "Str."), ("weg", "wg.")],
                "us": [("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Drive", "Dr"),
                       ("Lane", "Ln")]}
CITIES = {
    "de": [("Berlin", "10"), ("Hamburg", "20"), ("München", "80"), ("Köln", "50"),
           ("Frankfurt am Main", "60"), ("Stuttgart", "70"), ("Düsseldorf", "40"),
           ("Leipzig", "04"), ("Dortmund", "44"), ("Essen", "45"), ("Bremen", "28"),
           ("Dresden", "01"), ("Hannover", "30"), ("Nürnberg", "90"), ("Duisburg", "47"),
           ("Bochum", "44"), ("Wuppertal", "42"), ("Bielefeld", "33"), ("Bonn", "53"),
           ("Münster", "48"), ("Mannheim", "68"), ("Karlsruhe", "76"), ("Augsburg", "86"),
           ("Wiesbaden", "65"), ("Kassel", "34"), ("Göttingen", "37"), ("Würzburg", "97"),
           ("Lübeck", "23"), ("Jena", "07"), ("Gießen", "35")],
    "us": [("New York", "10"), ("Los Angeles", "90"), ("Chicago", "60"), ("Houston", "77"),
           ("Phoenix", "85"), ("Philadelphia", "19"), ("San Antonio", "78"), ("San Diego", "92"),
           ("Dallas", "75"), ("Austin", "78"), ("Columbus", "43"), ("Charlotte", "28"),
           ("Indianapolis", "46"), ("Seattle", "98"), ("Denver", "80"), ("Boston", "02"),
           ("Nashville", "37"), ("Portland", "97"), ("Detroit", "48"), ("Memphis", "38"),
           ("Louisville", "40"), ("Baltimore", "21"), ("Milwaukee", "53"), ("Tucson", "85"),
           ("Fresno", "93"), ("Omaha", "68"), ("Raleigh", "27"), ("Miami", "33"),
           ("Tulsa", "74"), ("Wichita", "67")],
}
UMLAUTS = [("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("Ä", "Ae"), ("Ö", "Oe"),
           ("Ü", "Ue")]
# The German list gives ranks only; frequency ∝ rank^-0.7 puts Müller at about 2.7 % of the
# people (above its real share of about 1 %: the list's shape is harder than a real one).
SURNAME_ZIPF = 0.7
MAIL_HOSTS = {"de": ["web.de", "gmx.de", "t-online.de", "gmail.com"],
              "us": ["gmail.com", "yahoo.com", "outlook.com", "aol.com"]}


def name_lists(country: str) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """(surnames, their probabilities, given names, their probabilities) of `country`."""
    with open(NAMES / f"{country}_surnames.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    surnames = [row["name"] for row in rows]
    weights = (np.array([int(row["rank"]) ** -SURNAME_ZIPF for row in rows]) if country == "de"
               else np.array([float(row["share"]) for row in rows]))
    with open(NAMES / f"{country}_given.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    given = [row["name"] for row in rows]
    given_weights = np.array([float(row["count" if country == "de" else "share"]) for row in rows])
    return surnames, weights / weights.sum(), given, given_weights / given_weights.sum()


def _typo(rng: random.Random, text: str) -> str:
    """One keying error in a word of at least four letters: transpose, substitute, drop, add."""
    if len(text) < 4:
        return text
    k = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    letter = rng.choice(string.ascii_lowercase)
    if kind == 0:
        return text[:k] + text[k + 1] + text[k] + text[k + 2:]
    if kind == 1:
        return text[:k] + letter + text[k + 1:]
    if kind == 2:
        return text[:k] + text[k + 1:]
    return text[:k] + letter + text[k:]


def _phone(rng: random.Random, country: str, city_code: str) -> str:
    if country == "de":
        return f"0{city_code}{rng.randint(1, 9)} {rng.randint(100000, 999999)}"
    return f"({city_code}{rng.randint(1, 9)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"


def _other_phone_spelling(phone: str, country: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    if country == "de":
        return "+49 " + digits[1:4] + " " + digits[4:]
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def _corrupt(rng: random.Random, row: dict[str, str], country: str) -> dict[str, str]:
    row = dict(row)
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.3:
            column = rng.choice(["first", "last", "street", "city"])
            row[column] = _typo(rng, row[column])
        elif kind < 0.45:
            for long, short in SHORT_STREET[country]:
                row["street"] = row["street"].replace(long, short)
        elif kind < 0.55:
            for column in ("first", "last", "street", "city"):
                for umlaut, plain in UMLAUTS:
                    row[column] = row[column].replace(umlaut, plain)
        elif kind < 0.7:
            row[rng.choice(["phone", "email", "zip", "street"])] = ""
        elif kind < 0.8:
            row["first"], row["last"] = row["last"], row["first"]
        elif kind < 0.9:
            row["phone"] = _other_phone_spelling(row["phone"], country) if row["phone"] else ""
        else:
            column = rng.choice(["first", "last", "city"])
            row[column] = row[column].upper() if rng.random() < 0.5 else row[column].lower()
    return row


def _ascii(name: str) -> str:
    """A name as an e-mail address spells it: ä → ae, ß → ss, other accents dropped."""
    import unicodedata

    for umlaut, plain in UMLAUTS:
        name = name.replace(umlaut, plain)
    return "".join(c for c in unicodedata.normalize("NFKD", name) if c.isascii())


def _people(rng: random.Random, gen: np.random.Generator, country: str, count: int
            ) -> list[dict[str, str]]:
    """`count` distinct people: households of 2–4 sharing surname, address and landline for a
    quarter of them, and strangers sharing given name, surname and city for a twentieth."""
    surnames, surname_p, given, given_p = name_lists(country)
    streets, cities = STREETS[country], CITIES[country]
    people: list[dict[str, str]] = []
    while len(people) < count:
        city, code = cities[min(int(gen.zipf(1.6)) - 1, len(cities) - 1)]
        street = f"{rng.choice(streets)} {rng.randint(1, 140)}"
        if country == "us":
            street = f"{rng.randint(1, 9999)} {rng.choice(streets)}"
        postcode = code + f"{rng.randint(0, 999):03d}"
        last = surnames[int(gen.choice(len(surnames), p=surname_p))]
        size = int(rng.choice([2, 2, 2, 3, 4])) if rng.random() < 0.25 else 1
        phone = _phone(rng, country, code)
        firsts: list[str] = []
        while len(firsts) < size:
            first = given[int(gen.choice(len(given), p=given_p))]
            if first not in firsts:
                firsts.append(first)
        for first in firsts:
            host = rng.choice(MAIL_HOSTS[country])
            email = (f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@{host}".lower()
                     if rng.random() < 0.5 else "")
            people.append({"first": first, "last": last, "street": street, "zip": postcode,
                           "city": city, "phone": phone if size > 1 or rng.random() < 0.7 else "",
                           "email": email})
        if rng.random() < 0.05 and people:
            # A stranger: same name and city, another street, phone and e-mail.
            twin = dict(people[-1])
            twin["street"] = (f"{rng.choice(streets)} {rng.randint(1, 140)}" if country == "de"
                              else f"{rng.randint(1, 9999)} {rng.choice(streets)}")
            twin["zip"] = code + f"{rng.randint(0, 999):03d}"
            twin["phone"] = _phone(rng, country, code)
            twin["email"] = ""
            people.append(twin)
    return people[:count]


def customers(country: str = "de", rows: int = 20_000, *, duplicate_share: float = 0.25,
              seed: int = 11) -> tuple[pd.DataFrame, set[tuple[int, int]]]:
    """A customer list of about `rows` rows and its true duplicate pairs (row positions, a < b)."""
    table, groups = _customer_groups(country, rows, duplicate_share, seed)
    truth = set()
    for group in groups:
        truth.update((group[i], group[j]) for i in range(len(group))
                     for j in range(i + 1, len(group)))
    return table, truth


def _customer_groups(country: str, rows: int, duplicate_share: float, seed: int
                     ) -> tuple[pd.DataFrame, list[list[int]]]:
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    originals = int(rows / (1 + duplicate_share))
    people = _people(rng, gen, country, originals)
    sources = gen.choice(originals, size=rows - originals, replace=True)
    records = people + [_corrupt(rng, people[source], country) for source in sources.tolist()]
    order = gen.permutation(len(records))
    table = pd.DataFrame([records[k] for k in order.tolist()], columns=COLUMNS)
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    members: dict[int, list[int]] = {}
    for k, source in enumerate(sources.tolist()):
        members.setdefault(source, [int(position[source])]).append(int(position[originals + k]))
    return table, [sorted(group) for group in members.values()]


def customer_match(country: str = "de", rows: int = 20_000, *, strangers: int = 1_000,
                   seed: int = 12) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, set[int]]]:
    """(left, right, partners): one row of each duplicate group on the left beside `strangers`
    people who have no partner on the right; the right holds every other row. `partners` maps
    a left row to its right rows (absent for the strangers)."""
    table, groups = _customer_groups(country, rows, 0.25, seed)
    extra, _ = _customer_groups(country, strangers, 0.0, seed + 100)
    left_rows = [group[0] for group in groups]
    taken = set(left_rows)
    right_rows = [row for row in range(len(table)) if row not in taken]
    right_position = {row: k for k, row in enumerate(right_rows)}
    left = pd.concat([table.iloc[left_rows], extra], ignore_index=True)
    right = table.iloc[right_rows].reset_index(drop=True)
    right.insert(0, "id", [f"R{k + 1}" for k in range(len(right))])
    partners = {k: {right_position[row] for row in group[1:]} for k, group in enumerate(groups)}
    return left, right, partners
