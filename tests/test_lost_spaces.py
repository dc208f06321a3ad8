"""A street keyed with a space lost or added (`McKinley Circuit`/`Mckinleycircuit`,
`Sonnenallee`/`Sonnen Allee`) is one street: such a duplicate is certain, not vetoed or left
possible (DECISIONS 341)."""

from __future__ import annotations

import csv

from tests.cli_process import datatools, groups_by_certainty

ROWS = [["Id", "Vorname", "Nachname", "Strasse", "PLZ", "Ort"],
        ["K1", "Marie", "Kuhn", "McKinley Circuit 3", "50667", "Köln"],
        ["K2", "Marie", "Kuhn", "Mckinleycircuit 3", "50667", "Köln"],
        ["K3", "Heike", "Brandt", "Sonnenallee 44", "80331", "München"],
        ["K4", "Heike", "Brandt", "Sonnen Allee 44", "80331", "München"],
        ["K5", "Uwe", "Koch", "Am Markt 3", "53111", "Bonn"],
        ["K6", "Uwe", "Kuhn", "Sonnenallee 12", "50667", "Köln"]]


def test_a_street_with_a_space_lost_is_one_street(tmp_path):
    source, out = tmp_path / "kunden.csv", tmp_path / "out.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(ROWS)
    done = datatools("dedupe", str(source), "--columns", ",".join(ROWS[0][1:]), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert groups_by_certainty(out, "Id", ";") == {"certain": {"K1|K2", "K3|K4"},
                                                   "possible": set()}
