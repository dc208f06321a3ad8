"""The installed `datatools` writes a CSV OUT with its input's separator (DECISIONS 225): a
German Excel export separated by `;` comes back separated by `;`, its byte order mark and
Excel's `sep=` line kept; `.tsv` OUT means tabs; `--output-delimiter` chooses; always UTF-8."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("datatools")
GERMAN = "Name;Betrag;Ort\n  Jürgen ;19.002,43;München\nAnna;1,5;Köln\n"


def clean(tmp_path: Path, source: Path, out: str, *options: str) -> bytes:
    target = tmp_path / out
    done = subprocess.run([str(SCRIPT), "clean", str(source), "-o", str(target), "-q", *options],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return target.read_bytes()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_a_semicolon_file_comes_back_separated_by_semicolons(tmp_path, encoding):
    source = tmp_path / "export.csv"
    source.write_bytes(GERMAN.encode(encoding))
    assert clean(tmp_path, source, "out.csv").decode("utf-8") == (
        "Name;Betrag;Ort\nJürgen;19.002,43;München\nAnna;1,5;Köln\n")


def test_excels_byte_order_mark_and_sep_line_stay(tmp_path):
    source = tmp_path / "export.csv"
    source.write_bytes(b"\xef\xbb\xbf" + ("sep=;\r\n" + GERMAN.replace("\n", "\r\n")).encode("utf-8"))
    assert clean(tmp_path, source, "out.csv") == (
        b"\xef\xbb\xbfsep=;\n" + "Name;Betrag;Ort\nJürgen;19.002,43;München\nAnna;1,5;Köln\n"
        .encode("utf-8"))


def test_the_user_chooses_the_separator(tmp_path):
    source = tmp_path / "export.csv"
    source.write_bytes(("sep=;\n" + GERMAN).encode("utf-8"))
    # A comma output: the `sep=;` line would now be wrong, so it goes; a comma cell is quoted.
    assert clean(tmp_path, source, "out.csv", "--output-delimiter", ",").decode("utf-8") == (
        'Name,Betrag,Ort\nJürgen,"19.002,43",München\nAnna,"1,5",Köln\n')
    assert clean(tmp_path, source, "out.tsv").decode("utf-8") == (
        "Name\tBetrag\tOrt\nJürgen\t19.002,43\tMünchen\nAnna\t1,5\tKöln\n")


def test_a_comma_file_and_a_workbook_give_commas(tmp_path):
    from datatools.io import write_table
    import pandas as pd

    source = tmp_path / "plain.csv"
    source.write_text("a,b\n x ,1\n", encoding="utf-8")
    assert clean(tmp_path, source, "out.csv") == b"a,b\nx,1\n"
    book = tmp_path / "book.xlsx"
    write_table(pd.DataFrame({"a": [" x "], "b": ["1"]}), book)
    assert clean(tmp_path, book, "book.csv") == b"a,b\nx,1\n"
