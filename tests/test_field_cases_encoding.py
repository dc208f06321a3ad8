"""The field cases of issue 12 (tests/data/field_cases/), each with its right value, and more of each kind."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from datatools.cli import main
from datatools.io import read_table
from datatools.tools.encoding import detect_encoding, fix_encoding

CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def case(tmp_path):
    """A copy of a field case in tmp_path, so a test never writes beside the originals."""
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(CASES / name, target)
        return target
    return copy


# ----------------------------------------------------------------- Excel's sep= line

def test_excel_sep_line_is_honoured_and_dropped(case):
    table = read_table(case("excel_sep_line.csv"))
    assert list(table.frame.columns) == ["id", "name", "zip"]
    assert table.frame.to_dict("list") == {"id": ["1", "2"], "name": ["Ann", "Bo"],
                                           "zip": ["01234", "09876"]}
    assert table.delimiter == ";"
    assert any("sep=;" in w and "delimiter directive" in w for w in table.warnings)


@pytest.mark.parametrize("directive, delimiter", [("sep=,", ","), ("sep=\t", "\t"),
                                                  ("sep=|", "|"), ("SEP=;", ";")])
@pytest.mark.parametrize("broken", [False, True])
def test_every_sep_directive_names_the_delimiter(tmp_path, directive, delimiter, broken):
    rows = [["id", "name", "note"], ["1", "Ann", "x"], ["2", "Bo", "y"]]
    if broken:      # a ragged row sends the file down the forgiving path
        rows.append(["3"])
    path = tmp_path / "s.csv"
    path.write_text(directive + "\r\n" + "".join(delimiter.join(r) + "\r\n" for r in rows),
                    encoding="utf-8")
    table = read_table(path)
    assert list(table.frame.columns) == ["id", "name", "note"]
    assert table.frame["name"].tolist()[:2] == ["Ann", "Bo"]
    assert table.delimiter == delimiter


def test_a_first_cell_that_only_starts_with_sep_is_data(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("sep=;x,b\n1,2\n", encoding="utf-8")
    assert list(read_table(path).frame.columns) == ["sep=;x", "b"]


# ----------------------------------------------------------------- Mac Roman, CR-only lines

def test_mac_roman_with_cr_only_lines_reads_right(case):
    path = case("mac_roman_cr.csv")
    report = detect_encoding(path)
    assert (report.encoding, report.verified) == ("mac_roman", True)
    table = read_table(path)
    assert table.frame.to_dict("list") == {"Nome": ["João", "Irmã Luísa"],
                                           "Cidade": ["São Paulo", "Maçã"]}


@pytest.mark.parametrize("encoding, text", [
    ("mac_roman", "Nom;Ville\rFrançois Lefèvre;Besançon\rHélène;Orléans\r"),
    ("mac_roman", "Name;Ort\rJürgen Müller;München\rDörte;Köln\r"),
    ("mac_cyrillic", "Имя;Город\rАнна Кузнецова;Москва\rЮлия Фёдорова;Ярославль\r"),
])
def test_old_mac_files_in_other_languages(tmp_path, encoding, text):
    path = tmp_path / "mac.csv"
    path.write_bytes(text.encode(encoding))
    report = detect_encoding(path)
    assert path.read_bytes().decode(report.encoding) == text and report.verified


# ----------------------------------------------------------------- short CJK files

def test_short_shift_jis_file_is_japanese(case):
    path = case("ja_sjis_short.csv")
    assert detect_encoding(path).encoding in ("cp932", "shift_jis")
    assert read_table(path).frame.to_dict("list") == {"顧客番号": ["1001"], "氏名": ["山田"]}


@pytest.mark.parametrize("encoding, text", [
    ("cp932", "品名,数量\r\nお茶,3\r\n"), ("euc_jp", "氏名,住所\n佐藤花子,大阪\n"),
    ("cp949", "이름,도시\n김민준,서울\n"), ("euc_kr", "상품,가격\n김치,5000\n"),
    ("gb18030", "姓名,城市\n王伟,北京\n"), ("big5", "姓名,城市\n陳志明,臺北\n"),
    ("cp950", "品名,數量\n烏龍茶,2\n"),
])
def test_short_cjk_files_in_each_code_page(tmp_path, encoding, text):
    path = tmp_path / "cjk.csv"
    path.write_bytes(text.encode(encoding))
    assert len(path.read_bytes()) < 100
    report = detect_encoding(path)
    assert path.read_bytes().decode(report.encoding) == text, report


# ----------------------------------------------------------------- UTF-8 with legacy lines

def test_utf8_file_with_one_cp1252_line_reads_both_and_names_the_line(case):
    path = case("utf8_one_cp1252_line.csv")
    report = detect_encoding(path)
    assert report.encoding == "utf-8" and report.legacy is not None
    assert (report.legacy.encoding, report.legacy.lines) == ("cp1252", (3,))
    table = read_table(path)
    assert table.frame["name"].tolist() == ["José", "Renée"]
    assert any("line 3 is cp1252" in w for w in table.warnings)


def test_detect_json_lists_the_legacy_lines_in_the_candidate(case):
    code, out, _ = run("encoding", "detect", str(case("utf8_one_cp1252_line.csv")), "--json", "-q")
    data = json.loads(out)
    assert code == 0 and list(data) == ["encoding", "confidence", "bom", "verified", "candidates"]
    assert data["encoding"] == "utf-8" and data["verified"] is False
    assert data["candidates"][0] == {"encoding": "cp1252", "confidence": data["candidates"][0]
                                     ["confidence"], "lines": [3]}


def test_detect_names_the_legacy_lines_in_its_text_too(case):
    code, out, _ = run("encoding", "detect", str(case("utf8_one_cp1252_line.csv")), "-q")
    first, why, runners_up = out.splitlines()
    assert code == 0 and first.startswith("utf-8") and "mixed" in first
    assert why == "  why: UTF-8, except that line 3 is cp1252"
    assert runners_up.startswith("  runners-up: cp1252") and runners_up.endswith("(lines 3)")


def test_fix_repairs_the_legacy_line_and_says_which(case, tmp_path):
    source = case("utf8_one_cp1252_line.csv")
    before = source.read_bytes()
    code, out, _ = run("encoding", "fix", str(source), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "line 3 is cp1252" in out
    assert (tmp_path / "out.csv").read_text("utf-8") == "\ufeffname\nJosé\nRenée\n"   # a .csv: BOM
    assert source.read_bytes() == before


def test_legacy_lines_in_several_code_pages_each_read_right(tmp_path):
    parts = [("name;city\n", "utf-8"), ("José Peña;Málaga\n", "utf-8"),
             ("Søren Kierkegaard;København\n", "cp1252"), ("Jürgen Müller;München\n", "utf-8"),
             ("Иван Петрович Сидоров;Москва\n", "cp1251"),
             ("Łukasz Wiśniewski;Łódź\n", "utf-8")]
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"".join(text.encode(codec) for text, codec in parts))
    report = fix_encoding(path, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text("utf-8") == "\ufeff" + "".join(text for text, _ in parts)
    assert report.legacy_lines == [3, 5]
    table = read_table(path)
    assert table.frame["city"].tolist() == ["Málaga", "København", "München", "Москва", "Łódź"]


def test_legacy_lines_in_scripts_no_one_code_page_reads_together(tmp_path):
    parts = [("name;city\n", "utf-8"), ("José Peña;Málaga\n", "utf-8"),
             ("Γιώργος Παπαδόπουλος;Αθήνα\n", "cp1253"), ("Jürgen Müller;München\n", "utf-8"),
             ("דוד כהן;תל אביב\n", "cp1255"), ("Анна Кузнецова;Москва\n", "cp1251"),
             ("Søren Ærø;Tromsø\n", "utf-8")]
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"".join(text.encode(codec) for text, codec in parts))
    report = detect_encoding(path)
    assert report.legacy is not None and report.legacy.lines == (3, 5, 6)
    table = read_table(path)
    assert table.frame["city"].tolist() == ["Málaga", "Αθήνα", "München", "תל אביב", "Москва",
                                            "Tromsø"]


def test_a_legacy_line_past_the_readers_preview_is_still_found(tmp_path):
    path = tmp_path / "late.csv"
    head = "name;city\n" + "José Peña;Málaga\n" * 80_000      # about 1.4 MB of UTF-8
    path.write_bytes(head.encode() + "Renée;Besançon\n".encode("cp1252"))
    table = read_table(path)
    assert table.frame["city"].tolist()[-1] == "Besançon"
    assert any("line 80002 is cp1252" in w for w in table.warnings)


# ----------------------------------------------------------------- formulas without results

def test_formula_without_saved_result_is_named_by_column_and_cell(case):
    table = read_table(case("formulas_no_cached_values.xlsx"))
    assert table.frame["total"].tolist() == [""]
    [note] = [w for w in table.warnings if "formula" in w]
    assert "column 'total' (cell C2)" in note
    assert "open it in a spreadsheet program, save it once" in note


def test_formulas_in_several_sheets_and_columns_are_each_named(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Orders"
    first.append(["qty", "price", "total", "tax"])
    for row in range(2, 5):
        first.append([row, 10, f"=A{row}*B{row}", f"=C{row}*0.2"])
    second = book.create_sheet("Summary")
    second.append(["label", "sum"])
    second.append(["all", "=SUM(Orders!C2:C4)"])
    second.append(["typed", 7])
    path = tmp_path / "book.xlsx"
    book.save(path)
    orders = read_table(path)
    [note] = [w for w in orders.warnings if "formula" in w]
    assert "column 'total' (cells C2, C3, C4)" in note and "column 'tax' (cells D2, D3, D4)" in note
    summary = read_table(path, sheet="Summary")
    [note] = [w for w in summary.warnings if "formula" in w]
    assert "column 'sum' (cell B2)" in note and "B3" not in note
    assert summary.frame["sum"].tolist() == ["", "7"]


def every_tool(path: Path, column: str, tmp_path: Path) -> list[tuple[str, ...]]:
    other = tmp_path / ("other" + path.suffix)
    shutil.copyfile(path, other)
    return [("profile", str(path)), ("clean", str(path), "-o", str(tmp_path / "c.csv"), "--force"),
            ("dedupe", str(path), "--columns", column),
            ("match", str(path), str(other), "--on", column),
            ("compare", str(path), str(other))]


@pytest.mark.parametrize("name, column, expected", [
    ("formulas_no_cached_values.xlsx", "qty", "column 'total' (cell C2)"),
    ("utf8_one_cp1252_line.csv", "name", "line 3 is cp1252"),
    ("excel_sep_line.csv", "name", "sep=;"),
])
def test_every_tool_reports_what_the_reader_noticed(case, tmp_path, name, column, expected):
    for argv in every_tool(case(name), column, tmp_path):
        code, out, err = run(*argv, "--json", "-q")
        assert code == 0, (argv, err)
        assert any(expected in w for w in json.loads(out)["warnings"]), argv
        code, out, err = run(*argv)
        assert expected in out, argv


def test_fix_refuses_a_file_it_cannot_tell_and_names_the_closest_readings(tmp_path):
    source = tmp_path / "odd.bin"
    source.write_bytes(b"\x80\x81\x8d\x8f\x90\x9d\xa0\xff\xfe\xfd\n")
    code, out, _ = run("encoding", "detect", str(source), "-q")
    assert code == 0 and out.startswith("cannot tell")
    code, _, err = run("encoding", "fix", str(source), "-o", str(tmp_path / "out.csv"), "-q")
    assert code == 1 and "Cannot tell the encoding" in err and "--from" in err
    assert not (tmp_path / "out.csv").exists()
    code, _, _ = run("encoding", "fix", str(source), "-o", str(tmp_path / "out.csv"), "--from",
                     "latin-1", "-q")
    assert code == 0 and (tmp_path / "out.csv").read_bytes().decode("utf-8").endswith("ýþÿ"[::-1] + "\n")
