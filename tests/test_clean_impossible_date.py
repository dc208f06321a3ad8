"""A date impossible in either order (`13.13.1999`: day and month both over 12) is a mistyped
date, not proof that the column mixes day-first and month-first dates: `clean --dates auto`
still reads the column's other dates in their order and names the one it could not read,
through the installed script, in both engines (trial 6: the whole column was left unchanged
"because some dates are day-first and some month-first")."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATATOOLS = Path(sys.executable).with_name("datatools")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_one_impossible_date_does_not_stop_the_column(tmp_path, engine):
    source = tmp_path / "birthdays.csv"
    source.write_text("id;born\n1;31.12.1970\n2;01.02.1980\n3;13.13.1999\n4;15.08.1975\n",
                      encoding="utf-8")
    out = tmp_path / "clean.csv"
    run = subprocess.run([str(DATATOOLS), "clean", str(source), "--dates", "auto", "--date-format",
                          "iso", "--engine", engine, "--json", "-o", str(out)],
                         capture_output=True, text=True,
                         env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    with out.open(encoding="utf-8", newline="") as handle:
        born = [row["born"] for row in csv.DictReader(handle, delimiter=";")]
    assert born == ["1970-12-31", "1980-02-01", "13.13.1999", "1975-08-15"]
    assert report["date_orders"] == {"born": "day-first"}
    assert "born: 1 value(s) are not real dates (e.g. '13.13.1999'); left unchanged." in report["notes"]
    assert not any("month-first" in note for note in report["notes"])
