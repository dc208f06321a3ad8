"""A possible match says why it is not certain, in the words dedupe uses for a possible group
(issue 30, DECISIONS 418, 462): a couple's `Paula Bauer` against `Paul Bauer` at one address
reads `possible (their names read as two people)`, `J. Weber` against `Jonas Weber` `possible
(an initial alone)`. The installed `datatools` script on tables written here."""

from __future__ import annotations

import csv

import pytest

from tests.cli_process import datatools, write_semicolons
from tests.test_match_score_scale import _match

ROWS = [["Peter Maier", "Am Markt 3", "Bonn"], ["Jonas Weber", "Bergweg 7", "Kassel"],
        ["Anna Schmidt", "Hauptstr. 5", "Berlin"]]
PARTNERS = [["Petra Maier", "Am Markt 3", "Bonn"], ["J. Weber", "", "Kassel"],
            ["Anna Schmidt", "Hauptstr. 5", "Berlin"]]


def _reasons(path, key: str) -> dict[str, str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row[key]: row["match_reason"] for row in csv.DictReader(handle, delimiter=";")}


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_possible_match_of_a_couple_says_their_names_read_as_two_people(tmp_path, engine):
    _match(tmp_path, "--include-possible", "--engine", engine)
    reasons = _reasons(tmp_path / "out.csv", "Nr")
    assert reasons["B4"].startswith(       # Paula Bauer ↔ Paul Bauer, one address
        "right row 5: possible (their names read as two people); agreed Name 95, ")
    # a tie already says why; a certain match says nothing of the kind
    assert reasons["B1"].startswith("right row 1: tied with right row 2; agreed ")
    assert "possible (" not in reasons["B2"] + reasons["B3"]


def test_match_and_dedupe_give_one_pair_the_same_words(tmp_path):
    header = ["Name", "Straße", "Ort"]
    write_semicolons(tmp_path / "left.csv", header, ROWS)
    write_semicolons(tmp_path / "right.csv", header, PARTNERS)
    write_semicolons(tmp_path / "both.csv", header, [row for pair in zip(ROWS, PARTNERS) for row in pair])
    done = datatools("match", "left.csv", "right.csv", "--on", ",".join(header),
                     "--include-possible", "-o", "matched.csv", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = datatools("dedupe", "both.csv", "--columns", ",".join(header), "-o", "deduped.csv",
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    matched = _reasons(tmp_path / "matched.csv", "Name")
    deduped = _reasons(tmp_path / "deduped.csv", "Name")
    assert [matched[name].split("; ")[0] for name in ("Peter Maier", "Jonas Weber")] == [
        "right row 1: possible (their names read as two people)",
        "right row 2: possible (an initial alone)"]
    assert [deduped[name].split("; ")[0] for name in ("Peter Maier", "Jonas Weber")] == [
        "row 2: possible (their names read as two people)", "row 4: possible (an initial alone)"]
    assert matched["Anna Schmidt"].startswith("right row 3: agreed ")
