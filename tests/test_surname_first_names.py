"""Whole names written surname first (a Dutch trial, issue 30): `de Jong Sem`, `Jong, Sem de`,
`MEIJER Lisa`, German `Müller Hans`, `Meyer, Anna` in one whole-name column (`naam`, `klant`,
`Name`). A housemate of another given name at one address is never grouped certain; the same
person written given name first or surname first is one. A given name that is also a legal form
in cleanco's table (`Sem`, `Sia`, `Teo`) is a name there, not a firm's `SEM` (DECISIONS 458).
The installed `datatools` script on tables written here."""

from __future__ import annotations

import csv

import pytest

from tests.cli_process import datatools

from tests.cli_process import dedupe_groups, write_semicolons

# One address per household; the rows of a household share street, postcode and phone.
HOUSEHOLDS = [["Thomas de Jong", "Kerkstraat 12", "3511 AB", "0612345678"],
              ["de Jong Sem", "Kerkstraat 12", "3511 AB", "0612345678"],
              ["Sem de Jong", "Kerkstraat 12", "3511 AB", "0612345678"],
              ["Jong, Sem de", "Kerkstraat 12", "3511 AB", "0612345678"],
              ["Teo van der Berg", "Dorpsstraat 8", "8011 CC", "0622233344"],
              ["van der Berg Sia", "Dorpsstraat 8", "8011 CC", "0622233344"],
              ["Sia van der Berg", "Dorpsstraat 8", "8011 CC", "0622233344"],
              ["MEIJER Lisa", "Nieuwstraat 5", "2011 BB", "0633344455"],
              ["Lisa Meijer", "Nieuwstraat 5", "2011 BB", "0633344455"],
              ["Linda Meijer", "Nieuwstraat 5", "2011 BB", "0633344455"],
              ["Hans Müller", "Lindenweg 4", "3811 KL", "0644455566"],
              ["Müller Hans", "Lindenweg 4", "3811 KL", "0644455566"],
              ["Müller Anna", "Lindenweg 4", "3811 KL", "0644455566"],
              ["Meyer, Anna", "Eikenlaan 9", "9711 AB", "0655566677"],
              ["Anna Meyer", "Eikenlaan 9", "9711 AB", "0655566677"],
              ["Meyer, Anne", "Eikenlaan 9", "9711 AB", "0655566677"],
              ["Jan Bakker", "Molenweg 3", "4811 AA", "0666677788"],
              ["Emma Smit", "Havenstraat 2", "5678 GH", "0677788899"]]


@pytest.mark.parametrize("heading", ["naam", "klant", "Name"])
def test_a_name_written_surname_first_joins_its_person_never_a_housemate(tmp_path, heading):
    groups = dedupe_groups(tmp_path, [heading, "adres", "postcode", "telefoon"], HOUSEHOLDS)
    assert groups["certain"] == {"Jong, Sem de|Sem de Jong|de Jong Sem",
                                 "Sia van der Berg|van der Berg Sia",
                                 "Lisa Meijer|MEIJER Lisa",
                                 "Hans Müller|Müller Hans",
                                 "Anna Meyer|Meyer, Anna"}
    assert groups["possible"] == set()


def test_on_a_learned_run_a_housemate_written_surname_first_is_never_certain(tmp_path):
    """1,200 Dutch customers (test_dedupe_swapped_names: a quarter in households) under one
    `naam` column, a model learned, with the households above placed through them."""
    from tests.cli_process import groups_by_certainty
    from tests.test_dedupe_swapped_names import customers

    body = [[number, f"{first} {last}", street, postcode, city]
            for number, first, last, street, postcode, city, _ in customers()]
    for k, (name, street, postcode, _) in enumerate(HOUSEHOLDS):
        body.insert(60 * k, [f"X{k}", name, street, postcode, "Utrecht"])
    header = ["klantnr", "naam", "adres", "postcode", "plaats"]
    source, out = tmp_path / "klanten.csv", tmp_path / "out.csv"
    write_semicolons(source, header, body)
    done = datatools("dedupe", str(source), "--columns", ",".join(header[1:]), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    named = {f"X{k}": row[0] for k, row in enumerate(HOUSEHOLDS)}
    groups = {certainty: {"|".join(sorted(named.get(key, key) for key in group.split("|")))
                          for group in found if set(group.split("|")) & set(named)}
              for certainty, found in groups_by_certainty(out, "klantnr", ";").items()}
    assert groups["certain"] == {"Jong, Sem de|Sem de Jong|de Jong Sem",
                                 "Sia van der Berg|van der Berg Sia",
                                 "Lisa Meijer|MEIJER Lisa",
                                 "Hans Müller|Müller Hans",
                                 "Anna Meyer|Meyer, Anna"}


def test_match_never_gives_an_order_written_surname_first_to_a_housemate(tmp_path):

    orders = [["B1", "de Jong Sem", "Kerkstraat 12", "3511 AB"],
              ["B2", "van der Berg Sia", "Dorpsstraat 8", "8011 CC"],
              ["B3", "Müller Hans", "Lindenweg 4", "3811 KL"],
              ["B4", "Meijer, Lisa", "Nieuwstraat 5", "2011 BB"]]
    customers = [["K1", "Thomas", "de Jong", "Kerkstraat 12", "3511 AB"],
                 ["K2", "Teo", "van der Berg", "Dorpsstraat 8", "8011 CC"],
                 ["K3", "Hans", "Müller", "Lindenweg 4", "3811 KL"],
                 ["K4", "Lisa", "Meijer", "Nieuwstraat 5", "2011 BB"],
                 ["K5", "Jan", "Bakker", "Molenweg 3", "4811 AA"],
                 ["K6", "Emma", "Smit", "Havenstraat 2", "5678 GH"]]
    write_semicolons(tmp_path / "orders.csv", ["bestelnr", "naam", "adres", "postcode"], orders)
    write_semicolons(tmp_path / "klanten.csv", ["klantnr", "voornaam", "achternaam", "adres", "postcode"],
           customers)
    out = tmp_path / "out.csv"
    done = datatools("match", "orders.csv", "klanten.csv", "--on", "naam,adres,postcode",
                     "--right-on", "voornaam + achternaam,adres,postcode", "-o", str(out), "-q",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        found = [(row["bestelnr"], row["right_klantnr"], row["match_certainty"])
                 for row in csv.DictReader(handle, delimiter=";")]
    assert found == [("B1", "", "no partner"), ("B2", "", "no partner"),
                     ("B3", "K3", "certain"), ("B4", "K4", "certain")]


# Surnames that are legal forms in cleanco's table: Dutch `Vos` (the 15th commonest), `Koop`.
SURNAME_HOUSEHOLDS = [["Thomas Vos", "Kerkstraat 4", "3511 AB", "0612345678"],
                      ["Thomas Bos", "Kerkstraat 4", "3511 AB", "0612345678"],
                      ["Vos Anna", "Lindenweg 2", "3811 KL", "0623456789"],
                      ["Anna Vos", "Lindenweg 2", "3811 KL", "0623456789"],
                      ["Jan Koop", "Dorpsweg 2", "8011 CC", "0634567890"],
                      ["Koop Jan", "Dorpsweg 2", "8011 CC", "0634567890"],
                      ["Lisa Bakker", "Markt 1", "2011 BB", "0645678901"],
                      ["Emma Smit", "Havenstraat 2", "5678 GH", "0656789012"]]


@pytest.mark.parametrize("heading", ["naam", "klant"])
def test_a_surname_that_is_a_legal_form_stays_a_name(tmp_path, heading):
    """`Thomas Vos` was read `thomas` (a legal form `vos` dropped), one person with `Thomas
    Bos` at his address, as `Thomas`/`Bos` under `achternaam` never is (DECISIONS 464)."""
    groups = dedupe_groups(tmp_path, [heading, "adres", "postcode", "telefoon"], SURNAME_HOUSEHOLDS)
    assert groups["certain"] == {"Anna Vos|Vos Anna", "Jan Koop|Koop Jan"}
    assert groups["possible"] == set()
