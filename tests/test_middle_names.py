"""Two middle names that clearly differ are two people on a learned run and in match (issue 30,
DECISIONS 363): a trial's 1,119 customers merged `Thomas Michael Miller` and `Thomas Marie
Miller`, `Michael M. Jones` and `Michael Eugene Jones` (a separate middle column) as certain, and
match took `John Lynn Williams` for `John A. Williams`. A middle name on one side only is no
evidence, nor an initial that is the other's first letter (`E.`/`Eugene`)."""

from __future__ import annotations

import csv
import random

from tests.cli_process import datatools

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
         "Susan", "William", "Karen", "Thomas", "Nancy", "Daniel", "Lisa", "Anthony", "Sandra"]
MIDDLE = ["Allen", "Albert", "Marie", "Michael", "Eugene", "Lynn", "Ray", "Jane", "Joseph",
          "Wayne", "Ann", "Rose", "Edward", "Grace"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
        "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris"]
STREETS = ["Oak Street", "Pine Street", "Maple Avenue", "Cedar Lane", "Lake Road", "Hill Street",
           "Park Avenue", "Elm Street", "Main Street", "Washington Street"]
CITIES = [("Columbus", "OH", "43004"), ("Denver", "CO", "80201"), ("Austin", "TX", "73301"),
          ("Portland", "OR", "97201"), ("Madison", "WI", "53701"), ("Springfield", "IL", "62701")]
HEADER = ["first", "middle", "last", "street", "city", "state", "zip"]
# Relatives at one address, a middle name apart: (middle of one, middle of the other).
RELATIVES = [("Allen", "Albert"), ("Marie", "Michael"), ("M.", "Eugene"), ("A.", "Lynn"),
             ("Jane", "Wayne"), ("Ray", "Robert"), ("Joseph", "Edward"), ("E.", "Grace")] * 3


def _people(seed: int = 30) -> tuple[list[list[str]], list[tuple[int, int]], list[tuple[int, int]]]:
    """~1,150 people with middle names (a model is learned): strangers, 150 duplicates keyed
    again (a street abbreviated, a name in capitals, a middle name cut to its initial) and 24
    relatives a middle name apart at one address; (rows, duplicate pairs, relative pairs), pairs
    of row numbers from 0."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for _ in range(950):
        rows.append([rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(LAST),
                     f"{rng.randint(1, 999)} {rng.choice(STREETS)}", *rng.choice(CITIES)])
    duplicates = []
    for original in rng.sample(range(950), 150):
        copy = list(rows[original])
        kind = rng.random()
        if kind < 0.4:
            copy[3] = copy[3].replace(" Street", " St").replace(" Avenue", " Ave")
        elif kind < 0.7:
            copy[0] = copy[0].upper()
        else:
            copy[1] = copy[1][0] + "."
        duplicates.append((original, len(rows)))
        rows.append(copy)
    relatives = []
    for one, other in RELATIVES:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        street, city = f"{rng.randint(1000, 1999)} {rng.choice(STREETS)}", rng.choice(CITIES)
        relatives.append((len(rows), len(rows) + 1))
        rows.append([first, one, last, street, *city])
        rows.append([first, other, last, street, *city])
    order = list(range(len(rows)))
    rng.shuffle(order)
    where = {row: k for k, row in enumerate(order)}
    return ([rows[row] for row in order], [(where[a], where[b]) for a, b in duplicates],
            [(where[a], where[b]) for a, b in relatives])


def _write(path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _groups(tmp_path, header: list[str], rows: list[list[str]]) -> dict[str, set[frozenset[int]]]:
    """The installed `datatools dedupe`'s groups per certainty, each a set of row numbers."""
    source, out = tmp_path / "people.csv", tmp_path / "out.csv"
    _write(source, header, rows)
    done = datatools("dedupe", str(source), "--columns", ",".join(header), "-o", str(out),
                     "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        found = list(csv.DictReader(handle))
    members: dict[str, list[int]] = {}
    for k, row in enumerate(found):
        if row["cluster_id"]:
            members.setdefault(row["cluster_id"], []).append(k)
    groups: dict[str, set[frozenset[int]]] = {"certain": set(), "possible": set()}
    for group in members.values():
        groups[found[group[0]]["match_certainty"]].add(frozenset(group))
    return groups


def _certain_together(groups, pairs) -> list[tuple[int, int]]:
    return [(a, b) for a, b in pairs if any({a, b} <= group for group in groups["certain"])]


def test_two_middle_names_in_their_own_column_are_two_people(tmp_path):
    rows, duplicates, relatives = _people()
    groups = _groups(tmp_path, HEADER, rows)
    assert _certain_together(groups, relatives) == []
    # Each pair of relatives is still shown, possible, for a person to review.
    assert all(any({a, b} <= group for group in groups["possible"]) for a, b in relatives)
    # Duplicates (an initial that is the name's first letter among them) stay certain.
    assert len(_certain_together(groups, duplicates)) >= 0.9 * len(duplicates)


def test_two_middle_names_inside_whole_names_are_two_people(tmp_path):
    rows, duplicates, relatives = _people()
    whole = [[" ".join(row[:3]), *row[3:]] for row in rows]
    groups = _groups(tmp_path, ["name", *HEADER[3:]], whole)
    assert _certain_together(groups, relatives) == []
    assert len(_certain_together(groups, duplicates)) >= 0.9 * len(duplicates)


def test_match_takes_no_other_middle_name_for_certain(tmp_path):
    """Each relative on the left has the other on the right: matched at most as possible."""
    rows, duplicates, relatives = _people()
    left_rows = [rows[a] for a, _ in relatives] + [rows[a] for a, _ in duplicates]
    right_rows = [rows[b] for _, b in relatives] + [rows[b] for _, b in duplicates] + [
        row for k, row in enumerate(rows) if k not in {r for pair in duplicates + relatives
                                                       for r in pair}]
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "matched.csv"
    _write(left, HEADER, left_rows)
    _write(right, HEADER, right_rows)
    done = datatools("match", str(left), str(right), "--on", ",".join(HEADER),
                     "--include-possible", "-o", str(out), "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        matched = list(csv.DictReader(handle))
    certain = [row["match_certainty"] == "certain" for row in matched]
    assert not any(certain[:len(relatives)])
    assert sum(certain[len(relatives):]) >= 0.9 * len(duplicates)
