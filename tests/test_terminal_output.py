"""Escape sequences in a file's header and cells never reach the terminal raw: `datatools
profile` shows them escaped; `--json` keeps them exact."""

from __future__ import annotations

import json

from cli_process import datatools

TITLE = "\x1b]0;pwned\x07"           # renames the terminal window
CLEAR = "\x1b[2J\x1b[H"              # clears the screen
CONTROLS = ("\x1b", "\x07", "\r", "\u202e")


def test_profile_escapes_control_characters_in_names_cells_and_warnings(tmp_path):
    source = tmp_path / "evil.csv"
    source.write_text(f"name{TITLE},city\nAnn{CLEAR},Graz\u202e\nBo,Wien\rX\n", encoding="utf-8")
    done = datatools("profile", str(source), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not any(c in done.stdout for c in CONTROLS), done.stdout
    assert "name\\x1b]0;pwned\\x07" in done.stdout
    as_json = json.loads(datatools("profile", "--json", str(source), cwd=tmp_path).stdout)
    assert as_json["columns"][0]["name"] == "name" + TITLE


def test_an_error_naming_a_hostile_file_name_is_escaped(tmp_path):
    done = datatools("profile", f"missing{CLEAR}.csv", cwd=tmp_path)
    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "missing\\x1b[2J" in done.stderr
