"""Files the way a buyer has them, in real Chromium: a German semicolon export saved back the way
it came, a workbook's data sheet chosen, a real .xlsx by choice, an uploaded file's result kept
outside the temporary folder, and errors in German for a German window."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from conftest import REPO, TODAY, Client
from datatools.app.settings import BUILTIN_KEYRING, AppSettings
from test_desktop_tool_ui import choose_files, run_and_wait

GERMAN = json.loads((REPO / "datatools" / "i18n" / "de.json").read_text(encoding="utf-8"))


@pytest.fixture
def settings(tmp_path, keys) -> AppSettings:
    """As conftest's, with the user's Downloads folder in the test's own folder."""
    (tmp_path / "Downloads").mkdir()
    return AppSettings(home=tmp_path / "home", keyrings=(BUILTIN_KEYRING, keys.keyring),
                       os_language="en", today=lambda: TODAY, save_folder=tmp_path / "Downloads")


@pytest.fixture
def licensed_page(page, desktop, keys):
    Client(desktop.base_url, desktop.app.token).call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    page.reload()
    page.wait_for_selector("body[data-ready]")
    return page


def save(page):
    page.click("#save")
    page.wait_for_selector("#save-message:not([hidden]), #save-error:not([hidden])", timeout=60_000)
    assert page.locator("#save-error").is_hidden(), page.locator("#save-error").inner_text()
    return page.input_value("#save-path")


@pytest.mark.parametrize("export, encoding, bom, newline", [
    ("german_export", "cp1252", b"", b"\r\n"), ("bom_export", "utf-8", b"\xef\xbb\xbf", b"\n")])
def test_a_semicolon_export_is_saved_back_with_its_separator_encoding_and_bom(
        licensed_page, buyer_files, tmp_path, screenshot, export, encoding, bom, newline):
    page = licensed_page
    source = getattr(buyer_files, export)
    choose_files(page, "clean", [source])
    run_and_wait(page)
    # The file type names the habits it copies; the file goes beside the input by default.
    assert page.locator("#save-format option[value=csv]").inner_text() == (
        f"CSV like the input (Semicolon ; · {encoding}{' + BOM' if bom else ''})")
    assert page.input_value("#save-path") == str(source.with_name(source.stem + "-clean.csv"))
    target = tmp_path / f"{export}-clean.csv"
    page.fill("#save-path", str(target))
    save(page)
    if export == "german_export":
        at_200_percent(page, screenshot, "desktop-save-zoom200", "#save-format-row")
    data = target.read_bytes()
    assert data.startswith(bom + "Kundennr;Name;Straße;Ort;Umsatz".encode(encoding) + newline)
    assert data[len(bom):].decode(encoding).count(newline.decode()) == 2_001
    rows = list(csv.reader(io.StringIO(data[len(bom):].decode(encoding), newline=""), delimiter=";"))
    assert rows[1][3] == "Köln" and rows[1][4].count(",") == 1


def test_a_workbook_offers_its_sheets_and_saves_a_real_xlsx_by_choice(licensed_page, buyer_files, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "clean", [buyer_files.workbook])
    assert page.locator("#sheet-0 option").all_inner_texts() == ["Deckblatt", "Kunden"]
    page.select_option("#sheet-0", "Kunden")
    page.wait_for_selector("#input-0 th:text('Kundennr')")
    screenshot(page, "desktop-sheet-picker", at="#input-0")
    run_and_wait(page)
    # A spreadsheet's result is offered as a spreadsheet.
    assert page.input_value("#save-format") == "xlsx"
    page.fill("#save-path", str(tmp_path / "kunden-clean"))
    page.select_option("#save-format", "csv")
    page.select_option("#save-format", "xlsx")
    saved = save(page)
    assert saved == str(tmp_path / "kunden-clean.xlsx")
    sheet = CalamineWorkbook.from_path(saved).get_sheet_by_name("Kunden").to_python()
    assert sheet[0] == ["Kundennr", "Name", "Straße", "Ort", "Umsatz"] and len(sheet) == 501


def test_an_uploaded_files_result_is_offered_in_downloads_and_outlives_the_app(
        licensed_page, desktop, buyer_files, tmp_path):
    page = licensed_page
    page.click("#tool-clean")
    page.set_input_files("#upload-0", str(buyer_files.german_export))
    page.wait_for_selector("#input-0 .preview")
    page.wait_for_selector("#run-area:not([hidden])")
    run_and_wait(page)
    offered = page.input_value("#save-path")
    assert offered == str(tmp_path / "Downloads" / "kunden-export-clean.csv")
    save(page)
    desktop.stop()          # the work folder with the upload is gone now …
    assert not desktop.app.workdir.exists()
    assert (tmp_path / "Downloads" / "kunden-export-clean.csv").stat().st_size > 0   # … the result is not


def test_a_german_window_shows_its_errors_in_german(licensed_page, buyer_files, tmp_path):
    page = licensed_page
    page.select_option("#language", "de")
    page.wait_for_selector("html[lang=de]")
    page.click("#tool-clean")
    page.fill("#path-0", str(tmp_path / "fehlt.csv"))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#input-error-0:not([hidden])")
    assert page.locator("#input-error-0").inner_text() == GERMAN["error.file_not_found"]
    empty = tmp_path / "leer.csv"
    empty.write_bytes(b"")
    page.fill("#path-0", str(empty))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#input-error-0:has-text('leer.csv')")
    assert page.locator("#input-error-0").inner_text() == "leer.csv ist leer: Die Datei enthält keine Daten."
    page.fill("#path-0", str(buyer_files.german_export))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#run-area:not([hidden])")
    run_and_wait(page)
    page.fill("#save-path", str(tmp_path / "kein-ordner" / "x.csv"))
    page.click("#save")
    page.wait_for_selector("#save-error:not([hidden])")
    assert page.locator("#save-error").inner_text() == GERMAN["error.no_folder"]
    page.fill("#save-path", str(buyer_files.german_export))
    page.click("#save")
    page.wait_for_selector(f"#save-error:text('{GERMAN['error.would_overwrite_input'][:20]}')")
    assert page.locator("#save-error").inner_text() == GERMAN["error.would_overwrite_input"]
    page.click("#tool-back")
    page.click("#tool-match")
    for index, path in enumerate([buyer_files.products_old, buyer_files.products_new]):
        page.fill(f"#path-{index}", str(path))
        page.press(f"#path-{index}", "Enter")
        page.wait_for_selector(f"#input-{index} .preview")
    page.check("#option-on input[value='sku']")
    page.fill("#option-top", "3")
    page.check("#option-unique")
    page.click("#run")
    page.wait_for_selector("#run-error:not([hidden])")
    assert page.locator("#run-error").inner_text() == GERMAN["error.unique_with_top"]


def small_product_lists(folder: Path, rows: int = 40) -> list[Path]:
    """Last year's and this year's product list, `colour` renamed `color`: the pairing's shape
    without the minutes a 5,000 × 5,000 fuzzy match takes on a busy machine."""
    colours = ["red", "blue", "oak"]
    old = ["sku,product,price,colour"] + [f"P{i:05d},Chair model {i},{10 + i}.00,{colours[i % 3]}"
                                          for i in range(rows)]
    new = ["sku,product,price,color"] + [f"P{i:05d},Chair model {i},{11 + i}.00,{colours[i % 3]}"
                                         for i in range(rows)]
    paths = [folder / "products-2025.csv", folder / "products-2026.csv"]
    for path, lines in zip(paths, (old, new)):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def test_match_pairs_columns_by_name_not_position_and_asks_for_a_renamed_one(licensed_page, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "match", small_product_lists(tmp_path))
    page.check("#option-on input[value='colour']")
    page.check("#option-on input[value='product']")
    # Pairs follow the first table's column order, each with the same-named column or a question.
    assert [page.locator(f"label[for=pair-{i}]").inner_text() for i in range(2)] == ["product", "colour"]
    assert page.input_value("#pair-0") == "product"
    assert page.input_value("#pair-1") == ""
    page.click("#run")
    page.wait_for_selector("#run-error:not([hidden])")
    assert page.locator("#run-error").inner_text() == "Choose the column of the second table to compare with “colour”."
    assert page.evaluate("document.activeElement.id") == "pair-1"
    page.select_option("#pair-1", "color")
    screenshot(page, "desktop-match-pairing", at="#options")
    run_and_wait(page)
    found = dict(zip(page.locator("#result-summary dt").all_inner_texts(),
                     page.locator("#result-summary dd").all_inner_texts()))
    assert (found["Rows to match"], found["Rows matched"]) == ("40", "40")


def test_matches_can_be_sorted_filtered_and_taken_back_one_by_one_or_all_shown(
        licensed_page, buyer_files, tmp_path, screenshot):
    page = licensed_page
    choose_files(page, "match", [buyer_files.products_old, buyer_files.products_new])
    page.check("#option-on input[value='sku']")
    run_and_wait(page)
    page.wait_for_selector("#matches-list tbody tr")
    assert page.locator("#matches-page").inner_text() == "Page 1 of 250 (5,000 rows)"
    page.check("#match-0")       # file order ties: the first row is row 1
    page.wait_for_selector("#matches-counts:has-text('1 match is taken back')")
    page.fill("#matches-text", "oak")
    page.click("#matches-apply")
    page.wait_for_selector("#matches-bulk:has-text('rows shown by these choices')")
    # Every match is certain: no Accept button, and nothing in its place.
    assert page.locator("#matches-bulk-accept").count() == 0
    assert page.locator("#matches-bulk").inner_text().split()[-3:] == ["Mark", "as", "right"]
    oak = int(page.locator("#matches-page").inner_text().split("(")[1].split()[0].replace(",", ""))
    page.click("#matches-bulk-reject")
    page.wait_for_selector(f"#matches-counts:has-text('{formatted(5_000 - oak - 1)} rows keep their match')")
    screenshot(page, "desktop-match-review", at="#matches")
    at_200_percent(page, screenshot, "desktop-match-review-zoom200", "#matches")
    target = tmp_path / "matched.csv"
    page.fill("#save-path", str(target))
    save(page)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    taken = {row["sku"] for row in rows if row["right_sku"] == ""}
    assert taken == {row["sku"] for row in rows if row["colour"] == "oak"} | {"P00000"}
    assert all(row["match_score"] == "" for row in rows if row["sku"] in taken)


def at_200_percent(page, screenshot, name: str, at: str) -> None:
    """The 1280×800 window at 200 % zoom lays out as 640×400: no sideways scrolling, a picture."""
    page.set_viewport_size({"width": 640, "height": 400})
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, name, at=at)
    page.set_viewport_size({"width": 1280, "height": 800})


def formatted(number: int) -> str:
    return f"{number:,}"


def test_a_profile_saved_as_a_workbook_is_a_real_xlsx_with_a_row_per_column(licensed_page, buyer_files, tmp_path):
    page = licensed_page
    choose_files(page, "profile", [buyer_files.german_export])
    run_and_wait(page)
    assert page.locator("#save-format option").all_inner_texts() == [
        "Profile (.json)", "Excel workbook (.xlsx)", "Report to view and print (.html)"]
    assert page.input_value("#save-path").endswith("kunden-export-profile.json")
    page.fill("#save-path", str(tmp_path / "profile.json"))
    page.select_option("#save-format", "xlsx")
    saved = save(page)
    assert saved == str(tmp_path / "profile.xlsx")
    sheet = CalamineWorkbook.from_path(saved).get_sheet_by_name("Sheet1").to_python()
    assert [row[0] for row in sheet] == ["column", "Kundennr", "Name", "Straße", "Ort", "Umsatz"]
    assert sheet[3][2] == 2000         # Straße: filled in every one of the 2,000 rows (a number Excel can sum)


def test_a_saved_file_opens_in_the_systems_program_and_nothing_else_does(licensed_page, desktop, buyer_files,
                                                                          tmp_path, monkeypatch):
    # The system's opener is the boundary: a stand-in xdg-open on PATH records what it is given.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "opened.txt"
    (bin_dir / "xdg-open").write_text(f'#!/bin/sh\necho "$1" >> {log}\n')
    (bin_dir / "xdg-open").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{__import__('os').environ['PATH']}")
    page = licensed_page
    choose_files(page, "clean", [buyer_files.german_export])
    run_and_wait(page)
    target = tmp_path / "kunden-clean.csv"
    page.fill("#save-path", str(target))
    save(page)
    page.click("#open-saved")
    page.click("#show-saved")
    deadline = __import__("time").monotonic() + 10
    while (not log.exists() or len(log.read_text().splitlines()) < 2) and __import__("time").monotonic() < deadline:
        __import__("time").sleep(0.05)
    assert log.read_text().splitlines() == [str(target), str(tmp_path)]
    status, _, body = Client(desktop.base_url, desktop.app.token).call(
        "POST", "/api/reveal", {"path": str(buyer_files.german_export)})
    assert (status, body["error"]["code"]) == (404, "not_saved_here")
