"""A letter saved as .csv is told apart from a one-column table (trial A: `profile brief.csv`
said "3 rows, 1 columns" of sentences and nothing else)."""

from __future__ import annotations

import pytest

from tests.cli_process import datatools

LETTER = ("Dies ist ein Brief.\n\nSehr geehrte Damen und Herren,\nanbei die Preisliste; bitte prüfen.\n"
          "Mit freundlichen Grüßen\n")


@pytest.mark.parametrize("tool", ["profile", "clean"])
def test_a_letter_read_as_a_table_gets_a_warning_that_says_so(tmp_path, tool):
    (tmp_path / "brief.csv").write_text(LETTER, encoding="utf-8")
    result = datatools(tool, "brief.csv", *(["-o", "out.csv"] if tool == "clean" else []), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("warning: This file reads as one column of sentences (its first line: 'Dies ist ein "
            "Brief.'), so it looks like a letter or other text, not a table") in result.stdout + result.stderr


@pytest.mark.parametrize("text", [
    "E-Mail\nanna@example.org\nben@example.org\n",
    "Firmenname\nMüller Bau GmbH\nSchmidt & Söhne KG\nHaus und Garten Meyer\n",
    "Kommentar\nBitte vor 10 Uhr liefern.\nNicht klingeln, Hund im Garten.\n",   # a column of notes
    "Name of the customer\nAnna Meyer\nJonas Schmidt\n",                           # a long header, names
])
def test_a_one_column_table_gets_no_such_warning(tmp_path, text):
    (tmp_path / "list.csv").write_text(text, encoding="utf-8")
    result = datatools("profile", "list.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "column of sentences" not in result.stdout + result.stderr
