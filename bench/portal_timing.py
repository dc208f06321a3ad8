"""Does the portal's answer time tell a known address from an unknown one? POSTs /portal for
addresses that have a license and for addresses that have none, interleaved, on one daemon
(SQLite, loopback), and prints the median and p90 of each beside their ratio (1.00 = no tell).

The portal's rate limits are raised for the run (they would stop it after ten requests);
everything else is the daemon as `licensed serve` runs it, portal thread included.
BENCH_REQUESTS (default 200) sets the requests per kind.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import licensed.routes.portal as portal_routes  # noqa: E402
from licensed.app import create_app, daemon_of, make_server  # noqa: E402
from licensed.devworld import write_dev_world  # noqa: E402
from licensed.settings import load_settings  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))


def post(url: str, body: bytes, cookie: str) -> float:
    request = urllib.request.Request(url + "/portal", data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
        assert answer.status == 200
    return (time.perf_counter() - started) * 1000


def main() -> int:
    portal_routes.ADDRESS_LIMIT = (10 ** 6, 3600.0)
    portal_routes.CLIENT_LIMIT = (10 ** 6, 600.0)
    with tempfile.TemporaryDirectory() as tmp:
        world = write_dev_world(Path(tmp), f"sqlite:///{tmp}/licenses.db",
                                writer="bench/portal_timing.py")
        app = create_app(load_settings(world.config, {}), apply_migrations=True)
        daemon = daemon_of(app)
        server = make_server(app, daemon.settings)
        threading.Thread(target=server.run, daemon=True).start()
        daemon.portal.start()
        url = f"http://127.0.0.1:{server.effective_port}"
        for n in range(REQUESTS):  # one license per known address, minted by the operator
            req = urllib.request.Request(url + "/internal/mint", method="POST", data=json.dumps(
                {"name": f"Buyer {n}", "email": f"known{n}@example.com", "tier": "pro"}).encode(),
                headers={"Authorization": f"Bearer {world.secret('admin-token')}",
                         "Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=30).read()
        with urllib.request.urlopen(url + "/portal", timeout=30) as answer:
            page = answer.read().decode()
            cookie = answer.headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for n in range(REQUESTS):
            for kind in ("known", "unknown"):
                body = urllib.parse.urlencode({"csrf": token, "lang": "en",
                                               "email": f"{kind}{n}@example.com"}).encode()
                times[kind].append(post(url, body, cookie))
        daemon.portal.stop()
        server.close()
        daemon.close()
    print(f"portal answer time, {REQUESTS} requests each, interleaved (SQLite, loopback)")
    print(f"{'':24}{'median ms':>10}{'p90 ms':>10}")
    stats = {}
    for kind, values in times.items():
        values.sort()
        stats[kind] = (statistics.median(values), values[int(len(values) * 0.9)])
        print(f"{kind + ' address':24}{stats[kind][0]:10.2f}{stats[kind][1]:10.2f}")
    print(f"ratio known/unknown: median {stats['known'][0] / stats['unknown'][0]:.2f}, "
          f"p90 {stats['known'][1] / stats['unknown'][1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
