"""In real Chromium: Find duplicates at defaults and Save on a Windows export (CRLF line ends)
write the very bytes `datatools dedupe --keep most-complete` writes: the clean row of each group
(word by word the commoner spelling, DECISIONS 514) and the input's CRLF line ends, which the
command line used to turn into LF (DECISIONS 515). A reason naming names read swapped
(DECISIONS 516) reads in every language of the window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from review_window import licensed_window, reasons_in_languages, run_tool, save, write_csv
from tests.test_keep_policy import SPANISH, SPANISH_COLUMNS

pytestmark = pytest.mark.filterwarnings("error")

SCRIPT = Path(sys.executable).with_name("datatools")


def test_the_windows_save_and_dedupe_keep_write_the_same_crlf_file(chromium, keys, tmp_path):
    source = write_csv(tmp_path / "clientes.csv", SPANISH_COLUMNS, SPANISH)   # CRLF, as Excel
    by_window, by_cli = tmp_path / "clientes-window.csv", tmp_path / "clientes-cli.csv"
    with licensed_window(chromium, keys, tmp_path) as tab:
        run_tool(tab, "dedupe", [source], "columns", SPANISH_COLUMNS, "#review-groups .group")
        assert tab.locator("#group-1 tr.kept .row-number").inner_text() == "2"
        assert tab.locator("#group-2 tr.kept .row-number").inner_text() == "4"
        save(tab, by_window)
        shown = reasons_in_languages(tab, [
            "row 546: possible (names read swapped: maria pilar vs maria); agreed nombre 100"])
    done = subprocess.run([str(SCRIPT), "dedupe", str(source), "--columns", ",".join(SPANISH_COLUMNS),
                           "--keep", "most-complete", "-o", str(by_cli), "-q"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    header = ",".join(SPANISH_COLUMNS)
    kept = [SPANISH[1], SPANISH[3], *SPANISH[4:]]
    expected = "".join(f"{line}\r\n" for line in [header] + [
        ",".join(f'"{cell}"' if "," in cell else cell for cell in row) for row in kept])
    assert by_window.read_bytes() == expected.encode("utf-8")
    assert by_cli.read_bytes() == by_window.read_bytes()
    assert shown == [
        "like row 546: possible: names read swapped: maria pilar vs maria; agreed nombre 100",
        "wie Zeile 546: möglich: Namen vertauscht gelesen: maria pilar gegen maria; "
        "übereinstimmend nombre 100",
        "como la fila 546: posible: nombres leídos cruzados: maria pilar frente a maria; "
        "coinciden nombre 100",
        "comme la ligne 546 : possible : noms lus inversés : maria pilar contre maria; "
        "concordent nombre 100"]
