"""Load on the license daemon (PostgreSQL): Gumroad Pings with every order sent twice, beside
GET /health on the same server in the same run as the baseline. Prints req/s, p99 and ratios.

Needs wrk (Debian: apt-get install -y wrk; not installed by `make test`) and the PostgreSQL
server named by DATATOOLS_TEST_PG (default postgresql://postgres@127.0.0.1:5432/postgres).
BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 16) change the load.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensed.db import open_database  # noqa: E402
from licensed.devworld import write_dev_world  # noqa: E402

PG = os.environ.get("DATATOOLS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECRET = "bench-secret"

# Each wrk thread numbers its orders; request n carries order n // 2, so every order arrives
# twice, back to back, usually on two of the thread's connections.
PING_LUA = r"""
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local counter = 0
local prefix = ""
function init(args) prefix = args[1] .. "-" .. tid end
request = function()
  local order = prefix .. "-" .. math.floor(counter / 2)
  counter = counter + 1
  local body = "sale_id=" .. order .. "&email=bench%40example.com&full_name=Z%C3%B6e+Bench"
    .. "&product_permalink=https%3A%2F%2Fexample.gumroad.com%2Fl%2Fdatatools-pro"
    .. "&price=4900&currency=usd&quantity=1&resource_name=sale"
  return wrk.format("POST", "/webhooks/gumroad?secret=SECRET",
                    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
""".replace("SECRET", SECRET)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_world(folder: Path, database_url: str, port: int) -> Path:
    world = write_dev_world(folder, database_url, port=port, kid="bench-1",
                            admin_token="bench-admin", gumroad_secret=SECRET,
                            products={"datatools-pro": {"tier": "pro"}},
                            writer="bench/license_daemon.py")
    return world.config


def wrk(url: str, script: Path | None, label: str) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
        command += ["--", label]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rate": rate, "p99_ms": float(p99.group(1)) * scale,
            "non_2xx": int(errors.group(1)) if errors else 0}


def wait_healthy(url: str, daemon: subprocess.Popen) -> None:
    for _ in range(300):
        if daemon.poll() is not None:
            raise SystemExit("bench: the daemon exited; see its log above")
        try:
            with urllib.request.urlopen(url + "/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("bench: the daemon did not become healthy")


def main() -> int:
    if shutil.which("wrk") is None:
        # Skipped, not failed: `make bench` runs every script, and the others need no wrk.
        print("bench/license_daemon.py: SKIPPED: wrk is not installed "
              "(Debian: apt-get install -y wrk)", file=sys.stderr)
        return 0
    import psycopg

    name = f"datatools_bench_{uuid.uuid4().hex[:10]}"
    database_url = urlunsplit(urlsplit(PG)._replace(path="/" + name))
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        config = write_world(Path(folder), database_url, port)
        script = Path(folder) / "ping.lua"
        script.write_text(PING_LUA)
        log = open(Path(folder) / "licensed.log", "wb")
        daemon = subprocess.Popen(
            [sys.executable, "-m", "licensed", "serve", "--config", str(config), "--migrate"],
            cwd=ROOT, stdout=log, stderr=log, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            wait_healthy(url, daemon)
            baseline = wrk(url + "/health", None, "")
            ours = wrk(url, script, "o")
        finally:
            daemon.terminate()
            daemon.wait(10)
            log.close()
        db = open_database(database_url, pool_size=1)
        try:
            with db.transaction(write=False) as tx:
                licenses = tx.scalar("count_licenses")
                orders = tx.scalar("count_event_orders")
                duplicates = tx.scalar("count_events_with_outcome", outcome="duplicate")
                mails = tx.scalar("count_outbox")
        finally:
            db.close()
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

    print(f"license daemon on PostgreSQL, waitress 8 threads, wrk {CONNECTIONS} connections, "
          f"{SECONDS} s each")
    print(f"{'':34} {'req/s':>9} {'p99 ms':>9} {'non-2xx':>8}")
    print(f"{'baseline: GET /health (SELECT 1)':34} {baseline['rate']:9.0f} "
          f"{baseline['p99_ms']:9.1f} {baseline['non_2xx']:8d}")
    print(f"{'ours: Gumroad Ping, each order x2':34} {ours['rate']:9.0f} "
          f"{ours['p99_ms']:9.1f} {ours['non_2xx']:8d}")
    print(f"ratio ours/baseline: req/s {ours['rate'] / baseline['rate']:.2f}, "
          f"p99 {ours['p99_ms'] / baseline['p99_ms']:.2f}")
    print(f"orders {orders}, licenses {licenses}, duplicate deliveries answered {duplicates}: "
          + ("one license per order" if licenses == orders else "MISMATCH"))
    print(f"emails queued {mails}: " + ("one per license" if mails == licenses else "MISMATCH"))
    return 0 if licenses == orders == mails and ours["non_2xx"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
