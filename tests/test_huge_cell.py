"""A cell of tens of megabytes (a quote never closed, a file that is not a table) is refused in
the user's words on both engines, the input untouched; it was Python's "field larger than field
limit (131072)" (trial C, session 10)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATATOOLS = Path(sys.executable).with_name("datatools")   # the console script pip installed


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_cell_of_twenty_megabytes_is_refused_in_words(tmp_path, engine):
    source = tmp_path / "klanten.csv"
    source.write_bytes(b"naam,opmerking,plaats\r\nJan," + b"x" * 20_000_000
                       + b",Utrecht\r\nPiet,kort,Utrecht\r\n")
    before = source.stat().st_size, source.stat().st_mtime_ns
    done = subprocess.run([str(DATATOOLS), "profile", str(source), "--engine", engine, "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Line 2: a cell holds more than 131,072 characters" in done.stderr
    assert "a quote opened and never closed, or a file that is not a table" in done.stderr
    assert "field limit" not in done.stderr
    assert (source.stat().st_size, source.stat().st_mtime_ns) == before
