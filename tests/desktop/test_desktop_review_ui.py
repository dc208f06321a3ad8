"""The duplicate review on a 50,000-row customer list in real Chromium: every group reachable,
decisions on a filtered set saved exactly, one valid file from a double click on Save.

One server and one finished dedupe job serve the module (the run takes a few seconds); the
tests run in file order on that one review.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from conftest import TODAY, open_app
from datatools.app.server import start_server
from datatools.app.settings import BUILTIN_KEYRING, AppSettings

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def review(chromium, keys, buyer_files, tmp_path_factory):
    """A tab showing the finished review of the 50k list (columns name + email, similarity 75)."""
    settings = AppSettings(home=tmp_path_factory.mktemp("home"), keyrings=(BUILTIN_KEYRING, keys.keyring),
                           os_language="en", today=lambda: TODAY)
    running = start_server(settings)
    context, tab = open_app(chromium, running.url)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.evaluate("""async (blob) => { await fetch('/api/license', {method: 'POST',
        headers: {'X-DataTools-Token': sessionStorage.getItem('datatools-token'),
                  'Content-Type': 'application/json'}, body: JSON.stringify({blob})}); }""",
                 keys.mint(tier="pro"))
    tab.reload()
    tab.wait_for_selector("body[data-ready]")
    tab.click("#tool-dedupe")
    tab.fill("#path-0", str(buyer_files.customers))
    tab.press("#path-0", "Enter")
    tab.wait_for_selector("#input-0 .preview")
    tab.check("#option-columns input[value='name']")
    tab.check("#option-columns input[value='email']")
    tab.fill("#option-threshold", "75")
    tab.click("#run")
    tab.wait_for_selector("#review-groups .group", timeout=120_000)
    yield tab, running
    context.close()
    running.stop()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def counts(tab) -> str:
    return tab.locator("#review-counts").inner_text()


def test_every_group_is_listed_and_the_last_page_reaches_the_last_group(review, screenshot):
    tab, _ = review
    # 600 groups, 10 a page: all of them, not the first 100.
    assert tab.locator("#review-page").inner_text() == "Page 1 of 60 (600 groups)"
    assert counts(tab) == ("When you save: 600 groups become one row each (600 rows removed), "
                           "0 groups are kept apart; the file will have 49,400 rows.")
    # The most complete row is the one kept: the original with its phone, not the copy without.
    first = tab.locator("#review-groups .group").first
    kept = first.locator("tr.kept td").all_inner_texts()
    assert kept[5].startswith("+44 20 ")   # keep · row · similarity, why, id, name, email, phone
    screenshot(tab, "desktop-review", at="#review")
    # 200 % zoom of the 1280×800 window lays out as a 640×400 one: nothing scrolls sideways.
    tab.set_viewport_size({"width": 640, "height": 400})
    assert tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(tab, "desktop-review-zoom200", at="#review-groups")
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.click("#review-last")
    tab.wait_for_selector("#review-page:text('Page 60 of 60')")
    assert tab.locator("#review-groups .group").count() == 10
    assert tab.locator("#review-next").is_disabled()
    # Focus lands on the first group of the new page, not at the top of the window.
    assert tab.evaluate("document.activeElement.closest('.group') !== null")
    tab.select_option("#review-sort", "-score")
    tab.wait_for_selector("#review-page:text('Page 1 of 60')")
    scores = [int(text.rsplit(" ", 1)[1]) for text in tab.locator("#review-groups .group h4").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)


def test_a_decision_on_the_filtered_groups_changes_exactly_their_rows(review, buyer_files, tmp_path):
    tab, _ = review
    tab.fill("#review-text", "testville")
    tab.click("#review-apply")
    tab.wait_for_selector("#review-page:text('(150 groups)')")
    assert tab.locator("#review-bulk").inner_text().startswith("The 150 groups that match:")
    tab.click("#review-bulk-separate")
    tab.wait_for_selector("#review-counts:has-text('150 groups are kept apart')")
    assert counts(tab) == ("When you save: 450 groups become one row each (450 rows removed), "
                           "150 groups are kept apart; the file will have 49,550 rows.")
    # The counts come back with the decision; the page of groups is fetched after it.
    # (expect() polls from Python: the window's Content-Security-Policy forbids evaluated strings.)
    expect(tab.locator("#review-groups .group.apart")).to_have_count(10)
    target = tmp_path / "customers-clean.csv"
    tab.fill("#save-path", str(target))
    tab.click("#save")
    tab.wait_for_selector("#save-message:not([hidden])", timeout=60_000)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    saved = {int(row["id"]) for row in rows}
    gone = {copy for copy, original in buyer_files.duplicates.items()
            if copy not in buyer_files.testville}
    assert len(rows) == 49_550
    assert saved == set(range(1, 50_001)) - gone
    assert buyer_files.testville <= saved
    # The merge list beside the file names each merged group's kept and dropped row.
    merges = list(csv.DictReader(io.StringIO((tmp_path / "customers-clean.merges.csv").read_text(encoding="utf-8"))))
    assert len(merges) == 450
    assert {int(m["dropped_rows"]) for m in merges} == gone
    assert "customers-clean.merges.csv" in tab.locator("#save-message").inner_text()


def test_a_double_click_on_save_writes_one_valid_workbook(review, tmp_path, screenshot):
    tab, _ = review
    tab.select_option("#save-format", "xlsx")
    target = tmp_path / "customers-clean.xlsx"
    tab.fill("#save-path", str(tmp_path / "customers-clean"))
    tab.select_option("#save-format", "csv")
    tab.select_option("#save-format", "xlsx")
    assert tab.input_value("#save-path") == str(target)
    tab.dblclick("#save")
    # While it runs the button is off and the bar shows how far it is.
    tab.wait_for_selector("#save-message:not([hidden]), #save-error:not([hidden])", timeout=120_000)
    assert tab.locator("#save-error").is_hidden(), tab.locator("#save-error").inner_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers-clean.merges.csv", "customers-clean.xlsx"]
    sheet = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("Sheet1").to_python()
    assert sheet[0] == ["id", "name", "email", "phone", "city"]
    assert len(sheet) == 1 + 49_550
    screenshot(tab, "desktop-saved", at="#save-message")


def test_a_value_chosen_from_another_row_is_saved_in_that_groups_row_only(review, buyer_files, tmp_path,
                                                                         screenshot):
    tab, _ = review
    with buyer_files.customers.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header, people = table[0], {int(row[0]): row for row in table[1:]}
    copy, original = next((c, o) for c, o in sorted(buyer_files.duplicates.items())
                          if c not in buyer_files.testville)
    # The one group of this pair: its e-mail, in any case, is in no other group.
    tab.fill("#review-text", people[original][2])
    tab.click("#review-apply")
    tab.wait_for_selector("#review-page:text('(1 group)')")
    group = tab.locator("#review-groups .group")
    group_id = group.get_attribute("id").removeprefix("group-")
    survivor = group.locator("tr.survivor")

    def shown():     # the saved row's cells (the key column, pinned, first); a choice shows its option
        return survivor.evaluate("""row => [...row.querySelectorAll('td:not(.values-taken)')].map(td =>
            td.querySelector('select') ? td.querySelector('select').selectedOptions[0].textContent : td.textContent)""")

    # The kept row is the original (it has the phone); the saved row shows its values, and the
    # columns whose rows differ (all but the city) offer a choice starting at the kept row.
    assert shown() == [f"{value} (row {original:,})" for value in people[original][:4]] + [people[original][4]]
    # A click on the other row's name takes it (the mouse's shortcut); choosing the kept row
    # in the name's list takes it back, and nothing is counted.
    tab.get_by_title(f"Save this name (from row {copy:,}) in the group's row").click()
    tab.wait_for_selector("#review-counts:has-text('Values taken from other rows into the saved rows: 1.')")
    assert shown()[1] == f"{people[copy][1]} (row {copy:,})"
    tab.get_by_label("Which row's name to save", exact=True).select_option(str(original - 1))
    expect(tab.locator("#review-counts")).not_to_contain_text("Values taken")
    assert shown()[1] == f"{people[original][1]} (row {original:,})"
    # The e-mail column's choice is labelled for screen readers and lists each row's value.
    choice = tab.get_by_label("Which row's email to save", exact=True)
    assert choice.locator("option").all_inner_texts() == [
        f"{people[row][2]} (row {row:,})" for row in sorted((copy, original))]
    choice.select_option(str(copy - 1))
    tab.wait_for_selector("#review-counts:has-text('Values taken from other rows into the saved rows: 1.')")
    assert shown()[2] == f"{people[copy][2]} (row {copy:,})"
    assert survivor.locator("td.taken select").input_value() == str(copy - 1)
    assert survivor.locator("td.values-taken").inner_text() == "Values from other rows: 1"
    # Focus stays on the choice; reached by keyboard it shows the focus ring.
    assert tab.evaluate("document.activeElement.id") == f"value-{group_id}-2"
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")
    assert tab.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert counts(tab) == ("When you save: 450 groups become one row each (450 rows removed), "
                           "150 groups are kept apart; the file will have 49,550 rows. "
                           "Values taken from other rows into the saved rows: 1.")
    screenshot(tab, "desktop-review-values", at="#review-counts")
    tab.set_viewport_size({"width": 640, "height": 400})
    assert tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(tab, "desktop-review-values-zoom200", at=f"#survivor-{group_id}")
    tab.set_viewport_size({"width": 1280, "height": 800})

    target = tmp_path / "customers-chosen.csv"
    tab.select_option("#save-format", "csv")
    tab.fill("#save-path", str(target))
    tab.click("#save")
    tab.wait_for_selector("#save-message:not([hidden])", timeout=60_000)
    saved = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    gone = {c for c in buyer_files.duplicates if c not in buyer_files.testville}
    expected = [header] + [people[number] for number in range(1, 50_001) if number not in gone]
    expected[[row[0] for row in expected].index(str(original))] = [*people[original][:2], people[copy][2], *people[original][3:]]
    assert saved == expected
    merges = list(csv.DictReader(io.StringIO((tmp_path / "customers-chosen.merges.csv").read_text(encoding="utf-8"))))
    assert len(merges) == 450
    taken = {m["cluster_id"]: m["values_taken"] for m in merges if m["values_taken"]}
    assert taken == {group_id: f'email from row {copy}: "{people[original][2]}" → "{people[copy][2]}"'}
