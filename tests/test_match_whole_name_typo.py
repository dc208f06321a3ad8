"""A learned match of a whole-name column (`client`) against `prenom + nom` (a trial, issue 30):
a given name with one letter doubled, a typo other rows repeat (`Anttoine FAURE`, two orders),
stayed possible ("their names read as two people") although e-mail and phone agree exactly;
so did an `i` typed twice (`émiliie`, `MARIIE`), read as a female `-ie` ending.
An identifier agreeing vouches for given names a typo apart (DECISIONS 360, 467)."""

from __future__ import annotations

import csv

from tests.cli_process import datatools
from tests.test_firm_columns import _customers

HEADER = ["nom", "prenom", "societe", "adresse", "code_postal", "ville", "telephone", "email"]


def test_a_repeated_typo_in_a_given_name_matches_certain_on_a_shared_email(tmp_path):
    customers = _customers(1040, seed=5)
    faure = ["Faure", "Antoine", "", "43 rue Gambetta", "69300", "Caluire-et-Cuire",
             "07 80 50 18 38", "afaure@orange.fr"]
    morel = ["Morel", "Émilie", "", "128 cours Lafayette", "75002", "Paris", "06 42 55 78 44",
             "morel.emilie@orange.fr"]
    fournier = ["Fournier", "Marie", "", "176 rue Paul Bert", "69004", "Lyon", "06 50 95 49 83",
                "fournier.marie@gmail.com"]
    right = customers + [faure, morel, fournier, ["Faure", "Antoine", "", "8 rue Neuve", "69003", "Lyon",
                                 "04 55 66 77 88", "antoine.faure@free.fr"]]
    orders = [[f"{row[1]} {row[0]}", *row[3:]] for row in customers[:600]]
    orders += [["Anttoine FAURE", *faure[3:]], ["Anttoine FAURE", *faure[3:]],
               ["émiliie Morel", *morel[3:]], ["MARIIE Fournier", *fournier[3:]]]
    left_path, right_path, out = tmp_path / "orders.csv", tmp_path / "clients.csv", tmp_path / "out.csv"
    for path, header, rows in ((right_path, HEADER, right),
                               (left_path, ["client", "adresse_livraison", "cp", "ville", "tel",
                                            "email"], orders)):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    done = datatools("match", str(left_path), str(right_path), "--on",
                     "client,adresse_livraison,cp,ville,tel,email", "--right-on",
                     "prenom + nom,adresse,code_postal,ville,telephone,email", "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        found = list(csv.DictReader(handle))[-4:]
    assert [(row["right_adresse"], row["match_certainty"]) for row in found] == [
        ("43 rue Gambetta", "certain"), ("43 rue Gambetta", "certain"),
        ("128 cours Lafayette", "certain"), ("176 rue Paul Bert", "certain")], [
        row["match_reason"][:120] for row in found]
