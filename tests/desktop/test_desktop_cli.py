"""`datatools` with no subcommand: window, browser, or just the address when there is no display."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/#token=([\w-]{40,})")


def start(args, tmp_path, **env_changes):
    env = {**os.environ, "DATATOOLS_HOME": str(tmp_path), "LANG": "C.UTF-8", **env_changes}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        if name not in env_changes:
            env.pop(name, None)
    return subprocess.Popen([sys.executable, "-m", "datatools", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def stop(process):
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    return process.returncode, err


def test_without_a_display_it_prints_the_address_instead_of_failing(tmp_path):
    process = start([], tmp_path)
    line = process.stdout.readline().strip()
    found = URL.fullmatch(line)
    assert found, line
    with urllib.request.urlopen(line.split("#")[0], timeout=10) as answer:
        assert b"<title>DataTools</title>" in answer.read()
    code, err = stop(process)
    assert code == 0
    assert "no display found" in err
    assert "Traceback" not in err


def test_serve_prints_the_address_and_stops_cleanly_on_sigterm(tmp_path):
    process = start(["--serve"], tmp_path)
    line = process.stdout.readline().strip()
    assert URL.fullmatch(line), line
    code, err = stop(process)
    assert (code, err) == (0, "")


def test_a_missing_dev_keyring_is_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "datatools", "--serve", "--dev-keyring",
                           str(tmp_path / "nope.json")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"datatools: keyring {tmp_path / 'nope.json'} does not exist\n"


def test_help_says_what_no_command_does():
    done = subprocess.run([sys.executable, "-m", "datatools", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    assert "Without a COMMAND, opens the DataTools window" in done.stdout
    assert "--browser" in done.stdout and "--serve" in done.stdout
