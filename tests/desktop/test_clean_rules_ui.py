"""Clean's rules per column in real Chromium, on a 30,000-row customer list: the table shows what
each column holds and the rules it gets, a rule set for one column reaches the saved file, title
case leaves postcodes and ids alone, and the rules do not carry over to the next file."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_desktop_files_ui import at_200_percent
from test_desktop_tool_ui import choose_files, licensed_page, run_and_wait, save_as  # noqa: F401 (a fixture)

ROWS = 30_000
FIRST = ["Anna", "Sean", "Jan", "Siobhan", "Hamish", "Jürgen", "Mary"]
LAST = ["O'Neil", "McDonald", "van der Berg", "Smith-Jones", "Müller", "D'Angelo", "Schmidt"]
COMPANIES = ["Müller Bau GmbH", "Schneider Logistik AG", "Becker Druck GmbH & Co. KG",
             "Meyer Holz KG", "Fischer Stahl GmbH"]
CITIES = ["Leeds", "Edinburgh", "London", "Glasgow", "Dublin"]
POSTCODES = ["LS2 9HQ", "EH1 1YZ", "SW1A 1AA", "G2 3AX", "D02 X285", "ls1 4ap"]


def shouted_or_small(rng: random.Random, proper: str) -> str:
    """How a person typed it: as it should be, all small or all capitals."""
    return rng.choice([proper, proper.lower(), proper.upper()])


@pytest.fixture(scope="module")
def customers(tmp_path_factory) -> tuple[Path, list[dict[str, str]], list[dict[str, str]]]:
    """The file, its rows as written, and each row as it should read after title case."""
    rng = random.Random(19)
    written, proper = [], []
    for number in range(1, ROWS + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        company, city = rng.choice(COMPANIES), rng.choice(CITIES)
        row = {"customer_id": f"C-{number:05d}", "name": shouted_or_small(rng, name),
               "company": shouted_or_small(rng, company), "city": shouted_or_small(rng, city),
               "postcode": rng.choice(POSTCODES), "email": f"{name.split()[0].lower()}@example.com"}
        written.append(row)
        proper.append({**row, "name": name, "company": company, "city": city.upper()})
    path = tmp_path_factory.mktemp("clean-rules") / "customers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(written[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(written)
    return path, written, proper


def rule(page, column: str, name: str):
    return page.locator(f"#option-rules tr[data-column='{column}'] select[data-rule={name}]")


def wait_for_plan(page):
    """Until the server's answer for the form as it is now is shown (the status says so)."""
    expect(page.locator("#rules-status")).to_have_text(re.compile(r"^What each column"), timeout=30_000)


def test_a_rule_for_one_column_reaches_the_saved_file_and_title_case_spares_codes(
        licensed_page, customers, tmp_path, screenshot):
    page = licensed_page
    path, written, proper = customers
    choose_files(page, "clean", [path])
    wait_for_plan(page)
    holds = dict(zip(page.locator("#option-rules tbody th span:first-child").all_inner_texts(),
                     page.locator("#option-rules td.kind span:first-child").all_inner_texts()))
    assert holds == {"customer_id": "codes", "name": "text", "company": "text", "city": "text",
                     "postcode": "codes", "email": "email addresses"}
    page.select_option("#option-case", "title")
    expect(rule(page, "name", "case")).to_have_value("title", timeout=30_000)
    wait_for_plan(page)
    # The file-wide Title Case reaches the words, not the codes, and the table says so.
    assert rule(page, "postcode", "case").input_value() == ""
    assert rule(page, "customer_id", "case").input_value() == ""
    assert rule(page, "email", "case").input_value() == ""
    # Said where holding back kept cells from changing: title case would have changed e-mails.
    assert page.locator(".rules-notes").inner_text().startswith("Capitalisation left as it is in email: ")
    rule(page, "city", "case").select_option("upper")
    wait_for_plan(page)
    assert page.locator("#option-rules tr[data-column='city'] .own-mark").is_visible()
    city_sample = page.locator("#option-rules tr[data-column='city'] td.sample").inner_text()
    assert city_sample.startswith("Capitalisation: ") and city_sample.split(" → ")[1] == city_sample.split(" → ")[1].upper()
    screenshot(page, "desktop-clean-rules", at="#option-rules")
    at_200_percent(page, screenshot, "desktop-clean-rules-zoom200", "#option-rules")
    run_and_wait(page)
    # Exact counts: the names that were not written as they should be, no more.
    names_changed = sum(w["name"] != p["name"] for w, p in zip(written, proper))
    rows = [r.split("\t") for r in page.locator(".changes tbody tr").all_inner_texts()]
    assert ["name", "text", "Capitalisation", f"{names_changed:,}"] in [r[:4] for r in rows]
    assert not [r for r in rows if r[0] in ("postcode", "customer_id", "email")]
    screenshot(page, "desktop-clean-rules-result", at=".changes")
    target = tmp_path / "customers-clean.csv"
    save_as(page, target)
    with target.open(encoding="utf-8", newline="") as handle:
        saved = list(csv.DictReader(handle))
    assert [row for row, want in zip(saved, proper) if row != want][:3] == []
    assert saved == proper


def test_rules_and_options_start_afresh_for_the_next_file(licensed_page, customers, tmp_path):
    page = licensed_page
    path, _, _ = customers
    choose_files(page, "clean", [path])
    wait_for_plan(page)
    page.select_option("#option-case", "title")
    rule(page, "city", "case").select_option("upper")
    other = tmp_path / "suppliers.csv"
    other.write_text("supplier,city\nACME LTD,leeds\n", encoding="utf-8")
    page.fill("#path-0", str(other))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#option-rules tr[data-column='supplier']")
    wait_for_plan(page)
    assert page.input_value("#option-case") == ""
    assert rule(page, "city", "case").input_value() == ""
    assert page.locator("#option-rules select[data-own]").count() == 0


def test_a_file_with_nothing_to_clean_says_so_once(licensed_page, tmp_path):
    page = licensed_page
    tidy = tmp_path / "tidy.csv"
    tidy.write_text("supplier,city\nAcme Ltd,Leeds\nBrown & Sons,York\n", encoding="utf-8")
    choose_files(page, "clean", [tidy])
    wait_for_plan(page)
    run_and_wait(page)
    expect(page.locator("#result-area")).to_contain_text("Nothing needed cleaning.")
    assert page.locator("#result-area").inner_text().count("Nothing needed cleaning.") == 1
