"""Large files in the window: profile, clean and compare of bench/scale.py's export run as the
window runs them (the app's job API), beside the same tool on the command line, each process's
peak memory measured alone.

    .venv/bin/python bench/window_large.py --rows 50000000     # the 5.9 GB export of issue 27
    .venv/bin/python bench/window_large.py --rows 1000000      # what a shared machine tolerates
    .venv/bin/python bench/window_large.py --tools dedupe,match --export-rows 10000000   # 5.1 GB

Find duplicates and Match take bench/scale_dedupe.py's `--wide` customer export (`--export-rows`,
made there if missing) on its people columns; Match looks up bench/scale_match.py's `--wide`
list of `--leads` sign-ups (LEFT) in it (RIGHT). Their first page is the review's first page of
groups or matches, and the save writes the grouped export (the matched leads).

The two versions come from bench/scale.py (made there if missing, in the same folder). Each
window run is a fresh process started by the small launcher (bench/peak.py), whose wait4 gives
its own peak resident memory and CPU seconds: it starts the app's local server as the window
does (`start_server`, the same settings: engine by size, the machine's default memory limit),
activates a license, posts the job, waits for it, opens the first page of the result where
there is one (the compare's differences) and saves the result as CSV (profile has nothing to
save). Beside it, in the same run, the command line: `datatools profile|clean|compare` with the
same inputs and output. Goal (issue 27): each within 2 GB; a 5 GB export goes through every
tool in the window as on the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
from peak import measure, pss_kb, tree  # noqa: E402  (bench/peak.py: the small launcher)
from scale_dedupe import COLUMNS as PEOPLE  # noqa: E402  (the people columns compared)

TRACE = os.environ.get("WINDOW_LARGE_TRACE")   # a file: each phase's end, seconds and largest memory
TOOLS = {   # tool: (window options, command-line options, the result's first page or None)
    "profile": ({}, ["--json"], None),
    "clean": ({}, [], None),
    "compare": ({"key": "id"}, ["--key", "id"], "diff"),   # every row, as the window writes by default
    "dedupe": ({"columns": PEOPLE.split(",")}, ["--columns", PEOPLE], "groups"),
    "match": ({"on": PEOPLE.split(",")}, ["--on", PEOPLE], "matches"),
}


def window_job(tool: str, inputs: list[str], out: Path, folder: Path) -> dict:
    """Run `tool` through the app's job API in this process; the phases' seconds."""
    from datatools import license as codec
    from datatools import license_keys
    from datatools.app.server import start_server
    from datatools.app.settings import BUILTIN_KEYRING, AppSettings
    from datatools.version import PRODUCT

    keys = folder / "keys"
    license_keys.generate_key(keys, "bench-1")
    blob = codec.mint_blob({"lid": "B-1", "product": PRODUCT, "tier": "pro", "seats": 1,
                            "name": "Bench", "email": "bench@example.com", "issued": "2026-11-01",
                            "updates_until": None, "expires": None},
                           license_keys.load_private_key(keys / "bench-1.pem"), "bench-1")
    running = start_server(AppSettings(home=folder / "home", keyrings=(BUILTIN_KEYRING, keys / "keyring.json")))
    base, token = running.base_url, running.app.token

    def call(method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(base + path, data=data, method=method, headers={
            "X-DataTools-Token": token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=7200) as answer:
            return json.loads(answer.read())

    def trace(line: str) -> None:
        with open(TRACE, "a", encoding="utf-8") as log:
            print(f"{tool}: {line}", file=log)

    def wait(job: dict) -> dict:
        phase, most, began = None, 0, time.perf_counter()
        while job["state"] == "running":
            time.sleep(0.5)
            job = call("GET", f"/api/jobs/{job['id']}")
            if TRACE:   # each phase's largest sampled memory (this process and its worker), on stderr
                now = job["message"].split(":")[0].rstrip(" .0123456789%,")
                if now != phase:
                    if phase is not None:
                        trace(f"{time.perf_counter() - began:8.1f} s  {most / (1 << 20):5.2f} GB  {phase}")
                    phase, most = now, 0
                most = max(most, sum(pss_kb(p) for p in tree(os.getpid())))
        if TRACE and phase is not None:
            trace(f"{time.perf_counter() - began:8.1f} s  {most / (1 << 20):5.2f} GB  {phase}")
        if job["state"] != "done":
            raise SystemExit(f"the window's {tool} job ended {job['state']}: {job.get('error')}")
        return job

    try:
        call("POST", "/api/license", {"blob": blob})
        start = time.perf_counter()
        job = wait(call("POST", "/api/jobs", {"tool": tool, "inputs": [{"path": p} for p in inputs],
                                              "options": TOOLS[tool][0]}))
        phases = {"run": time.perf_counter() - start}
        if TOOLS[tool][2]:
            start = time.perf_counter()
            call("GET", f"/api/jobs/{job['id']}/{TOOLS[tool][2]}")
            phases["first page"] = time.perf_counter() - start
        if tool != "profile":
            start = time.perf_counter()
            wait(call("POST", f"/api/jobs/{job['id']}/saves", {"path": str(out)}))
            phases["save"] = time.perf_counter() - start
        phases["engine"] = job.get("engine") or "?"
        return phases
    finally:
        running.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "datatools-scale",
                        help="where bench/scale.py's versions are (made there if missing)")
    parser.add_argument("--tools", default="profile,clean,compare")
    parser.add_argument("--export-rows", type=int, default=10_000_000, help="dedupe's and match's export")
    parser.add_argument("--window-only", action="store_true", help="leave out the command-line runs")
    parser.add_argument("--leads", type=int, default=1_000_000, help="match's list looked up in the export")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)   # TOOL OUT INPUT...: a window run
    args = parser.parse_args()
    if args.one:
        tool, out, *inputs = args.one
        with tempfile.TemporaryDirectory() as scratch:
            print(json.dumps(window_job(tool, inputs, Path(out), Path(scratch))))
        return 0
    args.folder.mkdir(parents=True, exist_ok=True)
    tools = args.tools.split(",")
    files: dict[str, list[str]] = {}
    if {"profile", "clean", "compare"} & set(tools):
        subprocess.run([PYTHON, str(HERE / "scale.py"), "--generate-only", "--rows", str(args.rows),
                        "--folder", str(args.folder)], check=True)
        first, second = (args.folder / f"scale-{args.rows}-v{n}.csv" for n in (1, 2))
        files.update(profile=[str(first)], clean=[str(first)], compare=[str(first), str(second)])
        print(f"{args.rows:,} rows, {first.stat().st_size / 1e9:.2f} GB per version; 2 GB goal")
    if {"dedupe", "match"} & set(tools):
        from scale_dedupe import made
        from scale_match import leads_made

        export = made(args.export_rows, args.folder, wide=True)[0]
        files["dedupe"] = [str(export)]
        print(f"customer export of {args.export_rows:,} rows, {export.stat().st_size / 1e9:.2f} GB; 4 GB goal")
        if "match" in tools:
            leads = leads_made(args.leads, args.export_rows, args.folder)[0]
            files["match"] = [str(leads), str(export)]
    env = {"XDG_CACHE_HOME": str(args.folder / "cache")}
    print(f"{'tool':<8} {'where':<13} {'seconds':>8} {'CPU s':>7} {'peak GB':>8}  phases")
    for tool in tools:
        inputs = files[tool]
        out = args.folder / f"window-{tool}.csv"
        window = measure([PYTHON, __file__, "--one", tool, str(out), *inputs], env, ROOT, capture=True)
        phases = json.loads(window.stdout.strip().splitlines()[-1]) if window.code == 0 else {}
        text = ", ".join(f"{k} {v:.1f} s" if isinstance(v, float) else f"{k} {v}" for k, v in phases.items())
        print(f"{tool:<8} {'window':<13} {window.seconds:>8.1f} {window.cpu:>7.1f} {window.peak_gb:>8.2f}  "
              f"{text or f'exit {window.code}'}", flush=True)
        if args.window_only:
            for name in (out, out.with_suffix(".merges.csv")):   # the save's merge list too
                name.unlink(missing_ok=True)
            continue
        cli_out = [] if tool == "profile" else ["-o", str(args.folder / f"cli-{tool}.csv"), "--force"]
        cli = measure([PYTHON, "-m", "datatools", tool, *inputs, "-q", *TOOLS[tool][1], *cli_out], env, ROOT)
        print(f"{tool:<8} {'command line':<13} {cli.seconds:>8.1f} {cli.cpu:>7.1f} {cli.peak_gb:>8.2f}  "
              f"{'' if cli.code == 0 else f'exit {cli.code}'}", flush=True)
        for name in (out, args.folder / f"cli-{tool}.csv"):
            name.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
