"""Compare in real Chromium on two 30,000-row product tables: the schema changes first, every
changed row reachable page by page, each changed cell shown old → new, German all through.

One server and one licensed tab serve the module; the tests run in file order.
"""

from __future__ import annotations

import csv
import json

import pytest

from conftest import REPO, TODAY, Client, open_app
from datatools.app.server import start_server
from datatools.app.settings import BUILTIN_KEYRING, AppSettings
from product_versions import make_product_versions

pytestmark = pytest.mark.filterwarnings("error")

GERMAN = json.loads((REPO / "datatools" / "i18n" / "de.json").read_text("utf-8"))
PER_PAGE = 25


@pytest.fixture(scope="module")
def products(tmp_path_factory):
    return make_product_versions(tmp_path_factory.mktemp("products"))


@pytest.fixture(scope="module")
def app(chromium, keys, tmp_path_factory):
    """A licensed tab on a fresh server (the trial would read only 1,000 rows of each file)."""
    settings = AppSettings(home=tmp_path_factory.mktemp("home"), keyrings=(BUILTIN_KEYRING, keys.keyring),
                           os_language="en", today=lambda: TODAY)
    running = start_server(settings)
    Client(running.base_url, running.app.token).call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    context, tab = open_app(chromium, running.url)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    running.stop()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def compare(tab, old, new, key: str | None = None) -> None:
    """From the tool list: both files, optionally a key, Start; waits for the first page of rows."""
    tab.click("#tool-compare")
    for index, path in enumerate([old, new]):
        tab.fill(f"#path-{index}", str(path))
        tab.press(f"#path-{index}", "Enter")
        tab.wait_for_selector(f"#input-{index} .preview")
    if key:
        tab.select_option("#option-key", key)
    tab.click("#run")
    tab.wait_for_selector("#compare-list table, #compare-list p, #run-error:not([hidden])", timeout=120_000)


def back_to_tools(tab) -> None:
    """Start over (the tool forgets its files and result), then back to the list of tools."""
    tab.click("#start-over")
    tab.click("#tool-back")
    tab.wait_for_selector("#screen-home:not([hidden])")


def show(tab, value: str, column: str = "") -> None:
    tab.select_option("#compare-show", value)
    if column:
        tab.select_option("#compare-column", column)
    tab.wait_for_selector("#compare-list:not([aria-busy])")


def rows_on_page(tab) -> list[list[str]]:
    """Each row's cells as text; the status cell as its status word (it also lists the row's
    changes, old → new, which the pinned column shows without scrolling)."""
    return [row.evaluate("""tr => [...tr.cells].map((td, i) => i === 0
                ? td.querySelector('.status-word').textContent : td.innerText)""")
            for row in tab.locator("#compare-list tbody tr").all()]


def page_label(tab) -> str:
    return tab.locator("#compare-page").inner_text()


def test_the_schema_changes_come_first_with_the_rename_and_its_reason(app, products, screenshot):
    tab = app
    compare(tab, products.old, products.new)
    # Focus lands on the result, not at the top of the window.
    assert tab.evaluate("document.activeElement.closest('#result-area') !== null")
    assert tab.locator("#compare-schema li").all_inner_texts() == [
        "Column colour is now color (renamed: 100% of paired rows hold the same value)."]
    # Schema first, then the counts: nothing above the schema block but the result's heading.
    order = tab.evaluate("""() => [...document.querySelectorAll('#result-area h3, #result-area dl')]
        .filter((e) => e.offsetParent !== null).map((e) => e.id || e.textContent)""")
    assert order[:3] == ["compare-schema-title", "compare-rows-title", "compare-counts"]
    counts = dict(zip(tab.locator("#compare-counts dt").all_inner_texts(),
                      tab.locator("#compare-counts dd").all_inner_texts()))
    assert counts == {"Rows added": "400", "Rows removed": f"{len(products.removed)}",
                      "Rows changed": f"{len(products.changed)}",
                      "Rows unchanged": f"{30_000 - len(products.removed) - len(products.changed):,}"}
    assert tab.locator("#compare-rows-title ~ p.notice").all_inner_texts() == [
        "Rows paired by the column sku (chosen by DataTools)."]
    # The renamed column's header says what it was called.
    assert tab.locator("table.diff thead th").nth(6).inner_text().split("\n") == ["color", "renamed, was colour"]
    screenshot(tab, "desktop-compare", at="#compare")
    # 200 % zoom of the 1280×800 window lays out as a 640×400 one: only the table scrolls sideways.
    tab.set_viewport_size({"width": 640, "height": 400})
    assert tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(tab, "desktop-compare-zoom200", at="#compare-list")
    tab.set_viewport_size({"width": 1280, "height": 800})


def test_changed_rows_only_pages_through_exactly_the_changed_rows(app, products):
    tab = app
    show(tab, "changed")
    total = len(products.changed)
    pages = -(-total // PER_PAGE)
    assert page_label(tab) == f"Page 1 of {pages} ({total} rows)"
    seen = []
    for page in range(1, pages + 1):
        if page > 1:
            tab.click("#compare-next")
            tab.wait_for_selector(f"#compare-page:text('Page {page} of {pages}')")
            # Focus follows the new page.
            assert tab.evaluate("document.activeElement.closest('#compare-list') !== null")
        rows = rows_on_page(tab)
        assert {row[0] for row in rows} == {"Changed"}
        seen += [row[3] for row in rows]      # status, old row, new row, sku, …
    assert tab.locator("#compare-next").is_disabled()
    assert len(seen) == total and set(seen) == set(products.changed)
    # "Added, removed and changed" counts every row that differs; each status alone is exact.
    show(tab, "added")
    assert page_label(tab).endswith(f"({len(products.added)} rows)")
    assert {row[3] for row in rows_on_page(tab)} <= products.added
    show(tab, "removed")
    assert page_label(tab).endswith(f"({len(products.removed)} rows)")
    show(tab, "changed", "stock")
    stock = {sku for sku, cells in products.changed.items() if "stock" in cells}
    assert page_label(tab).endswith(f"({len(stock)} rows)")
    assert {row[3] for row in rows_on_page(tab)} <= stock


def test_a_changed_cell_shows_old_and_new_not_by_colour_alone(app, products):
    tab = app
    show(tab, "changed", "price")
    first = tab.locator("#compare-list tbody tr").first
    sku = first.locator("td").nth(3).inner_text()
    old, new = products.changed[sku]["price"]
    cell = first.locator("td.cell-changed").first
    assert (cell.locator("del").inner_text(), cell.locator("ins").inner_text()) == (old, new)
    assert "→" in cell.inner_text()
    # Screen readers hear the change in words; the struck-out and inserted text is seen.
    assert cell.locator(".visually-hidden").inner_text() == f"price changed from {old} to {new}"
    assert tab.evaluate("(td) => getComputedStyle(td.querySelector('del')).textDecorationLine",
                        cell.element_handle()) == "line-through"
    # Only the cells that changed are marked: the other cells of the row are plain.
    marked = first.locator("td.cell-changed").count()
    assert marked == len(products.changed[sku])
    back_to_tools(tab)


def test_in_german_no_english_note_or_status_word_appears(app, products, tmp_path):
    tab = app
    tab.select_option("#language", "de")
    tab.wait_for_selector("html[lang=de]")
    compare(tab, products.old, products.new)
    box = tab.locator("#compare")
    text = box.inner_text()
    assert tab.locator("#compare-schema li").all_inner_texts() == [
        "Die Spalte colour heißt jetzt color (umbenannt: in 100 % der zugeordneten Zeilen steht derselbe Wert)."]
    for english in ("Column colour", "Rows paired", "renamed", "inferred", "Rows added", "Changed rows"):
        assert english not in text
    show(tab, "all")
    statuses = {row[0] for row in rows_on_page(tab)}
    tab.click("#compare-last")
    tab.wait_for_selector("#compare-last[disabled]")
    statuses |= {row[0] for row in rows_on_page(tab)}
    assert statuses == {"Unverändert", "Geändert", "Entfernt"}
    assert page_label(tab).startswith("Seite ")
    show(tab, "added")
    assert {row[0] for row in rows_on_page(tab)} == {"Hinzugekommen"}
    assert tab.locator("#compare-list td.cell-changed").count() == 0
    show(tab, "changed")
    cell = tab.locator("#compare-list td.cell-changed .visually-hidden").first.inner_text()
    assert " geändert von " in cell
    # The saved diff keeps the engine's status words, whatever the window's language.
    target = tmp_path / "aenderungen.csv"
    tab.fill("#save-path", str(target))
    tab.click("#save")
    tab.wait_for_selector("#save-message:not([hidden]), #save-error:not([hidden])")
    with target.open(encoding="utf-8", newline="") as handle:
        saved = list(csv.DictReader(handle))
    assert {row["status"] for row in saved} == {"added", "removed", "changed", "unchanged"}
    assert sum(row["status"] == "changed" for row in saved) == len(products.changed)
    back_to_tools(tab)
    # The key chosen from several candidates, and a running row number, in German too.
    old, new = tmp_path / "alt.csv", tmp_path / "neu.csv"
    old.write_text("No,sku,stock\n1,A,5\n2,B,7\n", "utf-8")
    new.write_text("No,sku,stock\n1,X,1\n2,A,5\n3,B,8\n", "utf-8")
    compare(tab, old, new)
    assert tab.locator("#compare-rows-title ~ p.notice").all_inner_texts() == [
        "Zeilen über die Spalte sku einander zugeordnet (von DataTools gewählt: 1 andere Zellen gleich; "
        "ebenfalls geprüft: No, eine laufende Zeilennummer).",
        "No ist eine laufende Zeilennummer: in 2 zugeordneten Zeilen neu nummeriert, nicht als Änderung gezählt."]
    back_to_tools(tab)


def test_a_key_that_repeats_says_which_value_in_which_file_and_how_often(app, tmp_path):
    tab = app
    old, new = tmp_path / "preise-alt.csv", tmp_path / "preise-neu.csv"
    old.write_text("sku,city\n1,Ulm\n2,Bonn\n3,Köln\n", "utf-8")
    # Bonn twice, Köln three times: 5 rows repeat a value, Bonn appears twice.
    new.write_text("sku,city\n1,Ulm\n2,Bonn\n3,Köln\n4,Bonn\n5,Köln\n6,Köln\n", "utf-8")
    compare(tab, old, new, key="city")
    assert tab.locator("#run-error").inner_text() == (
        "Die Spalte city kann die Zeilen nicht zuordnen: In preise-neu.csv kommt „Bonn“ 2-mal vor. "
        "Wählen Sie eine andere Spalte, die eine Zeile kennzeichnet.")
    tab.select_option("#language", "en")
    tab.wait_for_selector("html[lang=en]")
    tab.click("#run")
    tab.wait_for_selector("#run-error:text('appears')")
    assert tab.locator("#run-error").inner_text() == (
        "The column city cannot pair the rows: in preise-neu.csv, “Bonn” appears 2 times. "
        "Choose another key column.")
