"""A person keyed again with their social security number replaced is one person when the rest
of the record says so by a typo no two people make (DECISIONS 474, 475): a listed given name
with its last letter dropped into no name (`Kayla`/`Kayl`) beside the same date of birth, or a
date of birth with a keying error in its day beside the same names. Twins stay two: one date of
birth with two listed names (`Paul`/`Paula`), a shortened name the list holds as a name of its
own (`Petr` beside `Petra`), and dates of birth on neighbouring days (born either side of
midnight)."""

from __future__ import annotations

import random

from tests.cli_process import datatools, groups_by_certainty
from tests.large_inputs import write_csv
from tests.test_household_identifiers import CITIES, GIVEN, STREETS, SURNAMES

# Listed given names whose last letter dropped is no name the lists hold.
CUT = ["Kayla", "Laura", "Emma", "Sophia", "Olivia", "Monika", "Sabine", "Heike"]
HEADER = ["rec_id", "given_name", "surname", "address", "postcode", "suburb", "date_of_birth",
          "soc_sec_id"]


def _people(seed: int = 5) -> tuple[list[list[str]], dict[str, set[str]]]:
    """~1,200 people (a model is learned): 1,000 strangers, 16 keyed again with the given name's
    last letter dropped (two per name of CUT) and 20 with a keying error in the day of birth,
    each with a new social security number; 20 twins of two listed names, 20 without given
    names born on neighbouring days, and one `Petr`/`Petra` pair beside three more `Petr`s.
    (rows, {kind: pairs}), each pair its two ids sorted and joined by `|`."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    numbers = iter(rng.sample(range(1_000_000, 9_999_999), 1300))

    def person(given, surname, street, city, born):
        rows.append([f"P{len(rows) + 1:04d}", given, surname, street, *city, born,
                     str(next(numbers))])
        return rows[-1]

    def address():
        return f"{rng.randint(1, 150)} {rng.choice(STREETS)}", rng.choice(CITIES)

    def born(day=None):
        return f"{rng.randint(1940, 2004)}{rng.randint(1, 12):02d}{day or rng.randint(1, 28):02d}"

    def pair(first, second):
        return "|".join(sorted((first[0], second[0])))

    for _ in range(1000):
        person(rng.choice(GIVEN + CUT), rng.choice(SURNAMES), *address(), born())
    kinds: dict[str, set[str]] = {"cut": set(), "day": set(), "twins": set()}
    for name in CUT:
        for original in rng.sample([row for row in rows[:1000] if row[1] == name], 2):
            kinds["cut"].add(pair(original, person(name[:-1], original[2], original[3],
                                                   tuple(original[4:6]), original[6])))
    for original in rng.sample([row for row in rows[:1000] if row[1] not in CUT], 20):
        day = original[6][6:]
        typed = str((int(day[0]) + 1) % 3) + day[1]     # 07 → 17, 23 → 03: never a day apart
        kinds["day"].add(pair(original, person(*original[1:3], original[3], tuple(original[4:6]),
                                               original[6][:6] + typed)))
    for one, other in [("Paul", "Paula"), ("Jan", "Jana"), ("Daniel", "Daniela"),
                       ("Simon", "Simone")] * 5:
        surname, (street, city), day = rng.choice(SURNAMES), address(), born()
        kinds["twins"].add(pair(person(one, surname, street, city, day),
                                person(other, surname, street, city, day)))
    for _ in range(20):
        # `19441003`/`19441004`: one keying error apart, as a mistyped day would be
        surname, (street, city), day = rng.choice(SURNAMES), address(), born(rng.randint(1, 8))
        kinds["twins"].add(pair(person("", surname, street, city, day),
                                person("", surname, street, city, day[:6] + f"{int(day[6:]) + 1:02d}")))
    for _ in range(3):
        person("Petr", rng.choice(SURNAMES), *address(), born())
    surname, (street, city), day = rng.choice(SURNAMES), address(), born()
    kinds["twins"].add(pair(person("Petr", surname, street, city, day),
                            person("Petra", surname, street, city, day)))
    return rows, kinds


def test_a_replaced_number_beside_a_cut_name_or_a_mistyped_day_is_one_person_twins_stay_two(tmp_path):
    rows, kinds = _people()
    source = write_csv(tmp_path / "people.csv", [HEADER, *rows])
    out = tmp_path / "out.csv"
    done = datatools("dedupe", str(source), "--columns", ",".join(HEADER[1:]), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    groups = groups_by_certainty(out, "rec_id")
    assert groups["certain"] == kinds["cut"] | kinds["day"], (
        sorted(groups["certain"] & kinds["twins"])[:5],
        sorted((kinds["cut"] | kinds["day"]) - groups["certain"])[:5])
    assert kinds["twins"] <= groups["possible"], sorted(kinds["twins"] - groups["possible"])[:5]
