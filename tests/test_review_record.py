"""The review as engine data: a `Review` decides per group (same / different / undecided), keeps
a chosen row, takes values per column and splits rows out; `apply()` gives the saved table;
its table and JSON forms round-trip; `datatools dedupe --review FILE` applies it and
`--values` / `--fill-empty` stay shorthands for parts of it; `MatchRejections` takes matches
back the same way (`datatools match --review FILE`)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from datatools.errors import BadOption
from datatools.tools.dedupe import find_duplicates
from datatools.tools.match import match_tables
from datatools.tools.review import MatchRejections, Review

pytestmark = pytest.mark.filterwarnings("error")

# Three households of a customer list (common UK surnames): Lee ×3, Patel ×2, Khan ×2, Wong alone.
PEOPLE = """name,street,city,phone
Ann Lee,2 Ash Road,Derby,
Ann Lee,2 Ash Rd,Derby,01332 111
Ann Lee,,Derby,01332 222
Raj Patel,9 Mill Lane,Leicester,0116 400
Raj Patel,9 Mill Ln,Leicester,
Sara Khan,4 Park Street,Bradford,01274 5
Sara Khan,4 Park St,Bradford,
Tom Wong,1 Quay Road,Hull,01482 9
"""


@pytest.fixture
def result():
    frame = pd.read_csv(io.StringIO(PEOPLE), dtype=str, keep_default_na=False)
    found = find_duplicates(frame, ["name", "street", "city"])
    assert [c.rows for c in found.clusters] == [[0, 1, 2], [3, 4], [5, 6]]
    return found


def names(frame):
    return frame["name"].tolist()


def test_keep_all_takes_the_marks_off_groups_decided_different_only(result):
    review = Review(decisions={"2": "different", "3": "undecided"})
    frame = review.apply(result).frame
    assert frame["cluster_id"].tolist() == ["1", "1", "1", "", "", "3", "3", ""]


def test_a_keep_policy_merges_only_groups_decided_the_same(result):
    review = Review(keep="first", decisions={"2": "different", "3": "undecided"})
    reviewed = review.apply(result)
    # Group 1 merged to its first row; Patel kept apart; Khan undecided: both rows stay.
    assert names(reviewed.frame) == ["Ann Lee", "Raj Patel", "Raj Patel", "Sara Khan", "Sara Khan", "Tom Wong"]
    assert reviewed.merges["cluster_id"].tolist() == ["1"]


def test_undecided_as_the_default_merges_nothing_until_a_group_is_decided(result):
    review = Review(keep="first", default="undecided", decisions={"3": "same"})
    assert names(review.apply(result).frame) == [
        "Ann Lee", "Ann Lee", "Ann Lee", "Raj Patel", "Raj Patel", "Sara Khan", "Tom Wong"]


def test_a_row_split_out_stands_alone_and_the_rest_of_its_group_merges(result):
    review = Review(keep="most-complete", split={"1": [2]}, survivors={"1": 1})
    frame = review.apply(result).frame
    assert frame.values.tolist()[:2] == [["Ann Lee", "2 Ash Rd", "Derby", "01332 111"],
                                         ["Ann Lee", "", "Derby", "01332 222"]]
    marked = Review(split={"2": [4]}).apply(result).frame       # a pair split: no group left
    assert marked["cluster_id"].tolist()[3:5] == ["", ""]


def test_values_taken_per_column_and_empty_cells_filled(result):
    review = Review(keep="first", values={"1": {"phone": 2}}, survivors={"2": 4}, fill_empty=True)
    reviewed = review.apply(result)
    assert reviewed.frame.values.tolist()[:2] == [["Ann Lee", "2 Ash Road", "Derby", "01332 222"],
                                                  ["Raj Patel", "9 Mill Ln", "Leicester", "0116 400"]]
    assert reviewed.report["values_taken"] == 2     # the phone chosen, Patel's empty phone filled


def test_the_table_and_json_forms_round_trip(tmp_path):
    review = Review(keep="first", decisions={"2": "different", "3": "undecided"}, survivors={"1": 1},
                    values={"1": {"phone": 2}}, split={"1": [2]}, fill_empty=True)
    review.write(tmp_path / "review.csv")
    again = Review.read(tmp_path / "review.csv")
    again.keep = "first"              # the table leaves the policy to --keep
    assert again.to_json() == review.to_json()
    assert (tmp_path / "review.csv").read_text(encoding="utf-8").splitlines() == [
        "cluster_id,action,column,row", "2,different,,", "3,undecided,,", "1,keep,,2",
        "1,value,phone,3", "1,split,,3", ",fill_empty,,"]
    review.write(tmp_path / "review.json")
    assert Review.read(tmp_path / "review.json").to_json() == review.to_json()


@pytest.mark.parametrize("data, code", [
    ({"decisions": {"1": "maybe"}}, "bad_review"), ({"keep": "last"}, "bad_choice"),
    ({"survivors": {"1": "two"}}, "bad_review"), ({"rows": [1]}, "bad_review"), ([], "bad_review")])
def test_a_malformed_review_is_refused_with_its_code(data, code):
    with pytest.raises(BadOption) as refused:
        Review.from_json(data)
    assert refused.value.code == code


def test_match_rejections_take_matches_back():
    left = pd.DataFrame({"name": ["Ann Lee", "Raj Patel"]})
    right = pd.DataFrame({"name": ["Ann Lee", "Raj Patil"]})
    result = match_tables(left, right, ["name"], threshold=60)
    frame = MatchRejections(frozenset({1})).apply(result).frame
    assert frame["right_name"].tolist() == ["Ann Lee", ""]
    assert MatchRejections.from_json({"rejected_matches": [1]}) == MatchRejections(frozenset({1}))


# ---------------------------------------------------------------------------- the CLI


def run_cli(*argv) -> tuple[int, str, str]:
    from datatools.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_dedupe_review_file_applies_decisions_and_subsumes_values_and_fill_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    # Group 1 (three Ann Lee rows, one without a street) is possible: a row agreeing on two
    # filled columns is never certain, so the reviewer decides it (same), as the window's
    # review would. (`Anne Lee` there would be split off: two given names, DECISIONS 325.)
    (tmp_path / "review.csv").write_text("cluster_id,action,column,row\n1,same,,\n2,different,,\n"
                                         "1,value,phone,3\n,fill_empty,,\n", encoding="utf-8")
    code, _, err = run_cli("dedupe", "people.csv", "--columns", "name,street,city", "--keep", "first",
                           "--review", "review.csv", "-o", "clean.csv", "-q")
    assert code == 0, err
    assert [r[0] for r in rows(tmp_path / "clean.csv")] == ["name", "Ann Lee", "Raj Patel", "Raj Patel",
                                                            "Sara Khan", "Tom Wong"]
    assert rows(tmp_path / "clean.csv")[1][3] == "01332 222"
    # The same choice as a values file plus --fill-empty (Patel merged: not kept apart there).
    (tmp_path / "values.csv").write_text("cluster_id,column,row\n1,phone,3\n", encoding="utf-8")
    code, _, err = run_cli("dedupe", "people.csv", "--columns", "name,street,city", "--keep", "first",
                           "--values", "values.csv", "--fill-empty", "--include-possible", "-o",
                           "short.csv", "-q")
    assert code == 0, err
    assert rows(tmp_path / "short.csv")[1] == rows(tmp_path / "clean.csv")[1]
    assert rows(tmp_path / "short.csv")[2] == ["Raj Patel", "9 Mill Lane", "Leicester", "0116 400"]


def test_dedupe_review_without_keep_writes_the_marks_the_review_leaves(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "review.json").write_text(json.dumps({"decisions": {"1": "different"}}), encoding="utf-8")
    code, _, err = run_cli("dedupe", "people.csv", "--columns", "name,street,city", "--review", "review.json",
                           "-o", "marked.csv", "-q")
    assert code == 0, err
    assert [r[4] for r in rows(tmp_path / "marked.csv")] == ["cluster_id", "", "", "", "2", "2", "3", "3", ""]


@pytest.mark.parametrize("text, message", [
    ("cluster_id,action,column,row\n1,merge,,\n", "Line 2 of review.csv: 'merge' is no action"),
    ("cluster_id,action,column,row\n1,keep,,x\n", "Line 2 of review.csv: the row must be a row number from 1"),
    ("cluster_id,action,column,row\n9,different,,\n", "review.csv names group 9, which this run did not find"),
])
def test_a_bad_review_file_is_a_usage_error_and_writes_nothing(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "review.csv").write_text(text, encoding="utf-8")
    code, _, err = run_cli("dedupe", "people.csv", "--columns", "name,street,city", "--keep", "first",
                           "--review", "review.csv", "-o", "clean.csv", "-q")
    assert code == 2 and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv", "review.csv"]


def test_match_review_file_takes_the_listed_matches_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "orders.csv").write_text("order,customer\nA1,Ann Lee\nA2,Raj Patel\n", encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "wrong.csv").write_text("row\n2\n", encoding="utf-8")
    code, out, err = run_cli("match", "orders.csv", "people.csv", "--on", "customer", "--right-on", "name",
                             "--review", "wrong.csv", "-o", "matched.csv", "--json")
    assert code == 0, err
    matched = rows(tmp_path / "matched.csv")
    assert (matched[1][2], matched[2][2]) == ("Ann Lee", "")
    assert json.loads(out)["rejected"] == 1


# Too few rows to learn from: the score decides (75 and up certain, 54 and up possible).
ORDERS = "name,street,city\nAnna Schmidt,Hauptstr. 5,Berlin\nMaria Garcia,Calle Mayor 4,Madrid\nZoe Quill,Elm Close 1,Leeds\n"
CUSTOMERS = "name,street,city\nAnna Schmidt,Hauptstr. 5,Berlin\nM. Garcia Lopez,Calle Mayor 4,Madrid\nPeter Pan,1 Lane,York\n"


def test_a_possible_match_is_written_only_once_accepted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    argv = ["match", "orders.csv", "customers.csv", "--on", "name,street,city"]
    code, out, err = run_cli(*argv, "-o", "default.csv", "--json")
    assert code == 0, err
    assert [(r[3], r[7]) for r in rows(tmp_path / "default.csv")[1:]] == [
        ("Anna Schmidt", "certain"), ("", "possible"), ("", "no partner")]
    assert json.loads(out)["matched"] == 1
    (tmp_path / "review.csv").write_text("action,row\naccept,2\n", encoding="utf-8")
    code, out, err = run_cli(*argv, "--review", "review.csv", "-o", "accepted.csv", "--json")
    assert code == 0, err
    assert [(r[3], r[7]) for r in rows(tmp_path / "accepted.csv")[1:]] == [
        ("Anna Schmidt", "certain"), ("M. Garcia Lopez", "possible"), ("", "no partner")]
    assert (json.loads(out)["matched"], json.loads(out)["accepted"]) == (2, 1)
    # The same decision in the window's JSON form, and a reject winning over an accept.
    record = MatchRejections.read(tmp_path / "review.csv")
    assert record == MatchRejections(frozenset(), frozenset({1}))
    assert MatchRejections.from_json(record.to_json()) == record
    assert MatchRejections.from_json({"rejected_matches": [1], "accepted_matches": [1]}).accepted == frozenset()


def test_a_match_review_table_with_an_unknown_action_is_refused(tmp_path):
    (tmp_path / "review.csv").write_text("action,row\nmaybe,2\n", encoding="utf-8")
    with pytest.raises(BadOption) as refused:
        MatchRejections.read(tmp_path / "review.csv")
    assert refused.value.code == "bad_review_file" and "line 2" in refused.value.message
