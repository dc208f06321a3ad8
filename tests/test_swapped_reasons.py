"""A pair held possible because its names, read with given name and surname swapped, read as two
people says which two values did (issue 30, the Spanish trial; DECISIONS 516); the trial's pairs
so held, a second surname left out of one row, are one person (DECISIONS 538). The reason naming
the values is asserted in tests/test_second_surnames.py."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli_process import datatools

SPANISH = Path(__file__).parent / "data" / "spanish_customers" / "clientes.csv"
COLUMNS = "nombre,apellidos,direccion,codigo_postal,ciudad,telefono,email"


def test_a_swapped_pair_with_a_second_surname_left_out_is_certain(tmp_path):
    """`Antonio | Fernández Rodríguez` and `FERNÁNDEZ | ANTONIO` (one address, one phone) were
    possible with `(names read swapped: fernandez rodriguez vs fernandez)`: the given names
    agree, read crossed; the rule read the surnames, the second left out of one, as two given
    names. They are one person now, as the same pair written straight is; a pair read straight
    as two given names (`María Pilar` against `María`) keeps its words."""
    out = tmp_path / "out.csv"
    done = datatools("dedupe", str(SPANISH), "--columns", COLUMNS, "-o", str(out), "-q",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    said = {number: rows[number - 1]["match_reason"].split("; whole row")[0]
            for number in (317, 546, 1398, 1819, 15)}
    assert [rows[n - 1][c] for n in (317, 546) for c in ("nombre", "apellidos")] == [
        "Antonio", "Fernández Rodríguez", "FERNÁNDEZ", "ANTONIO"]
    assert [rows[n - 1]["match_certainty"] for n in (317, 546, 1398, 1819, 15)] == [
        "certain", "certain", "certain", "certain", "possible"]
    assert said == {
        317: "row 546: agreed nombre 100, apellidos 64, direccion 100, codigo_postal 100, ciudad "
             "100, telefono 100; empty email",
        546: "row 317: agreed nombre 100, apellidos 64, direccion 100, codigo_postal 100, ciudad "
             "100, telefono 100; empty email",
        1398: "row 1819: agreed nombre 100, apellidos 67, direccion 100, codigo_postal 100, "
              "ciudad 100, telefono 100; empty email",
        1819: "row 1398: agreed nombre 100, apellidos 67, direccion 100, codigo_postal 100, "
              "ciudad 100, telefono 100; empty email",
        # `María Pilar` against `María`, read straight: two people as before
        15: "row 228: possible (their names read as two people); agreed nombre 88, apellidos "
            "100, direccion 100, codigo_postal 100, ciudad 100, telefono 100; differed email 0"}
