"""The built desktop bundles: size, `--help`, and start-up to a usable UI, beside a bare interpreter.

    make dist-desktop KEYRING=FILE          # builds dist/datatools-<version>-<os>-<cpu>[-onefile]
    make dist-desktop-naive KEYRING=FILE    # optional: the same program with nothing cut
    .venv/bin/python bench/bundle.py [EXECUTABLE ...]

Each figure is the median of 5 fresh processes (the files are in the OS cache after the first
one, as on a buyer's second start). "UI ready" is `--self-test` under QT_QPA_PLATFORM=offscreen:
process start until the window's page has loaded and shows the start screen. "server" is
`--serve` until its first answered API call. Goals (issue 18): one-folder UI ready < 1.5 s,
`--help` < 0.3 s.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import release  # noqa: E402 - packaging/release.py names the build's files

RUNS = 5


def median_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def environment(home: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return {**env, "DATATOOLS_HOME": home, "QT_QPA_PLATFORM": "offscreen",
            "QTWEBENGINE_DISABLE_SANDBOX": "1", "LANG": "C.UTF-8"}


def run_help(command: list[str], home: str) -> None:
    subprocess.run([*command, "--help"], capture_output=True, check=True, env=environment(home))


def ui_ready(command: list[str], home: str) -> None:
    """Until the self-test's first line: the window has loaded the start screen."""
    process = subprocess.Popen([*command, "--self-test"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=environment(home))
    line = process.stdout.readline()
    if not line.startswith("window: ok"):
        raise SystemExit(f"{command[0]} --self-test: {line!r}")
    process.wait(timeout=60)


def server_ready(command: list[str], home: str) -> None:
    process = subprocess.Popen([*command, "--serve"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=environment(home))
    base, token = process.stdout.readline().strip().split("/#token=")
    request = urllib.request.Request(base + "/api/state", headers={"X-DataTools-Token": token})
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1e6


def default_bundles() -> list[Path]:
    stem = ROOT / "dist" / release.artifact_stem()
    candidates = [stem / "datatools", Path(f"{stem}-onefile"), Path(f"{stem}-naive") / "datatools"]
    return [path for path in candidates if path.is_file()]


def main(argv: list[str]) -> int:
    bundles = [Path(arg) for arg in argv] or default_bundles()
    if not bundles:
        print("no bundle in dist/: build one with `make dist-desktop KEYRING=FILE` first")
        return 0
    with tempfile.TemporaryDirectory() as home:
        bare = median_of(RUNS, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
        source = [sys.executable, "-m", "datatools"]
        print(f"median of {RUNS}; bare interpreter start: {bare * 1000:.0f} ms\n")
        print(f"{'program':44} {'size MB':>8} {'--help ms':>10} {'server ms':>10} {'UI ready ms':>12} {'UI/bare':>8}")
        rows = [("python -m datatools (source)", source, None)]
        # A one-folder bundle is named by its folder (the program inside is `datatools`).
        rows += [(f"{path.parent.name}/" if path.name == "datatools" else path.name, [str(path)],
                  path.parent if path.name == "datatools" else path) for path in bundles]
        for label, command, folder in rows:
            helped = median_of(RUNS, lambda: run_help(command, home))
            served = median_of(RUNS, lambda: server_ready(command, home))
            ready = median_of(RUNS, lambda: ui_ready(command, home))
            size = f"{size_mb(folder):8.0f}" if folder else f"{'-':>8}"
            print(f"{label:44} {size} {helped * 1000:10.0f} {served * 1000:10.0f} {ready * 1000:12.0f} "
                  f"{ready / bare:7.1f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
