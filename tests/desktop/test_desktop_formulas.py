"""The desktop's save on formula-like cells: .xlsx text cells, a CSV note with a count, and the
"start with an apostrophe" choice (escape_formulas)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

PAYLOADS = ['=HYPERLINK("http://example.com/x","Click")', "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0", "\t=1+2"]


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


def source(folder: Path) -> Path:
    path = folder / "in.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "note"], *([str(i), p] for i, p in enumerate(PAYLOADS))])
    return path


def test_saved_workbook_holds_text_never_a_formula(licensed, tmp_path):
    job = licensed.run_tool("clean", [source(tmp_path)], {"trim": True})
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                     {"path": str(tmp_path / "out.xlsx")})
    assert status == 201, saved
    cells = [c for row in load_workbook(tmp_path / "out.xlsx").active.iter_rows() for c in row]
    assert {c.data_type for c in cells} == {"s", "n"}          # the id column is numbers
    assert set(PAYLOADS) <= {unescape(c.value) for c in cells if c.data_type == "s"}


def test_saved_csv_counts_formula_cells_and_escapes_on_request(licensed, tmp_path):
    job = licensed.run_tool("clean", [source(tmp_path)], {"trim": True})
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                     {"path": str(tmp_path / "plain.csv")})
    assert status == 201, saved
    assert [(n["code"], n["count"]) for n in saved["notes"]] == [("formulas_in_csv", str(len(PAYLOADS)))]
    with open(tmp_path / "plain.csv", newline="", encoding="utf-8") as handle:
        assert set(PAYLOADS) <= {cell for row in csv.reader(handle) for cell in row}
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                     {"path": str(tmp_path / "safe.csv"), "escape_formulas": True})
    assert status == 201, saved
    assert [n["code"] for n in saved["notes"]] == ["formulas_escaped"]
    with open(tmp_path / "safe.csv", newline="", encoding="utf-8") as handle:
        cells = {cell for row in csv.reader(handle) for cell in row}
    assert {"'" + p for p in PAYLOADS} <= cells and not set(PAYLOADS) & cells


GERMAN = ("Buchungstag;Empfänger;Betrag;Saldo\r\n"
          "31.12.2024;Müller GmbH;19.002,43;120.455,10\r\n"
          "02.01.2025;Bäckerei Weiß;-12,50;120.442,60\r\n"
          "3.1.2025;Straßenbahn;-2,9;120.439,70\r\n"
          "15.01.2025;Gehalt;3.250,00;123.689,70\r\n")


def test_a_german_list_saved_like_its_input_changes_only_what_clean_changed(licensed, tmp_path):
    source = tmp_path / "konto.csv"
    source.write_bytes(GERMAN.encode("cp1252"))
    job = licensed.run_tool("clean", [source], {"numbers": "auto", "dates": "auto"})
    assert job["state"] == "done", job
    assert job["result"]["report"]["formats"] == {"numbers": "as-input", "dates": "as-input",
                                                  "phones": "e164"}
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                     {"path": str(tmp_path / "out.csv")})
    assert status == 201, saved
    expected = GERMAN.replace("3.1.2025", "03.01.2025")
    assert (tmp_path / "out.csv").read_bytes() == expected.encode("cp1252")


def test_the_window_can_choose_plain_numbers_and_iso_dates(licensed, tmp_path):
    source = tmp_path / "konto.csv"
    source.write_bytes(GERMAN.encode("cp1252"))
    job = licensed.run_tool("clean", [source], {"numbers": "auto", "dates": "auto",
                                                "number_format": "point", "date_format": "iso"})
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                     {"path": str(tmp_path / "out.csv")})
    assert status == 201, saved
    lines = (tmp_path / "out.csv").read_bytes().decode("cp1252").splitlines()
    assert lines[1] == "2024-12-31;Müller GmbH;19002.43;120455.10"
    assert {n["code"] for n in job["result"]["view"]["notes"]} >= {"clean_numbers_point", "clean_dates_iso"}
