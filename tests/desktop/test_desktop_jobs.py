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
