"""The window's profile job on a large file: the duckdb engine, progress by phase, Cancel."""

from __future__ import annotations

import json
import time

import pytest

from datatools.app.jobs import CANCELLED, DONE, JobRunner
from datatools.app.inputs import InputSpec
from datatools.app.tool_jobs import TOOLS
from datatools.io import read_table
from datatools.large import engine
from datatools.progress import silent
from datatools.tools.profile import profile_table
from tests.large_inputs import medium_rows, write_csv


@pytest.fixture
def large_above_1kb(monkeypatch, tmp_path):
    """The size rule lowered to 1 KB (a large file here would take minutes), the cache in tmp."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(engine, "large_bytes", lambda ram=None: 1024)
    return tmp_path / "cache" / "datatools" / "work"


def test_a_large_file_profiles_on_duckdb_with_the_same_result(large_above_1kb, tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(5_000))
    runner = JobRunner()
    seen: list[str] = []
    job = runner.start("profile", lambda progress: TOOLS["profile"].run(
        [InputSpec(path)], {}, None, progress, tmp_path))
    while job.state == "running":
        seen.append(job.message)
        time.sleep(0.005)
    assert job.state == DONE, job.error
    report = dict(job.result.report)
    assert report.pop("engine")["name"] == "duckdb"
    in_memory = profile_table(read_table(path).frame).to_dict()
    assert report == json.loads(json.dumps(in_memory, default=str))
    phases = {m.split(" of ")[0] if m.startswith("counting") else m.split(" ")[-1] for m in seen if m}
    assert {"read", "counting values"} <= phases, seen       # reading, then counting, on the bar
    assert not list(large_above_1kb.glob("job-*"))


def test_cancel_stops_the_duckdb_job_and_removes_its_working_copy(large_above_1kb, tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,name\n")
        handle.writelines(f"{i},name {i % 977}\n" for i in range(2_000_000))
    runner = JobRunner()
    job = runner.start("profile", lambda progress: TOOLS["profile"].run(
        [InputSpec(path)], {}, None, progress, tmp_path))
    deadline = time.monotonic() + 60
    while not list(large_above_1kb.glob("job-*/table.parquet")) and time.monotonic() < deadline:
        time.sleep(0.01)
    runner.cancel(job)
    assert runner.wait(job, 60)
    assert job.state == CANCELLED
    assert not list(large_above_1kb.glob("job-*"))


@pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u202f", "\u3000", "\x0b", "\x1f"])
def test_a_key_with_a_unicode_space_inside_is_no_key_on_either_engine(space, large_above_1kb, tmp_path,
                                                                      monkeypatch):
    # The review pins the column that names each row; a customer number with a no-break space
    # (a spreadsheet's thousands separator) names none in memory, so none on duckdb either.
    rows = [("Kundennr", "Kunde-Nr", "name", "city")]
    rows += [(f"K{i}{space}{i % 7}", f"C-{i}", f"Name {i % 40}", "Berlin") for i in range(120)]
    path = write_csv(tmp_path / "keys.csv", rows)
    keys = {}
    for size in (1024, 10**12):
        monkeypatch.setattr(engine, "large_bytes", lambda ram=None, size=size: size)
        result = TOOLS["dedupe"].run([InputSpec(path)], {"columns": ["name", "city"], "threshold": 90},
                                     None, silent(), tmp_path)
        keys[size] = result.review.key
        close = getattr(getattr(result, "copy", None), "close", None)
        if close:
            close()
    assert keys[1024] == keys[10**12] == "Kunde-Nr"
