"""Waitress's "Task queue depth" warning reaches the log once every few seconds, with how many
it stood for, not once per waiting request (a burst wrote one line per webhook)."""

from __future__ import annotations

import logging

from licensed.serving import EveryFewSeconds


def test_a_burst_of_queue_warnings_is_one_line_then_one_line_with_the_count():
    now = [100.0]
    every = EveryFewSeconds(10.0, clock=lambda: now[0])
    logger = logging.getLogger("waitress.queue.test")
    logger.propagate = False
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger.addHandler(Keep())
    logger.addFilter(every)
    for depth in range(1, 201):
        logger.warning("Task queue depth is %d", depth)
        now[0] += 0.01  # 200 waiting requests in 2 s
    now[0] += 10
    logger.warning("Task queue depth is %d", 3)
    assert lines == ["Task queue depth is 1",
                     "Task queue depth is 3 (199 more like it in the last 10 s)"]
