"""The desktop app's own costs: start-up to a usable server, and a tool run through the job API.

    .venv/bin/python bench/desktop.py [ROWS]      # default 200,000 rows for the job run

Baselines from the same run: a bare interpreter start, and the same tool called in-process.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(runs: int, func) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def interpreter_start() -> None:
    subprocess.run([sys.executable, "-c", "print('ready')"], capture_output=True, check=True)


def app_start(home: str) -> None:
    """Spawn `datatools --serve` and wait for its first answered API call."""
    process = subprocess.Popen([sys.executable, "-m", "datatools", "--serve"], stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "DATATOOLS_HOME": home})
    url = process.stdout.readline().strip()
    base, token = url.split("/#token=")
    request = urllib.request.Request(base + "/api/state", headers={"X-DataTools-Token": token})
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def make_file(path: Path, rows: int) -> None:
    rng = random.Random(5)
    names = ["Anna", "Jürgen", "José", "Zoë", "Mary", "Peter", "Søren", "Amélie", "Li"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,name,city,amount\n")
        for i in range(rows):
            handle.write(f"{i},{rng.choice(names)} {i % 977},{rng.choice(['Leeds', 'Lyon', 'Köln'])},"
                         f"{rng.randint(1, 99999) / 100}\n")


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    from datatools.app.server import start_server
    from datatools.app.settings import AppSettings
    from datatools.io import read_table
    from datatools.tools.profile import profile_table

    with tempfile.TemporaryDirectory() as tmp:
        bare = best_of(5, interpreter_start)
        ours = best_of(5, lambda: app_start(tmp))
        print(f"start-up to first API answer: {ours * 1000:7.0f} ms   bare interpreter: "
              f"{bare * 1000:5.0f} ms   ratio {ours / bare:5.1f}x")

        source = Path(tmp) / "table.csv"
        make_file(source, rows)
        direct = best_of(3, lambda: profile_table(read_table(source).frame))
        # A licensed run (no trial cut) through HTTP, the job thread and polling.
        from datatools import license as codec
        from datatools import license_keys
        from datatools.app.settings import BUILTIN_KEYRING
        from datatools.version import PRODUCT

        keys = Path(tmp) / "keys"
        license_keys.generate_key(keys, "bench-1")
        blob = codec.mint_blob({"lid": "B-1", "product": PRODUCT, "tier": "pro", "seats": 1,
                                "name": "Bench", "email": "bench@example.com", "issued": "2026-11-01",
                                "updates_until": None, "expires": None},
                               license_keys.load_private_key(keys / "bench-1.pem"), "bench-1")
        running = start_server(AppSettings(home=Path(tmp) / "home",
                                           keyrings=(BUILTIN_KEYRING, keys / "keyring.json")))

        def through_api() -> None:
            def call(method, path, body=None):
                data = None if body is None else json.dumps(body).encode()
                request = urllib.request.Request(running.base_url + path, data=data, method=method,
                                                 headers={"X-DataTools-Token": running.app.token,
                                                          "Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=600) as answer:
                    return json.loads(answer.read())

            job = call("POST", "/api/jobs", {"tool": "profile", "inputs": [{"path": str(source)}]})
            while job["state"] not in ("done", "failed", "cancelled"):
                time.sleep(0.05)
                job = call("GET", f"/api/jobs/{job['id']}")
            assert job["state"] == "done", job

        call_license = urllib.request.Request(
            running.base_url + "/api/license", data=json.dumps({"blob": blob}).encode(), method="POST",
            headers={"X-DataTools-Token": running.app.token, "Content-Type": "application/json"})
        urllib.request.urlopen(call_license, timeout=30).close()
        api = best_of(3, through_api)
        running.stop()
        print(f"profile {rows:,} rows via job API: {api:6.2f} s   in-process: {direct:6.2f} s   "
              f"ratio {api / direct:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
