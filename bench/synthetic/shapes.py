"""Labelled tables of the four shapes issue 13 names, each with its true duplicate pairs.

- households: people sharing a surname and an address with different given names (never one
  person), plus corrupted duplicates of some of them;
- generic companies: company names built from one distinctive word, shared generic words and a
  legal form in many languages (GmbH, S.A., N.V., AG, plc, Ltd, Inc, Oy, AB, KK, Sp. z o.o. …);
  duplicates change the legal form's spelling, drop it, change case or make a typo;
- undecomposable letters: names with ø đ ł ß æ œ þ ı, duplicated in plain letters;
- subset companies: "name legal-form [street number] city country" in one column, the duplicate
  with or without the street part.

Every generator takes a seed and returns (table, truth) like people.generate.
"""

from __future__ import annotations

import random

import pandas as pd

from synthetic.people import _names, _typo

GENERIC = ["Energy", "Production", "Trading", "Holding", "Logistics", "Consulting", "Software",
           "Foods", "Services", "Systems", "Group", "International", "Industries", "Solutions",
           "Transport", "Engineering", "Capital", "Partners"]
# Legal form → its other spellings a duplicate may use ("" drops it).
LEGAL_FORMS = {
    "GmbH": ["G.m.b.H.", ""], "S.A.": ["SA", ""], "N.V.": ["NV", ""], "AG": ["A.G.", ""],
    "plc": ["PLC", "p.l.c."], "Ltd": ["Limited", "Ltd."], "Inc": ["Incorporated", "Inc."],
    "Oy": ["OY", ""], "AB": ["A.B.", ""], "KK": ["K.K.", ""], "Sp. z o.o.": ["Sp z oo", ""],
    "Corporation": ["Corp.", "Corp"], "LLC": ["L.L.C.", ""], "SE": ["S.E.", ""],
}
CITIES = ["Munich", "Berlin", "Paris", "Madrid", "Warsaw", "Helsinki", "Stockholm", "Osaka",
          "London", "Leeds", "Austin", "Lyon", "Porto", "Gdansk", "Turku", "Malmo"]
COUNTRIES = {"Munich": "Germany", "Berlin": "Germany", "Paris": "France", "Madrid": "Spain",
             "Warsaw": "Poland", "Helsinki": "Finland", "Stockholm": "Sweden", "Osaka": "Japan",
             "London": "UK", "Leeds": "UK", "Austin": "USA", "Lyon": "France",
             "Porto": "Portugal", "Gdansk": "Poland", "Turku": "Finland", "Malmo": "Sweden"}
STREETS = ["Hauptstrasse", "Rue de Rivoli", "Calle Mayor", "Ulica Dluga", "Mannerheimintie",
           "Drottninggatan", "Midosuji", "High Street", "Congress Avenue", "Rua Augusta",
           "Koenigstrasse", "Baker Street", "Main Street", "Kungsgatan", "Aleje Jerozolimskie"]
# Given names of real people (households share surnames, not given names; syllable-made names
# are too alike to tell a typo from another person: Dori / Domori).
GIVEN_NAMES = """Robert Linda James Mary John Patricia Michael Jennifer William Elizabeth David Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty
Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle
Kenneth Carol Kevin Amanda Brian Melissa George Deborah Edward Stephanie Ronald Rebecca Timothy
Sharon Jason Laura Jeffrey Cynthia Ryan Kathleen Jacob Amy Gary Shirley Nicholas Angela Eric Helen
Jonathan Anna Larry Brenda Justin Pamela Scott Nicole Frank Samantha Gregory Katherine Raymond
Christine Samuel Debra Patrick Rachel Alexander Catherine Jack Carolyn Dennis Janet Jerry Ruth Tyler
Maria Aaron Heather Jose Diane Henry Virginia Adam Julie Douglas Joyce Nathan Victoria Peter Olivia
Zachary Kelly Kyle Christina Walter Lauren Harold Joan Jeremy Evelyn Ethan Judith Carl Megan Keith
Cheryl Roger Andrea Gerald Hannah Christian Martha Terry Jacqueline Sean Frances Arthur Gloria
Austin Ann Noah Teresa Lawrence Kathryn Jesse Sara Joe Janice Bryan Jean Billy Alice Jordan Madison
Albert Doris Dylan Abigail Bruce Julia Willie Judy Gabriel Grace Alan Denise Juan Amber Logan
Marilyn Wayne Beverly Ralph Danielle Roy Theresa Eugene Sophia Randy Marie Vincent Diana Russell
Brittany Louis Natalie Philip Isabella Bobby Charlotte Johnny Rose Bradley Alexis Sven Ingrid
Lars Astrid Pierre Camille Jean Chloe Luca Giulia Marco Chiara Hans Greta Jan Ewa Piotr Zofia
Kenji Yuki Hiroshi Aiko Mateo Lucia Diego Elena Pablo Carmen""".split()
# Letters with no Unicode decomposition and their plain spellings.
FOLDS = {"ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}


def _shuffled(rows: list[dict], groups: list[list[int]], seed: int):
    """The rows in a random order, and the true pairs of each group of row indices."""
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    truth = set()
    for group in groups:
        placed = sorted(position[k] for k in group)
        truth.update((placed[i], placed[j]) for i in range(len(placed))
                     for j in range(i + 1, len(placed)))
    return pd.DataFrame([rows[k] for k in order], dtype=object), truth


def _family(rng: random.Random, rows: list[dict], groups: list[list[int]], record: dict,
            corrupt) -> None:
    """Add a record and, for a third of them, one or two corrupted duplicates."""
    group = [len(rows)]
    rows.append(record)
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        group.append(len(rows))
        rows.append(corrupt(rng, dict(record)))
    if len(group) > 1:
        groups.append(group)


def _typo_in(rng: random.Random, row: dict, columns: list[str]) -> dict:
    column = rng.choice(columns)
    row[column] = _typo(rng, row[column])
    return row


def households(count: int = 800, seed: int = 11):
    """first, last, street, city: households of 2–4 people, some people duplicated."""
    rng = random.Random(seed)
    firsts = sorted(set(GIVEN_NAMES))
    lasts = _names(rng, 3000, 2, 4, False)
    streets = _names(rng, 1500, 2, 3, False)
    rows: list[dict] = []
    groups: list[list[int]] = []

    def corrupt(rng, row):
        kind = rng.random()
        if kind < 0.6:
            return _typo_in(rng, row, ["first", "last", "street", "city"])
        if kind < 0.8:
            row["street"] = row["street"].replace(" Road", " Rd")
            row["first"] = row["first"].upper()
            return row
        row["city"] = ""
        return row

    for _ in range(count):
        last, city = rng.choice(lasts), rng.choice(CITIES)
        street = f"{rng.randint(1, 300)} {rng.choice(streets)} Road"
        for first in rng.sample(firsts, rng.randint(2, 4)):
            _family(rng, rows, groups, {"first": first, "last": last, "street": street,
                                        "city": city}, corrupt)
    return _shuffled(rows, groups, seed)


def _company(rng: random.Random, distinct: list[str]) -> tuple[str, str, str]:
    """A company's distinctive word (each used once: `distinct` is consumed), generic words
    and legal form."""
    legal = rng.choice(list(LEGAL_FORMS))
    words = " ".join(rng.sample(GENERIC, rng.randint(1, 2)))
    return distinct.pop(rng.randrange(len(distinct))), words, legal


def _respell_legal(rng: random.Random, name: str, legal: str) -> str:
    other = rng.choice(LEGAL_FORMS[legal])
    return (name[: -len(legal)] + other).strip()


def generic_companies(count: int = 2000, seed: int = 12):
    """vendor, city: distinctive word + generic words + legal form; duplicates respell."""
    rng = random.Random(seed)
    distinct = _names(rng, count, 2, 4, False)
    rows: list[dict] = []
    groups: list[list[int]] = []
    for _ in range(count):
        word, generic, legal = _company(rng, distinct)
        name = f"{word} {generic} {legal}"

        def corrupt(rng, row, legal=legal):
            kind = rng.random()
            if kind < 0.5:
                row["vendor"] = _respell_legal(rng, row["vendor"], legal)
            elif kind < 0.8:
                first, rest = row["vendor"].split(" ", 1)
                row["vendor"] = f"{_typo(rng, first)} {rest}"
            else:
                row["vendor"] = row["vendor"].upper()
            return row

        _family(rng, rows, groups, {"vendor": name, "city": rng.choice(CITIES)}, corrupt)
    return _shuffled(rows, groups, seed)


def undecomposable_names(count: int = 1500, seed: int = 13):
    """first, last, city: names holding ø đ ł ß æ œ þ ı, duplicated in plain letters."""
    rng = random.Random(seed)
    plain_firsts = _names(rng, 400, 2, 3, False)
    plain_lasts = _names(rng, 2500, 2, 4, False)
    letters = list(FOLDS)

    def special(name: str) -> str:
        k = rng.randrange(1, len(name))
        return name[:k] + rng.choice(letters) + name[k + 1:]

    def fold(text: str) -> str:
        for letter, plain in FOLDS.items():
            text = text.replace(letter, plain).replace(letter.upper(), plain.capitalize())
        return text

    rows: list[dict] = []
    groups: list[list[int]] = []
    for _ in range(count):
        record = {"first": special(rng.choice(plain_firsts)), "last": special(rng.choice(plain_lasts)),
                  "city": rng.choice(CITIES)}

        def corrupt(rng, row):
            row["first"], row["last"] = fold(row["first"]), fold(row["last"])
            if rng.random() < 0.3:
                row["last"] = _typo(rng, row["last"])
            return row

        _family(rng, rows, groups, record, corrupt)
    return _shuffled(rows, groups, seed)


def subset_companies(count: int = 1500, seed: int = 14):
    """company: "name legal-form [street number] city country"; duplicates add or drop the street."""
    rng = random.Random(seed)
    distinct = _names(rng, count, 2, 4, False)
    rows: list[dict] = []
    groups: list[list[int]] = []
    for _ in range(count):
        word, generic, legal = _company(rng, distinct)
        city = rng.choice(CITIES)
        street = f"{rng.choice(STREETS)} {rng.randint(1, 200)}"
        has_street = rng.random() < 0.5
        head, tail = f"{word} {generic} {legal}", f"{city} {COUNTRIES[city]}"

        def corrupt(rng, row, head=head, tail=tail, street=street, has_street=has_street):
            text = f"{head} {tail}" if has_street else f"{head} {street} {tail}"
            if rng.random() < 0.3:
                text = _typo(rng, text)
            row["company"] = text
            return row

        text = f"{head} {street} {tail}" if has_street else f"{head} {tail}"
        _family(rng, rows, groups, {"company": text}, corrupt)
    return _shuffled(rows, groups, seed)


SHAPES = {"households": (households, ["first", "last", "street", "city"]),
          "generic companies": (generic_companies, ["vendor", "city"]),
          "letters ø đ ł ß æ": (undecomposable_names, ["first", "last", "city"]),
          "subset companies": (subset_companies, ["company"])}
