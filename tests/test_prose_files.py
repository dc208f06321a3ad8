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


SPLIT_LETTER = ("Geachte heer De Vries,\n\nHierbij stuur ik u, zoals afgesproken, het overzicht van "
                "onze klanten. Helaas is het bestand\nniet volledig; de adressen van de afdeling Noord "
                "ontbreken nog. Ik hoop u hiermee voldoende te\nhebben geïnformeerd, en zie uw reactie "
                "graag tegemoet.\n\nMet vriendelijke groet,\n\nMarieke Bakker\nAfdeling Klantenservice\n")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_letter_cut_at_its_commas_into_columns_gets_the_warning_too(tmp_path, engine):
    """Trial C (session 10): a Dutch letter read as 3 columns (its commas) had no warning."""
    (tmp_path / "brief.csv").write_text(SPLIT_LETTER, encoding="utf-8")
    result = datatools("profile", "brief.csv", "--engine", engine, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("warning: This file reads as sentences cut at their commas into 3 columns (its first "
            "line: 'Geachte heer De Vries'), so it looks like a letter") in result.stdout + result.stderr


@pytest.mark.parametrize("text", [
    "Name,,Ort\nAnna Meyer,x,Köln\nJonas Schmidt,y,Bonn\n",                 # a named last column
    "Kunde,\nAnna Meyer aus Köln\nJonas Schmidt aus Bonn\n",               # a short first name
    "Name des Kunden,\nAnna Meyer,12\nJonas Schmidt,14\nPaul Weber,9\n",     # names, not lines
])
def test_a_table_with_unnamed_columns_gets_no_such_warning(tmp_path, text):
    (tmp_path / "list.csv").write_text(text, encoding="utf-8")
    result = datatools("profile", "list.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sentences" not in result.stdout + result.stderr
