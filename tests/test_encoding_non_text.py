"""`datatools encoding` on a spreadsheet or another binary file: one clear refusal, no output."""

import io
import shutil
from pathlib import Path

import pytest

from datatools.cli import main

BOOK = Path(__file__).parent / "data" / "field_cases" / "formulas_no_cached_values.xlsx"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", [["detect"], ["fix", "-o", "{out}"], ["fix", "--preview"]],
                         ids=["detect", "fix", "preview"])
def test_a_workbook_has_no_encoding_and_the_message_says_which_tools_read_it(argv, tmp_path):
    target = tmp_path / "out.csv"
    code, out, err = run("encoding", argv[0], BOOK, *[a.format(out=target) for a in argv[1:]], "-q")
    assert (code, out, err) == (1, "", (
        f"datatools: {BOOK} is a spreadsheet, not a text file: it has no text encoding to detect "
        "or fix. The other tools (clean, profile, compare, dedupe, match) read it as it is.\n"))
    assert not target.exists()


def test_a_workbook_renamed_to_csv_is_named_for_what_it_is(tmp_path):
    renamed = tmp_path / "book.csv"
    shutil.copy(BOOK, renamed)
    assert run("encoding", "detect", renamed, "-q") == (1, "", (
        f"datatools: {renamed} is a ZIP archive (an .xlsx saved under another name?), not a text "
        "file: it has no text encoding to detect or fix.\n"))
