"""What a Japanese shop met in the window (trial H), in real Chromium: the encoding fix's default
writes a CSV Excel reads, clean widens half-width katakana and writes phones as chosen, and a
workbook's result saved as CSV starts with a byte order mark (DECISIONS 554–557)."""

from __future__ import annotations

import csv
import io

import pytest

from test_desktop_tool_ui import choose_files, licensed_page, run_and_wait, save_as  # noqa: F401

BOM = b"\xef\xbb\xbf"
CUSTOMERS = ("顧客番号,氏名,フリガナ,電話番号\r\n"
             "C1,鈴木　修,ｽｽﾞｷ ｵｻﾑ,09088229328\r\n"
             "C2,佐藤 拓也,ｻﾄｳ ﾀｸﾔ,075-807-1262\r\n")


@pytest.fixture
def customers(tmp_path):
    path = tmp_path / "顧客.csv"
    path.write_bytes(CUSTOMERS.encode("cp932"))
    return path


def test_the_default_encoding_fix_saves_a_csv_that_starts_with_a_byte_order_mark(
        licensed_page, customers, tmp_path):
    page = licensed_page
    choose_files(page, "encoding", [customers])
    assert page.locator("#encoding-0").input_value() in ("cp932", "shift_jis")
    assert page.locator("#option-target option:checked").inner_text().startswith("UTF-8 (recommended")
    run_and_wait(page)
    target = tmp_path / "顧客-utf8.csv"
    save_as(page, target)
    assert target.read_bytes() == BOM + CUSTOMERS.encode("utf-8")


def test_clean_widens_half_width_katakana_and_writes_national_phones(licensed_page, customers, tmp_path):
    page = licensed_page
    choose_files(page, "clean", [customers])
    page.check("#option-half_width")
    page.check("#option-phones")
    page.select_option("#option-phone_region", "JP")
    page.select_option("#option-phone_format", "national")
    run_and_wait(page)
    changes = page.locator(".changes").inner_text()
    assert "Normalise widths" in changes and "half_width" not in changes
    target = tmp_path / "clean.csv"
    save_as(page, target)
    # Saved like the input: in its code page (DECISIONS 102).
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("cp932"), newline="")))
    assert rows[1][1:] == ["鈴木 修", "スズキ オサム", "090-8822-9328"]
    assert rows[2][1:] == ["佐藤 拓也", "サトウ タクヤ", "075-807-1262"]


def test_a_workbooks_result_saved_as_csv_starts_with_a_byte_order_mark(licensed_page, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "登録者"
    book.active.append(["お名前", "メールアドレス"])
    book.active.append(["鈴木　修", "osamu@example.jp"])
    book.save(tmp_path / "メルマガ登録.xlsx")
    page = licensed_page
    choose_files(page, "clean", [tmp_path / "メルマガ登録.xlsx"])
    run_and_wait(page)
    page.select_option("#save-format", "csv")
    assert page.is_checked("#save-bom") and page.locator("#save-excel-hint").is_hidden()
    target = tmp_path / "登録-clean.csv"
    save_as(page, target)
    assert target.read_bytes().startswith(BOM + "お名前,メールアドレス".encode())


def test_a_workbooks_duplicates_saved_as_xlsx_keep_its_sheet_name_and_dates(licensed_page, tmp_path):
    import datetime as dt

    from openpyxl import Workbook, load_workbook

    book = Workbook()
    book.active.title = "登録者"
    book.active.append(["登録日", "お名前", "メールアドレス"])
    for day, name, mail in ((dt.date(2025, 10, 26), "鈴木　修", "osamu@example.jp"),
                            (dt.date(2025, 10, 27), "鈴木 修", "osamu@example.jp"),
                            (dt.date(2024, 1, 12), "佐藤 拓也", "takuya@example.jp")):
        book.active.append([day, name, mail])
    book.save(tmp_path / "メルマガ登録.xlsx")
    page = licensed_page
    choose_files(page, "dedupe", [tmp_path / "メルマガ登録.xlsx"])
    page.check("#option-columns input[value='メールアドレス']")
    run_and_wait(page)
    assert page.input_value("#save-format") == "xlsx"
    target = tmp_path / "登録-deduplicated.xlsx"
    save_as(page, target)
    saved = load_workbook(target)
    assert saved.sheetnames == ["登録者"]
    assert (saved["登録者"]["A2"].value, saved["登録者"]["A2"].number_format) == (
        dt.datetime(2025, 10, 26), "yyyy-mm-dd")
