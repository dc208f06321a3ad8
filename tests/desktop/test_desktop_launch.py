"""`datatools --browser` hands the browser a one-time launch code: the token is in no argv."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS, Client


def all_argv() -> list[str]:
    """Every running process's command line, as `ps` shows it to any local user."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                pass   # the process ended meanwhile
    return found


def test_browser_mode_puts_only_a_one_time_code_on_the_browsers_command_line(chromium, tmp_path):
    pid_file = tmp_path / "browser.pid"
    browser = tmp_path / "browser.sh"
    # What webbrowser.open runs: the real Chromium, in the background, with a debugging port
    # so this test can read the page's token afterwards. Port 0: Chromium picks a free port and
    # names it in DevToolsActivePort; a port chosen here could be taken meanwhile by the app's
    # own server (seen once: a 404 from it).
    browser.write_text("#!/bin/sh\n" + " ".join([CHROMIUM, *CHROMIUM_ARGS, "--remote-debugging-port=0",
                                                  f"--user-data-dir={tmp_path / 'profile'}"])
                       + f' "$1" >/dev/null 2>&1 &\necho $! > {pid_file}\n')
    browser.chmod(0o755)
    env = {**os.environ, "DATATOOLS_HOME": str(tmp_path / "home"), "BROWSER": str(browser), "LANG": "C.UTF-8"}
    app = subprocess.Popen([sys.executable, "-m", "datatools", "--browser"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env)
    try:
        printed = app.stdout.readline().strip()
        assert "#launch=" in printed and "token" not in printed, printed
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text().strip():
            assert time.monotonic() < deadline, "the browser was not started"
            time.sleep(0.1)
        active_port = tmp_path / "profile" / "DevToolsActivePort"
        while not active_port.exists() or not active_port.read_text().strip():
            assert time.monotonic() < deadline, "the browser's debugging port never opened"
            time.sleep(0.1)
        port = int(active_port.read_text().split()[0])
        remote = None
        while remote is None:
            try:
                remote = chromium.browser_type.connect_over_cdp(f"http://127.0.0.1:{port}")
            except Exception:  # noqa: BLE001 - Chromium is still starting
                assert time.monotonic() < deadline, "the browser's debugging port never opened"
                time.sleep(0.2)
        pages = []
        while not pages:
            pages = [p for c in remote.contexts for p in c.pages if "127.0.0.1" in p.url]
            assert time.monotonic() < deadline, "the browser did not open DataTools"
            time.sleep(0.1)
        tab = pages[0]
        tab.wait_for_selector("body[data-ready]")
        token = tab.evaluate("sessionStorage.getItem('datatools-token')")
        assert len(token) >= 40
        assert "launch" not in tab.url and token not in tab.url
        base = printed.split("/#")[0]
        assert Client(base, token).call("GET", "/api/state")[0] == 200
        # The code the browser was given (visible to all) is spent; the token is in no argv.
        code = next(a for a in all_argv() if "#launch=" in a).split("#launch=")[1].split()[0]
        status, _, answer = Client(base, "").call("POST", "/api/launch", {"code": code}, token=False)
        assert (status, answer["error"]["code"]) == (403, "bad_launch_code")
        assert [a for a in all_argv() if token in a] == []
        remote.close()
    finally:
        if pid_file.exists() and pid_file.read_text().strip():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
        app.send_signal(signal.SIGTERM)
        app.communicate(timeout=30)
    assert app.returncode == 0
