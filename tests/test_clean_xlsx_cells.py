"""`datatools clean` of a workbook into a workbook: the cells clean did not change come back as the
workbook stored them (dates as dates, numbers as numbers, each with its number format); only
what clean changed differs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl

from tests.cli_process import datatools

FIELD_CASES = Path("/work/shared/field-cases")


def cells(path: Path) -> list[list[tuple[object, str]]]:
    sheet = openpyxl.load_workbook(path).active
    return [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]


def _orders_book(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Orders"
    # The table starts at B3 and has a blank row midway: the reader leaves both out, and every
    # cell must still find its own format again.
    rows = [["order", "name", "ordered", "share", "amount", "units", "zip"],
            ["A-1", "  Ruth Kemp ", dt.datetime(2026, 1, 5), 0.155, 1234.5, 1200000, 6103],
            [None] * 7,
            ["A-2", "Ola Berg", dt.datetime(2026, 12, 31), 1, 99.99, 15, 2108]]
    formats = [None, None, "dd.mm.yyyy", "0.0%", '#,##0.00 "€"', "#,##0", "00000"]
    for r, row in enumerate(rows, start=3):
        for k, value in enumerate(row, start=2):
            cell = sheet.cell(r, k, value)
            if r > 3 and value is not None and formats[k - 2]:
                cell.number_format = formats[k - 2]
    book.save(path)


def test_untouched_cells_keep_their_type_and_number_format(tmp_path):
    _orders_book(tmp_path / "orders.xlsx")

    done = datatools("clean", "orders.xlsx", "-o", "clean.xlsx", "-q", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    out = openpyxl.load_workbook(tmp_path / "clean.xlsx").active
    assert out.title == "Orders"
    assert cells(tmp_path / "clean.xlsx") == [
        [("order", "General"), ("name", "General"), ("ordered", "General"), ("share", "General"),
         ("amount", "General"), ("units", "General"), ("zip", "General")],
        [("A-1", "General"), ("Ruth Kemp", "General"), (dt.datetime(2026, 1, 5), "dd.mm.yyyy"),
         (0.155, "0.0%"), (1234.5, '#,##0.00 "€"'), (1200000, "#,##0"), (6103, "00000")],
        [("A-2", "General"), ("Ola Berg", "General"), (dt.datetime(2026, 12, 31), "dd.mm.yyyy"),
         (1, "0.0%"), (99.99, '#,##0.00 "€"'), (15, "#,##0"), (2108, "00000")]]
    assert out["C2"].is_date


def test_zip_and_ean_codes_stay_numbers_under_their_padding_format(tmp_path):
    shutil.copy(FIELD_CASES / "zip_ean_formatted.xlsx", tmp_path / "stores.xlsx")

    done = datatools("clean", "stores.xlsx", "-o", "clean.xlsx", "-q", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert [row[1:3] for row in cells(tmp_path / "clean.xlsx")[1:]] == [
        [(6103, "00000"), (6932169358293, "0000000000000")],
        [(2108, "00000"), (4006381333931, "0000000000000")],
        [(7102, "00000"), (73010005014, "0000000000000")]]


def test_numbers_keep_general_and_formulas_without_results_stay_empty(tmp_path):
    shutil.copy(FIELD_CASES / "formulas_cached_zero.xlsx", tmp_path / "invoice.xlsx")

    done = datatools("clean", "invoice.xlsx", "-o", "clean.xlsx", "-q", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert cells(tmp_path / "clean.xlsx")[1:] == [
        [("Widget", "General"), (3, "General"), (2.5, "General"), (None, "General")],
        [("Gadget", "General"), (2, "General"), (10, "General"), (None, "General")]]
    assert "formula" in done.stderr


def test_a_cell_clean_changes_is_written_as_its_new_text_and_text_never_as_a_formula(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["code", "note", "ref"])
    book.active.append([42, "  x  ", None])
    book.active["A2"].number_format = "000"
    book.active["C2"].value, book.active["C2"].data_type = "=1+1", "s"    # text, not a formula
    book.active["C2"].number_format = "@"
    book.save(tmp_path / "codes.xlsx")

    done = datatools("clean", "codes.xlsx", "-o", "clean.xlsx", "-q", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert cells(tmp_path / "clean.xlsx")[1][:2] == [(42, "000"), ("x", "General")]
    ref = openpyxl.load_workbook(tmp_path / "clean.xlsx").active["C2"]
    assert (ref.value, ref.data_type) == ("=1+1", "s")


def test_the_duckdb_engine_and_a_recipe_write_the_same_workbook_as_the_in_memory_clean(tmp_path):
    # Both wrote every cell as text: dates as ISO text, 6103 under `00000` as `06103`.
    _orders_book(tmp_path / "orders.xlsx")
    shutil.copy(FIELD_CASES / "zip_ean_formatted.xlsx", tmp_path / "stores.xlsx")
    for book in ("orders", "stores"):
        done = datatools("clean", f"{book}.xlsx", "-o", f"{book}-memory.xlsx", "-q",
                         "--save-recipe", f"{book}.json", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        done = datatools("clean", f"{book}.xlsx", "--engine", "duckdb", "-o", f"{book}-duckdb.xlsx",
                         "-q", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        done = datatools("run", f"{book}.json", f"{book}.xlsx", "-o", f"{book}-run.xlsx", "-q",
                         cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        wanted = cells(tmp_path / f"{book}-memory.xlsx")
        assert cells(tmp_path / f"{book}-duckdb.xlsx") == wanted
        assert cells(tmp_path / f"{book}-run.xlsx") == wanted
        for made in ("duckdb", "run"):
            assert openpyxl.load_workbook(tmp_path / f"{book}-{made}.xlsx").active.title == \
                openpyxl.load_workbook(tmp_path / f"{book}-memory.xlsx").active.title
    assert cells(tmp_path / "orders-duckdb.xlsx")[1][2:] == [
        (dt.datetime(2026, 1, 5), "dd.mm.yyyy"), (0.155, "0.0%"), (1234.5, '#,##0.00 "€"'),
        (1200000, "#,##0"), (6103, "00000")]
