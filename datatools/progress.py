"""Progress reporting and cancellation shared by the CLI and the desktop's job runner.

A tool receives a `Progress` and calls `progress.update(fraction, message)` now and then. The
caller decides what that means: a bar on stderr, a field the UI polls. `update` raises
`Cancelled` once cancellation was requested, so a tool stops at its next report.

A run is a tree of stages (`stage(start, end)` maps a sub-step onto part of its parent), and
the whole tree only moves forward: a report below what the run already showed — a sub-step that
starts its stage again, a second pass over a range a first pass covered — is passed on at the
value already reached, with its message. A bar never restarts from zero within one job.
"""

from __future__ import annotations

import threading
from typing import Callable

from datatools.errors import Cancelled

Listener = Callable[[float, str], None]


class _Reached:
    """The furthest point a run reported, shared by all the stages of one run."""

    def __init__(self) -> None:
        self.value = 0.0
        self.lock = threading.Lock()

    def advance(self, value: float) -> float:
        with self.lock:
            self.value = max(self.value, value)
            return self.value


class Progress:
    def __init__(self, listener: Listener | None = None, cancel: threading.Event | None = None,
                 start: float = 0.0, end: float = 1.0, *, _reached: _Reached | None = None):
        self._listener = listener
        self._cancel = cancel or threading.Event()
        self._start = start
        self._end = end
        self._reached = _reached or _Reached()

    def update(self, fraction: float, message: str = "") -> None:
        """Report `fraction` (0–1) of this stage done; raises Cancelled when asked to stop.

        The listener hears the run's overall fraction, never less than it heard before.
        """
        if self._cancel.is_set():
            raise Cancelled()
        if self._listener is not None:
            clamped = min(max(fraction, 0.0), 1.0)
            overall = self._start + (self._end - self._start) * clamped
            self._listener(self._reached.advance(overall), message)

    @property
    def cancelled(self) -> bool:
        """True once the run was asked to stop (for work that cannot call `update`, like a query)."""
        return self._cancel.is_set()

    def stage(self, start: float, end: float) -> "Progress":
        """A Progress for a sub-step covering [start, end] of this one."""
        span = self._end - self._start
        return Progress(self._listener, self._cancel,
                        self._start + span * start, self._start + span * end, _reached=self._reached)


def silent() -> Progress:
    """A Progress nobody listens to (it can still be cancelled)."""
    return Progress()
