"""With --json, a failing command's error is one JSON object a script can read (stderr)."""

from __future__ import annotations

import json

import pytest
from cli_process import datatools


@pytest.mark.parametrize("argv, code, exit_code, params", [
    (["dedupe", "people.csv", "--columns", "nmae", "-o", "out.csv"],
     "no_such_column", 2, {"columns": "nmae"}),
    (["dedupe", "people.csv", "--threshold", "500", "-o", "out.csv"], "bad_threshold", 2, {"value": "500"}),
    (["profile", "missing.csv"], "cannot_open", 1, {"file": "missing.csv"}),
])
def test_json_errors_carry_the_code_message_and_exit_code(tmp_path, argv, code, exit_code, params):
    (tmp_path / "people.csv").write_text("name,city\nAnna,Leeds\n", encoding="utf-8")
    plain = datatools(*argv, cwd=tmp_path)
    scripted = datatools(*argv, "--json", cwd=tmp_path)
    assert plain.returncode == scripted.returncode == exit_code
    sentence = plain.stderr.strip().splitlines()[-1]
    assert sentence.startswith("datatools: ")
    error = json.loads(scripted.stderr)["error"]      # the error stream holds that object alone
    assert error["code"] == code and error["exit_code"] == exit_code
    assert error["message"] == sentence.removeprefix("datatools: ")
    assert params.items() <= error["params"].items()
    assert scripted.stdout == "" and not (tmp_path / "out.csv").exists()
