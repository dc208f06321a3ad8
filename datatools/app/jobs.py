"""Jobs: a tool run in a background thread that reports progress and can be cancelled.

The server starts a job and answers at once; the UI polls `GET /api/jobs/<id>` for the fraction
done and, at the end, the result or the error. `?wait=MS` (at most MAX_WAIT_MS) holds a running
job's answer until it ends or MS pass, so the window sees the end at once instead of at its next
poll. Cancel sets an event that the tool's `Progress`
checks at its next report, so a cancelled tool stops without writing anything.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from datatools.errors import Cancelled, DataToolsError
from datatools.pandas_floor import FLOOR, older_pandas, older_pandas_message
from datatools.progress import Progress

log = logging.getLogger("datatools.app")

RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"
# The longest a status answer is held for a running job (`?wait=`, milliseconds).
MAX_WAIT_MS = 1000


def held_answer(job: "Job", query: dict[str, str]) -> None:
    """Hold a status request for a running `job` until it ends or the `wait` query parameter's
    milliseconds (0–MAX_WAIT_MS; absent, not a whole number: 0) pass. The window asks with
    its poll interval: progress still arrives that often, and the end at once."""
    text = query.get("wait", "")
    wanted = int(text) if text.isdigit() else 0
    if wanted and job.state == RUNNING:
        job.wait_end(min(wanted, MAX_WAIT_MS) / 1000)


@dataclass
class Job:
    id: str
    tool: str
    state: str = RUNNING
    fraction: float = 0.0
    message: str = ""
    result: Any = None                 # what the work function returned (kept server-side)
    error: dict[str, str] | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)
    engine: str | None = None          # "duckdb" or "memory" for a tool with both engines
    ended: threading.Event = field(default_factory=threading.Event)   # set once not running

    def report(self, fraction: float, message: str) -> None:
        with self.lock:
            # Progress only moves forward, even when a tool's stages overlap a little.
            self.fraction = max(self.fraction, fraction)
            self.message = message

    def wait_end(self, seconds: float) -> None:
        """Return when the job has ended (done, failed or cancelled) or after `seconds`."""
        self.ended.wait(max(0.0, seconds))

    def status(self) -> dict[str, Any]:
        with self.lock:
            return {"id": self.id, "tool": self.tool, "state": self.state,
                    "fraction": round(self.fraction, 4), "message": self.message,
                    "error": self.error, "engine": self.engine}


Work = Callable[[Progress], Any]


class JobRunner:
    """Starts jobs on threads and keeps the latest ones (and their results) for this launch."""

    def __init__(self, keep: int = 20) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep          # finished jobs kept; results can be large tables

    def start(self, tool: str, work: Work, engine: str | None = None) -> Job:
        """Run `work` on a thread as job of `tool`; `engine` is shown with its progress."""
        job = Job(id=secrets.token_hex(8), tool=tool, engine=engine)
        with self._lock:
            finished = [j.id for j in self._jobs.values() if j.state != RUNNING]
            for old in finished[:max(0, len(finished) - self._keep + 1)]:
                close_result(self._jobs.pop(old))
            self._jobs[job.id] = job
        thread = threading.Thread(target=self._run, args=(job, work), name=f"job-{job.id}",
                                  daemon=True)
        thread.start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job: Job) -> None:
        job.cancel_event.set()

    def close(self, job: Job) -> None:
        """Forget a finished job and close its result (a large result's working copy goes)."""
        with self._lock:
            if job.state == RUNNING:
                return
            self._jobs.pop(job.id, None)
        close_result(job)

    def close_all(self, timeout: float = 10.0) -> None:
        """At the app's exit: cancel the running jobs (a large one removes its working copy as
        it stops), wait up to `timeout` seconds for them, and close every result."""
        with self._lock:
            jobs = list(self._jobs.values())
            self._jobs.clear()
        for job in jobs:
            job.cancel_event.set()
        deadline = time.monotonic() + timeout
        for job in jobs:
            self.wait(job, max(0.0, deadline - time.monotonic()))
            close_result(job)

    def wait(self, job: Job, timeout: float) -> bool:
        """Block until `job` ends (for tests and shutdown); False on timeout."""
        if job.state == RUNNING:
            job.wait_end(timeout)
        return job.state != RUNNING

    def _run(self, job: Job, work: Work) -> None:
        progress = Progress(job.report, job.cancel_event)
        try:
            result = work(progress)
            # A cancel that arrives after the last report still wins: the user asked to stop.
            if job.cancel_event.is_set():
                close_result(Job(job.id, job.tool, result=result))
                raise Cancelled()
        except Cancelled as exc:
            self._finish(job, CANCELLED, error={"code": exc.code, "message": exc.message})
        except DataToolsError as exc:
            error = {"code": exc.code, "message": exc.message}
            if getattr(exc, "params", None):
                error["params"] = exc.params   # fill the UI's translated message
            self._finish(job, FAILED, error=error)
        except Exception:  # noqa: BLE001 - the job thread is an edge: report, never crash
            log.exception("job=%s tool=%s failed unexpectedly", job.id, job.tool)
            version = older_pandas(import_it=False)     # the likely cause, if so
            self._finish(job, FAILED, error={
                "code": "old_pandas", "message": older_pandas_message(version),
                "params": {"floor": FLOOR, "version": version}} if version else {
                "code": "internal", "message": "Something went wrong inside DataTools."})
        else:
            with job.lock:
                job.result = result
                job.fraction = 1.0
                job.state = DONE
        finally:
            job.ended.set()

    @staticmethod
    def _finish(job: Job, state: str, error: dict[str, str]) -> None:
        with job.lock:
            job.state = state
            job.error = error


def close_result(job: Job) -> None:
    """Close `job`'s result when it has something to release (`close()`: a large dedupe's
    working copy); other results are left to the garbage collector."""
    close = getattr(job.result, "close", None)
    if callable(close):
        close()
