"""DataTools as a buyer starts it, one process per test: what `make dist-desktop` smoke-tests.

These run against `python -m datatools` in `make test`, and against each built bundle when
`make dist-desktop` sets DATATOOLS_APP (tests/desktop/conftest.py): the version and release
date, a tool on a fixture file, the local server and its token, the keys the build trusts,
the window (offscreen and under Xvfb). The no-network check is test_no_network.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, Client, app_command
from datatools import license_keys
from datatools.version import RELEASE_DATE, __version__

# `make dist-desktop` names the keyring it built in; the source tree trusts datatools/keyring.json.
EXPECTED_KEYRING = Path(os.environ.get("DATATOOLS_EXPECT_KEYRING") or REPO / "datatools" / "keyring.json")


def run_app(*args: str, cwd: Path, timeout: float = 120, env: dict | None = None,
            **kwargs) -> subprocess.CompletedProcess:
    environ = {**os.environ, "DATATOOLS_HOME": str(cwd / "home"), "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run([*app_command(), *args], cwd=cwd, env=environ, capture_output=True,
                          text=True, timeout=timeout, **kwargs)


def test_version_names_the_release_and_its_date(tmp_path):
    done = run_app("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"datatools {__version__} (released {RELEASE_DATE})\n")


def test_help_lists_every_tool(tmp_path):
    done = run_app("--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for command in ("license", "encoding", "clean", "profile", "dedupe", "match", "compare"):
        assert re.search(rf"^\s+{command}\s", done.stdout, re.MULTILINE), command


def test_encoding_fix_turns_a_latin1_file_into_utf8(tmp_path):
    done = run_app("encoding", "fix", str(FIXTURES / "latin1.csv"), "-o", "fixed.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # A .csv is written UTF-8 with a byte order mark, so Excel reads it (DECISIONS 554).
    expected = (FIXTURES / "latin1.csv").read_bytes().decode("latin-1").encode("utf-8-sig")
    assert (tmp_path / "fixed.csv").read_bytes() == expected


def test_dedupe_groups_the_duplicate_customers(tmp_path):
    # pandas, pyarrow and rapidfuzz all run here: a bundle missing one of them fails this.
    done = run_app("dedupe", str(FIXTURES / "customers.csv"), "--columns", "name,email",
                   "-o", "groups.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [line.split(",")[:5] for line in (tmp_path / "groups.csv").read_text().splitlines()[1:]]
    clusters = {row[0]: row[4] for row in rows}
    assert clusters["1"] == clusters["3"] != ""           # Anna Schmidt / Anna Schmitt
    assert clusters["2"] == clusters["5"] != ""           # Ben Okafor, spaced and shouting
    assert clusters["7"] == clusters["8"] != ""           # Émile / Emile Durand
    assert [clusters[i] for i in ("4", "6", "9", "10")] == ["", "", "", ""]


def test_the_built_in_keyring_is_the_one_the_build_was_given(tmp_path):
    done = run_app("license", "keys", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == license_keys.load_keyring(EXPECTED_KEYRING).to_json()


def test_license_keys_says_in_words_which_keys_the_build_trusts(tmp_path):
    keyring = license_keys.load_keyring(EXPECTED_KEYRING)
    done = run_app("license", "keys", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    trusted = sorted(set(keyring.keys) - keyring.denied)
    if not trusted:           # the source tree's keyring: empty
        assert done.stdout == ("This copy trusts no license key: its keyring is empty, as in a "
                               "development build.\nNo key is denied.\n")
    else:                     # a release bundle: its production keys, one line each
        lines = done.stdout.splitlines()
        assert lines[0].startswith(f"This copy trusts {len(trusted)} license key")
        assert [line.split()[0] for line in lines[1:1 + len(trusted)]] == trusted


@pytest.mark.parametrize("updates_until, verdict", [
    (RELEASE_DATE - timedelta(days=1), 1),     # the update window closed before this release
    (RELEASE_DATE, 0),                         # released on the window's last day: covered
])
def test_the_release_date_decides_which_update_windows_cover_this_build(tmp_path, keys,
                                                                       updates_until, verdict):
    blob = keys.mint(updates_until=updates_until.isoformat())
    done = run_app("license", "verify", "-", "--keyring", str(keys.keyring), *() if verdict else ("--json",),
                   cwd=tmp_path,
                   input=blob)
    assert done.returncode == verdict, done.stderr
    if verdict:
        assert done.stderr == (
            f"datatools: This license includes updates released until {updates_until}; this "
            f"release is from {RELEASE_DATE}. Keep using the release you have, or renew to use "
            "this one. [updates_ended]\n")
    else:
        assert json.loads(done.stdout)["updates_until"] == updates_until.isoformat()


def test_serve_answers_with_its_token_and_refuses_without(tmp_path):
    process = subprocess.Popen([*app_command(), "--serve"], cwd=tmp_path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "DATATOOLS_HOME": str(tmp_path / "home")})
    try:
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/#token=[\w-]{40,}", url), url
        base, token = url.split("/#token=")
        status, _, state = Client(base, token).call("GET", "/api/state")
        assert (status, state["version"], state["license"]) == (200, __version__, None)
        status, _, refused = Client(base, "wrong").call("GET", "/api/state")
        assert (status, refused["error"]["code"]) == (403, "bad_token")
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr[-2000:]


@pytest.mark.parametrize("screen", ["offscreen", "xvfb"])
def test_self_test_opens_the_window_and_finds_the_start_screen(tmp_path, screen):
    env = {"QTWEBENGINE_DISABLE_SANDBOX": "1"}
    prefix: list[str] = []
    if screen == "offscreen":
        env["QT_QPA_PLATFORM"] = "offscreen"
    else:
        xvfb_run = shutil.which("xvfb-run")
        if xvfb_run is None:
            pytest.fail("xvfb-run is missing (bin/debian-packages lists xvfb; make test installs "
                        "it)", pytrace=False)
        prefix = [xvfb_run, "--auto-servernum", "--server-args=-screen 0 1280x800x24"]
    environ = {key: value for key, value in os.environ.items()
               if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environ.update(env, DATATOOLS_HOME=str(tmp_path / "home"), LANG="C.UTF-8")
    done = subprocess.run([*prefix, *app_command(), "--self-test"], cwd=tmp_path, env=environ,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout == ("window: ok, the start screen shows 6 tools\n"
                           f"datatools {__version__} (released {RELEASE_DATE}): self-test passed\n")


def test_self_test_without_a_display_says_so(tmp_path):
    environ = {key: value for key, value in os.environ.items()
               if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([*app_command(), "--self-test"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={**environ, "DATATOOLS_HOME": str(tmp_path)})
    assert (done.returncode, done.stdout) == (
        1, "window: no display found; run it on the desktop, or with QT_QPA_PLATFORM=offscreen\n")
