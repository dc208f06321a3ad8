"""Operator logs: one key=value line per event, each carrying the request id of its request."""

from __future__ import annotations

import contextvars
import logging
import re
import secrets
import sys
from typing import TextIO

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_INCOMING_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id(incoming: str | None) -> str:
    """Keep nginx's X-Request-Id when it is sane, else make one (8 random bytes, hex)."""
    if incoming and _INCOMING_ID_RE.fullmatch(incoming):
        return incoming
    return secrets.token_hex(8)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(stream: TextIO | None = None, level: int = logging.INFO) -> None:
    """One key=value line per record on `stream` (stderr: journald under systemd).

    The line names no source file, thread or process, so the records skip finding them: the
    logging HOWTO's "Optimization" section (docs.python.org/3/howto/logging.html#optimization)
    lists these switches; the caller's frame lookup was a third of a log call's CPU.
    """
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(logging.Formatter(
        "%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s %(message)s"
    ))
    root = logging.getLogger("licensed")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
