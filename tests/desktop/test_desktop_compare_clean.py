"""The desktop offers clean's phone region and compare's changed-rows-only from the registry."""

from __future__ import annotations

import pytest


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


def saved_text(client, job, target) -> str:
    assert job["state"] == "done", job
    status, _, body = client.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})
    assert status == 201, body
    return target.read_text("utf-8")


def test_the_form_offers_a_phone_region_and_national_numbers_use_it(licensed, tmp_path):
    state = licensed.call("GET", "/api/state")[2]
    region = next(o for o in state["tools"]["clean"]["options"] if o["name"] == "phone_region")
    assert (region["kind"], region["default"], region["form"]) == ("region", None, True)
    assert "PL" in region["regions"] and len(region["regions"]) > 200
    assert region["empty"] == "clean.phone_region_none"
    source = tmp_path / "tel.csv"
    source.write_text("tel\n030 1234567\n+44 (0)20 7946 0018\n", "utf-8")
    job = licensed.run_tool("clean", [source], {"phones": True, "phone_region": "DE"})
    assert saved_text(licensed, job, tmp_path / "out.csv") == "tel\n+49301234567\n+442079460018\n"
    job = licensed.run_tool("clean", [source], {"phones": True})
    assert job["result"]["report"]["phones_unread"] == {"tel": 1}
    # The note keeps its English words and carries its code, for the window's language.
    assert job["result"]["view"]["notes"] == [{
        "text": "tel: 1 value(s) have no country code; choose a phone region (e.g. '030 1234567'); "
                "left unchanged.",
        "code": "clean_phones_no_country", "params": {"column": "tel", "count": 1, "example": "030 1234567"}}]


def test_compare_with_changed_rows_only_saves_the_differing_rows_and_says_why(licensed, tmp_path):
    state = licensed.call("GET", "/api/state")[2]
    option = next(o for o in state["tools"]["compare"]["options"] if o["name"] == "changed_only")
    assert (option["kind"], option["default"], option["form"]) == ("flag", False, True)
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("No,sku,stock\n1,A,5\n2,B,7\n", "utf-8")
    new.write_text("No,sku,qty_on_hand\n1,X,1\n2,A,5\n3,B,8\n", "utf-8")
    job = licensed.run_tool("compare", [old, new], {"changed_only": True})
    assert job["result"]["summary"] == {"added": 1, "removed": 0, "changed": 1, "unchanged": 1}
    # The notes as Notices: the CLI's English, and a code with params the window translates.
    assert job["result"]["view"]["compare"]["notes"] == [
        {"text": "Column stock is now qty_on_hand (renamed: 50% of paired rows hold the same value).",
         "code": "compare_renamed_by_content", "params": {"old": "stock", "new": "qty_on_hand", "percent": 50}},
        {"text": "Rows paired by key sku (inferred: 0 other cells equal; also considered: No, a running "
                 "row number).", "code": "compare_paired_by_key_inferred_others",
         "params": {"key": "sku", "equal": 0, "others": "No, a running row number"}},
        {"text": "No is a running row number: 2 paired rows renumbered, not counted as changes.",
         "code": "compare_row_counter", "params": {"column": "No", "rows": 2}}]
    # The report (what --json writes) keeps the sentences as they are.
    assert job["result"]["report"]["notes"] == [n["text"] for n in job["result"]["view"]["compare"]["notes"]]
    assert saved_text(licensed, job, tmp_path / "diff.csv").splitlines() == [
        "status,changed_columns,old_row,new_row,No,sku,qty_on_hand,No (old),qty_on_hand (old)",
        "added,,,1,1,X,1,,",
        "changed,qty_on_hand,2,3,3,B,8,2,7"]


def test_the_diff_pages_through_every_row_with_old_values_only_where_a_cell_changed(licensed, tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("sku,colour,price\n" + "".join(f"S{i},red,{i}.00\n" for i in range(60)), "utf-8")
    new.write_text("sku,color,price\n" + "".join(
        f"S{i},red,{i + 1 if i % 7 == 0 else i}.00\n" for i in range(5, 60)) + "N1,blue,9.00\n", "utf-8")
    job = licensed.run_tool("compare", [old, new], {})
    base = f"/api/jobs/{job['id']}/diff"
    first = licensed.call("GET", f"{base}?show=changed")[2]
    changed = [f"S{i}" for i in range(5, 60) if i % 7 == 0]
    assert (first["total"], first["pages"], first["counts"]) == (len(changed), 1, {
        "all": 61, "differs": 14, "added": 1, "removed": 5, "changed": 8, "unchanged": 47})
    assert first["columns"] == [{"name": "sku", "kind": "key", "was": None},
                                {"name": "color", "kind": "renamed", "was": "colour"},
                                {"name": "price", "kind": "same", "was": None}]
    assert [row["cells"][0]["value"] for row in first["rows"]] == changed
    assert first["rows"][0] == {"status": "changed", "old_row": "8", "new_row": "3",
                                "cells": [{"value": "S7"}, {"value": "red"}, {"value": "8.00", "old": "7.00"}]}
    # Every row, 25 a page, the removed ones last; a page past the end is the last page.
    every = [licensed.call("GET", f"{base}?show=all&page={p}")[2] for p in (1, 2, 3, 9)]
    assert [len(p["rows"]) for p in every] == [25, 25, 11, 11] and every[3]["page"] == 3
    assert [r["status"] for r in every[2]["rows"]][-6:] == ["added"] + ["removed"] * 5
    assert licensed.call("GET", f"{base}?column=price")[2]["total"] == 8
    assert licensed.call("GET", f"{base}?show=removed")[2]["total"] == 5


def test_the_diff_refuses_what_it_does_not_offer(licensed, tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("sku,price\nA,1\nB,2\n", "utf-8")
    new.write_text("sku,price\nA,1\nB,3\n", "utf-8")
    job = licensed.run_tool("compare", [old, new], {})
    base = f"/api/jobs/{job['id']}/diff"
    status, _, body = licensed.call("GET", f"{base}?show=everything")
    assert (status, body["error"]["code"], body["error"]["params"]) == (
        400, "bad_choice", {"option": "show", "value": "everything"})
    assert licensed.call("GET", f"{base}?column=sku")[2]["error"]["code"] == "bad_choice"   # never changed
    assert licensed.call("GET", f"{base}?page=two")[:3:2] == (400, {"error": {
        "code": "bad_page", "message": "The page must be a whole number.", "params": {"value": "two"}}})
    other = licensed.run_tool("profile", [old], {})
    assert licensed.call("GET", f"/api/jobs/{other['id']}/diff")[2]["error"]["code"] == "no_diff"


def test_a_key_that_repeats_fails_the_job_with_the_value_its_count_and_the_file(licensed, tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("sku,city\n1,Ulm\n2,Bonn\n", "utf-8")
    new.write_text("sku,city\n1,Ulm\n2,Bonn\n3,Bonn\n4,Ulm\n5,Ulm\n", "utf-8")
    job = licensed.run_tool("compare", [old, new], {"key": "city"})
    assert (job["state"], job["error"]) == ("failed", {
        "code": "key_not_unique",
        "message": "The key city is not unique in new.csv: 'Ulm' appears 3 times. Choose another key column.",
        "params": {"column": "city", "file": "new.csv", "value": "Ulm", "count": 3}})
