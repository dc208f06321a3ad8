"""`datatools match` on a column of whole names the second table lacks, where it holds a given
name and a surname (a Dutch trial: `naam` against `voornaam`, `achternaam`): the error proposes
the pairing `voornaam + achternaam`, which then matches (DECISIONS 461). `python -m datatools`
on tables written here."""

from __future__ import annotations

import csv
import json

from tests.cli_process import datatools, write_semicolons

ORDERS = [["B1", "Sem de Jong", "Kerkstraat 12", "3511 AB"],
          ["B2", "Lisa Meijer", "Nieuwstraat 5", "2011 BB"]]
CUSTOMERS = [["K1", "Sem", "de Jong", "Kerkstraat 12", "3511 AB"],
             ["K2", "Lisa", "Meijer", "Nieuwstraat 5", "2011 BB"],
             ["K3", "Jan", "Bakker", "Molenweg 3", "4811 AA"]]


def test_a_whole_name_column_missing_on_the_right_is_proposed_given_name_and_surname(tmp_path):
    write_semicolons(tmp_path / "bestellingen.csv", ["bestelnr", "naam", "adres", "postcode"], ORDERS)
    write_semicolons(tmp_path / "klanten.csv", ["klantnr", "voornaam", "achternaam", "adres", "postcode"],
           CUSTOMERS)
    done = datatools("match", "bestellingen.csv", "klanten.csv", "--on", "naam,adres,postcode",
                     "-o", "out.csv", "--json", cwd=tmp_path)
    assert done.returncode == 2
    assert json.loads(done.stdout or done.stderr)["error"]["message"] == (
        "No column 'naam' in the right table; the columns are: klantnr, voornaam, achternaam, "
        "adres, postcode. To compare whole names with a given name and a surname, pair 'naam' "
        "with 'voornaam + achternaam' in --right-on.")
    done = datatools("match", "bestellingen.csv", "klanten.csv", "--on", "naam,adres,postcode",
                     "--right-on", "voornaam + achternaam,adres,postcode", "-o", "out.csv", "-q",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        assert [(row["bestelnr"], row["right_klantnr"], row["match_certainty"])
                for row in csv.DictReader(handle, delimiter=";")] == [("B1", "K1", "certain"),
                                                                       ("B2", "K2", "certain")]


def test_no_pairing_is_proposed_for_a_column_that_holds_no_whole_names(tmp_path):
    write_semicolons(tmp_path / "bestellingen.csv", ["bestelnr", "achternaam", "straat"],
           [row[:2] + row[2:3] for row in ORDERS])
    write_semicolons(tmp_path / "klanten.csv", ["klantnr", "voornaam", "achternaam", "adres"],
           [row[:4] for row in CUSTOMERS])
    done = datatools("match", "bestellingen.csv", "klanten.csv", "--on", "achternaam,straat",
                     "-o", "out.csv", "--json", cwd=tmp_path)
    assert done.returncode == 2
    assert json.loads(done.stdout or done.stderr)["error"]["message"] == (
        "No column 'straat' in the right table; the columns are: klantnr, voornaam, "
        "achternaam, adres.")


def test_whole_names_under_a_given_names_header_are_proposed_given_name_and_surname(tmp_path):
    """A São Paulo shop's sign-ups hold `Nome` = `Maria Silva`, its customers `nome` = `Maria`
    beside `sobrenome` (trial J): `Nome` names a given name too, so only the values tell."""
    write_semicolons(tmp_path / "leads.csv", ["Nome", "Cidade"],
                     [["Maria Silva", "Campinas"], ["João Pereira", "Santos"], ["Ana Lima", "Recife"]])
    write_semicolons(tmp_path / "clientes.csv", ["nome", "sobrenome", "cidade"],
                     [["Maria", "Silva", "Campinas"], ["João", "Pereira", "Santos"],
                      ["Ana Beatriz", "Lima", "Recife"], ["Pedro", "Costa", "Natal"]])
    done = datatools("match", "leads.csv", "clientes.csv", "--on", "Nome", "-o", "out.csv", "--json",
                     cwd=tmp_path)
    assert done.returncode == 2
    assert json.loads(done.stdout or done.stderr)["error"]["message"].endswith(
        "To compare whole names with a given name and a surname, pair 'Nome' with "
        "'nome + sobrenome' in --right-on.")


def test_word_shapes_and_the_split_name_partner():
    import pandas as pd

    from datatools.tools.split_names import split_name_partner, word_shapes

    left = word_shapes(pd.DataFrame({"Nome": ["Maria Silva", "Ana", "João Pereira"], "UF": ["SP"] * 3}))
    right = word_shapes(pd.DataFrame({"nome": ["Maria", "Ana Beatriz", "João"],
                                      "sobrenome": ["Silva", "Lima", "de Souza"]}))
    assert left == {"several": ["Nome"], "single": ["UF"]}
    assert split_name_partner("Nome", left, ["nome", "sobrenome"], right) == "nome + sobrenome"
    # no surname column, or a right column of whole names too: the names as they are
    assert split_name_partner("Nome", left, ["nome", "cidade"], right) is None
    assert split_name_partner("Nome", left, ["nome", "sobrenome"], {"several": ["nome"]}) is None
    # a town of two words against one of one word is no name split in two
    towns = word_shapes(pd.DataFrame({"Cidade": ["São Paulo", "Rio de Janeiro"]}))
    assert split_name_partner("Cidade", towns, ["cidade", "sobrenome"], {"single": ["cidade"]}) is None
