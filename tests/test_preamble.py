"""A title above the table (user trial: "Kundenliste Stand 01.12.2026" in A1 was read as the
header) is found and left out with a notice naming its lines, in .xlsx and CSV, on both engines;
`--header-row N` names the header's line; a table that starts with its header never loses a row.

The preambles are the shapes real exports write: an accounting program's customer list (title,
"Exportiert von …" line, header in row 3), an English bank statement (`Account:,…` lines and a
blank line), a French invoice export saved by Excel (every line padded with `;` to the table's
width). Every run is the installed `datatools` console script.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("datatools")

KUNDEN = [("10001", "Müller Bau GmbH", "Müller", "Hans", "01067", "Dresden"),
          ("10002", "Schmidt & Söhne KG", "Schmidt", "Anna", "80331", "München"),
          ("10003", "Elektro Schneider", "Schneider", "Peter", "50667", "Köln"),
          ("10004", "Fischer Logistik", "Fischer", "Monika", "20095", "Hamburg"),
          ("10005", "Weber Haustechnik", "Weber", "Thomas", "70173", "Stuttgart")]
KUNDEN_HEADER = ["Kundennr", "Firma", "Nachname", "Vorname", "PLZ", "Ort"]

STATEMENT = """Account Statement
Account:,40-11-62 71234567
Period:,01/11/2026 - 30/11/2026
Generated:,01/12/2026 08:30

Date,Description,Reference,Amount,Balance
01/11/2026,CARD PAYMENT TESCO STORES 2041,TX1001,-23.45,1204.12
02/11/2026,DIRECT DEBIT BRITISH GAS,TX1002,-61.00,1143.12
03/11/2026,SALARY ACME LTD,TX1003,2150.00,3293.12
03/11/2026,CARD PAYMENT TESCO STORES 2041,TX1004,-23.45,3269.67
05/11/2026,STANDING ORDER RENT,TX1005,-850.00,2419.67
"""

FACTURES = """Export des factures;;;;
Société : Dupont et Fils SARL;;;;
Date d'extraction : 01/12/2026;;;;
Filtre : statut = payée;;;;
N° facture;Client;Date;Montant TTC;Statut
F-2026-0412;Martin SARL;03/11/2026;1 250,00;payée
F-2026-0413;Bernard et Cie;04/11/2026;89,90;payée
F-2026-0414;Martin SARL;07/11/2026;1 250,00;payée
F-2026-0415;Boulangerie Petit;12/11/2026;312,40;payée
"""


def run(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed `datatools` script, as a user runs it."""
    return subprocess.run([str(SCRIPT), *argv], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def profile(path: Path, *options: str) -> dict:
    result = run("profile", path.name, "--json", "-q", *options, cwd=path.parent)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return {"columns": [c["name"] for c in report["columns"]], "rows": report["rows"],
            "warnings": report["warnings"]}


def kundenliste(folder: Path, preamble: list[list[str]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kunden"
    for row in [*preamble, KUNDEN_HEADER, *map(list, KUNDEN)]:
        sheet.append(row)
    book.save(folder / "kundenliste.xlsx")
    return folder / "kundenliste.xlsx"


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_title_and_export_line_above_an_xlsx_table_are_left_out_and_named(tmp_path, engine):
    book = kundenliste(tmp_path, [["Kundenliste Stand 01.12.2026"],
                                  ["Exportiert von Lexware buchhaltung am 01.12.2026, 09:14 Uhr"]])
    found = profile(book, "--engine", engine)
    assert found["columns"] == KUNDEN_HEADER
    assert found["rows"] == len(KUNDEN)
    assert found["warnings"] == [
        "Left out rows 1–2 above the header (row 3), a title rather than part of the table: "
        "'Kundenliste Stand 01.12.2026', 'Exportiert von Lexware buchhaltung am 01.12.2026, "
        "09:14 Uhr'. --header-row names another row as the header."]


def test_a_blank_row_between_title_and_header_is_part_of_what_is_left_out(tmp_path):
    book = kundenliste(tmp_path, [["Kundenliste Stand 01.12.2026"], []])
    result = run("profile", book.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: Left out rows 1–2 above the header (row 3)" in result.stdout
    assert "with every cell empty" not in result.stdout
    assert result.stdout.splitlines()[0] == "5 rows, 6 columns"


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_bank_statement_csv_dedupes_its_transactions_not_its_title(tmp_path, engine):
    (tmp_path / "statement.csv").write_text(STATEMENT, encoding="utf-8")
    result = run("dedupe", "statement.csv", "--columns", "Description,Amount", "-o", "out.csv",
                 "--engine", engine, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Left out lines 1–5 above the header (line 6)" in result.stdout + result.stderr
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["Date", "Description", "Reference", "Amount", "Balance"]
    assert [row[2] for row in rows[1:]] == ["TX1001", "TX1002", "TX1003", "TX1004", "TX1005"]
    assert (tmp_path / "statement.csv").read_text(encoding="utf-8") == STATEMENT   # input untouched


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_an_excel_padded_french_export_is_cleaned_from_its_header_on(tmp_path, engine):
    (tmp_path / "factures.csv").write_text(FACTURES, encoding="utf-8")
    result = run("clean", "factures.csv", "-o", "propre.csv", "--engine", engine, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("Left out lines 1–4 above the header (line 5), a title rather than part of the table: "
            "'Export des factures', 'Société : Dupont et Fils SARL', \"Date d'extraction : "
            "01/12/2026\"") in result.stdout + result.stderr
    with open(tmp_path / "propre.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["N° facture", "Client", "Date", "Montant TTC", "Statut"]
    assert [row[0] for row in rows[1:]] == ["F-2026-0412", "F-2026-0413", "F-2026-0414", "F-2026-0415"]


GIROKONTO = """"Kontonummer:";"DE12120300001234567890 / Girokonto";
"";
"Von:";"01.11.2026";
"Bis:";"30.11.2026";
"Kontostand vom 30.11.2026:";"1.234,56 EUR";
"";
"Buchungstag";"Wertstellung";"Buchungstext";"Auftraggeber / Begünstigter";"Verwendungszweck";"Betrag (EUR)";
"28.11.2026";"28.11.2026";"Lastschrift";"REWE Markt GmbH";"EC 12345";"-45,67";
"27.11.2026";"27.11.2026";"Gutschrift";"ACME GmbH";"Gehalt November";"2.150,00";
"26.11.2026";"26.11.2026";"Lastschrift";"Stadtwerke München";"Abschlag Strom";"-61,00";
"""


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_bank_export_starting_with_label_lines_is_read_from_its_header(tmp_path, engine):
    # `"Kontonummer:";"DE…"` fills two distinct text cells like a header would; its label's
    # colon says it is not one.
    (tmp_path / "girokonto.csv").write_text(GIROKONTO, encoding="cp1252")
    found = profile(tmp_path / "girokonto.csv", "--engine", engine)
    assert found["columns"][:6] == ["Buchungstag", "Wertstellung", "Buchungstext",
                                    "Auftraggeber / Begünstigter", "Verwendungszweck", "Betrag (EUR)"]
    assert found["rows"] == 3
    assert found["warnings"][0].startswith(
        "Left out lines 1–6 above the header (line 7), a title rather than part of the table: "
        "'Kontonummer: DE12120300001234567890 / Girokonto', 'Von: 01.11.2026', 'Bis: 30.11.2026'.")


# --- --header-row ------------------------------------------------------------------------

CONTACTS = "Ansprechpartner Stand Dezember 2026\nName;Abteilung\nAnna Schmidt;Einkauf\nJonas Weber;Vertrieb\n"


def test_header_row_names_the_header_where_detection_holds_back(tmp_path):
    # Two short text columns in a workbook: nothing tells the header from a data row, so the
    # reader keeps the first row as the header (as before) and the user names the header's row.
    import openpyxl

    book = openpyxl.Workbook()
    for row in [["Ansprechpartner Stand Dezember 2026"], ["Name", "Abteilung"],
                ["Anna Schmidt", "Einkauf"], ["Jonas Weber", "Vertrieb"]]:
        book.active.append(row)
    book.save(tmp_path / "kontakte.xlsx")
    assert profile(tmp_path / "kontakte.xlsx")["columns"] == ["Ansprechpartner Stand Dezember 2026", "column_2"]
    found = profile(tmp_path / "kontakte.xlsx", "--header-row", "2")
    assert found["columns"] == ["Name", "Abteilung"]
    assert found["rows"] == 2
    assert found["warnings"][0].startswith("Left out row 1 above the header (row 2)")


def test_a_title_line_above_a_narrow_text_table_is_found_by_its_missing_separators(tmp_path):
    (tmp_path / "kontakte.csv").write_text(CONTACTS, encoding="utf-8")
    found = profile(tmp_path / "kontakte.csv")
    assert (found["columns"], found["rows"]) == (["Name", "Abteilung"], 2)
    assert found["warnings"][0].startswith("Left out line 1 above the header (line 2)")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_header_row_1_reads_a_detected_title_as_the_header_again(tmp_path, engine):
    book = kundenliste(tmp_path, [["Kundenliste Stand 01.12.2026"], ["Exportiert von Lexware"]])
    found = profile(book, "--header-row", "1", "--engine", engine)
    assert found["columns"][0] == "Kundenliste Stand 01.12.2026"
    assert found["rows"] == 2 + len(KUNDEN)


def test_header_row_counts_the_sheet_rows_excel_shows(tmp_path):
    book = kundenliste(tmp_path, [["Kundenliste"], [], ["Stand 01.12.2026"]])
    found = profile(book, "--header-row", "4")
    assert (found["columns"], found["rows"]) == (KUNDEN_HEADER, len(KUNDEN))
    assert found["warnings"][0].startswith("Left out rows 1–3 above the header (row 4)")


@pytest.mark.parametrize("argv, message", [
    (["--header-row", "40"], "--header-row 40: the file's start has only 5 lines."),
    (["--header-row", "0"], "'0' is not a line number"),
    (["--header-row", "2", "--no-header"], "--no-header and --header-row contradict each other"),
])
def test_a_header_row_that_cannot_be_used_is_a_usage_error(tmp_path, argv, message):
    (tmp_path / "kontakte.csv").write_text(CONTACTS + "\n", encoding="utf-8")
    result = run("profile", "kontakte.csv", *argv, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


def test_a_header_row_on_a_blank_line_is_refused(tmp_path):
    (tmp_path / "factures.csv").write_text(FACTURES.replace("Filtre : statut = payée;;;;", ";;;;"),
                                           encoding="utf-8")
    result = run("profile", "factures.csv", "--header-row", "4", cwd=tmp_path)
    assert result.returncode == 2
    assert "--header-row 4: that line is blank." in result.stderr


def test_header_row_travels_in_a_saved_recipe(tmp_path):
    (tmp_path / "kontakte.csv").write_text(CONTACTS, encoding="utf-8")
    result = run("clean", "kontakte.csv", "--header-row", "2", "-o", "a.csv", "--save-recipe", "r.json",
                  "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["import"]["header_row"] == 2
    replay = run("run", "r.json", "kontakte.csv", "-o", "b.csv", "-q", cwd=tmp_path)
    assert replay.returncode == 0, replay.stderr
    assert (tmp_path / "b.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()
    assert (tmp_path / "b.csv").read_text(encoding="utf-8-sig").startswith("Name;Abteilung")


# --- never a data row lost -----------------------------------------------------------------

ORDERS = ("Bestellnr;Artikel;Menge;Preis;Bemerkung\n1001;;;;\n1002;;;;\n"
          "1003;Schrauben M4 verzinkt;100;4,95;Lager B\n1004;Dübel 8 mm;50;3,20;Lager A\n")
SPARSE_NAMES = ("Name;;;;\nMeier;;;;\nSchulz;;;;\nBecker;Hans;Berlin;Hauptstraße;Ost\n"
                "Wagner;Eva;Köln;10115;West\n")
NO_HEADER = ("1001;;;;\nKundenliste Süd;;;;\nBecker;Hans;Berlin;Hauptstraße;Ost\n"
             "Wagner;Eva;Köln;10115;West\n")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
@pytest.mark.parametrize("text, argv, columns, rows", [
    # The header first, its first data rows sparse: every row stays.
    (ORDERS, [], ["Bestellnr", "Artikel", "Menge", "Preis", "Bemerkung"], 4),
    # A header naming one column over sparse rows of single words: no title above a header.
    (SPARSE_NAMES, [], ["Name", "column_2", "column_3", "column_4", "column_5"], 4),
    # No header at all, said so: nothing is looked for.
    (NO_HEADER, ["--no-header"], [f"column_{i}" for i in range(1, 6)], 4),
])
def test_a_table_whose_first_rows_are_sparse_keeps_them(tmp_path, engine, text, argv, columns, rows):
    (tmp_path / "liste.csv").write_text(text, encoding="utf-8")
    found = profile(tmp_path / "liste.csv", "--engine", engine, *argv)
    assert (found["columns"], found["rows"]) == (columns, rows)
    assert not any("above the header" in w for w in found["warnings"])


def test_an_xlsx_table_with_sparse_first_rows_keeps_them(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for line in ORDERS.splitlines():
        book.active.append([cell or None for cell in line.split(";")])
    book.save(tmp_path / "bestellungen.xlsx")
    found = profile(tmp_path / "bestellungen.xlsx")
    assert (found["columns"][0], found["rows"]) == ("Bestellnr", 4)
    assert not any("above the header" in w for w in found["warnings"])


# --- the large engine warns of a letter as the in-memory one does ---------------------------

def test_the_large_engine_says_a_letter_is_not_a_table(tmp_path):
    (tmp_path / "brief.csv").write_text("Dies ist ein Brief.\n\nSehr geehrte Damen und Herren,\n"
                                        "anbei die Preisliste; bitte prüfen.\nMit freundlichen Grüßen\n",
                                        encoding="utf-8")
    reports = [profile(tmp_path / "brief.csv", "--engine", engine)["warnings"] for engine in ("memory", "duckdb")]
    assert reports[1] == reports[0]
    assert any(w.startswith("This file reads as one column of sentences") for w in reports[1])
