"""The window's Header row, in real Chromium: a workbook with a title above its table previews
from the real header with the note naming the rows left out (in the window's language), the
field shows the row the names came from, a typed row reads the file again from there, and a row
the sheet lacks is refused under the file while the preview stays."""

from __future__ import annotations

import json

import test_desktop_tool_ui as tool_ui
from conftest import REPO
from test_desktop_tool_ui import choose_files, run_and_wait

licensed_page = tool_ui.licensed_page      # the fixture: a window with a pro license

GERMAN = json.loads((REPO / "datatools" / "i18n" / "de.json").read_text(encoding="utf-8"))
HEADER = ["Kundennr", "Firma", "Nachname", "Vorname", "PLZ", "Ort"]
ROWS = [["10001", "Müller Bau GmbH", "Müller", "Hans", "01067", "Dresden"],
        ["10002", "Schmidt & Söhne KG", "Schmidt", "Anna", "80331", "München"],
        ["10003", "Elektro Schneider", "Schneider", "Peter", "50667", "Köln"]]


def headings(page) -> list[str]:
    return page.locator("#input-0 .preview thead th").all_inner_texts()


def test_a_title_above_a_workbooks_table_is_left_out_and_the_header_row_can_be_typed(licensed_page, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for row in [["Kundenliste Stand 01.12.2026"], ["Exportiert von Lexware am 01.12.2026"], HEADER, *ROWS]:
        book.active.append(row)
    book.save(tmp_path / "kundenliste.xlsx")
    page = licensed_page
    page.select_option("#language", "de")
    page.wait_for_selector("html[lang=de]")
    choose_files(page, "profile", [tmp_path / "kundenliste.xlsx"])
    assert headings(page)[-6:] == HEADER
    assert page.input_value("#header-row-0") == "3"
    assert page.locator("#input-0 .notice").first.inner_text() == (
        "Zeilen 1–2 über der Kopfzeile (Zeile 3) wurden ausgelassen: ein Titel, kein Teil der "
        "Tabelle ('Kundenliste Stand 01.12.2026', 'Exportiert von Lexware am 01.12.2026'). Um sie "
        "mitzulesen, geben Sie neben der Vorschau eine andere Kopfzeile an.")
    # The user says the names are in row 1: the title is read as the header again.
    page.fill("#header-row-0", "1")
    page.press("#header-row-0", "Tab")
    page.wait_for_selector("#input-0 th:text('Kundenliste Stand 01.12.2026')")
    assert page.input_value("#header-row-0") == "1"
    # Emptied, the field lets the reader find the header again; the run reads the same rows.
    page.fill("#header-row-0", "")
    page.press("#header-row-0", "Tab")
    page.wait_for_selector("#input-0 th:text('Kundennr')")
    assert page.input_value("#header-row-0") == "3"
    # A row the sheet does not have: the preview stays, the field shows the row found again,
    # and the message under the file says why, in German.
    page.fill("#header-row-0", "99")
    page.press("#header-row-0", "Tab")
    page.wait_for_selector("#input-error-0:not([hidden])")
    assert page.locator("#input-error-0").inner_text() == GERMAN["error.header_row_past_end"].format(row=99, lines=6)
    assert headings(page)[-6:] == HEADER
    assert page.input_value("#header-row-0") == "3"
    run_and_wait(page)
    assert "Kundenliste" in page.locator("#result-extra .notice").first.inner_text()
