"""The forgiving reader names the file's own line numbers after a blank line, on both engines
(the in-memory one named the line before: a blank line's number stayed in its list while the
row left), also under a title left out with `--header-row`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("datatools")
RAGGED = ("Export des factures;;;;\nSociété : Dupont et Fils SARL;;;;\n\n"
          "N° facture;Client;Date;Montant TTC;Statut\n"
          "F-2026-0412;Martin SARL;03/11/2026;1 250,00;payée\n\n"
          "F-2026-0413;Bernard et Cie;04/11/2026\n"
          "F-2026-0414;Boulangerie Petit;05/11/2026;312,40;payée;relance envoyée\n")


def warnings(folder: Path, engine: str, *argv: str) -> list[str]:
    result = subprocess.run([str(SCRIPT), "profile", "factures.csv", "--json", "-q", "--engine", engine, *argv],
                            cwd=folder, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["warnings"]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_repairs_after_a_blank_line_name_the_files_own_lines(tmp_path, engine):
    (tmp_path / "factures.csv").write_text(RAGGED, encoding="utf-8")
    found = warnings(tmp_path, engine, "--header-row", "4")
    assert found[:3] == [
        "Left out lines 1–3 above the header (line 4), a title rather than part of the table: "
        "'Export des factures', 'Société : Dupont et Fils SARL'. --header-row names another line as the header.",
        "1 row(s) have fewer than 5 fields and were padded with empty cells (line 7).",
        "1 row(s) have more than 5 fields; the extra values are kept in added columns (line 8)."]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_padded_row_after_a_blank_line_is_named_by_its_line(tmp_path, engine):
    (tmp_path / "factures.csv").write_text("id;name;city\n1;Anna;Köln\n\n2;Ben\n3;Cem;Bonn\n", encoding="utf-8")
    assert warnings(tmp_path, engine) == [
        "1 row(s) have fewer than 3 fields and were padded with empty cells (line 4)."]
