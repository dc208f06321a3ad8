"""`make bench-server`: the license daemon under load, beside a peer and the raw limit, one run.

Rows, each on a fresh database: (a) our daemon on PostgreSQL, (b) our daemon on SQLite, (c) the
earlier system's stack (bench/peers/fastapi_orm.py: FastAPI + uvicorn + SQLAlchemy ORM, the
same transaction on the same schema), each at 16 and 64 connections with wrk, Gumroad-shaped
Pings with every order sent twice; then (d) the raw limit, pooled INSERT + COMMIT per second
from psycopg alone. After each load the database is checked: exactly one license and one
outbox row per distinct order. Prints req/s, p50/p99/max, errors, the ratio to (c), CPU
milliseconds per request (ours: the daemon, the signer apart, and their sum; every mint pays
the signer's round trip), the load average. Exit 1 when a check fails.

Needs wrk (Debian package) and the PostgreSQL server named by DATATOOLS_TEST_PG (default
postgresql://postgres@127.0.0.1:5432/postgres). BENCH_SECONDS (default 20) sets each load's
length, BENCH_ROWS (e.g. "pg,peer") picks rows, BENCH_CONNECTIONS (default "16,64") the loads,
BENCH_PROCESSES (default "1,2") the daemon's `[server] processes` for the PostgreSQL rows.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.server.load import (  # noqa: E402
    LoadResult, check_database, fresh_pg_database, drop_pg_database, in_threads, load_average,
    run_wrk, signer_of, start_daemon, start_peer, stop, write_world,
)
from licensed.db import open_database  # noqa: E402
from licensed.migrate import migrate  # noqa: E402
from licensed.queries import load_queries  # noqa: E402

PG = os.environ.get("DATATOOLS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
ROWS = os.environ.get("BENCH_ROWS", "pg,sqlite,peer,raw").split(",")
PROCESSES = tuple(int(p) for p in os.environ.get("BENCH_PROCESSES", "1,2").split(","))
CONNECTIONS = tuple(int(c) for c in os.environ.get("BENCH_CONNECTIONS", "16,64").split(","))


def raw_commit_rate(database_url: str, seconds: float, threads: int = 8) -> float:
    """Pooled INSERT + COMMIT per second from psycopg alone: the daemon's own audit INSERT
    (a named query, sql/queries/events.sql) in autocommit, `threads` threads at once."""
    from psycopg_pool import ConnectionPool

    insert = load_queries("pg")["insert_event"].sql
    params = {"source": "bench", "received_at": datetime.now(timezone.utc), "remote_addr": None,
              "request_id": None, "headers": "{}", "body": b"x" * 300, "kind": "sale",
              "order_id": "raw", "outcome": "minted", "detail": None, "license_id": None,
              "replay_of": None}
    done = [0] * threads
    stop_at = time.monotonic() + seconds
    with ConnectionPool(database_url, min_size=threads, max_size=threads,
                        kwargs={"autocommit": True}, open=True) as pool:
        pool.wait()

        def work(slot: int) -> None:
            with pool.connection() as conn:
                while time.monotonic() < stop_at:
                    conn.execute(insert, params)
                    done[slot] += 1

        elapsed = in_threads(work, threads)  # before sum(done): the threads fill it
        return sum(done) / elapsed


def bench_stack(label: str, kind: str, folder: Path,
                processes: int = 1) -> list[tuple[str, LoadResult, str]]:
    rows = []
    for connections in CONNECTIONS:
        if kind == "sqlite":
            url, name = f"sqlite:///{folder}/{label}-{connections}.db", None
        else:
            name, url = fresh_pg_database(PG)
        world = write_world(folder / f"{label}-{connections}", url)
        process = (start_peer(world, url) if kind == "peer" else start_daemon(world, processes))
        try:
            result = run_wrk(world.url, connections, SECONDS, prefix=f"{label}{connections}",
                             pid=process.pid, signer_pid=signer_of(process))
        finally:
            stop(process)
        check = check_database(url)
        rows.append((f"{label} c={connections}", result, check))
        if name:
            drop_pg_database(PG, name)
    return rows


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench-server: wrk is not installed (Debian: apt-get install -y wrk)", file=sys.stderr)
        return 1
    table: list[tuple[str, LoadResult, str]] = []
    print(f"load: wrk -t2, each order sent twice, {SECONDS} s per row; load average before "
          f"{load_average()}; {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "pg" in ROWS:
            for processes in PROCESSES:
                table += bench_stack(f"(a) ours, PostgreSQL, {processes} proc", "pg", folder,
                                     processes)
        if "sqlite" in ROWS:
            table += bench_stack("(b) ours, SQLite", "sqlite", folder)
        if "peer" in ROWS:
            table += bench_stack("(c) FastAPI+uvicorn+SQLAlchemy ORM", "peer", folder)
    raw = None
    if "raw" in ROWS:
        name, url = fresh_pg_database(PG)
        try:
            migrated = open_database(url, pool_size=1)
            try:
                migrate(migrated, datetime.now(timezone.utc))
            finally:
                migrated.close()
            raw = raw_commit_rate(url, min(SECONDS, 10))
        finally:
            drop_pg_database(PG, name)

    peers = {label.split(" c=")[1]: result.rate for label, result, _ in table
             if label.startswith("(c)")}
    print(f"\n{'':42} {'':>7} {'':>7} {'':>7} {'':>7} {'':>6} {'':>5} "
          f"{'CPU ms per request':^20}")
    print(f"{'stack':42} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
          f"{'errors':>6} {'×(c)':>5} {'server':>6} {'signer':>6} {'sum':>6}  database check")
    failed = False
    for label, result, check in table:
        peer = peers.get(label.split(" c=")[1])
        ratio = f"{result.rate / peer:5.1f}" if peer and not label.startswith("(c)") else "    -"
        signer = f"{result.signer_cpu_ms:6.2f}" if not label.startswith("(c)") else "     -"
        print(f"{label:42} {result.rate:7.0f} {result.p50_ms:7.1f} {result.p99_ms:7.1f} "
              f"{result.max_ms:7.1f} {result.errors:6d} {ratio} {result.cpu_ms:6.2f} {signer} "
              f"{result.cpu_ms + result.signer_cpu_ms:6.2f}  {check}")
        failed |= not check.startswith("ok")
    if raw is not None:
        print(f"{'(d) raw limit: psycopg pool, 8 threads':42} {raw:7.0f}   audit-row inserts, one commit each, per second")
    print(f"load average after {load_average()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
