"""`datatools match` at defaults reads a date of birth (or another personal identifier) that
both tables hold but `--on` does not name (issue 30): a son of his father's name and address is
no certain match for him; one keying error, an empty cell, or the date written another way
is still one person; an equal date of birth tells a father from his son on the right. Both
engines write the same file."""

from __future__ import annotations

from tests.large_inputs import write_csv
from tests.test_match_ties import invoices, matched

HEADER = ["Name", "Straße", "PLZ", "Ort", "Geburtsdatum"]
ON = ["--on", "Name,Straße,PLZ,Ort"]


def _match(tmp_path, left_rows, right_rows, left_header=HEADER, right_header=HEADER):
    left = write_csv(tmp_path / "left.csv", [left_header, *left_rows])
    right = write_csv(tmp_path / "right.csv", [right_header, *right_rows])
    return matched(tmp_path, left, right, *ON)


PEOPLE = [["Thomas Schneider", "Lindenweg 12", "34117", "Kassel"],
          ["Anna Vogel", "Bergstr. 4", "36037", "Fulda"],
          ["Jan Hoffmann", "Ringstr. 8", "35390", "Gießen"],
          ["Petra Wolf", "Am Hang 2", "37073", "Göttingen"]]


def test_a_son_of_his_fathers_name_and_address_is_no_certain_match_for_him(tmp_path):
    rows = _match(tmp_path,
                  [[*PEOPLE[0], "14.03.1958"], [*PEOPLE[1], "21.06.1970"],
                   [*PEOPLE[2], "03.04.1966"], [*PEOPLE[3], ""]],
                  [[*PEOPLE[0], "02.11.1987"], [*PEOPLE[1], "21.06.1970"],
                   [*PEOPLE[2], "03.04.1969"], [*PEOPLE[3], "30.01.1980"]])
    assert [row["match_certainty"] for row in rows] == ["possible", "certain", "certain", "certain"]
    assert rows[0]["right_Name"] == ""
    assert rows[0]["match_reason"].startswith(
        "right row 1: Geburtsdatum differs (14.03.1958 vs 02.11.1987), not compared; agreed Name 100")


def test_a_date_of_birth_under_another_header_and_layout_is_read(tmp_path):
    rows = _match(tmp_path,
                  [[*PEOPLE[0], "14.03.1958"], [*PEOPLE[1], "21.06.1970"]],
                  [[*PEOPLE[0], "1987-11-02"], [*PEOPLE[1], "1970-06-21"]],
                  right_header=["Name", "Straße", "PLZ", "Ort", "DOB"])
    assert [row["match_certainty"] for row in rows] == ["possible", "certain"]
    assert "Geburtsdatum/DOB differs (14.03.1958 vs 1987-11-02)" in rows[0]["match_reason"]


def test_another_shared_identifier_that_differs_keeps_a_match_possible(tmp_path):
    header = ["Name", "Straße", "PLZ", "Ort", "Steuer-ID"]
    rows = _match(tmp_path, [[*PEOPLE[0], "12345678901"], [*PEOPLE[1], "98765432109"]],
                  [[*PEOPLE[0], "55511122233"], [*PEOPLE[1], "98765432109"]],
                  left_header=header, right_header=header)
    assert [row["match_certainty"] for row in rows] == ["possible", "certain"]
    assert "Steuer-ID differs" in rows[0]["match_reason"]


def test_the_left_rows_date_of_birth_tells_a_father_from_his_son(tmp_path):
    son = ["K2", "Peter", "Schneider", "Schulstraße 43", "80331", "München", "19.09.1975",
           "peter.schneider42@gmx.de"]
    _, right = invoices(tmp_path, son)
    left = write_csv(tmp_path / "left.csv", [
        ["Rechnungsnr", "Kunde", "Anschrift", "Geburtsdatum"],
        ["R-1", "Schneider, Peter", "Schulstrasse 43, 80331 München", "19.09.1975"],
        ["R-2", "Anja Koch", "Waldweg 9, 50667 Köln", ""]], delimiter=";")
    peter, anja = matched(tmp_path, left, right, "--on", "Kunde,Anschrift", "--right-on",
                          "Vorname + Nachname,Strasse + PLZ + Ort")
    assert (peter["match_certainty"], peter["right_Kundennr"]) == ("certain", "K2")
    assert "tied" not in peter["match_reason"]
    assert (anja["match_certainty"], anja["right_Kundennr"]) == ("certain", "K3")
