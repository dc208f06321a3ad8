"""Where a mint's CPU goes: the daemon and its signer under bench/server's load, by component.

Both run as real processes on a fresh PostgreSQL database, as `make bench-server` runs them,
but started through this file, which first wraps a few dozen functions with a CPU clock
(`time.thread_time`, exclusive of the wrapped functions they call) and counts each thread's
CPU from /proc. On SIGUSR1 a process writes its totals as JSON; the difference between the
totals before and after one wrk load, divided by the requests wrk made, is the table: CPU
milliseconds per request by thread (the request threads, waitress's loop, the mail worker, the
signer's connection threads) and by component, each thread's unwrapped rest named for what
runs there (waitress's HTTP parsing and writing, Bottle's routing, socketserver). The wrappers
themselves cost about a microsecond per call.

Run: `.venv-bench/bin/python bench/server/profile.py` (BENCH_SECONDS, default 10;
BENCH_CONNECTIONS, default 16). Needs wrk and PostgreSQL (DATATOOLS_TEST_PG).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# (module, attribute path, component): wrapped in the daemon; the signer's list is below.
DAEMON_PARTS = [
    ("licensed.routes", "DaemonApp.__call__", "Bottle routing and our per-request wrapper"),
    ("licensed.webhooks", "process_delivery", "our webhook and fulfilment code"),
    ("licensed.fulfilment", "apply_event", "our webhook and fulfilment code"),
    ("licensed.minting", "mint_from_sale", "our webhook and fulfilment code"),
    ("licensed.sources.gumroad", "GumroadAdapter.parse", "storefront adapter (parse, checks)"),
    ("licensed.bounds", "check_event", "storefront adapter (parse, checks)"),
    ("licensed.signer.client", "SignerClient._ask", "signer round trip (client side)"),
    ("licensed.db", "Transaction._run", "SQL: statements (psycopg execute)"),
    ("licensed.db", "Transaction._records", "SQL: rows to records"),
    ("psycopg_pool", "ConnectionPool.getconn", "SQL: pool checkout (with its check)"),
    ("psycopg_pool", "ConnectionPool.putconn", "SQL: pool return"),
    ("psycopg", "Transaction.__enter__", "SQL: opening and closing transactions"),
    ("psycopg", "Transaction.__exit__", "SQL: opening and closing transactions"),
    ("logging", "Logger._log", "logging"),
    ("json", "dumps", "JSON"),
    ("json", "loads", "JSON"),
    ("licensed.outbox", "license_message", "mail: render the message"),
    ("licensed.mailer", "SpoolTransport.send", "mail: spool (email package, fsync)"),
    ("licensed.outbox", "DeliveryWorker.run_once", "mail: worker loop"),
]
SIGNER_PARTS = [
    ("licensed.signer.server", "SignerService.sign", "signer: policy, limits"),
    ("licensed.signing", "Signer.sign", "signer: build and sign (Ed25519)"),
    ("licensed.signer.chain", "SignatureLog.append", "signer: chain entry (hash, write)"),
    ("licensed.signer.chain", "SignatureLog._wait_durable", "signer: fdatasync (group commit)"),
    ("licensed.signer.protocol", "decode", "JSON"),
    ("licensed.signer.protocol", "encode", "JSON"),
    ("logging", "Logger._log", "logging"),
]
# What the rest of a thread's CPU is, by thread name.
REST = {"waitress": "waitress: task, HTTP writing", "MainThread": "waitress: loop, HTTP parsing",
        "mail-worker": "mail: worker loop", "portal": "portal queue",
        "signer-main": "signer: accept loop", "signer-conn": "signer: socketserver read/write"}


class Clock:
    """Exclusive CPU per (thread kind, component), and each thread's CPU from /proc."""

    def __init__(self, kind_of: Callable[[str], str]):
        self.kind_of = kind_of
        self.totals: dict[str, float] = defaultdict(float)
        self.local = threading.local()
        self.lock = threading.Lock()

    def wrap(self, function: Callable, component: str) -> Callable:
        clock = time.thread_time

        def timed(*args: Any, **kwargs: Any) -> Any:
            stack = getattr(self.local, "stack", None)
            if stack is None:
                stack = self.local.stack = []
            started = clock()
            stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = clock() - started
                inner = stack.pop()
                if stack:
                    stack[-1] += elapsed
                key = f"{self.kind_of(threading.current_thread().name)}|{component}"
                with self.lock:
                    self.totals[key] += elapsed - inner

        return timed

    def install(self, parts: list[tuple[str, str, str]]) -> None:
        import importlib

        for module_name, path, component in parts:
            owner: Any = importlib.import_module(module_name)
            *outer, name = path.split(".")
            for step in outer:
                owner = getattr(owner, step)
            original = getattr(owner, name)
            wrapped = self.wrap(original, component)
            setattr(owner, name, wrapped)
            if not outer:  # a function: also where a module imported it by name already
                for module in list(sys.modules.values()):
                    if getattr(module, name, None) is original:
                        setattr(module, name, wrapped)

    def snapshot(self) -> dict[str, Any]:
        threads: dict[str, float] = defaultdict(float)
        tick = os.sysconf("SC_CLK_TCK")
        for thread in threading.enumerate():
            try:
                fields = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
            except OSError:
                continue
            utime, stime = fields.rsplit(")", 1)[1].split()[11:13]
            threads[self.kind_of(thread.name)] += (int(utime) + int(stime)) / tick
        with self.lock:
            return {"components": dict(self.totals), "threads": dict(threads)}


def user_system(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of process `pid` (all its threads) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def daemon_kind(name: str) -> str:
    return "waitress" if name.startswith("waitress") else name


def signer_kind(name: str) -> str:
    return "signer-main" if name == "MainThread" else "signer-conn"


def launch(role: str, config: str, out: str) -> int:
    """Run the daemon or the signer with the clocks in; SIGUSR1 appends a snapshot to `out`."""
    clock = Clock(daemon_kind if role == "daemon" else signer_kind)
    clock.install(DAEMON_PARTS if role == "daemon" else SIGNER_PARTS)

    def dump(signum: int, frame: Any) -> None:
        with open(out, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(clock.snapshot()) + "\n")

    signal.signal(signal.SIGUSR1, dump)
    from licensed.cli import main

    argv = (["serve", "--config", config, "--migrate"] if role == "daemon"
            else ["signer", "--config", config])
    return main(argv)


def table(before: dict, after: dict, requests: int) -> list[tuple[str, str, float]]:
    """(thread kind, component, ms per request), every thread's unwrapped rest included."""
    rows: dict[tuple[str, str], float] = defaultdict(float)
    for key, value in after["components"].items():
        kind, component = key.split("|", 1)
        rows[kind, component] += value - before["components"].get(key, 0.0)
    for kind, value in after["threads"].items():
        spent = value - before["threads"].get(kind, 0.0)
        wrapped = sum(v for (k, _), v in rows.items() if k == kind)
        rows[kind, REST.get(kind, "other")] += spent - wrapped
    return sorted(((k, c, v * 1000 / requests) for (k, c), v in rows.items()),
                  key=lambda row: -row[2])


def main() -> int:
    from bench.server.load import (_spawn, drop_pg_database, fresh_pg_database, run_wrk,
                                   write_world)
    from licensed.settings import load_settings
    from licensed.signer.server import bind_socket, spawn_activated

    pg = os.environ.get("DATATOOLS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    name, url = fresh_pg_database(pg)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            world = write_world(Path(tmp) / "world", url)
            settings = load_settings(world.config, {})
            outs = {role: Path(tmp) / f"{role}.jsonl" for role in ("daemon", "signer")}
            sock = bind_socket(settings.signer_socket)
            unlimited = {**os.environ, "LICENSED_SIGNER_PER_MINUTE": "1000000",
                         "LICENSED_SIGNER_PER_DAY": "100000000", "PYTHONPATH": str(ROOT)}
            with open(Path(tmp) / "signer.log", "wb") as log:
                signer = spawn_activated([sys.executable, __file__, "--launch", "signer",
                                          str(world.config), str(outs["signer"])], sock,
                                         cwd=ROOT, env=unlimited, stdout=log, stderr=log)
            sock.close()
            daemon = _spawn([sys.executable, __file__, "--launch", "daemon", str(world.config),
                             str(outs["daemon"])], world)
            try:
                for process in (daemon, signer):
                    process.send_signal(signal.SIGUSR1)
                time.sleep(0.5)
                split = {p.pid: user_system(p.pid) for p in (daemon, signer)}
                result = run_wrk(world.url, connections, seconds, prefix="profile",
                                 pid=daemon.pid, signer_pid=signer.pid)
                split = {pid: [b - a for a, b in zip(split[pid], user_system(pid))]
                         for pid in split}
                for process in (daemon, signer):
                    process.send_signal(signal.SIGUSR1)
                time.sleep(0.5)
            finally:
                for process in (daemon, signer):
                    process.terminate()
                    process.wait(30)
            requests = round(result.rate * seconds)
            print(f"{requests} requests in {seconds} s at {connections} connections "
                  f"({result.rate:.0f}/s, each order twice); CPU ms per request: daemon "
                  f"{result.cpu_ms:.2f}, signer {result.signer_cpu_ms:.2f}, sum "
                  f"{result.cpu_ms + result.signer_cpu_ms:.2f}; load average "
                  f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
            for role, pid in (("daemon", daemon.pid), ("signer", signer.pid)):
                before, after = [json.loads(line) for line in
                                 outs[role].read_text().splitlines()[-2:]]
                rows = table(before, after, requests)
                user, system = (value * 1000 / requests for value in split[pid])
                print(f"\n{role}: {sum(r[2] for r in rows):.3f} ms per request (user {user:.3f}, "
                      f"system {system:.3f})")
                for kind, component, ms in rows:
                    if abs(ms) >= 0.0005:
                        print(f"  {kind:12} {component:44} {ms:7.3f}")
    finally:
        drop_pg_database(pg, name)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--launch":
        sys.exit(launch(*sys.argv[2:]))
    sys.exit(main())
