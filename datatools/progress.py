"""Progress reporting and cancellation shared by the CLI and the desktop's job runner.

A tool receives a `Progress` and calls `progress.update(fraction, message)` now and then. The
caller decides what that means: a bar on stderr, a field the UI polls. `update` raises
`Cancelled` once cancellation was requested, so a tool stops at its next report.
"""

from __future__ import annotations

import threading
from typing import Callable

from datatools.errors import Cancelled

Listener = Callable[[float, str], None]


class Progress:
    def __init__(self, listener: Listener | None = None, cancel: threading.Event | None = None,
                 start: float = 0.0, end: float = 1.0):
        self._listener = listener
        self._cancel = cancel or threading.Event()
        self._start = start
        self._end = end

    def update(self, fraction: float, message: str = "") -> None:
        """Report `fraction` (0–1) of this stage done; raises Cancelled when asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()
        if self._listener is not None:
            clamped = min(max(fraction, 0.0), 1.0)
            self._listener(self._start + (self._end - self._start) * clamped, message)

    def stage(self, start: float, end: float) -> "Progress":
        """A Progress for a sub-step covering [start, end] of this one."""
        span = self._end - self._start
        return Progress(self._listener, self._cancel,
                        self._start + span * start, self._start + span * end)


def silent() -> Progress:
    """A Progress nobody listens to (it can still be cancelled)."""
    return Progress()
