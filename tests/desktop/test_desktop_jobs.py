"""The job model: work runs on a thread, reports progress, can be cancelled, fails in plain words."""

from __future__ import annotations

import threading

import pytest

from datatools.app.jobs import CANCELLED, DONE, FAILED, JobRunner
from datatools.errors import BadInput


@pytest.fixture
def runner():
    return JobRunner()


def test_job_reports_progress_and_keeps_its_result(runner):
    halfway, finish = threading.Event(), threading.Event()

    def work(progress):
        progress.update(0.5, "half")
        halfway.set()
        finish.wait(10)
        progress.update(1.0, "all")
        return "the result"

    job = runner.start("demo", work)
    assert halfway.wait(10)
    assert job.status() | {"id": None} == {"id": None, "tool": "demo", "state": "running",
                                          "fraction": 0.5, "message": "half", "error": None,
                                          "engine": None}
    finish.set()
    assert runner.wait(job, 10)
    assert (job.state, job.fraction, job.result) == (DONE, 1.0, "the result")
    assert runner.get(job.id) is job


def test_cancel_stops_the_work_at_its_next_progress_report(runner):
    started = threading.Event()
    reports = []

    def work(progress):
        for step in range(10_000):
            progress.update(step / 10_000, f"row {step}")
            reports.append(step)
            started.set()
            threading.Event().wait(0.001)
        return "finished anyway"

    job = runner.start("demo", work)
    assert started.wait(10)
    runner.cancel(job)
    assert runner.wait(job, 10)
    assert job.state == CANCELLED
    assert job.result is None
    assert job.status()["error"] == {"code": "cancelled", "message": "Cancelled; nothing was written."}
    assert len(reports) < 10_000


def test_a_cancel_after_the_last_report_still_counts(runner):
    gate = threading.Event()

    def work(progress):
        gate.wait(10)
        return "late"

    job = runner.start("demo", work)
    runner.cancel(job)
    gate.set()
    assert runner.wait(job, 10)
    assert job.state == CANCELLED


def test_bad_input_fails_the_job_with_its_message(runner):
    def work(progress):
        raise BadInput("The file has no column named Email.", code="no_such_column")

    job = runner.start("demo", work)
    assert runner.wait(job, 10)
    assert job.state == FAILED
    assert job.status()["error"] == {"code": "no_such_column",
                                     "message": "The file has no column named Email."}


def test_a_bug_in_a_tool_fails_the_job_without_leaking_internals(runner, caplog):
    def work(progress):
        raise ZeroDivisionError("secret detail")

    job = runner.start("demo", work)
    assert runner.wait(job, 10)
    assert job.status()["error"] == {"code": "internal", "message": "Something went wrong inside DataTools."}
    assert "ZeroDivisionError" in caplog.text


def test_progress_never_goes_backwards(runner):
    reported, finish = threading.Event(), threading.Event()

    def work(progress):
        progress.update(0.6, "a")
        progress.update(0.4, "b")
        reported.set()
        finish.wait(10)     # hold the job open: at its end the fraction becomes 1.0 anyway
        return None

    job = runner.start("demo", work)
    assert reported.wait(10)
    status = job.status()
    finish.set()
    assert (status["state"], status["fraction"], status["message"]) == ("running", 0.6, "b")
    assert runner.wait(job, 10)


def test_only_the_latest_finished_jobs_are_kept():
    runner = JobRunner(keep=2)
    jobs = []
    for n in range(4):
        job = runner.start("demo", lambda progress, n=n: n)
        runner.wait(job, 10)
        jobs.append(job)
    assert [runner.get(job.id) is not None for job in jobs] == [False, False, True, True]


def test_a_status_asked_to_wait_comes_when_the_job_ends_with_its_result(desktop, client):
    """The window asks for a running job's status with `?wait=` (its poll interval): the
    answer is held until the job ends, so the result reaches the window at once, not as a
    'running' it must ask again for. A quick job's end: done, with its result, in one answer."""
    import time

    job = desktop.app.previews.start("preview", lambda progress: time.sleep(0.2) or {"rows": 3})
    status, _, answer = client.call("GET", f"/api/preview/{job.id}?wait=1000")
    assert (status, answer["state"], answer["result"]) == (200, "done", {"rows": 3})


def test_a_tool_run_followed_with_waits_shows_the_first_group_the_command_line_writes(client, tmp_path):
    """Followed as the window follows it (each status held up to the poll interval), a
    dedupe's first page shows the group the command line puts first, row for row."""
    import csv

    from conftest import FIXTURES

    from datatools.cli import main

    source = FIXTURES / "customers.csv"
    out = tmp_path / "grouped.csv"
    assert main(["dedupe", str(source), "--columns", "name,email", "--threshold", "85",
                 "-o", str(out), "-q"]) == 0
    with open(out, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["cluster_id"]]
    _, _, job = client.call("POST", "/api/jobs", {"tool": "dedupe", "inputs": [{"path": str(source)}],
                                                 "options": {"columns": ["name", "email"], "threshold": 85}})
    while job["state"] == "running":
        job = client.call("GET", f"/api/jobs/{job['id']}?wait=150")[2]
    assert job["state"] == "done"
    page = client.call("GET", f"/api/jobs/{job['id']}/groups?page=1")[2]
    first = page["groups"][0]
    wanted = [r for r in rows if r["cluster_id"] == rows[0]["cluster_id"]]
    assert [row["cells"][page["columns"].index("name")] for row in first["rows"]] == \
        [r["name"] for r in wanted]
