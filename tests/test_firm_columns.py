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


SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
            "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
            "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
            "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand"]
GIVEN = ["Jean", "Marie", "Pierre", "Nathalie", "Michel", "Isabelle", "Philippe", "Sylvie",
         "Alain", "Catherine", "Nicolas", "Sophie", "Christophe", "Valérie", "Patrick", "Sandrine",
         "Julien", "Céline", "Stéphane", "Aurélie", "Laurent", "Émilie", "Olivier", "Julie",
         "Thierry", "Camille", "Éric", "Claire", "Frédéric", "Hélène", "Sébastien", "Lucie",
         "Guillaume", "Chantal", "Vincent"]
STREETS = ["rue Pasteur", "avenue Foch", "rue de la Paix", "boulevard Voltaire", "rue Victor Hugo",
           "place Bellecour", "rue Jean Jaurès", "allée des Tilleuls", "rue de la Gare",
           "chemin des Vignes"]
TOWNS = [("69001", "Lyon"), ("38000", "Grenoble"), ("13001", "Marseille"), ("74000", "Annecy"),
         ("42000", "Saint-Étienne"), ("69100", "Villeurbanne")]


def _customers(count: int, seed: int = 3) -> list[list[str]]:
    """`count` different people (nom, prenom, societe, adresse, code_postal, ville, telephone,
    email), a firm for one in six, every name, address, phone and e-mail their own."""
    import random

    rng = random.Random(seed)
    names = rng.sample([(s, g) for s in SURNAMES for g in GIVEN], count)
    rows = []
    for k, (surname, given) in enumerate(names):
        code, town = rng.choice(TOWNS)
        firm = f"{rng.choice(['Garage', 'Pharmacie', 'Cabinet'])} {surname} {k}" if k % 6 == 0 else ""
        rows.append([surname, given, firm, f"{k + 1} {rng.choice(STREETS)}", code, town,
                     f"04 {k // 100 + 10} {k % 100:02d} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
                     f"{given.lower()}.{surname.lower()}{k}@example.fr"])
    return rows


def test_two_legal_forms_of_one_name_stay_two_firms_on_a_learned_table(tmp_path):
    # 1,000 rows and more: the learned model decides (a trial, issue 30: `Perez SARL` and `Perez
    # SAS` at one address, one manager, two e-mails were merged certain). A true duplicate of a
    # firm, its form spelled out, still merges certain.
    header = ["nom", "prenom", "societe", "adresse", "code_postal", "ville", "telephone", "email"]
    rows = _customers(1040)
    rows += [["Perez", "Christine", "Perez SARL", "35 rue Jean Moulin", "69120", "Vaulx-en-Velin",
              "04 83 60 82 82", "christine.perez@sfr.fr"],
             ["Perez", "Christine", "Perez SAS", "35 rue Jean Moulin", "69120", "Vaulx-en-Velin",
              "04 83 60 82 82", "yves.perez6@free.fr"],
             ["Roche", "Luc", "Boulangerie Roche SARL", "3 rue Neuve", "69003", "Lyon",
              "04 11 22 33 44", "contact@boulangerie-roche.fr"],
             ["ROCHE", "Luc", "Boulangerie Roche Société à responsabilité limitée", "3 rue Neuve",
              "69003", "Lyon", "04 11 22 33 44", "contact@boulangerie-roche.fr"]]
    groups = _dedupe(tmp_path, header, rows, "societe")
    assert "Perez SARL|Perez SAS" in groups["possible"]
    assert "Boulangerie Roche SARL|Boulangerie Roche Société à responsabilité limitée" in groups["certain"]
    assert not any("Perez" in group for group in groups["certain"])
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        reasons = [row["match_reason"] for row in csv.DictReader(handle)
                   if row["societe"].startswith("Perez")]
    assert all("possible (their legal forms differ)" in reason for reason in reasons), reasons


def test_a_small_table_says_why_two_legal_forms_stay_possible(tmp_path):
    rows = [["Perez SAS", "35 rue Jean Moulin", "Vaulx-en-Velin"],
            ["Perez SARL", "35 rue Jean Moulin", "Vaulx-en-Velin"]]
    _dedupe(tmp_path, ["societe", "adresse", "ville"], rows, "societe")
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        found = [(row["match_certainty"], row["match_reason"]) for row in csv.DictReader(handle)]
    assert [certainty for certainty, _ in found] == ["possible", "possible"]
    assert all(reason.startswith(f"row {2 - k}: possible (their legal forms differ); ")
               for k, (_, reason) in enumerate(found)), found
