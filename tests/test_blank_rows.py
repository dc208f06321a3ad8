"""Rows whose every cell is empty or white space (a line of separators, as spreadsheets export
below or between their data) are left out by every reader, and the report says how many — they used to
vanish without a word (the trial's finding). Each reader is driven through the real command on
both engines: pyarrow's fast read, the forgiving reader, a short wide file, a workbook."""

from __future__ import annotations

import json

import pytest

from tests.cli_process import datatools

NOTE = "{} row(s) with every cell empty were left out."


def _profile(path, engine, cwd):
    result = datatools("profile", str(path), "--engine", engine, "--json", "-q", cwd=cwd)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return report["rows"], report["warnings"]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
@pytest.mark.parametrize("text, rows, blank", [
    ("a,b,c\n1,2,3\n,,\n4,5,6\n,,\n,,\n", 2, 3),             # fast read; empty lines are not rows
    ("a,b,c\n\n1,2,3\n,,\n4,5\n\n", 2, 1),                   # a short row: the forgiving reader
    ('a,b,c\n1,"x\ny",3\n,,\n"",,\n', 1, 2),                 # quoted newline and quoted empty cell
    ("a,b,c\n1,2,3\n", 1, 0),                                # nothing left out, nothing said
    ("a,b,c\n1,2,3\n  , ,\n4,5,6\n", 2, 1),                  # white space only: empty to the eye
    ("a,b,c\n1,2,3\n\t,\u00a0, \n4,5\n", 2, 1),              # the forgiving reader, the same rule
    ("a,b,c\n  ,x,\n", 1, 0),                               # a filled cell keeps the row
])
def test_rows_with_every_cell_empty_are_counted_in_the_report(tmp_path, monkeypatch, engine, text, rows, blank):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    read, warnings = _profile(path, engine, tmp_path)
    assert read == rows
    said = [w for w in warnings if "every cell empty" in w]
    assert said == ([NOTE.format(blank)] if blank else [])


def test_a_short_wide_file_says_so_too(tmp_path):
    names = [f"c{i}" for i in range(2000)]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join([",".join(names), ",".join("x" * 2000), "," * 1999, ",".join(" " * 2000),
                               ",".join("y" * 2000)]) + "\n", encoding="utf-8")
    rows, warnings = _profile(path, "memory", tmp_path)
    assert rows == 2 and NOTE.format(2) in warnings


def test_a_workbook_with_spacer_rows_says_so_and_clean_writes_only_the_filled_rows(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["name", "city"], ["Anna", "Köln"], [None, None], ["Jonas", "Bonn"], ["", ""],
                ["Eva", "Kiel"]):
        sheet.append(row)
    path = tmp_path / "list.xlsx"
    book.save(path)
    rows, warnings = _profile(path, "memory", tmp_path)
    assert rows == 3 and NOTE.format(2) in warnings
    out = tmp_path / "out.csv"
    result = datatools("clean", str(path), "-o", str(out), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert NOTE.format(2) in json.loads(result.stdout)["warnings"]
    assert out.read_text(encoding="utf-8-sig").split("\n")[1:4] == ["Anna,Köln", "Jonas,Bonn", "Eva,Kiel"]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_quoted_line_break_in_the_last_rows_middle_cell_is_an_address_not_a_runaway_quote(
        tmp_path, monkeypatch, engine):
    # Both readers took any line break in the last row for a quote that never closes, split
    # the address over two padded rows and said so; a runaway quote ends in the last cell.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "in.csv"
    path.write_text('id,address,city\n1,"Hauptstr. 1\nHinterhaus",Köln\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = datatools("clean", str(path), "--engine", engine, "-o", str(out), "--json", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == []
    assert out.read_text(encoding="utf-8-sig").splitlines()[1:] == ['1,"Hauptstr. 1', 'Hinterhaus",Köln']
    runaway = tmp_path / "runaway.csv"
    runaway.write_text('id,address\n1,"Hauptstr. 1\n2,Ring 3\n', encoding="utf-8")
    rows, warnings = _profile(runaway, engine, tmp_path)
    assert "A quote opened on line 2 never closes" in warnings[0]
