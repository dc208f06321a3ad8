"""The parts of bench/server/run.py: worlds, starting stacks, wrk and its numbers, the checks."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

from licensed.db import open_database
from licensed.devworld import write_dev_world

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-secret"
KID = "bench-1"
PING_LUA = Path(__file__).with_name("ping.lua")


@dataclass(frozen=True)
class World:
    config: Path
    url: str
    key_pem: Path
    folder: Path


@dataclass(frozen=True)
class LoadResult:
    rate: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # non-2xx answers plus socket errors (connect, read, write, timeout)
    cpu_ms: float  # CPU time of the server's processes per request (user + system)
    signer_cpu_ms: float = 0.0  # CPU time of the signer process per request (ours only)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += _descendants(int(child))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process `pid` and every process below it, in seconds."""
    total = 0
    for each in _descendants(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def in_threads(work: Callable[[int], None], threads: int) -> float:
    """Run work(0) … work(threads - 1) at once, one thread each; the seconds until all ended."""
    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.monotonic() - started


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def write_world(folder: Path, database_url: str) -> World:
    port = free_port()
    world = write_dev_world(folder, database_url, port=port, kid=KID, admin_token="bench-admin",
                            gumroad_secret=SECRET, products={"datatools-pro": {"tier": "pro"}},
                            writer="bench/server")
    return World(config=world.config, url=f"http://127.0.0.1:{port}",
                 key_pem=world.secrets_dir / "signing" / f"{KID}.pem", folder=folder)


def fresh_pg_database(server_url: str) -> tuple[str, str]:
    """(name, url) of a new empty database on the server `server_url` names."""
    import psycopg

    name = f"datatools_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(urlsplit(server_url)._replace(path="/" + name))


def drop_pg_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"bench: the server exited; its log:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("bench: the server did not become healthy")


def _spawn(command: list[str], world: World, env: dict[str, str] | None = None) -> subprocess.Popen:
    log = world.folder / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=out,
                                   env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    _wait_healthy(world.url, process, log)
    return process


SIGNERS: dict[int, subprocess.Popen] = {}  # daemon pid → its signer, stopped with it


def start_daemon(world: World, processes: int = 1) -> subprocess.Popen:
    """The daemon and its signer (socket-activated, as systemd starts it): every mint pays the
    signer's round trip, as in production. The signer's CPU is measured apart
    (`signer_of`). Its rate limit is lifted: the dev world's 6,000 a minute is a production
    guard, and a faster run would hit it and measure refusals."""
    from licensed.settings import load_settings
    from licensed.signer.server import start_signer_process

    settings = load_settings(world.config, {})
    unlimited = {**os.environ, "LICENSED_SIGNER_PER_MINUTE": "1000000",
                 "LICENSED_SIGNER_PER_DAY": "100000000"}
    with open(world.folder / "signer.log", "wb") as out:
        signer = start_signer_process(world.config, settings.signer_socket, cwd=ROOT,
                                      stdout=out, stderr=out, env=unlimited)
    daemon = _spawn([sys.executable, "-m", "licensed", "serve", "--config", str(world.config),
                     "--migrate"], world, {"LICENSED_SERVER_PROCESSES": str(processes)})
    SIGNERS[daemon.pid] = signer
    return daemon


def signer_of(daemon: subprocess.Popen) -> int | None:
    """The pid of the signer `start_daemon` started beside `daemon` (None for a peer)."""
    signer = SIGNERS.get(daemon.pid)
    return signer.pid if signer is not None else None


def start_peer(world: World, database_url: str) -> subprocess.Popen:
    subprocess.run([sys.executable, "-m", "licensed", "migrate", "--config", str(world.config)],
                   cwd=ROOT, check=True, capture_output=True)
    port = urlsplit(world.url).port
    return _spawn([sys.executable, str(ROOT / "bench" / "peers" / "fastapi_orm.py"),
                   database_url, str(port), str(world.key_pem), KID, SECRET], world)


def stop(process: subprocess.Popen) -> None:
    for one in (process, SIGNERS.pop(process.pid, None)):
        if one is None:
            continue
        one.terminate()
        try:
            one.wait(20)
        except subprocess.TimeoutExpired:
            one.kill()
            one.wait()


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, connections: int, seconds: int, *, prefix: str, pid: int,
            signer_pid: int | None = None) -> LoadResult:
    """wrk with bench/server/ping.lua: Gumroad Pings, request n carrying order n // 2 of its
    thread, so every order arrives twice, back to back, on two of the thread's connections.
    CPU is counted for `pid` and its children, and for `signer_pid` apart."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
               "-s", str(PING_LUA), url, "--", re.sub(r"\W", "", prefix), SECRET]
    cpu_before = cpu_seconds(pid)
    signer_before = cpu_seconds(signer_pid) if signer_pid else 0.0
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - cpu_before
    signer_cpu = cpu_seconds(signer_pid) - signer_before if signer_pid else 0.0
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    latency = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\b", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0)
    return LoadResult(rate=rate, p50_ms=_ms(*p50.groups()), p99_ms=_ms(*p99.groups()),
                      max_ms=_ms(*latency.groups()), errors=errors,
                      cpu_ms=cpu * 1000 / max(1, requests),
                      signer_cpu_ms=signer_cpu * 1000 / max(1, requests))


def check_database(database_url: str) -> str:
    """'ok: N orders, N licenses, N emails' when each distinct order has exactly one license
    and one outbox row; else what is wrong."""
    db = open_database(database_url, pool_size=1)
    try:
        with db.transaction(write=False) as tx:
            orders = tx.scalar("count_event_orders")
            licenses = tx.scalar("count_licenses")
            mails = tx.scalar("count_outbox")
            mailed = tx.scalar("count_outbox_licenses")
    finally:
        db.close()
    counts = f"{orders} orders, {licenses} licenses, {mails} emails"
    if orders == licenses == mails == mailed:
        return "ok: " + counts
    return "MISMATCH: " + counts + f" ({mailed} licenses with mail)"
