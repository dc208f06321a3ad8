"""A second process that scores candidate pairs beside this one, on a machine of two cores or more.

Scoring the candidate pairs (similarity.score_columns: rapidfuzz on each distinct pair of values
and on the whole rows) is a dedupe's largest step and ran on about one core (DECISIONS 368).
A column's score of a pair depends only on the pair's two rows, so the pairs can be split: this
process scores the first part, a worker process the rest, and the two parts are joined in pair
order. The answer is the one process's, byte for byte; everything after the scores (vetoes,
the model, the groups, the output) stays in this process.

What the worker needs of the prepared columns (per compared column: each row's rank, the text
of each rank and its rare words; whether each row's record is empty; the column names and which
are e-mails) is written once, as .npy and Arrow IPC files, into a folder of its own (in the
duckdb engine's job folder, else a job folder under workcopy.cache_folder), which the worker
memory-maps: file pages the kernel may drop, not a pickled copy per batch. Each batch's pairs
and scores go through .npy files in that folder; the pipe carries only the batch's number.

The worker is started by the spawn method on every system (bundles are made for Windows and
macOS, where fork is not there or not safe; packaging/entry.py calls freeze_support), ignores
Ctrl-C (the terminal sends it to both processes: this one ends the worker), and is ended,
its folder removed, when the `with` block ends, by an answer, an error, Cancel or Ctrl-C alike.
A worker that dies raises ScoringProcessDied: one message, no hang.

`DATATOOLS_SCORING_PROCESSES` = 1 scores in this process only; = 2 uses the worker from a
thousand pairs (tests compare the two answers on small files); unset, the worker is used from
SPLIT_FROM_PAIRS pairs in one call, when this process may run on two cores or more; on the
duckdb engine's batches (worker_for) for a dedupe, not yet for a match (DECISIONS 502).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from datatools.errors import Cancelled, DataToolsError
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

PROCESSES_VARIABLE = "DATATOOLS_SCORING_PROCESSES"
# From this many pairs a call's scoring (about 6 µs a pair) outweighs starting the worker
# (about a CPU second: an interpreter importing numpy, pyarrow and rapidfuzz, and the files).
SPLIT_FROM_PAIRS = 1_000_000
# ... and with PROCESSES_VARIABLE=2 from this many: the few pairs clustering rescores at a
# time would each start a worker.
FORCED_FROM_PAIRS = 1_000
# How often (seconds) a wait for the worker looks at Cancel and at the worker's life.
WAIT_STEP = 0.2


class ScoringProcessDied(DataToolsError):
    """The worker process ended before answering (killed, out of memory): the run stops."""

    code = "scoring_process_died"


def cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_wanted(pairs: int, environ: "dict[str, str] | os._Environ[str] | None" = None,
                  default: bool = True) -> bool:
    """Should `pairs` pairs be scored with a worker? PROCESSES_VARIABLE decides when set ("1":
    no, "2": yes from FORCED_FROM_PAIRS on); else, when `default`, from SPLIT_FROM_PAIRS on,
    on two cores or more. Any other value of the variable is ignored."""
    given = (os.environ if environ is None else environ).get(PROCESSES_VARIABLE, "").strip()
    if given == "1":
        return False
    if given == "2":
        return pairs >= FORCED_FROM_PAIRS
    return default and pairs >= SPLIT_FROM_PAIRS and cores() >= 2


def score_columns(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                  progress: Progress | None = None, what: str | None = None) -> "np.ndarray":
    """similarity.score_columns of the pairs (a[k], b[k]) (uint8, pairs × columns + 1), the
    second half scored by a worker process when worker_wanted says so. Raises Cancelled when
    progress is cancelled and ScoringProcessDied when the worker dies; the worker is ended
    and its folder removed either way."""
    from datatools.tools.similarity import score_columns as in_this_process

    if not worker_wanted(len(a)):
        return in_this_process(prepared, a, b, progress, what)
    with ScoringProcess(prepared) as worker:
        return worker.score_columns(a, b, progress, what)


@contextlib.contextmanager
def worker_for(prepared: "PreparedColumns", pairs: int, root: Path, default: bool = False
               ) -> "Iterator[ScoringProcess | None]":
    """A ScoringProcess for a run of `pairs` pairs scored batch by batch (the duckdb engine),
    its folder in `root` (the job's), or None; ended with the block. As worker_wanted decides:
    PROCESSES_VARIABLE when set, else `default` (a dedupe's batches: DECISIONS 502, measured at
    10 M rows; a match's are not yet, 411) from SPLIT_FROM_PAIRS pairs on two cores or more."""
    if not worker_wanted(pairs, default=default):
        yield None
        return
    with ScoringProcess(prepared, root) as worker:
        yield worker


class ScoringProcess:
    """The worker and its folder, for a `with` block: `score_columns(a, b)` scores half of a
    batch there and half here; `submit(a, b)` hands it a batch of pairs (its number returned)
    and `result(number, progress)` waits for its column scores, answered in the order submitted.
    `root`: where its folder goes (default: the working-copy cache)."""

    def __init__(self, prepared: "PreparedColumns", root: "Path | None" = None) -> None:
        self.prepared = prepared
        self.root = root
        self.folder: Path | None = None
        self.process = None
        self.connection = None
        self.pending: set[int] = set()
        self.batches = 0

    def __enter__(self) -> "ScoringProcess":
        import multiprocessing

        from datatools.large.workcopy import PID_FILE, cache_folder, disk_full, out_of_space

        # In a job's folder it goes with the job; in the cache it is a job folder of its own,
        # naming this process, so that workcopy.sweep_stale removes it after a crash.
        root = self.root or cache_folder()
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.folder = Path(tempfile.mkdtemp(prefix="scoring-" if self.root else "job-scoring-",
                                            dir=root))
        try:
            (self.folder / PID_FILE).write_text(str(os.getpid()))
            try:
                write_columns(self.prepared, self.folder)
            except OSError as exc:
                if out_of_space(exc):
                    raise disk_full(root) from None
                raise
            context = multiprocessing.get_context("spawn")
            self.connection, theirs = context.Pipe()
            self.process = context.Process(
                target=serve, name="datatools-scoring", daemon=True,
                args=(str(self.folder), list(self.prepared.names),
                      list(self.prepared.exact_only), theirs))
            try:
                _start_ignoring_ctrl_c(self.process)
            except OSError:        # it died while being handed its start (a broken pipe)
                raise self._died() from None
            theirs.close()    # the worker's end: its death is then an end of file here
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def score_columns(self, a: "np.ndarray", b: "np.ndarray", progress: Progress | None = None,
                      what: str | None = None, cancel: Progress | None = None) -> "np.ndarray":
        """similarity.score_columns of the pairs (a[k], b[k]): the first half scored here while
        the worker scores the second, joined in pair order (the same array as one process).
        `progress` hears this half's steps; `cancel` (or `progress`) is looked at while the
        worker's half is waited for (Cancelled)."""
        import numpy as np

        from datatools.tools.similarity import score_columns as in_this_process

        half = len(a) // 2
        number = self.submit(a[half:], b[half:])
        first = in_this_process(self.prepared, a[:half], b[:half], progress,
                                what or f"comparing {len(a):,} pairs in two processes")
        return np.concatenate([first, self.result(number, cancel or progress)])

    def submit(self, a: "np.ndarray", b: "np.ndarray") -> int:
        """Hand the worker the pairs (a[k], b[k]); their batch's number, for `result`."""
        import numpy as np

        self.batches += 1
        number = self.batches
        np.save(self.folder / f"{number}-a.npy", a)
        np.save(self.folder / f"{number}-b.npy", b)
        self.pending.add(number)
        try:
            self.connection.send(number)
        except OSError:
            raise self._died() from None
        return number

    def result(self, number: int, progress: Progress | None = None) -> "np.ndarray":
        """Batch `number`'s column scores, waited for. Cancelled when progress is cancelled,
        ScoringProcessDied when the worker ends first, RuntimeError (its traceback) when it
        failed."""
        import numpy as np

        while True:
            if progress is not None and progress.cancelled:
                raise Cancelled()
            try:
                if self.connection.poll(WAIT_STEP):
                    answer = self.connection.recv()
                    break
            except (EOFError, OSError):
                raise self._died() from None
            if not self.process.is_alive() and not self.connection.poll():
                raise self._died()
        if answer[0] != "done":
            raise RuntimeError(f"The scoring process failed:\n{answer[1]}")
        if answer[1] != number:
            raise RuntimeError(f"The scoring process answered batch {answer[1]}, not {number}")
        self.pending.discard(number)
        names = [self.folder / f"{number}-{part}.npy" for part in ("a", "b", "scores")]
        scores = np.load(names[2])
        for name in names:
            name.unlink()
        return scores

    def _died(self) -> ScoringProcessDied:
        try:
            self.process.join(WAIT_STEP)
            code = self.process.exitcode
        except (AssertionError, ValueError):    # never started
            code = None
        return ScoringProcessDied(
            f"The second scoring process ended unexpectedly (exit code {code}), perhaps for "
            f"lack of memory; nothing was written. {PROCESSES_VARIABLE}=1 scores in one process.")

    def close(self) -> None:
        """End the worker (asked when idle, terminated when busy or slow to go) and remove its
        folder. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None:
            try:
                if not self.pending and process.is_alive():
                    try:
                        self.connection.send(None)
                    except OSError:
                        pass
                    process.join(5)
                if process.is_alive():
                    process.terminate()
                    process.join(5)
                if process.is_alive():
                    process.kill()
                    process.join()
            finally:
                process.close()
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _start_ignoring_ctrl_c(process) -> None:
    """Start `process` with Ctrl-C ignored from its first instruction: the terminal sends it to
    both processes, and a worker still importing would print a KeyboardInterrupt traceback
    (an ignored SIGINT stays ignored across exec, and Python keeps it so). Only the main
    thread may set a handler; elsewhere (the window's jobs) `serve` ignores it once running."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        process.start()
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, before)


def write_columns(prepared: "PreparedColumns", folder: Path) -> None:
    """What score_columns reads of `prepared`, as files in `folder`: per column c `ranks-c.npy`,
    the text of each rank `text-c.arrow` and, for a column of several-word values, its rare
    words `core-c.arrow` (Arrow IPC, one string column); `empty.npy` (per row: is its record
    empty). The record's values by rank are the text's (similarity.prepare_columns makes both
    from one array), so they are not written twice."""
    import numpy as np

    for column, (ranks, text, core) in enumerate(zip(prepared.ranks, prepared.text, prepared.core)):
        np.save(folder / f"ranks-{column}.npy", ranks)
        _write_strings(folder / f"text-{column}.arrow", text.values)
        if core is not None:
            _write_strings(folder / f"core-{column}.arrow", core.values)
    np.save(folder / "empty.npy", prepared.record.empty)


def _write_strings(path: Path, values) -> None:
    import numpy as np
    import pyarrow as pa

    array = pa.array(values, pa.string()) if isinstance(values, np.ndarray) else values
    batch = pa.record_batch([array], names=["value"])
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
        writer.write_batch(batch)


def mapped_columns(folder: Path, names: list[str], exact_only: list[bool]) -> "PreparedColumns":
    """The PreparedColumns write_columns wrote, memory-mapped: enough for score_columns (its
    weights, words and veto settings are left empty: combine_scores and the vetoes stay in
    the process that started the worker)."""
    import numpy as np
    import pyarrow as pa

    from datatools.tools.ranked import RankedText
    from datatools.tools.records import RowRecords
    from datatools.tools.similarity import PreparedColumns

    def strings(path: Path) -> "pa.Array":
        source = pa.memory_map(str(path))
        return pa.ipc.open_file(source).get_batch(0).column(0)

    ranks, text, core = [], [], []
    for column in range(len(names)):
        ranks.append(np.asarray(np.load(folder / f"ranks-{column}.npy", mmap_mode="r")))
        text.append(RankedText(strings(folder / f"text-{column}.arrow"), ranks[-1]))
        path = folder / f"core-{column}.arrow"
        core.append(RankedText(strings(path), ranks[-1]) if path.exists() else None)
    empty = np.asarray(np.load(folder / "empty.npy", mmap_mode="r"))
    record = RowRecords([t.values for t in text], ranks, empty)
    return PreparedColumns(list(names), text, ranks, [], np.zeros(len(names)), record, core,
                           [], [], [], list(exact_only))


def serve(folder: str, names: list[str], exact_only: list[bool], connection) -> None:
    """The worker's body: map the columns in `folder`, then for each batch number received
    score `{number}-a.npy`/`-b.npy` into `{number}-scores.npy` and answer ("done", number);
    ("failed", traceback) on an error. Ends on None or when the other end closes."""
    import numpy as np

    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the starting process's to handle
    from datatools.tools.similarity import score_columns as score_here

    place = Path(folder)
    prepared = mapped_columns(place, names, exact_only)
    while True:
        try:
            number = connection.recv()
        except (EOFError, OSError):
            return
        if number is None:
            return
        try:
            a, b = (np.load(place / f"{number}-{side}.npy") for side in ("a", "b"))
            np.save(place / f"{number}-scores.npy", score_here(prepared, a, b))
        except BaseException:   # noqa: BLE001 - told to the starting process, which raises it
            connection.send(("failed", traceback.format_exc()))
            return
        connection.send(("done", number))
