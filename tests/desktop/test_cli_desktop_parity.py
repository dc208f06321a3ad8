"""The command line and the desktop give the same result on the same file with default options.

One test per tool: the CLI writes its output with `-o`, the desktop runs the same tool through
the job API and saves; the two files must be equal byte for byte (the profile, which the CLI
prints as a report with its reading details, is compared as parsed JSON).
"""

from __future__ import annotations

import io
import json

import pytest

from conftest import FIXTURES

from datatools.cli import main
from datatools.registry import desktop_choices

# tool: (input files, the CLI's extra arguments, the desktop's options) — only what has no
# default (the columns to compare) is given; everything else is left to the registry. A
# desktop save applies the window's review, which merges each group to the row of the
# registry's desktop keep policy: the CLI's --keep with that policy.
CASES = {
    "encoding": (["latin1.csv"], [], {}),
    "clean": (["messy.csv"], [], {}),
    "dedupe": (["near-duplicates.csv"], ["--columns", "name,city", "--keep", desktop_choices("dedupe", "keep")[0]],
               {"columns": ["name", "city"]}),
    "match": (["orders.csv", "customers.csv"], ["--on", "customer", "--right-on", "name"],
              {"on": ["customer"], "right_on": ["name"]}),
    "compare": (["customers.csv", "customers-new.csv"], [], {}),
}


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


@pytest.fixture
def near_duplicates(tmp_path):
    """People in pairs; "Maria Garcia" and "M. Garcia Lopez" score 57: a group at the engine's
    default threshold (54), none at the 60 the desktop once had of its own."""
    path = FIXTURES / "near-duplicates.csv"
    assert path.is_file(), f"{path} is missing"
    return path


def desktop_save(client, tool, paths, options, target):
    job = client.run_tool(tool, paths, options)
    assert job["state"] == "done", job
    status, _, body = client.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})
    assert status == 201, body
    return job


def cli(*argv) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert main([*argv, "-q"], out, err) == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("tool", list(CASES))
def test_cli_and_desktop_write_the_same_file(licensed, tool, tmp_path, near_duplicates):
    names, argv, options = CASES[tool]
    paths = [FIXTURES / name for name in names]
    by_cli, by_desktop = tmp_path / "cli.csv", tmp_path / "desktop.csv"
    command = ["encoding", "fix"] if tool == "encoding" else [tool]
    cli(*command, *map(str, paths), *argv, "-o", str(by_cli))
    desktop_save(licensed, tool, paths, options, by_desktop)
    assert by_desktop.read_bytes() == by_cli.read_bytes()


def test_the_default_threshold_finds_the_same_duplicates_on_both(licensed, tmp_path, near_duplicates):
    job = licensed.run_tool("dedupe", [near_duplicates], {"columns": ["name", "city"]})
    report = json.loads(cli("dedupe", str(near_duplicates), "--columns", "name,city", "--json"))
    # No threshold by default on either: the cut-offs come from the data (or the score, when small).
    assert job["result"]["report"]["threshold"] is None and report["threshold"] is None
    assert job["result"]["report"]["clusters"] == report["clusters"] > 0
    assert job["result"]["report"]["certain"] == report["certain"]


def test_cli_and_desktop_profile_the_same(licensed, tmp_path):
    source = FIXTURES / "customers.csv"
    by_desktop = tmp_path / "profile.json"
    desktop_save(licensed, "profile", [source], {}, by_desktop)
    report = json.loads(cli("profile", str(source), "--json"))
    # how the CLI read and ran (the engine line's name and figures) is the run's, not the profile's
    for reading_detail in ("input", "encoding", "delimiter", "warnings", "engine"):
        report.pop(reading_detail)
    assert json.loads(by_desktop.read_text(encoding="utf-8")) == report
