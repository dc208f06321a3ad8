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
    assert ["DE", "region.de"] in region["choices"] and region["empty"] == "clean.phone_region_none"
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
    assert job["result"]["view"]["notes"] == [
        "Column stock is now qty_on_hand (renamed: 50% of paired rows hold the same value).",
        "Rows paired by key sku (inferred: 0 other cells equal; also considered: No, a running "
        "row number).",
        "No is a running row number: 2 paired rows renumbered, not counted as changes."]
    assert saved_text(licensed, job, tmp_path / "diff.csv").splitlines() == [
        "status,changed_columns,old_row,new_row,No,sku,qty_on_hand,No (old),qty_on_hand (old)",
        "added,,,1,1,X,1,,",
        "changed,qty_on_hand,2,3,3,B,8,2,7"]
