"""`-q` hides progress, never a result or a reading warning (field cases from a trial purchase)."""

import io
from pathlib import Path

import pytest

from datatools.cli import main

CASES = Path(__file__).parent / "data" / "field_cases"
BOOK = CASES / "formulas_no_cached_values.xlsx"
FORMULA_WARNING = ("warning: 1 formula cell(s) hold no saved result, so they read as empty: "
                   "column 'total' (cell C2). The workbook was written by a program that does not "
                   "calculate; open it in a spreadsheet program, save it once, and read it again.\n")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def versions(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("No,sku\n1,A\n2,B\n", encoding="utf-8")
    new.write_text("No,sku\n1,X\n2,A\n3,B\n", encoding="utf-8")
    return old, new


def test_quiet_compare_without_an_output_still_prints_its_result(versions):
    assert run("compare", *versions, "-q") == (0, (
        "1 added, 0 removed, 0 changed, 2 unchanged; rows paired by key sku (inferred: 0 other "
        "cells equal; also considered: No, a running row number).\n"
        "No is a running row number: 2 paired rows renumbered, not counted as changes.\n"), "")


def test_quiet_dedupe_and_match_without_an_output_still_print_their_result(versions):
    old, new = versions
    assert run("dedupe", new, "--columns", "sku", "-q") == (
        0, "3 rows: 0 groups of duplicates covering 0 rows (0 could go).\n", "")
    assert run("match", old, new, "--on", "sku", "-q") == (0, "2 of 2 rows matched.\n", "")


@pytest.mark.parametrize("argv", [
    ["clean", BOOK, "-o", "{out}"],
    ["dedupe", BOOK, "--columns", "qty", "-o", "{out}"],
    ["match", BOOK, BOOK, "--on", "qty", "-o", "{out}"],
    ["compare", BOOK, BOOK, "-o", "{out}"],
], ids=["clean", "dedupe", "match", "compare"])
def test_quiet_run_that_writes_a_file_still_warns_of_formulas_without_results(argv, tmp_path):
    target = tmp_path / "out.csv"
    code, out, err = run(*[str(a).format(out=target) for a in argv], "-q")
    several = argv[0] in ("match", "compare")
    expected = FORMULA_WARNING.replace("warning: ", f"warning: {BOOK.name}: ") * 2 if several \
        else FORMULA_WARNING
    assert (code, out, err) == (0, "", expected)
    assert target.exists()
