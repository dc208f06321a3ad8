"""A record keyed again with its social security number mistyped joins its group, certain, when
the group's own rows already vouch for it (DECISIONS 373): rows of its given name and date of
birth holding the number of a row of another given name say, by a number one person holds,
that the two names are one person's. Twins, whose rows never hold each other's numbers, stay
two."""

from __future__ import annotations

import csv
import random

from tests.cli_process import datatools, groups_by_certainty
from tests.test_household_identifiers import CITIES, GIVEN, STREETS, SURNAMES

HEADER = ["rec_id", "given_name", "surname", "address", "postcode", "suburb", "date_of_birth",
          "soc_sec_id"]


def _people(seed: int = 43) -> tuple[list[list[str]], set[str], list[list[str]]]:
    """~1,200 rows (a model is learned): 1,000 strangers; 30 people each written five times —
    three times as keyed, once under another given name with the same number (a replaced given
    name, which the number vouches for) and once with the number's last two digits mistyped
    (`5927014`/`5927024`: alone, such a number vouches for nothing) —; and 30 pairs of twins
    (one surname, address and date of birth, numbers given out in turn), each twin written
    twice, and for every third pair one more row holding the second twin's name with the
    first's number. Returns (rows, each person's rows' ids sorted and joined by `|`, each pair
    of twins' two such groups, then the id of that row if any)."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    numbers = iter(rng.sample(range(1_000_000, 9_899_999), 1200))

    def person(given, surname, street, city, born, number):
        rows.append([f"P{len(rows) + 1:04d}", given, surname, street, *city, born, str(number)])
        return rows[-1][0]

    def born():
        return f"{rng.randint(1940, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"

    def address():
        return f"{rng.randint(1, 150)} {rng.choice(STREETS)}", rng.choice(CITIES)

    for _ in range(1000):
        person(rng.choice(GIVEN), rng.choice(SURNAMES), *address(), born(), next(numbers))
    people = set()
    for _ in range(30):
        given, renamed = rng.sample(GIVEN, 2)
        surname, (street, city), day, number = rng.choice(SURNAMES), address(), born(), next(numbers)
        ids = [person(given, surname, street, city, day, number) for _ in range(3)]
        ids.append(person(renamed, surname, street, city, day, number))
        ids.append(person(given, surname, street, city, day, number + 10))
        people.add("|".join(sorted(ids)))
    twins = []
    for pair in range(30):
        one, other = rng.sample(GIVEN, 2)
        surname, (street, city), day, number = rng.choice(SURNAMES), address(), born(), next(numbers)
        twins.append(["|".join(sorted(person(name, surname, street, city, day, number + n)
                                      for _ in range(2)))
                      for n, name in enumerate((one, other))])
        if pair % 3 == 0:   # one row holds the second twin's name with the first's number
            twins[-1].append(person(other, surname, street, city, day, number))
    rng.shuffle(rows)
    return rows, people, twins


def test_a_row_with_its_number_mistyped_joins_the_group_that_vouches_for_it(tmp_path):
    rows, people, twins = _people()
    source = tmp_path / "people.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    out = tmp_path / "out.csv"
    done = datatools("dedupe", str(source), "--columns", ",".join(HEADER[1:]), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    groups = groups_by_certainty(out, "rec_id")
    assert people <= groups["certain"], sorted(people - groups["certain"])[:3]
    # Each twin's two rows are one person's; no group holds both twins: one row holding the
    # other twin's number vouches for nothing.
    both = [group for group in groups["certain"] | groups["possible"]
            if any(set(pair[0].split("|")) & set(group.split("|"))
                   and set(pair[1].split("|")) & set(group.split("|")) for pair in twins)]
    assert not both, both[:3]
    plain = [pair for pair in twins if len(pair) == 2]
    assert {half for pair in plain for half in pair} <= groups["certain"]
