"""What a Japanese shop met (trial H), run through the installed `datatools` console script: a
cp932 customer list with CRLF ends and a sign-up workbook whose sheet is 登録者, opened in Excel
after each tool (DECISIONS 554–557)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("error")

BOM = b"\xef\xbb\xbf"
CUSTOMERS = ("顧客番号,氏名,フリガナ,電話番号\r\n"
             "C1,鈴木　修,ｽｽﾞｷ ｵｻﾑ,09088229328\r\n"
             "C2,佐藤 拓也,ｻﾄｳ ﾀｸﾔ,075-807-1262\r\n"
             "C3,ＡＢＣ商事,ｶﾞｰﾃﾞﾝ①,06-1234-5678\r\n")


def installed(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed console script, run as a user runs it."""
    return subprocess.run([str(Path(sys.executable).parent / "datatools"), *argv], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env={**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")})


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    (tmp_path / "顧客.csv").write_bytes(CUSTOMERS.encode("cp932"))
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "登録者"
    sheet.append(["登録日", "お名前", "メールアドレス"])
    for day, name, mail in ((dt.date(2025, 10, 26), "鈴木　修", "osamu@example.jp"),
                            (dt.date(2024, 1, 12), "佐藤 拓也", "takuya@example.jp")):
        sheet.append([day, name, mail])
    book.save(tmp_path / "メルマガ登録.xlsx")
    return tmp_path


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_encoding_fix_writes_a_csv_excel_reads_as_utf8_and_a_script_can_ask_for_no_mark(shop):
    done = installed("encoding", "fix", "顧客.csv", "-o", "顧客-utf8.csv", cwd=shop)
    assert done.returncode == 0, done.stderr
    data = (shop / "顧客-utf8.csv").read_bytes()
    assert data.startswith(BOM + "顧客番号,氏名".encode())
    assert data[len(BOM):] == CUSTOMERS.encode("utf-8")         # CRLF and every letter kept
    assert "byte order mark" in done.stdout
    report = json.loads(installed("encoding", "fix", "顧客.csv", "-o", "again.csv", "--json",
                                  cwd=shop).stdout)
    assert report["target_encoding"] == "utf-8-sig"
    for extra in (["--no-bom"], ["--to", "utf-8"]):
        out = shop / f"plain{len(extra)}.csv"
        assert installed("encoding", "fix", "顧客.csv", "-o", out.name, "-q", *extra,
                         cwd=shop).returncode == 0
        assert out.read_bytes() == CUSTOMERS.encode("utf-8")
    # A text file that is not a table gets no mark; --bom gives it one.
    assert installed("encoding", "fix", "顧客.csv", "-o", "notes.txt", "-q", cwd=shop).returncode == 0
    assert not (shop / "notes.txt").read_bytes().startswith(BOM)
    assert installed("encoding", "fix", "顧客.csv", "-o", "marked.txt", "-q", "--bom",
                     cwd=shop).returncode == 0
    assert (shop / "marked.txt").read_bytes().startswith(BOM)
    wrong = installed("encoding", "fix", "顧客.csv", "-o", "x.csv", "--to", "cp1252", "--bom", cwd=shop)
    assert wrong.returncode == 2 and "--bom is for UTF-8" in wrong.stderr


def test_a_csv_made_from_a_workbook_starts_with_a_byte_order_mark(shop):
    done = installed("match", "メルマガ登録.xlsx", "顧客.csv", "--on", "お名前", "--right-on", "氏名",
                     "-o", "matched.csv", "-q", cwd=shop)
    assert done.returncode == 0, done.stderr
    data = (shop / "matched.csv").read_bytes()
    assert data.startswith(BOM + "登録日,お名前".encode())
    assert rows(shop / "matched.csv")[1][:2] == ["2025-10-26", "鈴木　修"]
    assert installed("clean", "メルマガ登録.xlsx", "-o", "clean.csv", "-q", cwd=shop).returncode == 0
    assert (shop / "clean.csv").read_bytes().startswith(BOM)
    assert installed("clean", "メルマガ登録.xlsx", "-o", "plain.csv", "-q", "--no-bom",
                     cwd=shop).returncode == 0
    assert (shop / "plain.csv").read_bytes().startswith("登録日".encode())


def test_half_width_widens_katakana_and_makes_full_width_forms_and_spaces_ordinary(shop):
    done = installed("clean", "顧客.csv", "--half-width", "-o", "out.csv", "-q", cwd=shop)
    assert done.returncode == 0, done.stderr
    assert [row[1:3] for row in rows(shop / "out.csv")[1:]] == [
        ["鈴木 修", "スズキ オサム"], ["佐藤 拓也", "サトウ タクヤ"], ["ABC商事", "ガーデン①"]]


def test_the_ideographic_space_is_a_visible_space_that_clean_keeps_and_profile_shows(shop):
    done = installed("clean", "顧客.csv", "-o", "out.csv", "--json", cwd=shop)
    assert done.returncode == 0, done.stderr
    assert rows(shop / "out.csv")[1][1] == "鈴木　修"
    assert "氏名" not in json.loads(done.stdout)["changes"]
    profile = installed("profile", "顧客.csv", cwd=shop)
    assert "'鈴木　修'" in profile.stdout and "\\u3000" not in profile.stdout


@pytest.mark.parametrize("style, written", [
    (None, ["+819088229328", "+81758071262", "+81612345678"]),
    ("national", ["090-8822-9328", "075-807-1262", "06-1234-5678"]),
    ("international", ["+81 90-8822-9328", "+81 75-807-1262", "+81 6-1234-5678"])])
def test_phones_are_written_in_the_chosen_format(shop, style, written):
    extra = ["--phone-format", style] if style else []
    done = installed("clean", "顧客.csv", "--phones", "--phone-region", "JP", *extra,
                     "-o", "out.csv", "-q", cwd=shop)
    assert done.returncode == 0, done.stderr
    assert [row[3] for row in rows(shop / "out.csv")[1:]] == written


def test_a_match_saved_as_a_workbook_keeps_the_sheet_name_and_its_dates(shop):
    from openpyxl import load_workbook

    done = installed("match", "メルマガ登録.xlsx", "顧客.csv", "--on", "お名前", "--right-on", "氏名",
                     "-o", "matched.xlsx", "-q", cwd=shop)
    assert done.returncode == 0, done.stderr
    book = load_workbook(shop / "matched.xlsx")
    assert book.sheetnames == ["登録者"]
    first = book["登録者"]["A2"]
    assert (first.value, first.number_format) == (dt.datetime(2025, 10, 26), "yyyy-mm-dd")
    assert book["登録者"]["B2"].value == "鈴木　修"


@pytest.mark.parametrize("tool", [
    ["dedupe", "メルマガ登録.xlsx", "--columns", "お名前"],
    ["match", "メルマガ登録.xlsx", "顧客.csv", "--on", "お名前", "--right-on", "氏名"]])
def test_the_duckdb_engine_names_a_workbook_output_after_the_input_sheet(shop, tool):
    """`--engine duckdb` wrote `Sheet1` where the memory engine keeps `登録者` (DECISIONS 557,
    575)."""
    from openpyxl import load_workbook

    for engine in ("memory", "duckdb"):
        done = installed(*tool, "--engine", engine, "-o", f"{engine}.xlsx", "-q", cwd=shop)
        assert done.returncode == 0, done.stderr
        assert load_workbook(shop / f"{engine}.xlsx").sheetnames == ["登録者"], engine


def test_the_duckdb_engine_writes_phones_and_widths_as_the_memory_engine_does(shop):
    done = installed("clean", "顧客.csv", "--engine", "duckdb", "--half-width", "--phones",
                     "--phone-region", "JP", "--phone-format", "international", "-o", "out.csv",
                     "-q", cwd=shop)
    assert done.returncode == 0, done.stderr
    assert [row[1:] for row in rows(shop / "out.csv")[1:]] == [
        ["鈴木 修", "スズキ オサム", "+81 90-8822-9328"], ["佐藤 拓也", "サトウ タクヤ", "+81 75-807-1262"],
        ["ABC商事", "ガーデン①", "+81 6-1234-5678"]]
