"""A storefront in threads for the fault scenarios: Pings with every order sent twice (on two
connections), each answer recorded per order, and the storefront's retries afterwards."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from http.client import HTTPException
from dataclasses import dataclass, field
from pathlib import Path

from tests.daemon.harness import GUMROAD_SECRET, gumroad_sale, http

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Answer:
    status: int  # 0: no answer (refused, reset, timed out)
    seconds: float
    at: float  # time.monotonic() when sent


@dataclass
class Storefront:
    """Sends Pings to `url` from `threads` threads until `stop()`; `answers[order]` lists each
    delivery's answer."""

    url: str
    threads: int = 8
    prefix: str = "F"
    timeout: float = 10.0
    answers: dict[str, list[Answer]] = field(default_factory=lambda: defaultdict(list))
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)
    _numbers: "itertools.count[int]" = field(default_factory=itertools.count)

    def deliver(self, order: str) -> Answer:
        body = urllib.parse.urlencode(gumroad_sale(order)).encode()
        hook = f"{self.url}/webhooks/gumroad?secret={GUMROAD_SECRET}"
        started = time.monotonic()
        try:
            status = http("POST", hook, body,
                          {"Content-Type": "application/x-www-form-urlencoded"},
                          timeout=self.timeout).status
        except (OSError, HTTPException):
            # Refused, reset, timed out, or cut off mid-answer (IncompleteRead when the daemon
            # is killed while writing): no answer, which a storefront retries.
            status = 0
        answer = Answer(status, time.monotonic() - started, started)
        with self._lock:
            self.answers[order].append(answer)
        return answer

    def _run(self) -> None:
        while not self._stop.is_set():
            order = f"{self.prefix}-{next(self._numbers)}"
            self.deliver(order)
            self.deliver(order)  # the duplicate, on a second connection
            if self.answers[order][-1].status == 0:
                time.sleep(0.05)  # refused: the daemon is down; do not spin

    def start(self) -> "Storefront":
        self._workers = [threading.Thread(target=self._run, daemon=True)
                         for _ in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(30)

    def retry_unanswered(self, attempts: int = 5) -> int:
        """Resend every order that never got a 200, as the storefront's retries would; returns
        how many orders needed it."""
        missing = [order for order, got in self.answers.items()
                   if not any(a.status == 200 for a in got)]
        for order in missing:
            for _ in range(attempts):
                if self.deliver(order).status == 200:
                    break
                time.sleep(0.2)
        return len(missing)

    def answered(self, status: int) -> int:
        return sum(1 for got in self.answers.values() for a in got if a.status == status)

    def orders_with_200(self) -> int:
        return sum(1 for got in self.answers.values() if any(a.status == 200 for a in got))


def spawn_daemon(config: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`licensed serve --migrate` as its own process (so it can be killed and can crash), and
    the world's signer beside it."""
    from tests.daemon.harness import ensure_signer

    ensure_signer(config)
    with open(config.parent / "daemon.log", "ab") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "licensed", "serve", "--config", str(config), "--migrate"],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def wait_healthy(url: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if http("GET", url + "/health", timeout=1).status == 200:
                return True
        except (OSError, HTTPException):
            pass
        time.sleep(0.1)
    return False


def trickle(port: int, stop: threading.Event, closed: list[float]) -> None:
    """Open a connection, send a request line, then one header byte every second."""
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    except OSError:
        return
    with conn:
        try:
            conn.sendall(b"POST /webhooks/gumroad HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            while not stop.is_set():
                conn.sendall(b"a")
                conn.settimeout(1.0)
                try:
                    if conn.recv(1024) == b"":
                        break  # the server closed us
                except socket.timeout:
                    pass
        except OSError:
            pass
        closed.append(time.monotonic())
