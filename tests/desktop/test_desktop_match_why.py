"""Match at defaults in real Chromium, in German: a possible match says why it is not certain in
the window's language, as a possible duplicate does (DECISIONS 462), and a date of birth not
compared that tells a father from his son is said in words too (463), the user's header and
values shown as text, never as markup."""

from __future__ import annotations

import pytest

from review_window import licensed_window, reasons_in_languages, run_tool, write_csv

pytestmark = pytest.mark.filterwarnings("error")

HEADER = ["Name", "Straße", "PLZ", "Ort", "<b>Geburtsdatum</b>"]
LEFT = [("Thomas Schneider", "Lindenweg 12", "34117", "Kassel", "14.03.1958"),
        ("Anna Vogel", "Bergstr. 4", "36037", "Fulda", "21.06.1970"),
        ("Paula Bauer", "Dorfstraße 18", "80331", "München", ""),
        ("Petra Wolf", "Am Hang 2", "37073", "Göttingen", "")]
RIGHT = [("Thomas Schneider", "Lindenweg 12", "34117", "Kassel", "02.11.1987"),
         ("Anna Vogel", "Bergstraße 4", "36037", "Fulda", "21.06.1970"),
         ("Paul Bauer", "Dorfstraße 18", "80331", "München", ""),
         ("Jan Hoffmann", "Ringstr. 8", "35390", "Gießen", "")]


def test_a_possible_match_says_why_in_the_windows_language(chromium, keys, tmp_path):
    left = write_csv(tmp_path / "rechnungen.csv", HEADER, LEFT)
    right = write_csv(tmp_path / "kunden.csv", HEADER, RIGHT)
    with licensed_window(chromium, keys, tmp_path) as tab:
        tab.select_option("#language", "de")
        tab.wait_for_selector("html[lang=de]", state="attached")
        run_tool(tab, "match", [left, right], "on", HEADER[:4], "#matches-list tbody tr")
        reasons = {text.split("; ")[0] for text in
                   tab.locator("#matches-list tbody td.why").all_inner_texts()}
        assert {"Zeile 1 der zweiten Tabelle: <b>Geburtsdatum</b> weicht ab (14.03.1958 gegen "
                "02.11.1987), nicht verglichen",
                "Zeile 3 der zweiten Tabelle: möglich: die Namen sind zwei Personen"} <= reasons
        assert tab.locator("#matches-list tbody td.why b").count() == 0
        # in each language, the user's values as they are
        shown = reasons_in_languages(tab, [
            "right row 1: DOB differs (<i>1958</i> vs {a}), not compared; whole row 90",
            "right row 3: possible (their names read as two people); whole row 90"])
        assert [text.split("; ")[0] for text in shown] == [
            "row 1 of the second table: DOB differs (<i>1958</i> vs {a}), not compared",
            "row 3 of the second table: possible: their names read as two people",
            "Zeile 1 der zweiten Tabelle: DOB weicht ab (<i>1958</i> gegen {a}), nicht verglichen",
            "Zeile 3 der zweiten Tabelle: möglich: die Namen sind zwei Personen",
            "fila 1 de la segunda tabla: DOB difiere (<i>1958</i> frente a {a}), no comparada",
            "fila 3 de la segunda tabla: posible: los nombres son de dos personas",
            "ligne 1 du second tableau : DOB diffère (<i>1958</i> contre {a}), non comparée",
            "ligne 3 du second tableau : possible : les noms sont ceux de deux personnes"]
