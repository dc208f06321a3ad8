"""A table with a header and no rows goes through every tool: an answer, never a traceback.

A user trial (session 10) ran `datatools dedupe headeronly.csv --columns naam` and got pyarrow's
"Index 0 out of bounds" traceback (similarity.prepare_columns sized its rank table for one rank
when a column has none); profile, clean, match and compare already answered.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

DATATOOLS = Path(sys.executable).with_name("datatools")   # the console script pip installed


def _run(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(DATATOOLS), *argv], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_dedupe_of_a_header_without_rows_writes_the_header_and_says_zero_rows(tmp_path, engine):
    source = tmp_path / "klanten.csv"
    source.write_bytes(b"naam;adres;plaats\r\n")
    before = source.read_bytes()
    keep = ["--keep", "first"] if engine == "memory" else []   # duckdb writes the groups only
    done = _run(tmp_path, "dedupe", str(source), "--columns", "naam,adres", "--engine", engine,
                *keep, "-o", "out.csv")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "0 rows: 0 groups" in done.stdout
    with open(tmp_path / "out.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    annotated = [] if engine == "memory" else ["cluster_id", "match_score", "match_certainty",
                                               "match_reason"]
    assert rows == [["naam", "adres", "plaats", *annotated]]
    assert source.read_bytes() == before


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_match_against_a_header_without_rows_gives_every_left_row_no_partner(tmp_path, engine):
    left = tmp_path / "orders.csv"
    left.write_text("name,city\nJan Jansen,Utrecht\nEmma de Vries,Delft\n", encoding="utf-8")
    right = tmp_path / "customers.csv"
    right.write_text("name,city\n", encoding="utf-8")
    done = _run(tmp_path, "match", str(left), str(right), "--on", "name,city", "--engine", engine,
                "-o", "out.csv")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    with open(tmp_path / "out.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["name"] for row in rows] == ["Jan Jansen", "Emma de Vries"]
    assert all(not row["right_name"] for row in rows)
