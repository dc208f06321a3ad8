"""Find duplicates at defaults, then Save, in real Chromium: a group the engine is only possibly
sure of starts undecided and Save keeps all its rows; a row taken out of its group stays in the
file as its own record and the kept row follows; the status line's counts are the file's."""

from __future__ import annotations

import csv
import io

import pytest

from review_window import licensed_window, reasons_in_languages, run_tool, save, write_csv

pytestmark = pytest.mark.filterwarnings("error")

ROWS = [("Ann Lee", "", "Derby", ""),                      # with row 2: possible (two cells empty)
        ("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB"),
        ("Bob Stone", "9 Yew Lane", "York", "YO1 7HH"),    # rows 3 and 4: certain
        ("Bob Stone", "9 Yew Lane", "York", "YO1 7HH"),
        ("Cara Diaz", "5 Oak Street", "Leeds", "LS1 1AA"),
        ("Dev Patel", "1 Elm Close", "Bath", "BA1 1AA")]


def test_save_at_defaults_keeps_a_possible_group_whole_and_the_status_line_counts_the_file(
        chromium, keys, tmp_path):
    source = write_csv(tmp_path / "customers.csv", ["name", "street", "city", "postcode"], ROWS)
    with licensed_window(chromium, keys, tmp_path) as tab:
        run_tool(tab, "dedupe", [source], "columns", ["name", "street", "city", "postcode"],
                 "#review-groups .group")
        # The possible group (Ann Lee) starts undecided, the certain one (Bob Stone) the same.
        assert tab.locator("#group-1 input[value='undecided']").is_checked()
        assert tab.locator("#group-2 input[value='same']").is_checked()
        status = tab.locator("#review-counts").inner_text()
        assert status == ("When you save: 1 group becomes one row (1 row removed), 0 groups are "
                          "kept apart; the file will have 5 rows. 1 group is not decided yet: "
                          "all their rows are kept.")
        # The Certainty filter shows the groups waiting for a person, and only those.
        tab.select_option("#review-certainty", "possible")
        tab.wait_for_selector("#review-page:has-text('(1 group)')")
        assert tab.locator("#review-groups .group h4").all_inner_texts() == [
            "Group 1: 2 rows, similarity 62"]   # 62: DE1 2AB one postcode word (573)
        assert tab.locator("#group-1 .certainty").inner_text() == "possible: check it"
        target = tmp_path / "customers-clean.csv"
        save(tab, target)
        saved = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert saved[1:] == [list(ROWS[0]), list(ROWS[1]), list(ROWS[2]), list(ROWS[4]),
                             list(ROWS[5])]
        assert len(saved) - 1 == 5   # the status line's "the file will have 5 rows"


# Rows 1–3 are one customer typed three times; the third also holds an e-mail, so the
# most-complete policy keeps it. The reviewer knows row 3 is another Ann Lee (her e-mail
# says so) and marks it as not belonging: it is saved as its own record, the survivor moves
# to row 1, and the status line counts one row removed, not two.
SPLIT_ROWS = [("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB", ""),
              ("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB", ""),
              ("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB", "ann.lee@example.org"),
              ("Bob Stone", "9 Yew Lane", "York", "YO1 7HH", ""),
              ("Cara Diaz", "5 Oak Street", "Leeds", "LS1 1AA", "")]


def test_a_row_split_out_of_a_group_is_saved_as_its_own_record_and_the_survivor_follows(
        chromium, keys, tmp_path, screenshot):
    source = write_csv(tmp_path / "customers.csv", ["name", "street", "city", "postcode", "email"],
                       SPLIT_ROWS)
    with licensed_window(chromium, keys, tmp_path) as tab:
        run_tool(tab, "dedupe", [source], "columns", ["name", "street", "city", "postcode"],
                 "#review-groups .group")
        assert tab.locator("#group-1 input[value='same']").is_checked()
        assert tab.locator("#group-1 tr.kept .row-number").inner_text() == "3"   # most complete
        assert tab.locator("#review-counts").inner_text() == (
            "When you save: 1 group becomes one row (2 rows removed), 0 groups are kept apart; "
            "the file will have 3 rows.")
        tab.click("#split-1-2")
        tab.wait_for_selector("#group-1 tr.split")
        assert tab.evaluate("document.activeElement.id") == "split-1-2"   # focus stays on the row
        assert tab.locator("#split-1-2").inner_text() == "Put back"
        assert tab.locator("#group-1 tr.kept .row-number").inner_text() == "1"   # the survivor follows
        screenshot(tab, "desktop-review-split", at="#group-1")
        status = tab.locator("#review-counts").inner_text()
        assert status == ("When you save: 1 group becomes one row (1 row removed), 0 groups are "
                          "kept apart; the file will have 4 rows. 1 row taken out of its group "
                          "is saved as its own record.")
        target = tmp_path / "customers-clean.csv"
        save(tab, target)
        saved = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert saved[1:] == [list(SPLIT_ROWS[0]), list(SPLIT_ROWS[2]), list(SPLIT_ROWS[3]),
                             list(SPLIT_ROWS[4])]
        assert len(saved) - 1 == 4   # the status line's "the file will have 4 rows"


def test_a_row_is_split_only_out_of_its_own_group_and_cannot_then_be_kept(licensed):
    from conftest import FIXTURES

    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"],
                            {"columns": ["name", "email"], "threshold": 85})
    review = f"/api/jobs/{job['id']}/review"
    status, _, body = licensed.call("POST", review, {"group": "3", "split": {"row": 0, "out": True}})
    assert (status, body["error"]["code"]) == (400, "bad_review")   # row 1 is in group 1
    status, _, body = licensed.call("POST", review, {"group": "3", "split": {"row": 7, "out": True}})
    assert status == 200 and (body["counts"]["split"], body["counts"]["apart"]) == (1, 1)
    status, _, body = licensed.call("POST", review, {"group": "3", "survivor": 7})
    assert (status, body["error"]["code"]) == (400, "bad_review")   # taken out: not keepable
    status, _, body = licensed.call("POST", review, {"group": "3", "split": {"row": 7, "out": False}})
    assert status == 200 and (body["counts"]["split"], body["counts"]["apart"]) == (0, 0)
    assert licensed.call("GET", review)[2]["split"] == {}


# A father and son of one name and address, told apart only by their dates of birth in a
# column not compared (its header written with markup, as a user might).
FATHER_AND_SON = [("Thomas Schneider", "Lindenweg 12", "34117", "Kassel", "14.03.1958"),
                  ("Thomas Schneider", "Lindenweg 12", "34117", "Kassel", "02.11.1987"),
                  ("Anna Vogel", "Bergstr. 4", "36037", "Fulda", "21.06.1970"),
                  ("Anna Vogel", "Bergstraße 4", "36037", "Fulda", "21.06.1970"),
                  ("Petra Wolf", "Am Hang 2", "37073", "Göttingen", "")]


def test_a_group_kept_possible_by_an_uncompared_column_names_it_as_text(chromium, keys, tmp_path):
    header = ["Name", "Straße", "PLZ", "Ort", "<b>Geburtsdatum</b>"]
    source = write_csv(tmp_path / "kunden.csv", header, FATHER_AND_SON)
    with licensed_window(chromium, keys, tmp_path) as tab:
        tab.select_option("#language", "de")
        tab.wait_for_selector("html[lang=de]", state="attached")
        run_tool(tab, "dedupe", [source], "columns", header[:4], "#review-groups .group")
        why = tab.locator("#group-1 tbody td.why").first
        assert why.inner_text().startswith(
            "wie Zeile 2: möglich: nicht verglichene Spalte <b>Geburtsdatum</b> weicht ab; ")
        assert why.locator("b").count() == 0
        # two columns, in each language
        shown = reasons_in_languages(tab, [
            "row 3: kept apart (uncompared columns Vendor, Colour differ); whole row 90"])
        assert [text.split(";")[0] for text in shown] == [
            "like row 3: kept apart: uncompared columns Vendor, Colour differ",
            "wie Zeile 3: getrennt: nicht verglichene Spalten Vendor, Colour weichen ab",
            "como la fila 3: separadas: las columnas no comparadas Vendor, Colour difieren",
            "comme la ligne 3 : séparées : les colonnes non comparées Vendor, Colour diffèrent"]
