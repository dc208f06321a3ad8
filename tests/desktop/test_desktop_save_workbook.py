"""The window's Save of a cleaned workbook as .xlsx keeps the cells clean did not change as the
workbook stored them: dates stay dates, formatted numbers stay numbers with their format."""

from __future__ import annotations

import datetime as dt

import openpyxl


def test_saving_a_cleaned_workbook_keeps_its_dates_and_number_formats(client, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name", "joined", "share", "zip"])
    book.active.append(["  Ruth Kemp ", dt.datetime(2026, 1, 5), 0.25, 6103])
    for cell, style in (("B2", "dd/mm/yyyy"), ("C2", "0%"), ("D2", "00000")):
        book.active[cell].number_format = style
    book.save(tmp_path / "people.xlsx")
    job = client.run_tool("clean", [tmp_path / "people.xlsx"], {"trim": True})
    target = tmp_path / "people-clean.xlsx"

    status, _, saved = client.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})

    assert status == 201, saved
    row = next(openpyxl.load_workbook(target).active.iter_rows(min_row=2))
    assert [(c.value, c.number_format) for c in row] == [
        ("Ruth Kemp", "General"), (dt.datetime(2026, 1, 5), "dd/mm/yyyy"), (0.25, "0%"), (6103, "00000")]
