"""Numbers and dates are written the way the input writes them unless the user picks another
format: a `;` cp1252 list with decimal commas comes back readable by the Excel that wrote it."""

from __future__ import annotations

import json

from cli_process import datatools

# A German bank export: `;`, cp1252, decimal commas grouped by `.`, dd.mm.yyyy dates.
GERMAN = ("Buchungstag;Empfänger;Betrag;Saldo\r\n"
          "31.12.2024;Müller GmbH;19.002,43;120.455,10\r\n"
          "02.01.2025;Bäckerei Weiß;-12,50;120.442,60\r\n"
          "3.1.2025;Straßenbahn;-2,9;120.439,70\r\n"
          "15.01.2025;Gehalt;3.250,00;123.689,70\r\n")


def test_clean_keeps_decimal_commas_grouping_and_date_layout(tmp_path):
    source = tmp_path / "konto.csv"
    source.write_bytes(GERMAN.encode("cp1252"))
    done = datatools("clean", str(source), "-o", "out.csv", "--numbers", "auto", "--dates", "auto",
                     "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["formats"] == {"numbers": "as-input", "dates": "as-input", "phones": "e164"}
    assert [n.split(" were")[0] for n in report["notes"]] == [
        "Numbers in Betrag, Saldo", "Dates in Buchungstag"]
    # The output keeps the input's `;` (DECISIONS 225), so decimal commas need no quoting.
    rows = [line.split(";") for line in (tmp_path / "out.csv").read_text("utf-8").splitlines()]
    assert [row[0] for row in rows[1:]] == ["31.12.2024", "02.01.2025", "03.01.2025", "15.01.2025"]
    assert [row[2:] for row in rows][1] == ["19.002,43", "120.455,10"]
    assert ";-2,9;" in (tmp_path / "out.csv").read_text("utf-8")


def test_another_format_is_chosen_by_option_and_stated(tmp_path):
    source = tmp_path / "konto.csv"
    source.write_bytes(GERMAN.encode("cp1252"))
    done = datatools("clean", str(source), "-o", "out.csv", "--numbers", "auto", "--dates", "auto",
                     "--number-format", "point", "--date-format", "iso", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "note: Numbers in Betrag, Saldo were written with a decimal point" in done.stdout
    assert "note: Dates in Buchungstag were written as YYYY-MM-DD." in done.stdout
    text = (tmp_path / "out.csv").read_text("utf-8")
    assert "2024-12-31;Müller GmbH;19002.43;120455.10" in text
