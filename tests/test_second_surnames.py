"""A Spanish or Latin-American list writes two surnames (the father's, then the mother's) and
drops the second all the time: one person's rows read so, read straight or with given name and
surnames typed into each other's columns, are one person; siblings and a parent and a child of
one address stay apart (issue 30, the Spanish trial; DECISIONS 538, 539). A postcode written
with and without its separator is one postcode (DECISIONS 540)."""

from __future__ import annotations

import csv
import random

import pytest

from tests.cli_process import datatools, groups_by_certainty

GIVEN = ["Antonio", "María", "José", "Carmen", "Manuel", "Lucía", "Francisco", "Isabel", "David",
         "Pilar", "Javier", "Elena", "Rubén", "Cristina", "Sergio", "Marta", "Pablo", "Rosa"]
SURNAMES = ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
            "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
            "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres"]
STREETS = ["Calle Mayor", "Calle de Alcalá", "Avenida del Puerto", "Calle Colón", "Calle Real",
           "Avenida Blasco Ibáñez", "Calle San Vicente", "Calle de la Paz", "Calle Sorní"]
HEADER = ["id", "nombre", "apellidos", "direccion", "codigo_postal", "ciudad", "telefono"]
COLUMNS = "nombre,apellidos,direccion,codigo_postal,ciudad,telefono"
# (nombre, apellidos) of two rows at one address with one phone, and what a person reads in them
PAIRS = {
    # one person: read crossed, the second surname left out of one (`possible (names read
    # swapped: fernandez rodriguez vs fernandez)` before)
    "swapped": (("Antonio", "Fernández Rodríguez"), ("FERNÁNDEZ", "ANTONIO")),
    "swapped_second": (("Rodríguez", "Rubén"), ("Rubén", "Rodríguez Pérez")),
    # one person: both rows with the surnames in `nombre`, the second left out of one (`kept
    # apart (their names read as two people)` before)
    "both_swapped": (("López", "María Isabel"), ("López Martín", "María Isabel")),
    # one person, read straight (certain before too)
    "straight": (("Antonio", "Domínguez Ortiz"), ("Antonio", "Domínguez")),
    # siblings: both surnames, two given names
    "siblings": (("López Martín", "María Isabel"), ("López Martín", "Ana")),
    # a parent and a child: the first surname, two given names (`Mario`/`María` too, which no
    # word veto parts: the relief for a second surname left out asks the given names to agree)
    "parent": (("López", "María Isabel"), ("López Martín", "Ana")),
    "parent_alike": (("López", "María"), ("López Martín", "Mario")),
    # a mother and a daughter: `María Pilar` against `María`, read crossed
    "mother": (("Ortega", "María Pilar"), ("María", "Ortega")),
}


def _list(seed: int = 538) -> tuple[list[list[str]], dict[str, str]]:
    """~1,100 people (a model is learned), each with two surnames, then PAIRS at addresses and
    phones of their own; (rows, PAIRS' keys → their group as groups_by_certainty gives it)."""
    rng = random.Random(seed)
    rows: list[list[str]] = []

    def where() -> list[str]:
        return [f"{rng.choice(STREETS)}, {rng.randint(1, 150)}, {rng.randint(1, 9)}º",
                f"460{rng.randint(10, 99)}", "Valencia",
                f"6{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}"]

    for _ in range(1100):
        rows.append([f"P{len(rows) + 1:04d}", rng.choice(GIVEN),
                     " ".join(rng.sample(SURNAMES, 2)), *where()])
    pairs = {}
    for key, names in PAIRS.items():
        at = where()
        ids = []
        for nombre, apellidos in names:
            ids.append(f"P{len(rows) + 1:04d}")
            rows.append([ids[-1], nombre, apellidos, *at])
        pairs[key] = "|".join(ids)
    return rows, pairs


@pytest.fixture(scope="module")
def trial(tmp_path_factory) -> tuple[dict[str, set[str]], dict[str, dict], dict[str, str]]:
    """`datatools dedupe` at defaults over _list(): its groups by certainty, its output rows by
    id, and PAIRS' keys → their group."""
    rows, pairs = _list()
    folder = tmp_path_factory.mktemp("second_surnames")
    groups, written = _dedupe(folder, HEADER, rows, COLUMNS)
    return groups, written, pairs


def _dedupe(folder, header: list[str], rows: list[list[str]], columns: str
            ) -> tuple[dict[str, set[str]], dict[str, dict]]:
    """Run the installed `datatools dedupe` at defaults; its groups by certainty and its output
    rows by their first cell."""
    source, out = folder / "clientes.csv", folder / "out.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    done = datatools("dedupe", str(source), "--columns", columns, "-o", str(out), "-q",
                     cwd=folder)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        written = {row[header[0]]: row for row in csv.DictReader(handle)}
    return groups_by_certainty(out, header[0]), written


def test_given_name_and_surnames_typed_crossed_with_the_second_surname_left_out_are_certain(trial):
    """Before: `possible (names read swapped: fernandez rodriguez vs fernandez)`, the surnames
    read as two given names."""
    groups, written, pairs = trial
    assert {pairs["swapped"], pairs["swapped_second"], pairs["straight"]} <= groups["certain"]
    first, second = pairs["swapped"].split("|")
    assert written[first]["match_reason"].startswith(
        f"row {int(second[1:])}: agreed nombre 100, apellidos 64, direccion 100, codigo_postal "
        "100, ciudad 100, telefono 100; whole row ")


def test_surnames_in_the_given_name_column_with_the_second_left_out_are_certain(trial):
    """`López | María Isabel` against `López Martín | María Isabel`: before, `possible (their
    names read as two people)`, `lopez`/`lopez martin` read as two given names."""
    groups, written, pairs = trial
    assert pairs["both_swapped"] in groups["certain"]
    first, second = pairs["both_swapped"].split("|")
    assert written[first]["match_reason"].startswith(
        f"row {int(second[1:])}: agreed nombre 86, apellidos 100, direccion 100, codigo_postal "
        "100, ciudad 100, telefono 100; whole row ")


def test_on_a_small_table_too_surnames_in_the_given_name_column_are_certain(tmp_path):
    """Below 1,000 rows (no model): `López | María Isabel` against `López Martín | María Isabel`
    was `possible (their names read as two people)`; `López | María` against `López Martín |
    Mario`, a parent and a child, still is."""
    rows = [["1", "López", "María Isabel", "Calle Mayor, 5", "28001", "Madrid", "612 34 56 78"],
            ["2", "López Martín", "María Isabel", "Calle Mayor, 5", "28001", "Madrid",
             "612 34 56 78"],
            ["3", "López", "María", "Calle Luna, 7", "28002", "Madrid", "612 99 56 78"],
            ["4", "López Martín", "Mario", "Calle Luna, 7", "28002", "Madrid", "612 99 56 78"],
            ["5", "Pedro", "Sanz Gil", "Calle Luna, 9", "41001", "Sevilla", "699 11 22 33"],
            ["6", "Lucía", "Ruiz Mora", "Avenida Sol, 12", "46002", "Valencia", "655 44 33 22"]]
    groups, written = _dedupe(tmp_path, HEADER, rows, COLUMNS)
    assert groups == {"certain": {"1|2"}, "possible": {"3|4"}}
    assert [written[k]["match_reason"].split("; whole row")[0] for k in "13"] == [
        "row 2: agreed nombre 86, apellidos 100, direccion 100, codigo_postal 100, ciudad 100, "
        "telefono 100",
        "row 4: possible (their names read as two people); agreed nombre 86, apellidos 80, "
        "direccion 100, codigo_postal 100, ciudad 100, telefono 100"]


def test_siblings_a_parent_and_a_child_and_a_second_given_name_stay_uncertain(trial):
    groups, written, pairs = trial
    certain = groups["certain"]
    assert not {pairs[key] for key in ("siblings", "parent", "parent_alike", "mother")} & certain
    assert {pairs["parent_alike"], pairs["mother"]} <= groups["possible"]
    first, second = pairs["parent_alike"].split("|")
    assert written[first]["match_reason"].startswith(
        f"row {int(second[1:])}: possible (their names read as two people); agreed nombre 86, ")
    # `Ortega | María Pilar` against `María | Ortega`: a given name with a second one left out,
    # read crossed, says which two values read as two names (DECISIONS 516)
    first, second = pairs["mother"].split("|")
    assert written[first]["match_reason"].startswith(
        f"row {int(second[1:])}: possible (names read swapped: maria pilar vs maria); agreed "
        "nombre 100, apellidos 63, ")


def test_a_postcode_written_with_and_without_its_separator_agrees_in_full(tmp_path):
    """`30-001` against `30001` scored 91, as a typo would."""
    header = ["id", "nombre", "apellidos", "calle", "codigo_postal", "ciudad"]
    rows = [["1", "Jan", "Kowalski", "ul. Lipowa 7", "30-001", "Kraków"],
            ["2", "Jan", "Kowalski", "ul. Lipowa 7", "30001", "Kraków"],
            ["3", "Ana", "Pereira", "Rua Augusta 10", "1100-048", "Lisboa"],
            ["4", "Ana", "Pereira", "Rua Augusta 10", "1100048", "Lisboa"],
            ["5", "Eva", "Mills", "12 Oak Street", "12345-6789", "Albany"],
            ["6", "Eva", "Mills", "12 Oak Street", "123456789", "Albany"],
            ["7", "Luis", "Vega", "Calle Sol 3", "28001", "Madrid"],
            ["8", "Luis", "Vega", "Calle Sol 3", "28010", "Madrid"]]     # another postcode
    groups, written = _dedupe(tmp_path, header, rows, "nombre,apellidos,calle,codigo_postal,ciudad")
    assert groups == {"certain": {"1|2", "3|4", "5|6"}, "possible": {"7|8"}}
    assert [written[k]["match_reason"].split(";")[0] for k in "1357"] == [
        "row 2: agreed nombre 100, apellidos 100, calle 100, codigo_postal 100, ciudad 100",
        "row 4: agreed nombre 100, apellidos 100, calle 100, codigo_postal 100, ciudad 100",
        "row 6: agreed nombre 100, apellidos 100, calle 100, codigo_postal 100, ciudad 100",
        "row 8: possible (a column clearly differs)"]
