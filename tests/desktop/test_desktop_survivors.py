"""Choosing the surviving value per column through the desktop's review API: the group shows
its surviving row, the counts say how many values Save takes, and the saved file and merge list
hold exactly that; bad choices are 400s with their own codes."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def ann_lee_twice(licensed, tmp_path) -> str:
    """A dedupe job over Ann Lee twice (her phone only in the second row) and Bob Stone; its
    API path."""
    source = tmp_path / "people.csv"
    source.write_text("name,city,phone\nAnn Lee,Derby,\nAnn Lee,Derby,01332 111\nBob Stone,York,\n",
                      encoding="utf-8")
    job = licensed.run_tool("dedupe", [source], {"columns": ["name", "city"]})
    return f"/api/jobs/{job['id']}"


def test_a_value_chosen_from_another_row_is_shown_counted_and_saved(licensed, tmp_path):
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    base = f"/api/jobs/{job['id']}"
    state = licensed.call("POST", f"{base}/review", {"group": "1", "value": {"column": "name", "row": 2}})[2]
    assert state["counts"]["values"] == 1
    group = licensed.call("GET", f"{base}/groups?sort=file")[2]["groups"][0]
    assert group["varies"] == ["id", "name"]
    assert group["survivor"] == {"cells": ["1", "Anna Schmitt", "anna.schmidt@example.com", "Berlin"],
                                 "sources": [0, 2, 0, 0], "taken": ["name"]}
    target = tmp_path / "people.csv"
    status, _, saved = licensed.call("POST", f"{base}/save", {"path": str(target)})
    assert status == 201, saved
    assert read_csv(target) == [
        ["id", "name", "email", "city"],
        ["1", "Anna Schmitt", "anna.schmidt@example.com", "Berlin"],
        ["2", "Ben Okafor", "ben@example.org", "Leeds"],
        ["4", "Carla Ruiz", "carla.ruiz@example.es", "Sevilla"],
        ["6", "David Chen", "d.chen@example.com", "Toronto"],
        ["7", "Émile Durand", "emile@example.fr", "Lyon"],
        ["9", "Fatima Zahra", "fatima@example.ma", "Rabat"],
        ["10", "Greta Lind", "greta.lind@example.se", "Malmö"]]
    assert read_csv(tmp_path / "people.merges.csv") == [
        ["cluster_id", "kept_row", "kept_id", "dropped_rows", "dropped_id", "match_score", "values_taken"],
        ["1", "1", "1", "3", "3", group["rows"][1]["score"], 'name from row 3: "Anna Schmidt" → "Anna Schmitt"'],
        ["2", "2", "2", "5", "5", "100", ""], ["3", "7", "7", "8", "8", "100", ""]]
    # Back to the kept row's value: nothing is taken any more.
    state = licensed.call("POST", f"{base}/review", {"group": "1", "value": {"column": "name", "row": None}})[2]
    assert state["counts"]["values"] == 0


def test_filling_empty_cells_is_off_until_asked_and_a_separate_group_takes_nothing(licensed, tmp_path):
    base = ann_lee_twice(licensed, tmp_path)
    assert licensed.call("POST", f"{base}/review", {"keep": "first"})[2]["counts"]["values"] == 0
    state = licensed.call("POST", f"{base}/review", {"fill_empty": True})[2]
    assert (state["fill_empty"], state["counts"]["values"]) == (True, 1)
    target = tmp_path / "out.csv"
    assert licensed.call("POST", f"{base}/save", {"path": str(target)})[0] == 201
    assert read_csv(target) == [["name", "city", "phone"], ["Ann Lee", "Derby", "01332 111"],
                                ["Bob Stone", "York", ""]]
    assert licensed.call("POST", f"{base}/review", {"group": "1", "decision": "different"})[2]["counts"]["values"] == 0


def test_a_value_from_a_column_or_row_outside_the_group_is_a_400_with_its_code(licensed):
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    review = f"/api/jobs/{job['id']}/review"
    status, _, body = licensed.call("POST", review, {"group": "1", "value": {"column": "fax", "row": 2}})
    assert (status, body["error"]["code"], body["error"]["params"]) == (
        400, "bad_value_column", {"column": "fax", "group": "1"})
    status, _, body = licensed.call("POST", review, {"group": "1", "value": {"column": "name", "row": 1}})
    assert (status, body["error"]["code"]) == (400, "bad_value_row")
    assert licensed.call("POST", review, {"group": "1", "value": "name"})[2]["error"]["code"] == "bad_review"


def test_saving_a_kept_row_says_which_values_went_with_the_removed_rows(licensed, tmp_path):
    base = ann_lee_twice(licensed, tmp_path)
    assert licensed.call("POST", f"{base}/review", {"keep": "first"})[0] == 200
    status, _, saved = licensed.call("POST", f"{base}/save", {"path": str(tmp_path / "out.csv")})
    assert status == 201, saved
    assert [n for n in saved["notes"] if n["code"] == "cells_lost"] == [
        {"code": "cells_lost", "count": "1", "columns": "phone 1",
         "message": "Values only the removed rows held, gone with them (their kept row is empty "
                    "there): 1 (phone 1). Tick “Fill the kept row's empty cells” in the review to "
                    "copy them into the kept rows."}]
    assert licensed.call("POST", f"{base}/review", {"fill_empty": True})[0] == 200
    status, _, saved = licensed.call("POST", f"{base}/save", {"path": str(tmp_path / "out.csv"),
                                                              "force": True})
    assert status == 201 and [n for n in saved["notes"] if n["code"] == "cells_lost"] == []
