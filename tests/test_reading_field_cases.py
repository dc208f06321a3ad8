"""Reading real files the way Excel shows them: the field cases in tests/data/field_cases/ (README:
the right answers) through the real commands, and other instances of each kind: number formats
that pad digits, formula placeholders, repeated headers, line breaks in cells, invisible
characters in keys, full-width forms."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from datatools.cli import main
from datatools.io import read_table
from datatools.io.number_formats import pad_format
from datatools.tools.clean import CleanOptions, clean_table
from datatools.tools.compare import compare_tables
from datatools.tools.dedupe import find_duplicates
from datatools.tools.match import match_tables
from datatools.tools.profile import profile_table
from tests.cli_process import datatools

CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def run(*argv: str):
    """`datatools ARGV` in this process (the command's own main); the one-process check of the
    installed entry point is the profile of the ZIP workbook below."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return type("Done", (), {"returncode": code, "stdout": out.getvalue(), "stderr": err.getvalue()})


# --- Excel number formats -----------------------------------------------------------------

def test_zip_and_ean_cells_read_as_the_sheet_shows_them():
    frame = read_table(CASES / "zip_ean_formatted.xlsx").frame
    assert frame["zip"].tolist() == ["06103", "02108", "07102"]
    assert frame["ean"].tolist() == ["6932169358293", "4006381333931", "0073010005014"]
    assert frame["account_no"].tolist() == ["123456789012345", "987654321098765", "100000000000001"]


def test_profile_of_the_zip_workbook_shows_codes_with_their_zeros(tmp_path):
    done = datatools("profile", str(CASES / "zip_ean_formatted.xlsx"), "--json", "-q",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    columns = {c["name"]: c for c in json.loads(done.stdout)["columns"]}
    assert columns["zip"]["type"] == "code"
    assert sorted(v for v, _ in columns["zip"]["top_values"]) == ["02108", "06103", "07102"]


@pytest.mark.parametrize("code, number, shown", [
    ("00000", 6103, "06103"),
    ("0000000000000", 73010005014, "0073010005014"),
    ("000-00-0000", 78051120, "078-05-1120"),
    ("00000-0000", 21080001, "02108-0001"),
    ("0000 0000 0000", 12345678, "0000 1234 5678"),
    ('"DE"00000', 1067, "DE01067"),
    ("\\#00000", 42, "#00042"),
    ("[Blue]00000", 501, "00501"),
    ("00000", 1234567, "1234567"),            # more digits than places: all of them shown
    ("00000", -42, "-00042"),
])
def test_formats_that_only_pad_or_group_digits_render_as_excel_shows_them(code, number, shown):
    assert pad_format(code)(number) == shown


@pytest.mark.parametrize("code", ["0", "General", "0.00", "#,##0", "0%", "0.00E+00", "yyyy-mm-dd",
                                  "#####", "@", "[>=100000]000000;00000", "00000_)"])
def test_formats_that_round_group_by_locale_or_show_dates_are_left_alone(code):
    assert pad_format(code) is None


def _workbook(path: Path, cells: str, *, styles: str = "", calc: str = "") -> Path:
    """A minimal .xlsx as other writers make it: `cells` is the sheetData's XML."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'))
        book.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                      f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                      f'<sheet name="Data" sheetId="1" r:id="rId1"/></sheets>{calc}</workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/styles" '
            'Target="styles.xml"/></Relationships>'))
        book.writestr("xl/styles.xml", f'<styleSheet xmlns="{main}">{styles}</styleSheet>')
        book.writestr("xl/worksheets/sheet1.xml",
                      f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>')
    return path


def _styles(*codes: str) -> str:
    formats = "".join(f'<numFmt numFmtId="{164 + i}" formatCode="{c}"/>' for i, c in enumerate(codes))
    xfs = '<xf numFmtId="0"/>' + "".join(f'<xf numFmtId="{164 + i}"/>' for i in range(len(codes)))
    return (f'<numFmts count="{len(codes)}">{formats}</numFmts><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            f'<cellXfs count="{len(codes) + 1}">{xfs}</cellXfs>')


def _row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def test_ssn_zip4_and_grouped_account_formats_read_as_shown_and_fractions_stay(tmp_path):
    path = _workbook(tmp_path / "people.xlsx", "".join([
        _row(1, _text("A1", "ssn"), _text("B1", "zip4"), _text("C1", "iban_part"), _text("D1", "amount")),
        _row(2, '<c r="A2" s="1"><v>78051120</v></c>', '<c r="B2" s="2"><v>21080001</v></c>',
             '<c r="C2" s="3"><v>12345678</v></c>', '<c r="D2" s="4"><v>1234.5</v></c>'),
        _row(3, '<c r="A3" s="1"><v>123456789</v></c>', '<c r="B3" s="2"><v>6103.5</v></c>',
             '<c r="C3" s="3"><v>1</v></c>', '<c r="D3" s="4"><v>7</v></c>'),
    ]), styles=_styles("000-00-0000", "00000-0000", "0000 0000 0000", "#,##0.00"))
    frame = read_table(path).frame
    assert frame.values.tolist() == [["078-05-1120", "02108-0001", "0000 1234 5678", "1234.5"],
                                     ["123-45-6789", "6103.5", "0000 0000 0001", "7"]]


# --- formula placeholders -----------------------------------------------------------------

def test_placeholder_zeros_are_named_as_formulas_without_a_computed_result(tmp_path):
    table = read_table(CASES / "formulas_cached_zero.xlsx")
    assert table.frame["total"].tolist() == ["", ""]
    (note,) = table.warnings
    assert note.code == "formulas_without_results"
    assert note.params == {"count": 2, "columns": "total", "cells": "total (D2, D3)",
                           "placeholders": 2}
    assert "2 formula cell(s) hold no saved result, so they read as empty (2 of them store 0 " \
           "only as a placeholder" in note
    done = run("profile", str(CASES / "formulas_cached_zero.xlsx"), "-q")
    assert "warning: 2 formula cell(s) hold no saved result" in done.stdout


def test_other_writers_placeholders_empty_strings_and_zeros_with_recalculation_are_named(tmp_path):
    # rust_xlsxwriter / XlsxWriter: `<v>0</v>`, string formulas `t="str"` with an empty value.
    cells = "".join([
        _row(1, _text("A1", "qty"), _text("B1", "total"), _text("C1", "label")),
        _row(2, '<c r="A2"><v>3</v></c>', '<c r="B2"><f>A2*2</f><v>0</v></c>',
             '<c r="C2" t="str"><f>"n="&amp;A2</f><v></v></c>'),
        _row(3, '<c r="A3"><v>4</v></c>', '<c r="B3"><f>A3*2</f><v>8</v></c>',
             '<c r="C3" t="str"><f>"n="&amp;A3</f><v>n=4</v></c>'),
    ])
    recalculating = read_table(_workbook(tmp_path / "lib.xlsx", cells,
                                         calc='<calcPr fullCalcOnLoad="1"/>'))
    assert recalculating.frame.values.tolist() == [["3", "", ""], ["4", "8", "n=4"]]
    assert recalculating.warnings[0].params == {
        "count": 2, "columns": "total, label", "cells": "total (B2); label (C2)", "placeholders": 1}
    # Saved by a spreadsheet program (no recalculation asked): a stored 0 is a computed 0.
    saved = read_table(_workbook(tmp_path / "saved.xlsx", cells))
    assert saved.frame.values.tolist() == [["3", "0", ""], ["4", "8", "n=4"]]
    assert saved.warnings[0].params == {"count": 1, "columns": "label", "cells": "label (C2)"}


# --- repeated headers ---------------------------------------------------------------------

def test_a_repeated_header_is_dropped_with_its_line_named_and_columns_keep_their_types(tmp_path):
    table = read_table(CASES / "repeated_header.csv")
    assert table.frame.values.tolist() == [["5001", "Hana Berg", "19.90"], ["5002", "Ivo Stern", "5.00"],
                                           ["5003", "Lea Marx", "7.25"], ["5004", "Hana Berg", "19.90"]]
    assert [(w.code, w.params) for w in table.warnings] == [
        ("header_repeated", {"count": 1, "lines": "4"})]
    types = {c.name: c.type for c in profile_table(table.frame).columns}
    assert (types["order_id"], types["total"]) == ("integer", "decimal")
    done = run("dedupe", str(CASES / "repeated_header.csv"), "--columns", "order_id,customer",
                     "--json", "-q")
    report = json.loads(done.stdout)
    # Only the two orders of Hana Berg may group; the header copy is no row of a group.
    assert (report["rows"], report["rows_in_clusters"]) == (4, 2)
    assert report["warnings"] == ["1 row(s) repeat the header and were dropped (line 4): files "
                                  "joined one after another, each with its header?"]


def test_headers_repeated_with_their_byte_order_marks_are_dropped_in_both_readers(tmp_path):
    part = "\ufeffid;name;city\r\n{rows}"
    text = (part.format(rows="1;Ann;Graz\r\n2;Bo;Linz\r\n") + part.format(rows="3;Cy;Wien\r\n")
            + part.format(rows="4;Di;Enns\r\n"))
    path = tmp_path / "joined.csv"
    path.write_bytes(text.encode("utf-8"))
    for table in (read_table(path), read_table(path, encoding="utf-8-sig")):
        assert table.frame.columns.tolist() == ["id", "name", "city"]
        assert table.frame["id"].tolist() == ["1", "2", "3", "4"]
        assert [(w.code, w.params) for w in table.warnings] == [
            ("header_repeated", {"count": 2, "lines": "4, 6"})]


def test_a_single_column_keeps_a_value_that_equals_its_name(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("status\nopen\nstatus\nclosed\n", encoding="utf-8")
    assert read_table(path).frame["status"].tolist() == ["open", "status", "closed"]


# --- line breaks in cells -----------------------------------------------------------------

def test_crlf_inside_a_quoted_cell_is_kept_byte_exact_through_clean(tmp_path):
    frame = read_table(CASES / "crlf_in_cell.csv").frame
    assert frame["addr"].tolist() == ["Am Bach 1\r\n6020 Innsbruck", "Rosenweg 3\n8010 Graz"]
    target = tmp_path / "clean.csv"
    done = run("clean", str(CASES / "crlf_in_cell.csv"), "-o", str(target), "-q")
    assert done.returncode == 0, done.stderr
    # The file's rows end in CRLF, and so do the output's (DECISIONS 515); the cells keep theirs.
    assert target.read_bytes() == (b'id,addr\r\n1,"Am Bach 1\r\n6020 Innsbruck"\r\n'
                                   b'2,"Rosenweg 3\n8010 Graz"\r\n')


def test_clean_collapses_spaces_but_not_line_breaks_of_any_kind():
    frame = pd.DataFrame({"note": ["a  b\r\nc", "x\r  y", "p\t\tq\n\nr"]}, dtype=object)
    cleaned, _ = clean_table(frame, CleanOptions())
    assert cleaned["note"].tolist() == ["a b\r\nc", "x\r y", "p q\n\nr"]


# --- invisible characters in keys ---------------------------------------------------------

def test_compare_pairs_keys_that_differ_only_by_invisible_characters(tmp_path):
    done = run("compare", str(CASES / "invisible_keys_old.csv"),
                     str(CASES / "invisible_keys_new.csv"), "--key", "account", "--json", "-q")
    report = json.loads(done.stdout)
    assert (report["added"], report["removed"], report["changed"], report["unchanged"]) == (0, 0, 0, 3)
    assert report["notes"][1:] == [
        "2 keys in account differed only by invisible characters (no-break or zero-width spaces, "
        "byte-order marks) or spaces at the ends, e.g. 'AC-1001\\xa0', '\\u200bAC-1002'; they were "
        "paired as the same key.",
        "1 cell in holder differed only by invisible characters (no-break or zero-width spaces, "
        "byte-order marks) or spaces at the ends, e.g. 'Ruth\\xa0Kemp'; they count as unchanged."]


def test_compare_pairs_word_joiner_bom_nbsp_and_end_spaces_and_the_diff_keeps_the_bytes():
    old = pd.DataFrame({"id": ["K1", "K2", "K3", "K4"], "v": ["a", "b", "c", "d"]}, dtype=object)
    new = pd.DataFrame({"id": ["K\u20601", "\ufeffK2", "K3\u00a0", " K4 "], "v": ["a", "b", "c", "e"]},
                       dtype=object)
    result = compare_tables(old, new, ["id"])
    summary = result.summary
    assert (summary.added, summary.removed, summary.changed, summary.unchanged) == (0, 0, 1, 3)
    assert [n.params for n in summary.notes if n.code == "invisible_keys"] == [
        {"count": 4, "columns": "id", "examples": "'K\\u20601', '\\ufeffK2', 'K3\\xa0'"}]
    assert result.diff["id"].tolist() == ["K\u20601", "\ufeffK2", "K3\u00a0", " K4 "]
    assert result.diff["v (old)"].tolist() == ["", "", "", "d"]


def test_a_real_change_next_to_an_invisible_one_is_still_a_change():
    old = pd.DataFrame({"id": ["A1"], "name": ["Ruth Kemp"]}, dtype=object)
    new = pd.DataFrame({"id": ["A1\u200b"], "name": ["Ruth\u00a0Kamp"]}, dtype=object)
    summary = compare_tables(old, new, ["id"]).summary
    assert (summary.changed, summary.cells_changed) == (1, {"name": 1})


def test_match_and_dedupe_pair_keys_with_invisible_characters_and_count_them():
    left = pd.DataFrame({"account": ["AC-1001", "AC-1002", "AC-1003"]}, dtype=object)
    right = pd.DataFrame({"account": ["AC-1001\u00a0", "\u200bAC-1002", "AC-10\u206003"],
                          "city": ["Graz", "Linz", "Wien"]}, dtype=object)
    result = match_tables(left, right, ["account"])
    assert result.frame["right_city"].tolist() == ["Graz", "Linz", "Wien"]
    assert result.frame["match_score"].tolist() == ["100", "100", "100"]
    assert [(n.code, n.params["count"]) for n in result.notes] == [("invisible_values", 3)]
    frame = pd.DataFrame({"sku": ["X-77\ufeff", "X-77", "Y-1"], "qty": ["1", "1", "2"]}, dtype=object)
    dedupe = find_duplicates(frame, ["sku"])
    assert dedupe.frame["cluster_id"].tolist() == ["1", "1", ""]
    assert dedupe.frame["match_score"].tolist() == ["100", "100", ""]
    assert [(n.code, n.params["count"]) for n in dedupe.notes] == [("invisible_values", 1)]



def test_dedupe_shows_each_invisible_value_once_with_its_end_space_marked(tmp_path):
    """Trial E: `'+39 ', '+39 '` read as two equal examples of nothing to see. One value found
    twice is one example, and a space at the end is written as a no-break space is (DECISIONS
    491); the terminal and --json show the same text."""
    source = tmp_path / "clienti.csv"
    source.write_text("nome;telefono\nAnna;+39 \nBruno;+39 \nCarla;+39\u00a0051 623910\n"
                      "Dario;051 688824\n", encoding="utf-8")
    done = run("dedupe", str(source), "--columns", "nome,telefono", "-o", str(tmp_path / "out.csv"))
    assert done.returncode == 0, done.stderr
    note = ("3 values in telefono differed only by invisible characters (no-break or zero-width "
            "spaces, byte-order marks) or spaces at the ends, e.g. '+39\\x20', '+39\\xa0051 "
            "623910'; they were compared as the same value.")
    assert "warning: " + note in done.stdout.splitlines()
    done = run("dedupe", str(source), "--columns", "nome,telefono", "-o",
               str(tmp_path / "out2.csv"), "--json", "-q")
    assert json.loads(done.stdout)["warnings"] == [note]


# --- full-width forms ---------------------------------------------------------------------

def test_full_width_phones_are_a_phone_column_and_clean_to_e164(tmp_path):
    columns = {c.name: c.type for c in profile_table(read_table(CASES / "fullwidth.csv").frame).columns}
    assert columns["tel"] == "phone"
    target = tmp_path / "out.csv"
    done = run("clean", str(CASES / "fullwidth.csv"), "--phones", "--phone-region", "JP",
                     "-o", str(target), "-q")
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(target, dtype=str)["tel"].tolist() == [
        "+81312345678", "+81312345679", "+81698765432", "+81456789012"]


def test_full_width_mail_and_postcodes_classify_and_half_width_converts_but_katakana_stays():
    frame = pd.DataFrame({
        "kana": ["タナカ", "サトウ", "スズキ"],
        "mail": ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "hanako@example.jp", "ＪＩＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ"],
        "postcode": ["１００－０００１", "150-0041", "５３０－０００１"],
    }, dtype=object)
    types = {c.name: c.type for c in profile_table(frame).columns}
    assert (types["kana"], types["mail"]) == ("text", "email")
    cleaned, report = clean_table(frame, CleanOptions(half_width=True))
    assert cleaned["kana"].tolist() == ["タナカ", "サトウ", "スズキ"]
    assert cleaned["mail"].tolist() == ["taro@example.jp", "hanako@example.jp", "JIRO@EXAMPLE.COM"]
    assert cleaned["postcode"].tolist() == ["100-0001", "150-0041", "530-0001"]
    assert report.changes == {"mail": {"half_width": 2}, "postcode": {"half_width": 2}}
    emails, _ = clean_table(frame, CleanOptions(emails=True))
    assert emails["mail"].tolist() == ["taro@example.jp", "hanako@example.jp", "jiro@example.com"]
    untouched, _ = clean_table(frame, CleanOptions())
    assert untouched["postcode"].tolist() == frame["postcode"].tolist()


# --- letters lost to `?` by a lossy export ------------------------------------------------

# What Excel's "CSV (comma delimited)" on a Western European Windows writes for these names.
LOSSY = ("first,last,city\r\n"
         "Pawe?,Kami?ski,??d?\r\n"          # Paweł Kamiński, Łódź (Polish)
         "?ukasz,Nowak,Krak?w\r\n"          # Łukasz, Kraków
         "Ay?e,Y?lmaz,?stanbul\r\n"         # Ayşe Yılmaz, İstanbul (Turkish)
         "Ji?\xed,Dvo?\xe1k,Plze?\r\n"      # Jiří Dvořák, Plzeň (Czech)
         "Anna,Smith,London\r\n")


def test_question_marks_left_by_a_lossy_export_are_counted_in_every_tools_notes(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(LOSSY.encode("cp1252"))
    table = read_table(path)
    (note,) = [w for w in table.warnings if w.code == "question_mark_losses"]
    assert note.params == {"count": 11, "columns": "first, last, city",
                           "examples": "'Pawe?', '?ukasz', 'Ay?e'"}
    assert "Export the table again as UTF-8" in note
    done = run("profile", str(path), "-q")
    assert "warning: 11 cell(s) in first, last, city hold '?' where a letter should be" in done.stdout
    for argv in (["dedupe", str(path), "--columns", "first,last"],
                 ["match", str(path), str(path), "--on", "last"],
                 ["compare", str(path), str(path)],
                 ["clean", str(path), "-o", str(tmp_path / "clean.csv")]):
        done = run(*argv, "--json", "-q")
        assert done.returncode == 0, done.stderr
        warnings = json.loads(done.stdout)["warnings"]
        assert any("hold '?' where a letter should be" in w for w in warnings), (argv, warnings)


def test_the_preview_flags_the_losses_of_its_rows(tmp_path):
    from datatools.io import preview_table

    path = tmp_path / "export.csv"
    path.write_bytes(LOSSY.encode("cp1252"))
    preview = preview_table(path, rows=2)
    assert [w.params["count"] for w in preview.warnings if w.code == "question_mark_losses"] == [5]


def test_questions_web_addresses_and_lone_question_marks_are_not_losses(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("comment,link,score\nWhy?,https://example.com/a?id=3,?\n"
                    "Really? Yes,www.example.com/?q=b,10\nok,page.php?lang=de,?\n", encoding="utf-8")
    assert [w for w in read_table(path).warnings if w.code == "question_mark_losses"] == []


# --- wide files ---------------------------------------------------------------------------

@pytest.mark.parametrize("columns, first_line_end", [(16_385, True), (200_000, False)])
def test_a_table_wider_than_a_spreadsheet_is_refused_clearly_and_quickly(tmp_path, columns,
                                                                          first_line_end):
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(columns))
    path.write_text(header + "\n" + ",".join("1" * columns) + "\n", encoding="utf-8")
    done = run("profile", str(path), "-q")
    assert done.returncode == 1
    assert done.stderr.startswith(f"datatools: {path.name} has ")
    assert f"{columns:,} or more columns; DataTools reads tables of up to 16,384 columns, the " \
           "most a spreadsheet holds." in done.stderr


def test_a_table_as_wide_as_a_spreadsheet_is_read(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(16_384)) + "\n" + ",".join("7" * 16_384) + "\n",
                    encoding="utf-8")
    frame = read_table(path).frame
    assert frame.shape == (1, 16_384)
    assert frame["c16383"].tolist() == ["7"]
