"""Saving a match of two cp1252 exports "like the input": the reason column's own minus signs and
arrows do not turn the file into UTF-8; the user's values keep their code page (DECISIONS 350)."""

from __future__ import annotations

import csv
import io

import pytest

from test_linkage import COLUMNS, person, with_cases


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


def test_reasons_are_written_in_the_inputs_code_page(licensed, tmp_path):
    # One order (Jnoas Brückner, a typo) against 1,151 customers: the engine learns its weights,
    # and the reason is the waterfall in words ("… −2.1 …; start −15.3 → 99.7 %").
    table, start = with_cases([
        person("Jonas", "Brückner", "Amselstraße 12", "07743", "Jena", "03641 552211"),
        person("Jnoas", "Brückner", "Amselstr. 12", "07743", "Jena", "03641 552211")])
    left, right = tmp_path / "bestellungen.csv", tmp_path / "kunden.csv"
    table.iloc[[start + 1]].to_csv(left, index=False, sep=";", encoding="cp1252", lineterminator="\r\n")
    table.drop(index=start + 1).to_csv(right, index=False, sep=";", encoding="cp1252")
    job = licensed.run_tool("match", [left, right], {"on": COLUMNS, "right_on": COLUMNS})
    target = tmp_path / "bestellungen-match.csv"

    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})

    assert status == 201, saved
    assert saved["notes"] == []
    text = target.read_bytes().decode("cp1252")     # not UTF-8: "ü" is one byte
    (row,) = csv.DictReader(io.StringIO(text), delimiter=";")
    assert "; start -" in row["match_reason"] and " -> " in row["match_reason"], row["match_reason"]
    assert "\u2212" not in row["match_reason"] and "\u2192" not in row["match_reason"]
    assert (row["first"], row["last"], row["right_first"]) == ("Jnoas", "Brückner", "Jonas"), row
