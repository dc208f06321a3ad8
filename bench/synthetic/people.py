"""Generated person name-and-address tables with injected, corrupted duplicates.

The corruption model follows FEBRL's generator: each duplicate gets one to three modifications
drawn from typos (insert, delete, substitute, transpose), a missing value, swapped name parts,
a street-type abbreviation, changed case and dropped accents. The true duplicate pairs come back
with the table, so precision and recall can be counted.
"""

from __future__ import annotations

import random
import string
import unicodedata

import numpy as np
import pandas as pd

COLUMNS = ["first_name", "last_name", "street", "city", "postcode", "date_of_birth"]
STREET_TYPES = [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Lane", "Ln"),
                ("Drive", "Dr"), ("Court", "Ct"), ("Place", "Pl")]
ACCENTED = {"e": "é", "a": "á", "o": "ö", "u": "ü", "n": "ñ", "c": "ç"}


def _names(rng: random.Random, count: int, low: int, high: int, accents: bool) -> list[str]:
    syllables = ["ka", "ri", "mo", "le", "an", "ton", "el", "sa", "ber", "gi", "na", "lu", "ven",
                 "do", "mar", "is", "to", "ha", "ne", "or", "cel", "fi", "ru", "qui", "wen"]
    names = set()
    while len(names) < count:
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(low, high)))
        if accents and rng.random() < 0.15:
            k = rng.randrange(len(name))
            name = name[:k] + ACCENTED.get(name[k], name[k]) + name[k + 1:]
        names.add(name.capitalize())
    return sorted(names)


def _typo(rng: random.Random, text: str) -> str:
    if not text:
        return text
    k = rng.randrange(len(text))
    kind = rng.randrange(4)
    letter = rng.choice(string.ascii_lowercase)
    if kind == 0:
        return text[:k] + letter + text[k:]
    if kind == 1 and len(text) > 2:
        return text[:k] + text[k + 1:]
    if kind == 2:
        return text[:k] + letter + text[k + 1:]
    if k + 1 < len(text):
        return text[:k] + text[k + 1] + text[k] + text[k + 2:]
    return text + letter


def _corrupt(rng: random.Random, row: dict[str, str]) -> dict[str, str]:
    row = dict(row)
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        column = rng.choice(COLUMNS)
        if kind < 0.45:
            row[column] = _typo(rng, row[column])
        elif kind < 0.55:
            row[column] = ""
        elif kind < 0.65:
            row["first_name"], row["last_name"] = row["last_name"], row["first_name"]
        elif kind < 0.75:
            for long, short in STREET_TYPES:
                row["street"] = row["street"].replace(long, short)
        elif kind < 0.85:
            row[column] = row[column].upper() if rng.random() < 0.5 else row[column].lower()
        else:
            row[column] = "".join(c for c in unicodedata.normalize("NFKD", row[column])
                                  if not unicodedata.combining(c))
    return row


def generate(rows: int, *, duplicate_share: float = 0.2, seed: int = 7
             ) -> tuple[pd.DataFrame, set[tuple[int, int]]]:
    """A table of about `rows` rows, `duplicate_share` of them duplicates, and the true pairs."""
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    originals = int(rows / (1 + duplicate_share))
    firsts = np.array(_names(rng, 3000, 2, 3, True), dtype=object)
    lasts = np.array(_names(rng, 40000, 2, 4, True), dtype=object)
    streets = np.array(_names(rng, 8000, 2, 3, False), dtype=object)
    cities = np.array(_names(rng, 3000, 2, 3, True), dtype=object)
    types = np.array([long for long, _ in STREET_TYPES], dtype=object)
    city_index = gen.integers(0, len(cities), originals)
    born = (np.datetime64("1940-01-01") + gen.integers(0, 60 * 365, originals)).astype(str)
    frame = pd.DataFrame({
        "first_name": firsts[gen.zipf(1.3, originals) % len(firsts)],
        "last_name": lasts[gen.integers(0, len(lasts), originals)],
        "street": (gen.integers(1, 400, originals).astype(str).astype(object) + " "
                   + streets[gen.integers(0, len(streets), originals)] + " "
                   + types[gen.integers(0, len(types), originals)]),
        "city": cities[city_index],
        "postcode": (10000 + city_index * 29 % 89999).astype(str).astype(object),
        "date_of_birth": born.astype(object),
    })
    duplicates = rows - originals
    sources = gen.integers(0, originals, duplicates)
    records = frame.to_dict("records")
    extra = [_corrupt(rng, records[source]) for source in sources.tolist()]
    table = pd.concat([frame, pd.DataFrame(extra, columns=COLUMNS)], ignore_index=True)
    # Shuffle so duplicates are not at the end of the file.
    order = gen.permutation(len(table))
    table = table.iloc[order].reset_index(drop=True)
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    members: dict[int, list[int]] = {}
    for k, source in enumerate(sources.tolist()):
        members.setdefault(source, [int(position[source])]).append(int(position[originals + k]))
    truth = set()
    for group in members.values():
        group.sort()
        truth.update((group[i], group[j]) for i in range(len(group))
                     for j in range(i + 1, len(group)))
    return table, truth


def pair_scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1."""
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
