"""The match estimate in real Chromium: beside the pairing, before the run, for the pairing shown."""

from __future__ import annotations

import re

import pytest

from company_tables import company_tables
from test_desktop_tool_ui import choose_files, licensed_page, run_and_wait, summary  # noqa: F401

WAIT = 90_000     # an estimate of a few thousand rows takes seconds; a loaded machine, more


def estimate_text(page) -> str:
    page.wait_for_selector("#match-estimate-count", timeout=WAIT)
    return page.locator("#match-estimate-count").inner_text()


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "").replace(".", "")) for n in re.findall(r"\d[\d,.]*\d|\d", text)]


def share(text: str) -> int:
    return int(re.search(r"\((\d+)\s?%\)", text).group(1))


@pytest.fixture
def companies(tmp_path):
    """3,000 companies; 2,400 have a respelled copy in a supplier list whose `city` comes first."""
    return company_tables(3_000, 0.8).write(tmp_path)


def test_the_estimate_exposes_a_wrong_pairing_and_follows_the_fixed_one(licensed_page, companies, screenshot):
    page = licensed_page
    choose_files(page, "match", companies)
    page.check("#option-on input[value='company']")
    page.check("#option-on input[value='city']")
    # The pairing a by-position match made: company against city, city against company.
    page.select_option("#pair-0", "city")
    page.select_option("#pair-1", "company")
    wrong = estimate_text(page)
    assert share(wrong) <= 2, wrong
    assert "check that each column is paired" in page.locator("#match-estimate").inner_text()

    page.select_option("#pair-0", "company")
    # The old number goes at once: nothing is shown for a pairing it was not made for.
    assert page.locator("#match-estimate-count").count() == 0
    page.select_option("#pair-1", "city")
    # No threshold: the run writes its certain matches by the model it learns, and so counts the estimate.
    certain = estimate_text(page)
    assert certain.startswith("About ") and "of 3,000 rows of the first table" in certain, certain
    assert "find a certain match" in certain and "similarity" not in certain, certain
    assert "estimated from 1,000 rows" in certain

    page.fill("#option-threshold", "54")
    fixed = estimate_text(page)
    assert "find a match at similarity 54" in fixed, fixed
    assert 70 <= share(fixed) <= 90, fixed
    assert "estimated from 1,000 rows" in fixed
    low, high = numbers(fixed.split("between")[1])
    assert "check that each column" not in page.locator("#match-estimate").inner_text()
    assert page.locator(".estimate-examples li").count() == 3
    screenshot(page, "desktop-match-estimate", at="#match-estimate")

    page.fill("#option-threshold", "99")
    strict = estimate_text(page)
    assert share(strict) < share(fixed) - 20, strict

    page.fill("#option-threshold", "54")
    assert estimate_text(page) == fixed      # the same sample, the same answer
    run_and_wait(page)
    assert low <= int(summary(page)["Rows matched"].replace(",", "")) <= high


def test_the_estimate_speaks_the_windows_language_with_its_plurals(licensed_page, tmp_path):
    page = licensed_page
    page.select_option("#language", "de")
    page.wait_for_selector("html[lang=de]")
    one = tmp_path / "one.csv"
    one.write_text("company,city\nLili Textiles Ltd,Köln\n", encoding="utf-8")
    two = tmp_path / "two.csv"
    two.write_text("company,city\nLili Textiles Ltd,Köln\nSaka Foods GmbH,Basel\n", encoding="utf-8")
    choose_files(page, "match", [one, two])
    page.check("#option-on input[value='company']")
    # No threshold: the run writes only certain matches, and the estimate says so (DECISIONS 247).
    assert estimate_text(page) == ("1 von 1 Zeile der ersten Tabelle (100\u00a0%) findet eine sichere "
                                   "Entsprechung; mögliche Entsprechungen warten auf Ihre Prüfung. "
                                   "Jede Zeile wurde geprüft.")
    page.fill("#path-0", str(two))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#input-0 .preview caption:has-text('two.csv')")
    # Another first file: its options start afresh, and so does the estimate.
    assert page.locator("#match-estimate-count").count() == 0
    page.check("#option-on input[value='company']")
    assert estimate_text(page) == ("2 von 2 Zeilen der ersten Tabelle (100\u00a0%) finden eine sichere "
                                   "Entsprechung; mögliche Entsprechungen warten auf Ihre Prüfung. "
                                   "Jede Zeile wurde geprüft.")


def test_a_running_estimate_can_be_cancelled(licensed_page, tmp_path):
    page = licensed_page
    choose_files(page, "match", company_tables(20_000, 0.8, seed=3).write(tmp_path))
    page.check("#option-on input[value='company']")
    page.wait_for_selector("#match-estimate .progress-row button", timeout=WAIT)
    page.click("#match-estimate .progress-row button")
    page.wait_for_selector("#match-estimate >> text=The estimate was stopped.", timeout=WAIT)
    page.click("#match-estimate >> text=Estimate again")
    assert estimate_text(page).startswith("About ")


def test_the_estimate_route_answers_what_the_match_job_then_counts(client, keys, tmp_path):
    left, right = company_tables(300, 0.6).write(tmp_path)
    request = {"inputs": [{"path": str(left)}, {"path": str(right)}],
               "options": {"on": ["company", "city"], "threshold": 60}}
    client.call("POST", "/api/license", {"blob": keys.mint(tier="basic")})
    status, _, refused = client.call("POST", "/api/match/estimate", request)
    assert (status, refused["error"]["code"]) == (403, "not_in_tier")    # matching is in the pro tier
    client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    status, _, job = client.call("POST", "/api/match/estimate", request)
    assert status == 202
    estimate = client.wait_for(job["id"], kind="preview")["result"]["estimate"]
    run = client.run_tool("match", [left, right], request["options"])
    assert estimate["exact"] and estimate["estimate"] == run["result"]["summary"]["matched"]
    status, _, wrong = client.call("POST", "/api/match/estimate", {
        **request, "options": {**request["options"], "right_on": ["company", "town"]}})
    assert (status, wrong["error"]["code"]) == (400, "column_not_in_file")
    assert wrong["error"]["params"] == {"columns": "town", "file": right.name}


def test_starting_the_match_stops_an_estimate_still_under_way(licensed_page, companies):
    page = licensed_page
    choose_files(page, "match", companies)
    page.check("#option-on input[value='company']")
    run_and_wait(page)              # at once: the estimate had not answered yet
    assert page.locator("#match-estimate").inner_text().startswith("The estimate was stopped.")
    assert summary(page)["Rows to match"] == "3,000"
