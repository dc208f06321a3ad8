"""Match at defaults, then Save, in real Chromium: a possible match starts undecided and Save
writes it without its partner until it is accepted; a row with no partner is shown as such; the
status line's counts are the saved file's."""

from __future__ import annotations

import csv
import io

import pytest

from review_window import licensed_window, run_tool, save, write_csv

pytestmark = pytest.mark.filterwarnings("error")

COLUMNS = ["name", "street", "city"]
# Too few rows to learn from: the score decides (75 and up certain, 54 and up possible).
LEFT = [("Anna Schmidt", "Hauptstr. 5", "Berlin"),        # certain (100)
        ("Frank Kowalski", "Ringweg 2", "Köln"),          # possible: "Franke" (62)
        ("Zoe Quill", "Elm Close 1", "Leeds"),            # no partner
        ("Susanne Hahn", "Gartenstraße 39", "Dresden"),   # no partner (another Susanne Hahn)
        ("Peter Maier", "Am Markt 3", "Bonn"),            # possible: "Petra Maier", one address (93)
        ("Jonas Weber", "Bergweg 7", "Kassel"),           # possible: "J. Weber" (57)
        ("Maria Garcia", "Calle Mayor 4", "Madrid")]      # possible: "M. Garcia Lopez" (66)
RIGHT = [("Anna Schmidt", "Hauptstr. 5", "Berlin"), ("Franke", "Ringweg 2", "Köln"),
         ("Zoe Quil", "", "York"), ("Susanne Hahn", "Gartenstraße 97", "Nürnberg"),
         ("Petra Maier", "Am Markt 3", "Bonn"), ("J. Weber", "", "Kassel"),
         ("M. Garcia Lopez", "Calle Mayor 4", "Madrid")]


def test_possible_matches_wait_for_acceptance_and_the_status_line_counts_the_saved_file(
        chromium, keys, tmp_path, screenshot):
    left = write_csv(tmp_path / "orders.csv", COLUMNS, LEFT)
    right = write_csv(tmp_path / "customers.csv", COLUMNS, RIGHT)
    with licensed_window(chromium, keys, tmp_path) as tab:
        run_tool(tab, "match", [left, right], "on", COLUMNS, "#matches-list tbody tr")
        summary = dict(zip(tab.locator("#result-summary dt").all_inner_texts(),
                           tab.locator("#result-summary dd").all_inner_texts()))
        assert summary == {"Rows to match": "7", "Rows matched": "1",
                           "Possible matches to review": "4", "Rows without a match": "2"}
        # Every left row is listed, the least sure first and rows with no partner last.
        badges = tab.locator("#matches-list tbody .certainty").all_inner_texts()
        assert badges == ["possible: check it"] * 4 + ["certain"] + ["no partner"] * 2
        assert not tab.locator("#accept-1").is_checked()        # possible: undecided
        assert tab.locator("#accept-2").count() == 0            # no partner: nothing to decide
        assert tab.locator("#match-2").count() == 0
        assert tab.locator("#matches-counts").inner_text() == (
            "When you save: 1 row keeps its match (1 certain, 0 possible that you accepted), "
            "0 matches are taken back, 4 possible matches are not decided yet and are saved "
            "without their partner, 2 rows have no partner; the file will have 7 rows.")
        tab.check("#accept-6")                                  # Maria Garcia ↔ M. Garcia Lopez
        tab.wait_for_selector("#matches-counts:has-text('2 rows keep their match')")
        assert tab.evaluate("document.activeElement.id") == "accept-6"
        screenshot(tab, "desktop-match-possible", at="#matches")
        status = tab.locator("#matches-counts").inner_text()
        assert status == (
            "When you save: 2 rows keep their match (1 certain, 1 possible that you accepted), "
            "0 matches are taken back, 3 possible matches are not decided yet and are saved "
            "without their partner, 2 rows have no partner; the file will have 7 rows.")
        target = tmp_path / "matched.csv"
        save(tab, target)
        saved = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert [(r["name"], r["right_name"], r["match_certainty"]) for r in saved] == [
            ("Anna Schmidt", "Anna Schmidt", "certain"),
            ("Frank Kowalski", "", "possible"),                 # undecided: not written as matched
            ("Zoe Quill", "", "no partner"),
            ("Susanne Hahn", "", "no partner"),
            ("Peter Maier", "", "possible"),                    # Peter and Petra: two people
            ("Jonas Weber", "", "possible"),                    # undecided: not written as matched
            ("Maria Garcia", "M. Garcia Lopez", "possible")]    # accepted
        # The status line's numbers, counted in the file.
        assert len(saved) == 7
        assert sum(1 for r in saved if r["right_name"]) == 2
        assert sum(1 for r in saved if r["match_certainty"] == "possible" and not r["right_name"]) == 3
        assert sum(1 for r in saved if r["match_certainty"] == "no partner") == 2


def test_with_several_candidates_a_row_every_candidate_is_saved_and_counted(licensed, tmp_path):
    left = write_csv(tmp_path / "orders.csv", COLUMNS, LEFT)
    right = write_csv(tmp_path / "customers.csv", COLUMNS, RIGHT)
    job = licensed.run_tool("match", [left, right], {"on": COLUMNS, "top": 2})
    page = licensed.call("GET", f"/api/jobs/{job['id']}/matches")[2]
    assert page["holds"] is False                       # nothing waits for acceptance
    status, _, refused = licensed.call("POST", f"/api/jobs/{job['id']}/review",
                                       {"row": 1, "accepted": True})
    assert status == 200 and refused["counts"] == page["counts"]   # accepting changes nothing
    target = tmp_path / "listed.csv"
    assert licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})[0] == 201
    saved = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert page["counts"]["rows"] == len(saved)
    assert page["counts"]["matched"] == sum(1 for r in saved if r["right_name"])
    assert page["counts"]["accepted"] == sum(1 for r in saved if r["right_name"] and r["match_certainty"] == "possible")
