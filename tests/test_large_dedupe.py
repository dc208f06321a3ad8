"""The large-file engine's dedupe: the same grouped file, byte for byte, and the same report as
in memory — on a household the veto splits, on small and medium tables, with the budget's cut,
and with the candidate pairs many times DuckDB's memory limit."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest

from datatools.cli import main
from tests.cli_process import as_at_a_terminal
from tests.large_inputs import FIELD_CASES, medium_rows, people_rows, write_csv

PEOPLE = "first,last,street,city,born,email"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _dedupe(path: Path, engine: str, out: Path, *options: str) -> tuple[int, dict, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["dedupe", str(path), "--engine", engine, "--json", "-o", str(out), *options],
                stdout, stderr)
    report = json.loads(stdout.getvalue()) if stdout.getvalue() else {}
    report.pop("engine", None)
    report.pop("output", None)
    return code, report, stderr.getvalue()


def _assert_same(path: Path, tmp_path: Path, *options: str, large: tuple[str, ...] = ()) -> dict:
    memory = _dedupe(path, "memory", tmp_path / "memory.csv", *options)
    duck = _dedupe(path, "duckdb", tmp_path / "large.csv", *options, *large)
    assert duck[:2] == memory[:2], duck[2]
    assert (tmp_path / "large.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert not list((tmp_path / "cache").rglob("job-*")), "the working copy outlived its job"
    return duck[1]


def test_a_household_is_split_by_the_veto_and_said_so_on_both_engines(tmp_path):
    report = _assert_same(FIELD_CASES / "couples.csv", tmp_path, "--columns", "first,last,street")
    assert report["clusters"] == 0
    assert "vetoed by first" in (tmp_path / "large.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("options", [(), ("--threshold", "70")])
def test_a_small_table_groups_the_same_at_the_fixed_score(options, tmp_path):
    path = write_csv(tmp_path / "small.csv", people_rows(400))
    report = _assert_same(path, tmp_path, "--columns", PEOPLE, *options)
    assert report["clusters"] > 30


def test_values_with_invisible_characters_are_noted_alike(tmp_path):
    # medium_rows' names carry edge spaces and its notes NBSP, zero-width spaces and BEL.
    path = write_csv(tmp_path / "notes.csv", medium_rows(600))
    report = _assert_same(path, tmp_path, "--columns", "name,city,note", "--threshold", "90")
    assert any("invisible" in str(w) or "space" in str(w) for w in report["warnings"])


def test_a_medium_table_groups_the_same_with_the_learned_model(tmp_path, monkeypatch):
    from datatools.large import dedupe, reasons

    monkeypatch.setattr(dedupe, "PART_ROWS", 333)     # the output written in several parts
    monkeypatch.setattr(reasons, "GROUP_ROWS", 50)    # each part's reasons from several row groups
    path = write_csv(tmp_path / "medium.csv", people_rows(2_500), encoding="cp1252", delimiter=";")
    report = _assert_same(path, tmp_path, "--columns", PEOPLE)
    assert report["threshold"] is None and report["clusters"] > 300 and report["certain"] > 200
    text = (tmp_path / "large.csv").read_text(encoding="utf-8")
    assert "→" in text, "the reasons carry the model's weights"


def test_pairs_far_over_the_memory_limit_and_the_budgets_cut_give_the_same_groups(tmp_path, monkeypatch):
    # Windows of 1,000 rows make 9.6 million candidate keys (77 MB before they are made
    # distinct, over the 64 MB limit), and the budget keeps the 20,000 agreeing most: both
    # engines read the same constants, so both make, cut and score the same pairs.
    from datatools.large import pairs
    from datatools.tools import candidates

    monkeypatch.setattr(candidates, "MAX_WINDOW", 1000)
    monkeypatch.setattr(candidates, "PAIR_BUDGET", 10**9)
    monkeypatch.setattr(candidates, "MIN_SCORED", 20_000)
    monkeypatch.setattr(pairs, "BATCH", 7_000)       # several batches, learned across them
    path = write_csv(tmp_path / "medium.csv", people_rows(3_000, seed=3))
    report = _assert_same(path, tmp_path, "--columns", PEOPLE, large=("--memory-limit", "64MB"))
    assert report["pairs_compared"] >= 20_000 and report["clusters"] > 300


def test_keep_on_the_duckdb_engine_is_refused_before_any_work(tmp_path):
    path = write_csv(tmp_path / "small.csv", people_rows(50))
    code, _, err = _dedupe(path, "duckdb", tmp_path / "out.csv", "--columns", PEOPLE, "--keep", "first")
    assert code == 2 and "--engine memory" in err
    assert not (tmp_path / "out.csv").exists()


def test_cancel_while_pairing_stops_and_removes_the_working_copy(tmp_path):
    from datatools.errors import Cancelled
    from datatools.large.dedupe import find_duplicates_large
    from datatools.large.job import large_job
    from datatools.progress import Progress

    path = write_csv(tmp_path / "medium.csv", people_rows(1_500))
    stop = threading.Event()

    def listener(fraction: float, message: str) -> None:
        if message.startswith("pairing"):
            stop.set()

    progress = Progress(listener, stop)
    with pytest.raises(Cancelled):
        with large_job(path, progress=progress.stage(0, 0.1)) as job:
            find_duplicates_large(job, PEOPLE.split(","), progress=progress.stage(0.1, 1))
    assert not list((tmp_path / "cache").rglob("job-*"))


def test_ctrl_c_while_pairing_says_cancelled_and_leaves_nothing(tmp_path):
    """Ctrl-C lands inside a DuckDB query (which says so as InterruptException, or as a
    RuntimeError from an Arrow stream): the command answers as for any Ctrl-C, exit 130."""
    import os
    import signal
    import subprocess
    import sys
    import time

    path = write_csv(tmp_path / "people.csv", people_rows(150_000))
    out = tmp_path / "out.csv"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "datatools", "dedupe", str(path), "--engine",
                                "duckdb", "--columns", PEOPLE, "-o", str(out)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=as_at_a_terminal)
    seen = b""
    while b"pairing similar rows" not in seen:
        chunk = process.stderr.read1(4096)
        assert chunk, "the run ended before pairing: " + seen.decode(errors="replace")
        seen += chunk
    time.sleep(0.8)    # into the pairing queries: most of this phase runs inside DuckDB
    process.send_signal(signal.SIGINT)
    rest, err = process.communicate(timeout=120)
    err = (seen + err).decode(errors="replace")
    assert process.returncode == 130, err
    assert err.rstrip().endswith("datatools: cancelled"), err[-500:]
    assert "Traceback" not in err
    assert not out.exists()
    assert not list((tmp_path / "cache").rglob("job-*"))


def test_the_large_engine_carries_the_same_waterfalls_as_the_in_memory_one(tmp_path):
    # The window draws bars from DedupeResult.waterfalls: both engines must give the same numbers.
    import pandas as pd

    from datatools.large.dedupe import find_duplicates_large
    from datatools.large.job import large_job
    from datatools.tools.dedupe import OUTPUT_COLUMNS, find_duplicates

    path = write_csv(tmp_path / "medium.csv", people_rows(2_500))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    memory = find_duplicates(frame, PEOPLE.split(","))
    with large_job(path) as job:     # the reasons are read from the working copy
        large = find_duplicates_large(job, PEOPLE.split(","))
        assert [list(a) for a in large.cells.columns()] == [memory.frame[name].tolist() for name in OUTPUT_COLUMNS]
    assert memory.waterfalls is not None and (memory.waterfalls.slot >= 0).sum() > 600
    assert memory.waterfalls.same_as(large.waterfalls)


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_groups_explained_a_batch_at_a_time_write_the_same_file(engine, tmp_path, monkeypatch):
    # The end phase explains groups BATCH_ROWS member rows at a time (DECISIONS 264): batches of
    # a few rows must write the same file, byte for byte, as one batch (a million-row run has
    # dozens), vetoed rows and the model's weights included.
    from datatools.tools import dedupe_annotate

    path = write_csv(tmp_path / "medium.csv", people_rows(2_500, seed=5))
    whole = _dedupe(path, engine, tmp_path / "whole.csv", "--columns", PEOPLE)
    monkeypatch.setattr(dedupe_annotate, "BATCH_ROWS", 7)
    batched = _dedupe(path, engine, tmp_path / "batched.csv", "--columns", PEOPLE)
    assert batched[:2] == whole[:2] and whole[1]["clusters"] > 300
    text = (tmp_path / "batched.csv").read_text(encoding="utf-8")
    assert "→" in text and text == (tmp_path / "whole.csv").read_text(encoding="utf-8")


def test_a_large_dedupe_holds_its_output_cells_in_a_few_bytes_a_row(tmp_path):
    # Issue 27's ten million rows: the four output cells as Python strings (the reasons a few
    # hundred characters for each grouped row) were 1.5 GB held until written. Now they are
    # numbers per row and the reasons wait on disk (DECISIONS 276): what the result holds in
    # Python objects and arrays is a few tens of bytes a row (the waterfalls most of it).
    import tracemalloc

    from datatools.large.dedupe import annotated_parts, find_duplicates_large
    from datatools.large.job import large_job

    rows = 10_000
    path = write_csv(tmp_path / "medium.csv", people_rows(rows, seed=7))
    with large_job(path) as job:
        find_duplicates_large(job, PEOPLE.split(","))     # imports and caches, not counted
    with large_job(path) as job:
        tracemalloc.start()
        try:
            found = find_duplicates_large(job, PEOPLE.split(","))
            held = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        written = [part for part, _ in annotated_parts(job, found)]
    grouped = sum(len(part[part["cluster_id"] != ""]) for part in written)
    reasons = sum(part["match_reason"].str.len().sum() for part in written)
    assert found.report.clusters > 1_000 and reasons > 100 * grouped > 100 * 2_000
    assert held < 80 * rows, f"{held / rows:.0f} bytes a row"     # 437 before
