"""An environment whose pandas is older than DataTools needs: one line that says so, from the
command line and in the window, instead of a traceback or "something went wrong"."""

from __future__ import annotations

import configparser
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAYS = ("DataTools needs pandas 3.0.1 or later, but this Python has pandas 2.3.3; upgrade it "
        "(pip install 'pandas>=3.0.1') or install DataTools in a fresh environment.")


def old_pandas_environment(folder: Path) -> dict:
    """The environment of a Python whose `import pandas` finds pandas 2.3.3 (an empty stand-in:
    DataTools must not need more than its version to say so), with this checkout's datatools."""
    (folder / "pandas").mkdir(parents=True)
    (folder / "pandas" / "__init__.py").write_text('__version__ = "2.3.3"\n')
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(REPO)]),
            "DATATOOLS_HOME": str(folder / "home"), "LANG": "C.UTF-8"}


def test_setup_cfg_asks_the_pandas_the_product_checks_for():
    from datatools.pandas_floor import PANDAS_FLOOR, release

    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    wanted = [line for line in config["options.extras_require"]["desktop"].splitlines()
              if re.match(r"pandas\b", line)]
    assert len(wanted) == 1 and re.fullmatch(r"pandas>=[\d.]+", wanted[0]), wanted
    assert release(wanted[0].split(">=")[1]) == PANDAS_FLOOR


def test_a_data_command_under_an_older_pandas_says_so_in_one_line(tmp_path):
    (tmp_path / "people.csv").write_text("name\nAnna\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "datatools", "profile", "people.csv"], cwd=tmp_path,
                          env=old_pandas_environment(tmp_path / "env"), capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"datatools: {SAYS}\n")


def test_the_window_says_which_pandas_it_needs_when_reading_fails_under_an_older_one(tmp_path):
    (tmp_path / "people.csv").write_text("name\nAnna\n", encoding="utf-8")
    app = subprocess.Popen([sys.executable, "-m", "datatools", "--serve"], cwd=tmp_path, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=old_pandas_environment(tmp_path / "env"))
    try:
        base, token = app.stdout.readline().strip().split("/#token=")

        def call(method: str, path: str, body: dict | None = None) -> dict:
            request = urllib.request.Request(
                base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                headers={"X-DataTools-Token": token, "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read() or b"null")

        job = call("POST", "/api/preview", {"path": str(tmp_path / "people.csv")})
        deadline = time.monotonic() + 120
        while job["state"] == "running" and time.monotonic() < deadline:
            time.sleep(0.05)
            job = call("GET", f"/api/preview/{job['id']}")
    finally:
        app.send_signal(signal.SIGTERM)
        app.communicate(timeout=30)
    assert (job["state"], job["error"]) == ("failed", {"code": "old_pandas", "message": SAYS,
                                                       "params": {"floor": "3.0.1", "version": "2.3.3"}})
