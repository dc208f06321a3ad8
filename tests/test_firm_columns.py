"""Firm-name columns at defaults (a trial, issue 30): a column named `Company` or in French,
Italian or Spanish (`raison_sociale`, `Société`, `azienda`, `Razón social`) is a firm column
as `Lieferant` is, so a sister company (one name and a word more) stays possible (DECISIONS
322, 395); two different legal forms of one name are two firms (DECISIONS 396), while a short
form and its spelled-out form stay one (the field case tests/data/field_cases/legal_forms_left.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.cli_process import datatools, groups_by_certainty

FIELD_CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def _dedupe(tmp_path, header: list[str], rows: list[list[str]], key: str) -> dict[str, set[str]]:
    """Per certainty, the groups (`key` cells joined by `|`) of the installed `datatools
    dedupe` at defaults comparing every column."""
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    done = datatools("dedupe", str(source), "--columns", ",".join(header), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return groups_by_certainty(out, key)


@pytest.mark.parametrize("firm", ["Company", "raison_sociale", "Société", "entreprise",
                                  "Ragione Sociale", "azienda", "empresa", "Razón social"])
def test_a_sister_company_stays_possible_whatever_language_names_the_firm_column(tmp_path, firm):
    rows = [["Würth Elektronik eiSos GmbH & Co. KG", "Waldenburg"],
            ["Würth Elektronik GmbH & Co. KG", "Waldenburg"],
            ["Martin Immobilier Gestion SAS", "Grenoble"],
            ["Martin Immobilier SAS", "Grenoble"],
            ["Müller Bau GmbH", "Kassel"],
            ["MÜLLER BAU GMBH", "Kassel"]]
    groups = _dedupe(tmp_path, [firm, "City"], rows, firm)
    assert groups["possible"] == {
        "Würth Elektronik GmbH & Co. KG|Würth Elektronik eiSos GmbH & Co. KG",
        "Martin Immobilier Gestion SAS|Martin Immobilier SAS"}
    assert groups["certain"] == {"MÜLLER BAU GMBH|Müller Bau GmbH"}


def test_two_legal_forms_of_one_name_are_two_firms(tmp_path):
    header = ["Firma", "Straße", "Ort"]
    rows = [["Rossi S.r.l.", "Via Roma 10", "Torino"],
            ["Rossi S.p.A.", "Via Roma 10", "Torino"],
            ["Becker GmbH", "Hauptstr. 5", "Kassel"],
            ["Becker AG", "Hauptstr. 5", "Kassel"],
            ["Durand SARL", "3 rue Pasteur", "Lyon"],
            ["Durand SAS", "3 rue Pasteur", "Lyon"],
            ["Esposito SpA", "Via Po 4", "Milano"],
            ["Esposito S.p.A.", "Via Po 4", "Milano"],
            ["Krüger Gesellschaft mit beschränkter Haftung", "Am Markt 1", "Fulda"],
            ["Krüger GmbH", "Am Markt 1", "Fulda"]]
    groups = _dedupe(tmp_path, header, rows, "Firma")
    assert groups["possible"] == {"Rossi S.p.A.|Rossi S.r.l.", "Becker AG|Becker GmbH",
                                  "Durand SARL|Durand SAS"}
    assert groups["certain"] == {"Esposito S.p.A.|Esposito SpA",
                                 "Krüger Gesellschaft mit beschränkter Haftung|Krüger GmbH"}


def test_a_short_and_a_spelled_out_legal_form_still_match_certain(tmp_path):
    out = tmp_path / "out.csv"
    done = datatools("match", str(FIELD_CASES / "legal_forms_left.csv"),
                     str(FIELD_CASES / "legal_forms_right.csv"), "--on", "firm,street,city",
                     "-o", str(out), "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        found = [(row["right_id"], row["match_certainty"]) for row in csv.DictReader(handle)]
    assert found == [("R1", "certain"), ("R2", "certain"), ("R3", "certain")]


def test_a_legal_form_written_with_dots_matches_the_form_without_certain(tmp_path):
    pairs = [("Rossi Impianti S.r.l.", "Rossi Impianti Srl", "Via Roma 10", "Torino"),
             ("Bianchi Costruzioni S.p.A.", "Bianchi Costruzioni SpA", "Via Po 4", "Milano"),
             ("Martin Immobilier S.A.S.", "Martin Immobilier SAS", "3 rue Pasteur", "Lyon"),
             ("Jansen Logistiek B.V.", "Jansen Logistiek BV", "Kerkstraat 8", "Utrecht"),
             ("Peeters Bouw N.V.", "Peeters Bouw NV", "Markt 2", "Gent"),
             ("Schreinerei Huber e.K.", "Schreinerei Huber eK", "Dorfstr. 3", "Passau"),
             ("Weber Conseil S.à r.l.", "Weber Conseil Sàrl", "Rue Centrale 5", "Lausanne")]
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "out.csv"
    for path, firm in ((left, 0), (right, 1)):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "Firma", "Straße", "Ort"])
            writer.writerows([f"{path.stem[0].upper()}{k + 1}", row[firm], *row[2:]]
                             for k, row in enumerate(pairs))
    done = datatools("match", str(left), str(right), "--on", "Firma,Straße,Ort", "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        found = [(row["right_id"], row["match_certainty"]) for row in csv.DictReader(handle)]
    assert found == [(f"R{k + 1}", "certain") for k in range(len(pairs))]
