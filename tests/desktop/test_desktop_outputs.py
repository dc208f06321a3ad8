"""Outputs a spreadsheet user opens: a CSV saved like an input that began with Excel's `sep=;`
line begins with it too, and the profile saved as an HTML report, in the window's language.

The byte-level checks go through the desktop's save (the job API, and the window in real
Chromium); what was written is read back by our own reader and by the real command line.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO
from datatools.io import read_table
from test_desktop_files_ui import licensed_page, save  # noqa: F401  (a fixture)
from test_desktop_tool_ui import choose_files, run_and_wait

GERMAN = json.loads((REPO / "datatools" / "i18n" / "de.json").read_text(encoding="utf-8"))
ROWS = [["Kundennr", "Name", "Ort"], *[[f"{n:05d}", f"Kunde {n}", ["Köln", "München", "Zürich"][n % 3]]
                                       for n in range(1, 301)]]


def export(path, *, sep: bool, bom: bool = False, encoding: str = "cp1252", newline: str = "\r\n"):
    """A semicolon export as German Excel writes one: optionally `sep=;` first, a BOM, CRLF."""
    lines = (["sep=;"] if sep else []) + [";".join(row) for row in ROWS]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (newline.join(lines) + newline).encode(encoding))
    return path


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


def saved_by_desktop(client, source, target, **request):
    job = client.run_tool("clean", [source], {})
    assert job["state"] == "done", job
    status, _, body = client.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target), **request})
    assert status == 201, body
    return target.read_bytes()


@pytest.mark.parametrize("bom, encoding", [(False, "cp1252"), (True, "utf-8")], ids=["cp1252", "utf-8-bom"])
def test_an_input_with_a_sep_line_is_saved_with_it_and_reads_back_to_the_same_table(
        licensed, tmp_path, bom, encoding):
    source = export(tmp_path / "export.csv", sep=True, bom=bom, encoding=encoding)
    data = saved_by_desktop(licensed, source, tmp_path / "export-clean.csv")
    mark = b"\xef\xbb\xbf" if bom else b""
    assert data.startswith(mark + b"sep=;\r\nKundennr;Name;Ort\r\n00001;Kunde 1;")
    assert data.count(b"sep=") == 1
    # Our reader honours the line again and drops it: the same table as the input's.
    back, original = read_table(tmp_path / "export-clean.csv"), read_table(source)
    assert back.frame.equals(original.frame) and back.delimiter == ";"
    assert list(back.frame.columns) == ROWS[0] and len(back.frame) == 300
    # And so does the real command line, which names the line as not data.
    run = subprocess.run([sys.executable, "-m", "datatools", "profile", str(tmp_path / "export-clean.csv"),
                          "--json"], capture_output=True, text=True, timeout=300)
    report = json.loads(run.stdout)
    assert report["rows"] == 300 and [c["name"] for c in report["columns"]] == ROWS[0]
    assert any("sep=;" in warning for warning in report["warnings"])


def test_a_sep_line_follows_a_tab_choice_and_no_line_is_added_to_an_input_without_one(licensed, tmp_path):
    with_line = export(tmp_path / "with.csv", sep=True)
    data = saved_by_desktop(licensed, with_line, tmp_path / "with-clean.tsv")
    assert data.startswith(b"sep=\t\r\nKundennr\tName\tOrt\r\n")
    without = export(tmp_path / "without.csv", sep=False, newline="\n")
    data = saved_by_desktop(licensed, without, tmp_path / "without-clean.csv")
    assert data.startswith(b"Kundennr;Name;Ort\n") and b"sep=" not in data


def test_the_cli_and_the_desktop_write_the_same_html_report(licensed, tmp_path):
    source = export(tmp_path / "kunden.csv", sep=True)
    by_cli = tmp_path / "cli.html"
    run = subprocess.run([sys.executable, "-m", "datatools", "profile", str(source), "-o", str(by_cli), "-q"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    job = licensed.run_tool("profile", [source], {})
    assert job["result"]["formats"] == ["json", "xlsx", "html"]
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                    {"path": str(tmp_path / "desktop.json"), "format": "html"})
    assert status == 201 and body["path"] == str(tmp_path / "desktop.html"), body
    assert (tmp_path / "desktop.html").read_bytes() == by_cli.read_bytes()
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                    {"path": str(tmp_path / "german.html"), "language": "de"})
    html = (tmp_path / "german.html").read_text(encoding="utf-8")
    assert status == 201 and '<html lang="de">' in html
    assert GERMAN["profile_report.title"].replace("{file}", "kunden.csv") in html
    assert "cp1252" in html and GERMAN["delimiter.semicolon"] in html


# ------------------------------------------------------------------------- in real Chromium


def test_the_window_saves_a_sep_export_back_with_its_line_and_says_when_excel_needs_the_workbook(
        licensed_page, tmp_path):
    page = licensed_page
    choose_files(page, "clean", [export(tmp_path / "export.csv", sep=True)])
    run_and_wait(page)
    assert page.locator("#save-excel-hint").is_hidden()     # cp1252, as Excel wrote it: no warning
    page.fill("#save-path", str(tmp_path / "saved.csv"))
    save(page)
    assert (tmp_path / "saved.csv").read_bytes().startswith(b"sep=;\r\nKundennr;Name;Ort\r\n")
    page.click("#start-over")         # the same tool, new files
    page.fill("#path-0", str(export(tmp_path / "plain.csv", sep=False, encoding="utf-8", newline="\n")))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#input-0 .preview")
    run_and_wait(page)
    hint = page.locator("#save-excel-hint")
    assert hint.is_visible() and "xlsx" in hint.inner_text()
    # The offered byte order mark: Save and Download both start with it, the same bytes.
    page.check("#save-bom")
    page.fill("#save-path", str(tmp_path / "for-excel.csv"))
    save(page)
    data = (tmp_path / "for-excel.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfKundennr;Name;Ort\n")
    with page.expect_download() as started:
        page.click("#download")
    started.value.save_as(tmp_path / "downloaded.csv")
    assert (tmp_path / "downloaded.csv").read_bytes() == data
    page.select_option("#save-format", "xlsx")
    assert hint.is_hidden() and page.locator("#save-bom-row").is_hidden()


def test_a_profile_saved_as_a_report_opens_in_the_browser_in_the_windows_language(
        licensed_page, chromium, tmp_path, screenshot):
    page = licensed_page
    page.select_option("#language", "de")
    page.wait_for_selector("html[lang=de]")
    source = tmp_path / "kunden.csv"
    notes = ["<script>alert(1)</script>", '"&amp; Grüße aus Köln"', ""]     # quoted: &amp; holds a ;
    source.write_text("Kundennr;Name;Notiz\r\n" + "".join(
        f"{n:05d};Kunde {n};{notes[n % 3]}\r\n" for n in range(1, 61)), encoding="cp1252")
    choose_files(page, "profile", [source])
    run_and_wait(page)
    assert page.locator("#save-format option[value=html]").inner_text() == GERMAN["save.format_html"]
    page.fill("#save-path", str(tmp_path / "kunden-profil.json"))
    page.select_option("#save-format", "html")
    assert page.input_value("#save-path") == str(tmp_path / "kunden-profil.html")
    saved = save(page)
    assert saved == str(tmp_path / "kunden-profil.html")

    context = chromium.new_context(viewport={"width": 1280, "height": 800}, offline=True,
                                   java_script_enabled=True)
    report = context.new_page()
    dialogs: list[str] = []
    report.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    report.goto(f"file://{saved}")
    assert report.locator("h1").inner_text() == GERMAN["profile_report.title"].replace("{file}", "kunden.csv")
    names = report.locator("table.overview tbody th").all_inner_texts()
    assert names == ["Kundennr", "Name", "Notiz"]
    kinds = report.locator("table.overview tbody tr td:nth-child(2)").all_inner_texts()
    assert kinds[0] == GERMAN["type.code"]
    notiz = report.locator("section.column").nth(2)
    assert "<script>alert(1)</script>" in notiz.locator("table.top").inner_text()
    assert "&amp; Grüße aus Köln" in notiz.locator("table.top").inner_text()
    assert report.locator("script").count() == 0 and dialogs == []
    # Every column's bar is drawn, and the page fits the window without sideways scrolling.
    assert report.locator("section.column svg rect.bar").count() >= 3
    assert report.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(report, "desktop-profile-report")
    report.set_viewport_size({"width": 640, "height": 400})      # the same window at 200 % zoom
    assert report.evaluate("document.documentElement.scrollWidth <= innerWidth")
    report.emulate_media(media="print")
    assert report.locator("section.column").first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    context.close()



def test_the_encoding_result_says_what_the_answer_rests_on_not_a_bare_percentage(licensed_page):
    """latin1.csv reads the same in cp1252 and its look-alikes: the window says the choice makes
    no difference, where it once said "Certainty 76 %" of an answer the whole file confirmed."""
    page = licensed_page
    choose_files(page, "encoding", [REPO / "tests" / "desktop" / "fixtures" / "latin1.csv"])
    run_and_wait(page)
    text = page.locator("#encoding-evidence").inner_text()
    assert text.startswith("Checked against the whole file: every byte reads as text in cp1252. ")
    assert "iso8859_15" in text and text.endswith("so the choice among them makes no difference.")
    assert "%" not in page.locator("#result-summary").inner_text()


def test_an_encoding_no_rival_shares_is_said_in_one_whole_sentence(licensed_page):
    """A short Polish cp1250 file: no other code page the detector weighed is as likely. The
    window once said "… text in cp1250. would read it exactly the same way …" with an empty list."""
    page = licensed_page
    choose_files(page, "encoding", [REPO / "tests" / "desktop" / "fixtures" / "cp1250.csv"])
    run_and_wait(page)
    assert page.locator("#encoding-evidence").inner_text() == (
        "Checked against the whole file: every byte reads as text in cp1250, "
        "and no other code page is as likely.")
