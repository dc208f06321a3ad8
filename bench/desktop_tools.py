"""Click to usable result, per tool, in the desktop: run as a job, first review page, save as a job.

    .venv/bin/python bench/desktop_tools.py [ROWS ...]     # default 50,000

For each tool: the job API from start to a finished result (with the first page of the
duplicate or match review where there is one), then the save job writing a CSV; beside it
the baseline from the same run, the same tool on the command line writing the same file
(`datatools <tool> … -o OUT`, a fresh process, its start-up included). Prints seconds and
the ratio desktop (run + save) / command line.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def syllables(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(count))


def make_files(folder: Path, rows: int) -> dict[str, Path]:
    """A customer list with 1.2 % known duplicates, its cp1252 copy, and a changed second version."""
    rng = random.Random(19)
    people = []
    for _ in range(rows - rows // 84):
        first, last = syllables(rng, 3).title(), syllables(rng, 4).title()
        people.append([f"{first} {last}", f"{first}.{last}@mail.example".lower(),
                       f"+44 20 {rng.randint(1000000, 9999999)}", rng.choice(["Köln", "Leeds", "Malmö"])])
    people += [[p[0][:-2] + p[0][-1] + p[0][-2], p[1].upper(), "", p[3]]
               for p in rng.sample(people, rows - len(people))]
    rng.shuffle(people)
    lines = ["id,name,email,phone,city"] + [f"{i},{','.join(p)}" for i, p in enumerate(people, 1)]
    files = {"customers": folder / "customers.csv", "cp1252": folder / "customers-cp1252.csv",
             "new": folder / "customers-new.csv"}
    files["customers"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    files["cp1252"].write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    changed = [line.replace("Leeds", "York") if i % 20 == 0 else line for i, line in enumerate(lines)]
    files["new"].write_text("\n".join(changed) + "\n", encoding="utf-8")
    return files


def cases(files: dict[str, Path]):
    """(tool, inputs, desktop options, command-line arguments, review route or None)."""
    c, n, w = (str(files[k]) for k in ("customers", "new", "cp1252"))
    return [
        ("encoding", [w], {"target": "utf-8"}, ["encoding", "fix", w], None),
        ("clean", [c], {}, ["clean", c], None),
        ("profile", [c], {}, ["profile", c, "--json"], None),
        ("compare", [c, n], {"key": "id"}, ["compare", c, n, "--key", "id"], None),
        ("dedupe", [c], {"columns": ["name", "email"], "threshold": 75},
         ["dedupe", c, "--columns", "name,email", "--threshold", "75"], "groups"),
        ("match", [n, c], {"on": ["name", "email"], "right_on": ["name", "email"]},
         ["match", n, c, "--on", "name,email"], "matches"),
    ]


class Api:
    def __init__(self, running) -> None:
        self.base, self.token = running.base_url, running.app.token

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "X-DataTools-Token": self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=3600) as answer:
            return json.loads(answer.read())

    def wait(self, job: dict) -> dict:
        while job["state"] == "running":
            time.sleep(0.05)
            job = self.call("GET", f"/api/jobs/{job['id']}")
        assert job["state"] == "done", job
        return job


def main() -> int:
    from datatools import license as codec
    from datatools import license_keys
    from datatools.app.server import start_server
    from datatools.app.settings import BUILTIN_KEYRING, AppSettings
    from datatools.version import PRODUCT

    sizes = [int(a) for a in sys.argv[1:]] or [50_000]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        license_keys.generate_key(folder / "keys", "bench-1")
        blob = codec.mint_blob({"lid": "B-1", "product": PRODUCT, "tier": "pro", "seats": 1,
                                "name": "Bench", "email": "bench@example.com", "issued": "2026-11-01",
                                "updates_until": None, "expires": None},
                               license_keys.load_private_key(folder / "keys" / "bench-1.pem"), "bench-1")
        running = start_server(AppSettings(home=folder / "home",
                                           keyrings=(BUILTIN_KEYRING, folder / "keys" / "keyring.json")))
        api = Api(running)
        api.call("POST", "/api/license", {"blob": blob})
        print(f"{'tool':9} {'rows':>9} {'run':>7} {'review':>7} {'save':>7} {'desktop':>8} {'CLI':>7} {'ratio':>6}")
        for rows in sizes:
            data = folder / f"rows-{rows}"
            data.mkdir()
            files = make_files(data, rows)
            for tool, inputs, options, argv, review in cases(files):
                start = time.perf_counter()
                job = api.wait(api.call("POST", "/api/jobs", {
                    "tool": tool, "inputs": [{"path": p} for p in inputs], "options": options}))
                run = time.perf_counter() - start
                start = time.perf_counter()
                if review:
                    api.call("GET", f"/api/jobs/{job['id']}/{review}")
                first_page = time.perf_counter() - start
                target = data / f"{tool}-desktop{Path(job['result']['suggested_name']).suffix}"
                start = time.perf_counter()
                api.wait(api.call("POST", f"/api/jobs/{job['id']}/saves", {"path": str(target)}))
                save = time.perf_counter() - start
                start = time.perf_counter()
                out = [] if tool == "profile" else ["-o", str(data / f"{tool}-cli{target.suffix}")]
                subprocess.run([sys.executable, "-m", "datatools", *argv, *out, "-q"] if tool != "encoding"
                               else [sys.executable, "-m", "datatools", *argv, *out],
                               check=True, capture_output=True, cwd=ROOT)
                cli = time.perf_counter() - start
                desktop = run + first_page + save
                print(f"{tool:9} {rows:>9,} {run:7.2f} {first_page:7.2f} {save:7.2f} {desktop:8.2f} "
                      f"{cli:7.2f} {desktop / cli:5.2f}x", flush=True)
        running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
