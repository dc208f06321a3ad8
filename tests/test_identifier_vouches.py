"""A member keyed twice under another surname (a married name) whose membership number carries
one keying error is shown as a possible duplicate: the number vouches against the surname's
veto as an exact agreement does (DECISIONS 303, 340). Flatmates of one address whose numbers
were given out in turn stay two."""

from __future__ import annotations

import csv

from tests.cli_process import datatools, groups_by_certainty

ROWS = [["Id", "Vorname", "Nachname", "Strasse", "PLZ", "Ort", "Geburtsdatum", "Mitgliedsnr"],
        ["K1", "Silke", "Neumann", "Poststraße 119", "01067", "Dresden", "07.02.1971", "2717943"],
        ["K2", "Silke", "Schmidt", "Poststraße 119", "01067", "Dresden", "", "2771943"],
        ["K3", "Peter", "Richter", "Lindenallee 107", "80331", "München", "09.03.1954", "3725891"],
        ["K4", "Anja", "Weber", "Lindenallee 107", "80331", "München", "12.11.1960", "3725892"],
        ["K5", "Uwe", "Koch", "Am Markt 3", "53111", "Bonn", "01.01.1980", "5512345"]]


def test_a_membership_number_one_typo_apart_vouches_for_another_surname(tmp_path):
    source, out = tmp_path / "mitglieder.csv", tmp_path / "out.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(ROWS)
    done = datatools("dedupe", str(source), "--columns", ",".join(ROWS[0][1:]), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert groups_by_certainty(out, "Id", ";") == {"certain": set(), "possible": {"K1|K2"}}
