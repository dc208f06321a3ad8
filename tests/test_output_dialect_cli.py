"""The installed `datatools` writes a CSV OUT with its input's separator (DECISIONS 225): a
German Excel export separated by `;` comes back separated by `;`, its byte order mark and
Excel's `sep=` line kept; `.tsv` OUT means tabs; `--output-delimiter` chooses; always UTF-8;
the input's line ends, CRLF or LF, as the window's save keeps them (DECISIONS 515)."""

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
    written = clean(tmp_path, source, "out.csv")
    # A cp1252 export comes from a spreadsheet, whose Excel reads UTF-8 only after a mark.
    assert written.startswith(b"\xef\xbb\xbf") == (encoding == "cp1252")
    assert written.decode("utf-8-sig") == "Name;Betrag;Ort\nJürgen;19.002,43;München\nAnna;1,5;Köln\n"


@pytest.mark.parametrize("command", [["dedupe", "--columns", "Name"], ["compare"], ["match", "--on", "Name"]])
def test_every_table_command_takes_bom(tmp_path, command):
    source = tmp_path / "export.csv"
    source.write_bytes(GERMAN.encode("utf-8"))
    target = tmp_path / "out.csv"
    others = [str(source)] if command[0] in ("compare", "match") else []
    done = subprocess.run([str(SCRIPT), command[0], str(source), *others, *command[1:], "--bom",
                           "-o", str(target), "-q"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_excels_byte_order_mark_and_sep_line_stay(tmp_path):
    source = tmp_path / "export.csv"
    source.write_bytes(b"\xef\xbb\xbf" + ("sep=;\r\n" + GERMAN.replace("\n", "\r\n")).encode("utf-8"))
    assert clean(tmp_path, source, "out.csv") == (
        b"\xef\xbb\xbfsep=;\r\n" + "Name;Betrag;Ort\r\nJürgen;19.002,43;München\r\nAnna;1,5;Köln\r\n"
        .encode("utf-8"))


def test_dedupe_keep_writes_a_windows_export_with_its_crlf_line_ends(tmp_path):
    """A Windows export's CRLF rows come back as CRLF from `dedupe --keep`, its merge report
    too, as the window's Save writes them: the command line wrote LF (DECISIONS 225, 515), so
    the same file saved from the window and from a script differed in every line."""
    source = tmp_path / "clientes.csv"
    source.write_bytes(b"nombre;apellidos;ciudad\r\nJosefa;N\xfa\xf1ez Garc\xeda;Valencia\r\n"
                       b"Josefa;N\xfa\xf1ez Garc\xeda;Valencia\r\nLuc\xeda;Mu\xf1oz;Gandia\r\n")
    target = tmp_path / "kept.csv"
    done = subprocess.run([str(SCRIPT), "dedupe", str(source), "--columns", "nombre,apellidos,ciudad",
                           "--keep", "most-complete", "-o", str(target), "-q"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # cp1252 in, UTF-8 with a byte order mark out (DECISIONS 225); the line ends as they came
    assert target.read_bytes() == ("\ufeffnombre;apellidos;ciudad\r\nJosefa;Núñez García;Valencia"
                                   "\r\nLucía;Muñoz;Gandia\r\n").encode("utf-8")
    assert (tmp_path / "kept.merges.csv").read_bytes() == (
        "\ufeffcluster_id;kept_row;dropped_rows;match_score\r\n1;1;2;100\r\n").encode("utf-8")


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
    # A workbook's CSV goes back to a spreadsheet: it starts with a byte order mark (DECISIONS 555).
    assert clean(tmp_path, book, "book.csv") == b"\xef\xbb\xbfa,b\nx,1\n"
