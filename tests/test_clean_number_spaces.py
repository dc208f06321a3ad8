"""`clean` at its defaults keeps a number's thousands separator when it is a no-break space
(`1\u202f234,56`, `1\u00a0000`, as French and Swiss formats write them), and still makes a
no-break space between words an ordinary one: the installed script, both engines (trial 6:
the separators were replaced, against the guide's promise that a value written as its column
writes it stays byte for byte)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATATOOLS = Path(sys.executable).with_name("datatools")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_no_break_spaces_inside_numbers_stay(tmp_path, engine):
    source = tmp_path / "clients.csv"
    source.write_text("Réf;Montant;Ville\nA1;1\u202f234,56;Saint\u00a0Étienne\nA2;12,50;Lyon\n"
                      "A3;1\u00a0000;Paris\u202f\nA4;2\u2009500,00;Besançon\n", encoding="utf-8")
    out = tmp_path / "clean.csv"
    run = subprocess.run([str(DATATOOLS), "clean", str(source), "--engine", engine, "--json",
                          "-o", str(out)], capture_output=True, text=True,
                         env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [r["Montant"] for r in rows] == ["1\u202f234,56", "12,50", "1\u00a0000", "2\u2009500,00"]
    assert [r["Ville"] for r in rows] == ["Saint Étienne", "Lyon", "Paris", "Besançon"]
    assert json.loads(run.stdout)["cells_changed"] == 2
