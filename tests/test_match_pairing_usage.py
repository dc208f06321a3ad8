"""A match whose --on and --right-on name different numbers of columns is a wrong command
line: exit code 2, as the user guide's table of exit codes says (trial A, session 9: it was 1,
the code of an input that cannot be used)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("datatools")


@pytest.mark.parametrize("extra", [["-o", "out.csv"], ["--estimate"]])
def test_two_columns_against_one_is_a_usage_error(tmp_path, extra):
    (tmp_path / "left.csv").write_text("E-Mail,Name\na@x.de,Anna Meyer\n", encoding="utf-8")
    (tmp_path / "right.csv").write_text("E-Mail,Vorname\na@x.de,Anna\n", encoding="utf-8")
    done = subprocess.run([str(SCRIPT), "match", "left.csv", "right.csv", "--on", "E-Mail,Name",
                           "--right-on", "E-Mail", *extra], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "--on names 2 columns but --right-on names 1" in done.stderr
    assert not (tmp_path / "out.csv").exists()
