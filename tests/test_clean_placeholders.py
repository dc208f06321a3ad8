"""`clean` at its defaults keeps real values that look like placeholders, and `--phones` leaves
amounts alone: the installed script on small files, in both engines (trial 5's data loss)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATATOOLS = Path(sys.executable).with_name("datatools")
ENGINES = ("memory", "duckdb")


def _clean(tmp_path: Path, text: str, engine: str, *options: str) -> tuple[list[dict], dict]:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"out-{engine}.csv"
    run = subprocess.run([str(DATATOOLS), "clean", str(source), "--engine", engine, "--json",
                          "-o", str(out), *options], capture_output=True, text=True,
                         env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";" if ";" in text.splitlines()[0] else ",")), \
            json.loads(run.stdout)


@pytest.mark.parametrize("engine", ENGINES)
def test_surnames_and_country_codes_that_spell_placeholders_are_kept(tmp_path, engine):
    rows, report = _clean(tmp_path, "customer_id,last_name,country,note\n"
                          "1001,Kim,KR,ok\n1004,Na,NA,N/A\n1005,Null,DE,-\n1007,None,NL,NULL\n"
                          "1008,Park,ZA,#N/A\n", engine)
    assert [r["last_name"] for r in rows] == ["Kim", "Na", "Null", "None", "Park"]
    assert [r["country"] for r in rows] == ["KR", "NA", "DE", "NL", "ZA"]
    # The spellings that are never a value are still emptied, and the report counts them.
    assert [r["note"] for r in rows] == ["ok", "", "", "", ""]
    # … and a note names the column, the count and the spellings emptied: the first three
    # sampled, as examples, since a fourth ('#N/A') is not named (trial 6).
    assert any("note 4 (e.g. 'N/A', '-', 'NULL')" in note for note in report["notes"])


@pytest.mark.parametrize("engine", ENGINES)
def test_phones_leave_an_amount_column_alone(tmp_path, engine):
    amounts = ["986.384", "831.518", "486.244", "512.300", "745.120", "623.950"]
    text = "Kunde;Telefon;Umsatz\n" + "".join(
        f"Kunde {i};030 12345{i};{a}\n" for i, a in enumerate(amounts, 1))
    rows, _ = _clean(tmp_path, text, engine, "--phones", "--phone-region", "DE")
    assert [r["Umsatz"] for r in rows] == amounts
    assert rows[0]["Telefon"] == "+4930123451"
