"""A dedupe's pairs scored by a second process (DECISIONS 409): the same bytes as one process,
and Ctrl-C, Cancel or the worker's death leave no process and no folder behind.

The runs use the installed `datatools` script on a German customer list of real name
frequencies, households and keyed-twice people (bench/synthetic/customers.py).
`DATATOOLS_SCORING_PROCESSES` forces one process (1) or the worker (2) on a file this small.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from cli_process import as_at_a_terminal  # noqa: E402

DATATOOLS = Path(sys.executable).with_name("datatools")   # the console script pip installed
COLUMNS = "first,last,street,zip,city,phone,email"
VARIABLE = "DATATOOLS_SCORING_PROCESSES"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads the process tree from /proc")


@pytest.fixture(scope="module")
def customers_csv(tmp_path_factory) -> Path:
    from synthetic.customers import customers

    frame, _ = customers("de", 6_000, seed=5)
    path = tmp_path_factory.mktemp("customers") / "kunden.csv"
    frame.to_csv(path, index=False)
    return path


def _children(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(name))
    return found


def _workers(pid: int) -> set[int]:
    """The scoring workers among `pid`'s children (multiprocessing's spawned interpreters)."""
    found = set()
    for child in _children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start(tmp_path: Path, argv: list[str], processes: str) -> subprocess.Popen:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), VARIABLE: processes}
    return subprocess.Popen([str(DATATOOLS), *argv], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=as_at_a_terminal)


def _run_watching(tmp_path: Path, argv: list[str], processes: str) -> tuple[int, str, set[int]]:
    """Run to the end; (exit code, stderr, the workers seen while it ran)."""
    process = _start(tmp_path, argv, processes)
    seen: set[int] = set()
    while process.poll() is None:
        seen |= _workers(process.pid)
        time.sleep(0.01)
    _, err = process.communicate()
    return process.returncode, err.decode(errors="replace"), seen


def _first_worker(process: subprocess.Popen) -> int:
    while True:
        found = _workers(process.pid)
        if found:
            return min(found)
        assert process.poll() is None, "the run ended without a scoring worker"
        time.sleep(0.005)


def _ignores_ctrl_c(pid: int) -> bool:
    """Does `pid` ignore SIGINT now? (The run ignores it for the instant it starts the worker.)"""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def _left_behind(tmp_path: Path) -> list[Path]:
    cache = tmp_path / "cache"
    return list(cache.rglob("scoring-*")) + list(cache.rglob("job-*")) if cache.exists() else []


@pytest.mark.parametrize("options", [[], ["--threshold", "70"], ["--engine", "duckdb"]],
                         ids=["learned", "threshold", "duckdb"])
def test_two_processes_write_the_bytes_one_process_writes(tmp_path, customers_csv, options):
    outputs = []
    for processes in ("1", "2"):
        out = tmp_path / f"out-{processes}.csv"
        code, err, seen = _run_watching(tmp_path, ["dedupe", str(customers_csv), "--columns",
                                                   COLUMNS, "-o", str(out), "-q", *options],
                                        processes)
        assert code == 0, err
        assert bool(seen) == (processes == "2")
        assert not any(_alive(pid) for pid in seen)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"certain" in outputs[0]
    assert not _left_behind(tmp_path)


@pytest.mark.parametrize("options", [[], ["--engine", "duckdb"]], ids=["memory", "duckdb"])
def test_ctrl_c_ends_the_worker_and_leaves_no_folder(tmp_path, customers_csv, options):
    out = tmp_path / "out.csv"
    process = _start(tmp_path, ["dedupe", str(customers_csv), "--columns", COLUMNS, "-o",
                                str(out), "-q", *options], "2")
    worker = _first_worker(process)
    while _ignores_ctrl_c(process.pid):
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGINT)
    if _alive(worker):
        os.kill(worker, signal.SIGINT)   # a terminal sends Ctrl-C to both
    _, err = process.communicate(timeout=120)
    err = err.decode(errors="replace")
    assert process.returncode == 130, err
    assert "cancelled" in err and "Traceback" not in err
    assert not _alive(worker)
    assert not out.exists()
    assert not _left_behind(tmp_path)


@pytest.mark.parametrize("options", [[], ["--engine", "duckdb"]], ids=["memory", "duckdb"])
def test_a_worker_that_dies_gives_one_clear_error(tmp_path, customers_csv, options):
    out = tmp_path / "out.csv"
    process = _start(tmp_path, ["dedupe", str(customers_csv), "--columns", COLUMNS, "-o",
                                str(out), *options], "2")
    os.kill(_first_worker(process), signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    err = err.decode(errors="replace")
    assert process.returncode == 1, err
    assert "The second scoring process ended unexpectedly" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert not _left_behind(tmp_path)


def test_cancel_ends_the_worker_and_removes_its_folder(tmp_path, customers_csv, monkeypatch):
    """The window's Cancel: the job's Progress is cancelled while both processes score."""
    import multiprocessing
    import threading

    import pandas as pd

    from datatools.errors import Cancelled
    from datatools.progress import Progress
    from datatools.tools.dedupe import find_duplicates

    monkeypatch.setenv(VARIABLE, "2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    stop = threading.Event()
    seen: list[int] = []

    def listener(fraction: float, message: str) -> None:
        if "in two processes" in message:
            seen.extend(child.pid for child in multiprocessing.active_children())
            stop.set()

    frame = pd.read_csv(customers_csv, dtype=str, keep_default_na=False)
    with pytest.raises(Cancelled):
        find_duplicates(frame, COLUMNS.split(","), progress=Progress(listener, stop))
    assert seen and not any(_alive(pid) for pid in seen)
    assert not _left_behind(tmp_path)


@pytest.mark.parametrize("options", [[], ["--threshold", "70"]], ids=["learned", "threshold"])
def test_batches_taken_in_turn_by_two_processes_write_the_bytes_of_one(
        tmp_path, customers_csv, monkeypatch, options):
    """The duckdb engine hands every second batch to the worker whole (an odd last one is
    split): with batches of 1,001 pairs, many batches and both kinds."""
    import io
    import json
    import multiprocessing

    from datatools.cli import main
    from datatools.large import pairs

    from datatools.tools import scoring_process

    monkeypatch.setattr(pairs, "BATCH", 1_001)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # Count the batches handed to the worker (the real submit runs): with one process none is,
    # with two many are, so the equal bytes below compare two real ways of scoring.
    handed: list[int] = []
    submit = scoring_process.ScoringProcess.submit

    def counting_submit(self, a, b):
        handed.append(len(a))
        return submit(self, a, b)

    monkeypatch.setattr(scoring_process.ScoringProcess, "submit", counting_submit)
    outputs = []
    for processes in ("1", "2"):
        monkeypatch.setenv(VARIABLE, processes)
        handed.clear()
        out, report = tmp_path / f"out-{processes}.csv", io.StringIO()
        code = main(["dedupe", str(customers_csv), "--columns", COLUMNS, "--engine", "duckdb",
                     "--json", "-o", str(out), *options], report, io.StringIO())
        assert code == 0
        assert json.loads(report.getvalue())["pairs_compared"] > 10 * pairs.BATCH
        assert (len(handed) >= 5) == (processes == "2"), handed
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert not multiprocessing.active_children()
    assert not _left_behind(tmp_path)


def test_a_large_dedupe_of_many_pairs_uses_the_second_process_at_defaults(
        tmp_path, customers_csv, monkeypatch):
    """Unasked (no DATATOOLS_SCORING_PROCESSES), the duckdb engine's dedupe of a million pairs
    or more on two cores scores its batches with a worker of the run, in the job's folder
    (DECISIONS 502), and writes the bytes one process writes. The million is lowered to a
    thousand, the cores set to two; a worker in no job's folder is a single call's (409)."""
    import io
    import multiprocessing

    from datatools.cli import main

    from datatools.tools import scoring_process

    monkeypatch.setattr(scoring_process, "SPLIT_FROM_PAIRS", 1_000)
    monkeypatch.setattr(scoring_process, "cores", lambda: 2)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    run_workers: list[Path] = []
    enter = scoring_process.ScoringProcess.__enter__

    def counting_enter(self):
        if self.root is not None:
            run_workers.append(self.root)
        return enter(self)

    monkeypatch.setattr(scoring_process.ScoringProcess, "__enter__", counting_enter)
    outputs = []
    for processes in ("1", None):
        if processes is None:
            monkeypatch.delenv(VARIABLE, raising=False)
        else:
            monkeypatch.setenv(VARIABLE, processes)
        run_workers.clear()
        out = tmp_path / f"out-{processes}.csv"
        code = main(["dedupe", str(customers_csv), "--columns", COLUMNS, "--engine", "duckdb",
                     "-o", str(out), "-q"], io.StringIO(), io.StringIO())
        assert code == 0
        assert len(run_workers) == (1 if processes is None else 0), run_workers
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert not multiprocessing.active_children()
    assert not _left_behind(tmp_path)
