"""The large-file engine's match: the same matched file, byte for byte, and the same report as
in memory — at a fixed score, with the learned model's certain and possible matches, with
--top, --unique, a joined right column, vetoed partners, and the candidate pairs many times
DuckDB's memory limit; a wrong column is told before any working copy is made."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from datatools.cli import main
from tests.large_inputs import FIELD_CASES, people_rows, write_csv

PEOPLE = "first,last,street,city,born,email"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _tables(tmp_path: Path, rows: int, seed: int = 11, **csv) -> tuple[Path, Path]:
    """Two halves of one people table: a person typed twice may sit in both."""
    table = people_rows(rows, seed=seed)
    half = rows // 2
    return (write_csv(tmp_path / "left.csv", [table[0]] + table[1:half + 1], **csv),
            write_csv(tmp_path / "right.csv", [table[0]] + table[half + 1:], **csv))


def _match(left: Path, right: Path, engine: str, out: Path, *options: str) -> tuple[int, dict, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["match", str(left), str(right), "--engine", engine, "--json", "--force", "-o", str(out), *options],
                stdout, stderr)
    report = json.loads(stdout.getvalue()) if stdout.getvalue() else {}
    report.pop("engine", None)
    report.pop("output", None)
    return code, report, stderr.getvalue()


def _assert_same(left: Path, right: Path, tmp_path: Path, *options: str,
                 large: tuple[str, ...] = ()) -> dict:
    memory = _match(left, right, "memory", tmp_path / "memory.csv", *options)
    duck = _match(left, right, "duckdb", tmp_path / "large.csv", *options, *large)
    assert memory[0] == 0, memory[2]
    assert duck[:2] == memory[:2], duck[2]
    assert (tmp_path / "large.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert not list((tmp_path / "cache").rglob("job-*")), "a working copy outlived its job"
    return duck[1]


@pytest.mark.parametrize("options", [("--threshold", "70"), ("--threshold", "60", "--top", "3"),
                                     ("--threshold", "70", "--unique")])
def test_a_small_pair_of_tables_matches_the_same_at_a_fixed_score(options, tmp_path):
    left, right = _tables(tmp_path, 600)
    report = _assert_same(left, right, tmp_path, "--on", PEOPLE, *options)
    assert report["matched"] > 40 and report["unmatched"] > 40


@pytest.mark.parametrize("options", [(), ("--include-possible",)])
def test_a_medium_pair_matches_the_same_with_the_learned_model(options, tmp_path, monkeypatch):
    from datatools.large import match

    monkeypatch.setattr(match, "PART_ROWS", 333)       # the output written in several parts
    left, right = _tables(tmp_path, 3_000, encoding="cp1252", delimiter=";")
    report = _assert_same(left, right, tmp_path, "--on", PEOPLE, *options)
    assert report["threshold"] is None and report["certain"] > 100 and report["possible"] > 0
    text = (tmp_path / "large.csv").read_text(encoding="utf-8")
    assert "→" in text and "no partner" in text and "possible" in text


def test_a_joined_right_column_and_a_vetoed_partner_read_alike(tmp_path):
    left = write_csv(tmp_path / "left.csv", [["name", "street"], ["Robert Haines", "41 Birch Rd"],
                                             ["Ann Miller", "2 Elm St"]])
    right = write_csv(tmp_path / "right.csv", [["first", "last", "street"],
                                               ["Linda", "Haines", "41 Birch Rd"],
                                               ["Ann", "Miller", "2 Elm Street"]])
    report = _assert_same(left, right, tmp_path, "--on", "name,street",
                          "--right-on", "first + last,street")
    assert report["matched"] == 1
    assert "vetoed by name" in (tmp_path / "large.csv").read_text(encoding="utf-8")
    report = _assert_same(FIELD_CASES / "couples.csv", FIELD_CASES / "couples.csv", tmp_path,
                          "--on", "first,last,street", "--threshold", "70")
    assert report["matched"] == report["left_rows"]


def test_pairs_far_over_the_memory_limit_give_the_same_matches(tmp_path, monkeypatch):
    # Windows of 1,000 rows make millions of candidate keys (far over the 64 MB limit before
    # they are made distinct), and the budget keeps the 20,000 agreeing most.
    from datatools.large import pairs
    from datatools.tools import candidates

    monkeypatch.setattr(candidates, "MAX_WINDOW", 1000)
    monkeypatch.setattr(candidates, "PAIR_BUDGET", 10**9)
    monkeypatch.setattr(candidates, "MIN_SCORED", 20_000)
    monkeypatch.setattr(pairs, "BATCH", 7_000)       # several batches, learned across them
    left, right = _tables(tmp_path, 4_000, seed=3)
    report = _assert_same(left, right, tmp_path, "--on", PEOPLE, large=("--memory-limit", "64MB"))
    assert report["pairs_compared"] >= 20_000 and report["certain"] > 100


def test_a_wrong_column_is_told_before_any_working_copy(tmp_path, monkeypatch):
    from datatools.large import workcopy

    def never(*args, **kwargs):
        raise AssertionError("the working copy was started")

    monkeypatch.setattr(workcopy, "copy_table", never)
    left, right = _tables(tmp_path, 60)
    memory = _match(left, right, "memory", tmp_path / "m.csv", "--on", "first,surname")
    duck = _match(left, right, "duckdb", tmp_path / "d.csv", "--on", "first,surname")
    assert duck[0] == memory[0] != 0 and "'surname'" in duck[2] and duck[2] == memory[2]
    assert not (tmp_path / "d.csv").exists() and not list((tmp_path / "cache").rglob("job-*"))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["dedupe", str(left), "--engine", "duckdb", "--columns", "first,surname",
                 "-o", str(tmp_path / "g.csv")], stdout, stderr)
    assert code == memory[0] and "'surname'" in stderr.getvalue()


def test_a_review_on_the_duckdb_engine_is_refused_before_any_work(tmp_path):
    left, right = _tables(tmp_path, 60)
    review = write_csv(tmp_path / "review.csv", [["row"], ["1"]])
    code, _, err = _match(left, right, "duckdb", tmp_path / "out.csv", "--on", PEOPLE,
                          "--review", str(review))
    assert code == 2 and "--engine memory" in err
    assert not (tmp_path / "out.csv").exists()
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["match", str(left), str(right), "--on", PEOPLE, "--estimate", "--engine", "duckdb"],
                stdout, stderr)
    assert code == 2 and "--engine memory" in stderr.getvalue()


def test_auto_takes_the_duckdb_engine_for_large_files_and_says_so(tmp_path, monkeypatch):
    from datatools.large import engine

    left, right = _tables(tmp_path, 300)
    _match(left, right, "memory", tmp_path / "memory.csv", "--on", PEOPLE, "--threshold", "70")
    monkeypatch.setattr(engine, "large_bytes", lambda ram=None: 1024)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["match", str(left), str(right), "--on", PEOPLE, "--threshold", "70",
                 "-o", str(tmp_path / "auto.csv")], stdout, stderr)
    assert code == 0 and "engine duckdb" in stderr.getvalue()
    assert (tmp_path / "auto.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()


def test_a_large_match_reads_each_compared_column_when_it_is_normalised(tmp_path, monkeypatch):
    """A 1 M × 10 M-row match held all six compared columns of both files at once beside the
    prepared ones and peaked at 4.4 GB; each pair is now read when its turn comes, as dedupe's."""
    from datatools.large import match as large_match
    from datatools.tools import date_values

    seen: list[str] = []
    read, dates = large_match._ColumnReader.arrow, date_values.dates_as_digits
    monkeypatch.setattr(large_match._ColumnReader, "arrow",
                        lambda self, name: seen.append("read") or read(self, name))
    monkeypatch.setattr(date_values, "dates_as_digits",
                        lambda values, split: seen.append("normalise") or dates(values, split))
    left, right = _tables(tmp_path, 400)
    code, _, err = _match(left, right, "duckdb", tmp_path / "large.csv", "--on", PEOPLE,
                          "--memory-limit", "64MB")
    assert code == 0, err
    assert seen.count("normalise") == 6
    first, last = seen.index("normalise"), len(seen) - 1 - seen[::-1].index("normalise")
    assert seen[first:last].count("read") >= 10, seen     # pairs 2–6 read between normalising


def test_a_large_match_reads_no_compared_column_as_python_strings(tmp_path, monkeypatch):
    """Asking whether RIGHT has a column read it as a pandas Series of Python strings (a
    street column of the 10 M-row export: some 0.7 GB, while the columns were prepared), and so did
    the note on values with invisible characters, for every compared column of both files
    (beside the chosen matches). Both read Arrow arrays now; the note says what it said."""
    from datatools.large import match as large_match

    table = people_rows(400, seed=5)
    for k, row in enumerate(table[1:], start=1):
        if k % 37 == 0:
            row[2] = row[2] + "\u00a0"            # a no-break space after a street
        if k % 53 == 0:
            row[0] = "\u200b" + row[0]            # a zero-width space before a first name
    left = write_csv(tmp_path / "left.csv", table[:201])
    right = write_csv(tmp_path / "right.csv", [table[0]] + table[201:])
    series: list[str] = []
    as_series = large_match._ColumnReader.__getitem__
    monkeypatch.setattr(large_match._ColumnReader, "__getitem__",
                        lambda self, name: series.append(name) or as_series(self, name))
    report = _assert_same(left, right, tmp_path, "--on", "first,last,street,city,born")
    assert any("invisible" in str(w) for w in report["warnings"]), report["warnings"]
    assert series == ["email"]            # the one column both share and match does not compare
