"""A number a state gives one person (a social security number: FEBRL's `soc_sec_id`) vouches
for two given names, as a customer number does (DECISIONS 360, 375, 376): agreeing exactly or
one keying error apart, it makes a record whose given name was replaced, or whose given name
and surname were typed into each other's columns, one person. Twins, who share surname, address
and date of birth, each have a number of their own, often given out in turn (`2493383`/
`2493384`), and stay two."""

from __future__ import annotations

import csv
import random

from tests.cli_process import datatools, groups_by_certainty
from tests.test_household_identifiers import CITIES, GIVEN, STREETS, SURNAMES


def _people(seed: int = 41) -> tuple[list[list[str]], set[str], set[str], set[str]]:
    """~1,200 people (a model is learned): 1,000 strangers, 40 pairs of twins (one surname,
    address and date of birth, two given names, two numbers: half of them given out in turn),
    40 people keyed twice with another given name (half with their number, half with two of
    its neighbouring digits swapped) and 20 with given name and surname swapped;
    (rows, the twins, the renamed, the swapped; each pair its two ids sorted and joined by `|`)."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    numbers = rng.sample(range(1_000_000, 9_999_999), 1200)

    def person(given, surname, street, city, born, number=None):
        rows.append([f"P{len(rows) + 1:04d}", given, surname, street, *city, born,
                     str(number if number is not None else numbers[len(rows)])])
        return rows[-1]

    def born():
        return f"{rng.randint(1940, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"

    def address():
        return f"{rng.randint(1, 150)} {rng.choice(STREETS)}", rng.choice(CITIES)

    for _ in range(1000):
        person(rng.choice(GIVEN), rng.choice(SURNAMES), *address(), born())
    twins = set()
    for twin in range(40):
        one, other = rng.sample(GIVEN, 2)
        surname, (street, city), day = rng.choice(SURNAMES), address(), born()
        first = person(one, surname, street, city, day)
        second = person(other, surname, street, city, day,
                        int(first[7]) + 1 if twin % 2 else None)
        twins.add("|".join(sorted((first[0], second[0]))))
    picked = rng.sample(rows[:1000], 60)
    renamed, swapped = set(), set()
    for n, original in enumerate(picked[:40]):
        given = rng.choice([name for name in GIVEN if name != original[1]])
        number = original[7] if n % 2 else original[7][:2] + original[7][3] + original[7][2] + original[7][4:]
        copy = person(given, *original[2:4], tuple(original[4:6]), original[6], number)
        renamed.add("|".join(sorted((original[0], copy[0]))))
    for original in picked[40:]:
        copy = person(original[2], original[1], original[3], tuple(original[4:6]), original[6],
                      original[7])
        swapped.add("|".join(sorted((original[0], copy[0]))))
    return rows, twins, renamed, swapped


def test_a_social_security_number_vouches_for_a_replaced_given_name_but_twins_stay_two(tmp_path):
    rows, twins, renamed, swapped = _people()
    source = tmp_path / "people.csv"
    header = ["rec_id", "given_name", "surname", "address", "postcode", "suburb",
              "date_of_birth", "soc_sec_id"]
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    out = tmp_path / "out.csv"
    done = datatools("dedupe", str(source), "--columns", ",".join(header[1:]), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    groups = groups_by_certainty(out, "rec_id")
    assert groups["certain"] == renamed | swapped, (sorted(groups["certain"] & twins)[:5],
                                                    sorted((renamed | swapped) - groups["certain"])[:5])
    assert groups["possible"] >= twins
