"""Formula injection through every CLI writer: an .xlsx cell is text, never a formula; a CSV keeps
the value, warns with a count, and `--escape-formulas` prefixes an apostrophe (OWASP)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from cli_process import datatools

# One payload per first character OWASP names (= + - @ TAB CR), as attackers write them.
PAYLOADS = ['=HYPERLINK("http://example.com/x","Click")', "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0", "\t=1+2", "\r=HYPERLINK(1)"]


def table(path: Path, delimiter: str = ",", ids: int = 0) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["id", "name", "note"])
        for number, payload in enumerate(PAYLOADS):
            writer.writerow([number + ids, f"Customer {number}", payload])
    return path


def workbook_cells(path: Path) -> list:
    """Every cell of the first sheet as (value, data_type), values unescaped as Excel reads them."""
    sheet = load_workbook(path).active
    return [(unescape(c.value) if isinstance(c.value, str) else c.value, c.data_type)
            for row in sheet.iter_rows() for c in row if c.value is not None]


def expected(command: str) -> set[str]:
    """The payloads as the command writes them: clean trims a CR (it protects nothing)."""
    return {p.lstrip("\r") if command == "clean" else p for p in PAYLOADS}


def assert_text_cells(path: Path, command: str = "") -> None:
    """No cell is a formula: text stays text, and only columns of plain numbers are numbers."""
    cells = workbook_cells(path)
    assert all(kind in ("s", "n") for _, kind in cells), [c for c in cells if c[1] not in ("s", "n")]
    assert all(isinstance(value, (int, float)) for value, kind in cells if kind == "n")
    assert {(p, "s") for p in expected(command)} <= set(cells)


COMMANDS = {
    "clean": lambda d, out: ["clean", str(table(d / "in.csv")), "-o", out],
    "dedupe": lambda d, out: ["dedupe", str(table(d / "in.csv")), "--columns", "name", "-o", out],
    "match": lambda d, out: ["match", str(table(d / "l.csv")), str(table(d / "r.csv")),
                             "--on", "note", "-o", out],
    "compare": lambda d, out: ["compare", str(table(d / "old.csv")), str(table(d / "new.csv", ids=1)),
                               "--key", "id", "-o", out],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_xlsx_output_holds_every_formula_like_cell_as_text(tmp_path, command):
    done = datatools(*COMMANDS[command](tmp_path, "out.xlsx"), "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert_text_cells(tmp_path / "out.xlsx", command)


@pytest.mark.parametrize("command, suffix", [(c, ".csv") for c in COMMANDS] + [("clean", ".tsv")])
def test_csv_output_keeps_values_and_warns_with_a_count(tmp_path, command, suffix):
    done = datatools(*COMMANDS[command](tmp_path, "out" + suffix), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = [w for w in json.loads(done.stdout)["warnings"] if "formulas" in w]
    assert len(warnings) == 1
    values = set(_cells(tmp_path / ("out" + suffix)))
    assert expected(command) <= values
    counted = int(warnings[0].split(": ", 1)[1].split(" ")[0])
    assert counted == sum(cell in expected(command) for cell in _cells(tmp_path / ("out" + suffix)))


def _cells(path: Path) -> list[str]:
    """The cells of a CSV, or of a .tsv (written with tabs, DECISIONS 225)."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t" if path.suffix == ".tsv" else ",")
        return [cell for row in reader for cell in row]


@pytest.mark.parametrize("command", ["clean", "compare"])
def test_escape_formulas_prefixes_an_apostrophe(tmp_path, command):
    done = datatools(*COMMANDS[command](tmp_path, "out.csv"), "--escape-formulas", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    cells = _cells(tmp_path / "out.csv")
    assert not any(cell in expected(command) for cell in cells)
    assert {"'" + p for p in expected(command)} <= set(cells)
    assert "written with a leading apostrophe" in done.stdout
    assert "-12.5" not in done.stdout


def test_numbers_and_phone_numbers_are_not_formulas(tmp_path):
    source = tmp_path / "n.csv"
    source.write_text("amount,tel\n-12.5,+49 30 1234567\n+3,-\n", encoding="utf-8")
    done = datatools("clean", str(source), "-o", "out.csv", "--escape-formulas", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["warnings"] == []
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "amount,tel\n-12.5,+49 30 1234567\n+3,\n"


def test_merge_report_as_xlsx_holds_text(tmp_path):
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "name", "note"], ["1", "Ann Berg", ""],
                                      ["2", "Ann Berg", PAYLOADS[0]]])
    done = datatools("dedupe", str(source), "--columns", "name", "--keep", "first", "--fill-empty",
                     "-o", "out.xlsx", "--merge-report", "merges.xlsx", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (1, "n") in workbook_cells(tmp_path / "out.xlsx")       # an id column of numbers
    assert (PAYLOADS[0], "s") in workbook_cells(tmp_path / "out.xlsx")
    merges = workbook_cells(tmp_path / "merges.xlsx")
    assert all(kind in ("s", "n") for _, kind in merges)


def test_profile_report_workbook_holds_text(tmp_path):
    done = datatools("profile", str(table(tmp_path / "in.csv")), "-o", "p.xlsx", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    cells = workbook_cells(tmp_path / "p.xlsx")
    assert all(kind != "f" for _, kind in cells)
    assert any(isinstance(v, str) and PAYLOADS[0] in v for v, _ in cells)


PROTECTED = ["'=1+2", "\t=HYPERLINK(\"http://example.com\")", "'+cmd|' /C calc'!A0", "'@SUM(1)",
             "\t-2+3+cmd|x"]


def test_clean_keeps_a_cells_protection(tmp_path):
    source = tmp_path / "p.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["note", "tel"], *([p + "  ", "'+49 30 1234567"] for p in PROTECTED)])
    done = datatools("clean", str(source), "-o", "out.csv", "--phones", "--phone-region", "DE",
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    assert [row[0] for row in rows] == PROTECTED
    assert {row[1] for row in rows} == {"'+49 30 1234567"}
