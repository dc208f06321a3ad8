"""Fault scenarios against a real daemon, each ending in one PASS/FAIL line with its counts.

`python -m tests.faults` (or `make faults`) runs them all at full length; tests/faults/
test_faults.py runs short versions in `make test`. Each returns a Result; nothing is mocked:
the daemon is a process (killed with SIGKILL, or watched for a crash), PostgreSQL a private
cluster stopped and started for real, the SQLite volume a real tmpfs remounted or filled.
"""

from __future__ import annotations

import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from licensed.db import open_database
from tests.daemon.harness import http, write_world_files
from tests.faults.load import Storefront, spawn_daemon, wait_healthy
from tests.faults.pgcluster import PrivateCluster, free_port

GUMROAD_DEADLINE = 5.0


@dataclass
class Result:
    name: str
    passed: bool
    counts: dict[str, Any] = field(default_factory=dict)
    why: str = ""

    def line(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"{'PASS' if self.passed else 'FAIL'} {self.name}: {shown}" + (
            f" — {self.why}" if self.why else "")


def database_counts(database_url: str) -> dict[str, int]:
    db = open_database(database_url, pool_size=1)
    try:
        with db.transaction(write=False) as tx:
            return {"licenses": tx.scalar("count_licenses"), "emails": tx.scalar("count_outbox"),
                    "licenses_mailed": tx.scalar("count_outbox_licenses")}
    finally:
        db.close()


def once_each(front: Storefront, database_url: str, counts: dict[str, Any]) -> str:
    """'' when every order the storefront sent has exactly one license and one email."""
    stored = database_counts(database_url)
    counts.update(orders=len(front.answers), **stored)
    orders = len(front.answers)
    if front.orders_with_200() != orders:
        return f"{orders - front.orders_with_200()} orders never answered 200 after retries"
    if not stored["licenses"] == stored["emails"] == stored["licenses_mailed"] == orders:
        return "licenses/emails differ from orders"
    return ""


def fresh_pg_database(server_url: str) -> tuple[str, str]:
    import psycopg

    name = f"datatools_faults_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, server_url.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stop_daemon(daemon: subprocess.Popen) -> None:
    if daemon.poll() is None:
        daemon.terminate()
        try:
            daemon.wait(20)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


# ---------------------------------------------------------------------------------- kill -9


def kill_during_load(pg_server: str, seconds: float = 6.0, threads: int = 8) -> Result:
    """SIGKILL the daemon mid-load, start it again: every order answered 200 has one license
    and one email; the storefront's retries of the unanswered ones mint once."""
    name, url = fresh_pg_database(pg_server)
    counts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        world = write_world_files(Path(folder), url)
        port = free_port()
        env = {"LICENSED_SERVER_PORT": str(port)}
        base = f"http://127.0.0.1:{port}"
        daemon = spawn_daemon(world.config_file, env)
        front = Storefront(base, threads=threads, prefix="KILL")
        try:
            if not wait_healthy(base):
                return Result("kill -9 during load", False, why="the daemon did not start")
            front.start()
            time.sleep(seconds / 2)
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
            counts["answered_200_before_kill"] = front.answered(200)
            time.sleep(0.5)
            daemon = spawn_daemon(world.config_file, env)
            restarted = wait_healthy(base)
            time.sleep(seconds / 2)
        finally:
            front.stop()
            counts["unanswered_then_retried"] = front.retry_unanswered() if daemon.poll() is None else -1
            stop_daemon(daemon)
        counts["deliveries"] = sum(len(a) for a in front.answers.values())
        why = "" if restarted else "the daemon did not come back"
        why = why or once_each(front, url, counts)
    drop_pg_database(pg_server, name)
    return Result("kill -9 during load", not why, counts, why)


# ------------------------------------------------------------------------ PostgreSQL restart


def postgres_restart_during_load(down_seconds: float = 3.0, threads: int = 8) -> Result:
    """Stop PostgreSQL (a private cluster) under load, start it again: /health and webhooks
    answer 503 fast while it is down, the daemon recovers by itself, nothing is lost."""
    cluster = PrivateCluster().start()
    counts: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            world = write_world_files(Path(folder), cluster.url)
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            daemon = spawn_daemon(world.config_file, {"LICENSED_SERVER_PORT": str(port)})
            front = Storefront(base, threads=threads, prefix="PGR")
            health_down: list[int] = []
            try:
                if not wait_healthy(base):
                    return Result("PostgreSQL restart during load", False, why="no start")
                front.start()
                time.sleep(2)
                cluster.stop()
                down_from = time.monotonic()
                while time.monotonic() - down_from < down_seconds:
                    health_down.append(http("GET", base + "/health", timeout=10).status)
                    time.sleep(0.2)
                down_until = time.monotonic()
                cluster.start()
                recovered = wait_healthy(base, 30)
                counts["recovered_in_s"] = round(time.monotonic() - down_until, 1)
                time.sleep(2)
            finally:
                front.stop()
            alive = daemon.poll() is None
            counts["retried"] = front.retry_unanswered() if alive else -1
            stop_daemon(daemon)
            # Sent and answered while the cluster was down. A request sent then but answered
            # after cluster.start() (queued behind busy threads on a loaded machine) may have
            # committed on the restarted cluster, and its 200 is right: counting it by its
            # sending time alone made this scenario fail now and then.
            during = [a for got in front.answers.values() for a in got
                      if down_from + 0.5 < a.at and a.at + a.seconds < down_until]
            straddled = [a for got in front.answers.values() for a in got
                         if down_from + 0.5 < a.at < down_until <= a.at + a.seconds]
            counts.update(answered_after_restart=len(straddled),
                          answered_after_restart_200=sum(1 for a in straddled if a.status == 200))
            counts.update(health_503=health_down.count(503), health_checks=len(health_down),
                          webhooks_while_down=len(during),
                          webhooks_5xx_while_down=sum(1 for a in during if a.status >= 500),
                          # No answer at all (a reset connection): the storefront retries it as
                          # it retries a 5xx, so it is counted, not failed; an answer < 500 fails.
                          webhooks_unanswered_while_down=sum(1 for a in during if a.status == 0),
                          slowest_while_down_s=round(max((a.seconds for a in during), default=0), 2))
            why = ""
            if not alive:
                why = "the daemon died"
            elif not recovered:
                why = "the daemon did not recover without a restart"
            elif health_down.count(503) != len(health_down):
                why = "/health did not answer 503 while the database was down"
            elif any(0 < a.status < 500 for a in during):
                wrong = sorted({a.status for a in during if 0 < a.status < 500})
                why = f"a webhook was answered {wrong} instead of 5xx while the database was down"
            elif counts["slowest_while_down_s"] >= GUMROAD_DEADLINE:
                why = "a webhook took longer than Gumroad's 5 s deadline"
            why = why or once_each(front, cluster.url, counts)
    finally:
        cluster.destroy()
    return Result("PostgreSQL restart during load", not why, counts, why)


# ------------------------------------------------------------------------ SQLite volume faults


class Volume:
    """A real tmpfs of `size` mounted at `path` (the daemon's data volume); needs root."""

    def __init__(self, path: Path, size: str = "256m"):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"cannot mount a tmpfs for the SQLite volume (needs root): "
                               f"{done.stderr.strip()}")

    def read_only(self, on: bool) -> None:
        subprocess.run(["mount", "-o", f"remount,{'ro' if on else 'rw'}", str(self.path)],
                       check=True)

    def make_filler(self) -> Path:
        """An empty filler file, made while there is room (a burst can fill a small volume
        with real rows before `fill` runs, and then even creating a file fails)."""
        filler = self.path / "filler"
        filler.touch()
        return filler

    def fill(self) -> Path:
        """Fill the volume to the last byte; returns the filler file (delete it to free)."""
        filler = self.path / "filler"
        # Unbuffered: a buffered file keeps the bytes a partial write left over and flushes them
        # on close, where the volume is full, so close() raised ENOSPC outside the try below.
        with open(filler, "ab", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        return filler

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


def sqlite_volume_full(seconds: float = 3.0, threads: int = 6) -> Result:
    """The SQLite volume fills up mid-burst: the daemon keeps running (no SIGBUS), answers 5xx
    with a log line, the file stays sound, and once space is freed every order ends with one
    license and one email."""
    name = "SQLite volume full mid-burst"
    counts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        volume = Volume(root / "volume")
        daemon = None
        try:
            database_url = f"sqlite:///{volume.path}/licenses.db"
            world = write_world_files(root / "world", database_url)
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            daemon = spawn_daemon(world.config_file, {"LICENSED_SERVER_PORT": str(port)})
            front = Storefront(base, threads=threads, prefix="VOL")
            try:
                if not wait_healthy(base):
                    return Result(name, False, why="the daemon did not start")
                volume.make_filler()
                front.start()
                time.sleep(1.5)
                filler = volume.fill()
                fault_from = time.monotonic()
                time.sleep(seconds)
                fault_until = time.monotonic()
                alive_in_fault = daemon.poll() is None
                filler.unlink()
                time.sleep(1.5)
            finally:
                front.stop()
            alive = daemon.poll() is None
            counts["exit"] = daemon.returncode if not alive else "running"
            counts["retried"] = front.retry_unanswered() if alive else -1
            stop_daemon(daemon)
            during = [a for got in front.answers.values() for a in got
                      if fault_from + 0.5 < a.at < fault_until]
            counts.update(webhooks_in_fault=len(during),
                          answered_5xx_in_fault=sum(1 for a in during if a.status >= 500),
                          unanswered_in_fault=sum(1 for a in during if a.status == 0))
            log = (world.config_file.parent / "daemon.log").read_text(errors="replace")
            counts["storage_log_lines"] = log.count("database error")
            counts["tracebacks_logged"] = log.count("Traceback")
            counts["integrity"] = integrity(database_url)
            why = ""
            if not (alive_in_fault and alive):
                why = f"the daemon died (exit {daemon.returncode})"
            elif counts["unanswered_in_fault"]:
                why = "requests went unanswered during the fault"
            elif any(200 < a.status < 500 for a in during):
                why = "a 4xx during the fault (the storefront would not retry)"
            elif counts["integrity"] != "ok":
                why = "the database file is damaged"
            elif counts["tracebacks_logged"]:
                why = "the storage fault logged tracebacks, not one line per request"
            why = why or once_each(front, database_url, counts)
        finally:
            if daemon is not None:
                stop_daemon(daemon)
            volume.unmount()
    return Result(name, not why, counts, why)


def sqlite_volume_read_only() -> Result:
    """A daemon started on a read-only SQLite volume refuses with one clear line (exit 1) and
    changes nothing; writable again, it starts and serves. (A mounted volume cannot be turned
    read-only while the daemon holds its files open for writing: Linux refuses the remount.)"""
    name = "SQLite volume read-only at start"
    counts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        volume = Volume(root / "volume")
        try:
            database_url = f"sqlite:///{volume.path}/licenses.db"
            world = write_world_files(root / "world", database_url)
            port = free_port()
            env = {"LICENSED_SERVER_PORT": str(port)}
            first = spawn_daemon(world.config_file, env)
            started = wait_healthy(f"http://127.0.0.1:{port}")
            stop_daemon(first)
            before = (volume.path / "licenses.db").read_bytes()
            volume.read_only(True)
            refused = spawn_daemon(world.config_file, env)
            counts["exit_read_only"] = refused.wait(30)
            log = (world.config_file.parent / "daemon.log").read_text(errors="replace")
            last = [line for line in log.splitlines() if line.startswith("licensed: ")][-1:]
            counts["message"] = repr(last[0][:90]) if last else "-"
            unchanged = (volume.path / "licenses.db").read_bytes() == before
            volume.read_only(False)
            again = spawn_daemon(world.config_file, env)
            serves = wait_healthy(f"http://127.0.0.1:{port}")
            stop_daemon(again)
            counts["integrity"] = integrity(database_url)
            why = ""
            if not started:
                why = "the daemon did not start on the writable volume"
            elif counts["exit_read_only"] != 1 or not last:
                why = "no clean refusal on the read-only volume"
            elif not unchanged or counts["integrity"] != "ok":
                why = "the file changed or is damaged"
            elif not serves:
                why = "the daemon did not serve once the volume was writable"
        finally:
            volume.unmount()
    return Result(name, not why, counts, why)


def integrity(database_url: str) -> str:
    db = open_database(database_url)
    try:
        with db.transaction(write=False) as tx:
            return tx.scalar("sqlite_integrity_check")
    finally:
        db.close()


# ------------------------------------------------------------------------------ slow clients


def poll_health(base: str, seconds: float) -> list[tuple[int, float]]:
    """(status, seconds taken) of a monitor's /health check every half second for `seconds`."""
    from licensed.serving import REQUEST_DEADLINE

    started, health = time.monotonic(), []
    while time.monotonic() - started < seconds:
        began = time.monotonic()
        try:
            status = http("GET", base + "/health", timeout=REQUEST_DEADLINE + 10).status
        except OSError:
            status = 0
        health.append((status, time.monotonic() - began))
        time.sleep(0.5)
    return health


def slow_clients(extra: int = 100, seconds: float = 14.0) -> Result:
    """The connection limit plus `extra` clients trickle a header byte a second: a monitor's
    /health and real sales still get through (within about one request deadline), and the
    trickling connections are closed."""
    import threading

    from licensed.serving import REQUEST_DEADLINE
    from licensed.settings import CONNECTION_LIMIT
    from tests.faults.load import trickle

    count = CONNECTION_LIMIT + extra
    counts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        world = write_world_files(Path(folder), f"sqlite:///{folder}/licenses.db")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        daemon = spawn_daemon(world.config_file, {"LICENSED_SERVER_PORT": str(port)})
        stop, closed = threading.Event(), []
        slow = [threading.Thread(target=trickle, args=(port, stop, closed), daemon=True)
                for _ in range(count)]
        front = Storefront(base, threads=2, prefix="SLOW")
        try:
            if not wait_healthy(base):
                return Result("slow clients", False, why="the daemon did not start")
            for thread in slow:
                thread.start()
            time.sleep(1)
            front.start()
            health = poll_health(base, seconds)
        finally:
            front.stop()
            stop.set()
            for thread in slow:
                thread.join(5)
            stop_daemon(daemon)
        counts.update(slow_clients=count, closed_by_server=len(closed),
                      health_ok=sum(1 for s, _ in health if s == 200), health_checks=len(health),
                      slowest_health_s=round(max(t for _, t in health), 1),
                      sales_200=front.answered(200),
                      sales_not_200=sum(len(a) for a in front.answers.values()) - front.answered(200))
        why = ""
        if counts["health_ok"] != len(health):
            why = "/health failed while slow clients held connections"
        elif counts["slowest_health_s"] > REQUEST_DEADLINE + 3:
            why = "/health waited longer than about one request deadline"
        elif counts["sales_200"] == 0 or counts["sales_not_200"]:
            why = "sales did not get through"
        elif len(closed) < count // 2:
            why = "the server did not close the trickling connections"
    return Result("slow clients", not why, counts, why)


def idle_connections(extra: int = 20, seconds: float = 12.0) -> Result:
    """The connection limit plus `extra` connections that send nothing at all: a monitor's
    /health still answers (within about one request deadline), and the server closes them."""
    import socket

    from licensed.serving import REQUEST_DEADLINE
    from licensed.settings import CONNECTION_LIMIT

    count = CONNECTION_LIMIT + extra
    counts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        world = write_world_files(Path(folder), f"sqlite:///{folder}/licenses.db")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        daemon = spawn_daemon(world.config_file, {"LICENSED_SERVER_PORT": str(port)})
        idle: list[socket.socket] = []
        health: list[tuple[int, float]] = []
        try:
            if not wait_healthy(base):
                return Result("idle connections", False, why="the daemon did not start")
            for _ in range(count):
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            health = poll_health(base, seconds)
            closed = 0
            for conn in idle:
                conn.setblocking(False)
                try:
                    closed += conn.recv(1) == b""
                except BlockingIOError:
                    pass
                except OSError:
                    closed += 1
        finally:
            for conn in idle:
                conn.close()
            alive = daemon.poll() is None
            stop_daemon(daemon)
        counts.update(idle_connections=count, closed_by_server=closed,
                      health_ok=sum(1 for s, _ in health if s == 200), health_checks=len(health),
                      slowest_health_s=round(max(t for _, t in health), 1))
        why = ""
        if not alive:
            why = "the daemon died"
        elif counts["health_ok"] != len(health):
            why = "/health failed while idle connections held the connection limit"
        elif counts["slowest_health_s"] > REQUEST_DEADLINE + 3:
            why = "/health waited longer than about one request deadline"
        elif closed < count // 2:
            why = "the server did not close the idle connections"
    return Result("idle connections", not why, counts, why)


def webhook_probe() -> Result:
    """A prober's GET and oversized body (no secret) on each webhook route get the very answer
    of a path with no route: status, headers (but the request id and date) and body."""
    import urllib.parse

    from licensed.settings import MAX_WEBHOOK_BODY

    counts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        world = write_world_files(Path(folder), f"sqlite:///{folder}/licenses.db")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        daemon = spawn_daemon(world.config_file, {"LICENSED_SERVER_PORT": str(port)})
        big = urllib.parse.urlencode({"x": "y" * (MAX_WEBHOOK_BODY + 6000)}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        def seen(method: str, path: str) -> tuple:
            answer = http(method, base + path, big if method == "POST" else None, form)
            return answer.status, sorted((k, v) for k, v in answer.headers.items()
                                         if k not in ("X-Request-Id", "Date")), answer.body

        differ = []
        try:
            if not wait_healthy(base):
                return Result("webhook route probe", False, why="the daemon did not start")
            for method in ("GET", "POST"):
                nothing = seen(method, "/webhooks/no-such-route?secret=guess")
                for route in ("gumroad", "postmark"):
                    if seen(method, f"/webhooks/{route}?secret=guess") != nothing:
                        differ.append(f"{method} {route}")
                counts[f"{method.lower()}_status"] = nothing[0]
        finally:
            alive = daemon.poll() is None
            stop_daemon(daemon)
        counts["routes_told_apart"] = len(differ)
        why = "the daemon died" if not alive else (
            f"told apart from no route: {', '.join(differ)}" if differ else "")
    return Result("webhook route probe", not why, counts, why)


# ------------------------------------------------------------------------------ Postmark down


def postmark_down(sales: int = 30, down_minutes: int = 20) -> Result:
    """Postmark answers 500 and 429 for `down_minutes` (the daemon's clock moved by hand, the
    worker polling every 30 s of it), then comes back: every license is mailed exactly once."""
    from datetime import datetime, timezone

    from licensed.mailer import PostmarkTransport
    from tests.daemon.fake_postmark import TOKEN, FakePostmark
    from tests.daemon.harness import Clock, LiveDaemon, gumroad_sale

    counts: dict[str, Any] = {}
    postmark = FakePostmark().start()
    with tempfile.TemporaryDirectory() as folder:
        world = write_world_files(Path(folder), f"sqlite:///{folder}/licenses.db")
        (world.secrets_dir / "postmark-token").write_text(TOKEN + "\n")
        world = world.replace(mail_api_url=postmark.url)
        clock = Clock(datetime(2026, 11, 23, 12, tzinfo=timezone.utc))
        live = LiveDaemon(world, clock).start()
        try:
            worker = live.daemon.worker
            worker.transport = PostmarkTransport(postmark.url, TOKEN, timeout=2, attempts=2,
                                                 sleep=lambda seconds: None)
            for n in range(sales):
                live.ping(gumroad_sale(f"MAIL-{n}", email=f"buyer{n}@example.com"))
            refused = 0
            for step in range(down_minutes * 2):
                postmark.script = [500, 429] * sales * 2
                report = worker.run_once()
                refused += report.retrying
                clock.advance(seconds=30)
            postmark.script = []
            counts["refusals_while_down"] = refused
            counts["accepted_while_down"] = len(postmark.accepted)
            for _ in range(40):  # back: keep polling until every row's backoff has passed
                worker.run_once()
                clock.advance(minutes=15)
            lids = [m["Metadata"]["lid"] for m in postmark.accepted]
            counts.update(sales=sales, mailed=len(lids), distinct=len(set(lids)))
            failed = live.admin("GET", "/internal/outbox?status=failed").json()["outbox"]
            counts["failed_rows"] = len(failed)
        finally:
            live.stop()
            postmark.stop()
    why = ""
    if counts["accepted_while_down"]:
        why = "mail was accepted while Postmark was down?"
    elif not counts["mailed"] == counts["distinct"] == sales:
        why = "not every license was mailed exactly once"
    return Result("Postmark down then back", not why, counts, why)
