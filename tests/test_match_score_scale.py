"""match_score of a match is one scale with match_certainty, as dedupe's is (DECISIONS 419,
460): at defaults a certain match scores 75 or more and a possible one less, however alike its
words (a father and son of one name and address tied; a couple's `Paula`/`Paul`), so sorting by
match_score and keeping 75 and more keeps the certain matches and no possible one. The
installed `datatools` script on tables written here."""

from __future__ import annotations

import csv

import pytest

from tests.cli_process import datatools, write_semicolons

INVOICES = [["B1", "Thomas Schneider", "Lindenweg 12", "34117"],
            ["B2", "Anna Vogel", "Bergstraße 4", "36037"],
            ["B3", "Jnoas Weber", "Bergweg 3", "50667"],
            ["B4", "Paula Bauer", "Dorfstraße 18", "80331"]]
CUSTOMERS = [["K1", "Thomas", "Schneider", "Lindenweg 12", "34117", "14.03.1958"],
             ["K2", "Thomas", "Schneider", "Lindenweg 12", "34117", "02.11.1987"],
             ["K3", "Anna", "Vogel", "Bergstr. 4", "36037", "21.06.1970"],
             ["K4", "Jonas", "Weber", "Bergweg 3", "50667", "01.01.1980"],
             ["K5", "Paul", "Bauer", "Dorfstraße 18", "80331", "05.05.1960"],
             ["K6", "Mary", "Jones", "Elmstraße 12", "10115", ""]]


def _match(tmp_path, *options: str) -> list[tuple[str, str, str, str]]:
    """(Nr, right_Kundennr, match_score, match_certainty) of each output row."""
    write_semicolons(tmp_path / "rechnungen.csv", ["Nr", "Name", "Straße", "PLZ"], INVOICES)
    write_semicolons(tmp_path / "kunden.csv", ["Kundennr", "Vorname", "Nachname", "Straße", "PLZ",
                                     "Geburtsdatum"], CUSTOMERS)
    out = tmp_path / "out.csv"
    done = datatools("match", "rechnungen.csv", "kunden.csv", "--on", "Name,Straße,PLZ",
                     "--right-on", "Vorname + Nachname,Straße,PLZ", "-o", str(out), "-q",
                     "--force", *options, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        return [(row["Nr"], row["right_Kundennr"], row["match_score"], row["match_certainty"])
                for row in csv.DictReader(handle, delimiter=";")]


@pytest.mark.parametrize("options", [(), ("--include-possible",)])
def test_a_possible_match_scores_below_the_certain_cut_off_however_alike(tmp_path, options):
    found = _match(tmp_path, *options)
    written = "--include-possible" in options
    assert found == [("B1", "K1" if written else "", "74", "possible"),
                     ("B2", "K3", "100", "certain"),
                     ("B3", "K4", "93", "certain"),
                     ("B4", "K5" if written else "", "74", "possible")]
    # sorting by match_score and keeping 75 and more keeps the certain matches only
    assert {nr for nr, _, score, _ in found if int(score) >= 75} == {"B2", "B3"}


def test_with_a_threshold_every_match_is_certain_and_keeps_its_score(tmp_path):
    found = _match(tmp_path, "--threshold", "60")
    assert [(nr, score, certainty) for nr, _, score, certainty in found] == [
        ("B1", "100", "certain"), ("B2", "100", "certain"), ("B3", "93", "certain"),
        ("B4", "96", "certain")]
