"""What a fresh user following the docs met, run through the installed console scripts:
values a `--keep` drops, numbers spelled two ways in a compare, a repeated key, the `engine`
key on both engines, `license verify` for a person, and the small things."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("error")


def installed(*argv: str, cwd: Path, script: str = "datatools") -> subprocess.CompletedProcess:
    """The installed console script `script`, run as a user runs it."""
    return subprocess.run([str(Path(sys.executable).parent / script), *argv], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env={**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")})


PEOPLE = ("id,name,city,email,phone\n"
          "1,Anna Schmidt,Berlin,,030 1234567\n"
          "2,Anna Schmidt,Berlin,anna@example.org,\n"
          "3,Bernd Meier,Hamburg,,\n"
          "4,Bernd Meier,Hamburg,bernd@example.org,040 7654321\n"
          "5,Carla Roth,Köln,carla@example.org,0221 555\n")


def test_keep_first_says_per_column_which_values_went_with_the_removed_rows(tmp_path):
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    run = installed("dedupe", "people.csv", "--columns", "name,city", "--keep", "first",
                    "-o", "out.csv", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert ("Values only the removed rows held, gone with them (their kept row is empty there): "
            "3 (email 2, phone 1); add --fill-empty to copy them into the kept rows.") in run.stdout
    report = json.loads(installed("dedupe", "people.csv", "--columns", "name,city", "--keep",
                                  "most-complete", "-o", "out.csv", "--force", "--json",
                                  cwd=tmp_path).stdout)
    assert report["cells_lost"] == {"email": 1}
    filled = installed("dedupe", "people.csv", "--columns", "name,city", "--keep", "first",
                       "--fill-empty", "-o", "out.csv", "--force", cwd=tmp_path)
    assert "gone with them" not in filled.stdout
    assert json.loads(installed("dedupe", "people.csv", "--columns", "name,city", "--keep", "first",
                                "--fill-empty", "-o", "out.csv", "--force", "--json",
                                cwd=tmp_path).stdout)["cells_lost"] == {}


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_clean_compare_dedupe_and_match_name_their_engine_in_json_on_both_engines(tmp_path, engine):
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "newer.csv").write_text(PEOPLE.replace("Köln", "Bonn"), encoding="utf-8")
    runs = {"clean": ["clean", "people.csv", "-o", "clean.csv"],
            "clean --preview": ["clean", "people.csv", "--preview", "3"],
            "compare": ["compare", "people.csv", "newer.csv", "--key", "id"],
            "dedupe": ["dedupe", "people.csv", "--columns", "name,city"],
            "match": ["match", "people.csv", "newer.csv", "--on", "name,city"],
            "profile": ["profile", "people.csv"]}
    for tool, argv in runs.items():
        run = installed(*argv, "--engine", engine, "--json", cwd=tmp_path)
        assert run.returncode == 0, (tool, run.stderr)
        assert json.loads(run.stdout)["engine"]["name"] == engine, tool
