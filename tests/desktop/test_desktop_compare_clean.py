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
    assert job["result"]["view"]["notes"] == [
        "tel: 1 value(s) have no country code; choose a phone region (e.g. '030 1234567'); "
        "left unchanged."]
