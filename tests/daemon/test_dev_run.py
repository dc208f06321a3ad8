"""The quick start works: `MAKE_RUN_ONESHOT=1 make run` (bin/dev-run) sells once, verifies,
activates; `make run` restarted reuses its first sale."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dev_run_check_mints_a_license_that_verifies_and_activates_the_app(tmp_path):
    env = {**os.environ, "DATATOOLS_VAR": str(tmp_path / "var"), "MAKE_RUN_ONESHOT": "1"}
    result = subprocess.run([sys.executable, str(ROOT / "bin" / "dev-run")], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '{"outcome": "minted"}' in result.stdout
    # `license verify` as a buyer reads it (its words; --json is for scripts).
    assert "licensed to  Zoë Demo-Müller <buyer@example.com>" in result.stdout
    assert result.stdout.endswith(
        "dev-run --check: the simulated sale's license verifies and activates the desktop app\n")
    assert "desktop app activated: Zoë Demo-Müller <buyer@example.com>, tier pro" in result.stdout
    var = tmp_path / "var"
    # The app kept the activation in its own home under var/, not in the developer's ~/.datatools.
    assert (var / "desktop-home" / "license.json").is_file()
    (mail,) = (var / "mail").glob("*.eml")
    assert f"the buyer's email: {mail}" in result.stdout
    assert "Subject: Your DataTools Pro license" in mail.read_text()
    # The desktop app trusts this keyring in development; the key is private from the first byte.
    assert (var / "secrets" / "signing" / "keyring.json").exists()
    assert stat.S_IMODE((var / "secrets" / "signing" / "dev-1.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((var / "secrets" / "admin-token").stat().st_mode) == 0o600


def test_dev_run_says_what_is_wrong_when_its_products_toml_mints_nothing(tmp_path):
    # A developer mapped Gumroad variants in var/products.toml (as LICENSE-SERVER.md shows):
    # the plain simulated sale is then an unknown_variant, and minted nothing.
    var = tmp_path / "var"
    var.mkdir()
    (var / "products.toml").write_text(
        '[products.datatools-pro]\ntier = "pro"\n\n'
        '[products.datatools-pro.variants."Team (5 seats)"]\ntier = "team"\nseats = 5\n')
    env = {**os.environ, "DATATOOLS_VAR": str(var), "MAKE_RUN_ONESHOT": "1"}
    result = subprocess.run([sys.executable, str(ROOT / "bin" / "dev-run")], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.fullmatch(
        r"dev-run: the simulated sale dev-check-[0-9a-f]{8} minted nothing \(outcome "
        r"unknown_variant\): " + re.escape(str(var / "products.toml")) + r" must map "
        r"datatools-pro to a tier for a sale without a variant \(docs/LICENSE-SERVER.md, "
        r'"Settings"\)\n', result.stderr), result.stderr


@contextlib.contextmanager
def running_stack(var: Path, port: int):
    """`make run` until the desktop app is up (yields dev-run's process); then Ctrl-C."""
    env = {**os.environ, "DATATOOLS_VAR": str(var)}
    for name in ("MAKE_RUN_ONESHOT", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)  # no display: the app prints its address instead of a window
    run = subprocess.Popen([sys.executable, str(ROOT / "bin" / "dev-run"), "--port", str(port)],
                           cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        seen: list[str] = []
        banner = False
        for line in run.stdout:  # type: ignore[union-attr]
            seen.append(line)
            banner = banner or "Ctrl-C stops the stack." in line
            # Signal only once the app has started: it shares dev-run's output pipe.
            if banner and line.startswith("http://127.0.0.1:"):
                break
        else:
            raise AssertionError("dev-run ended early:\n" + "".join(seen))
        yield run
    finally:
        run.send_signal(signal.SIGTERM)
        try:
            run.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)  # dev-run and the daemon and app it started
            run.communicate()
            raise


def audit_events(var: Path, port: int) -> list[dict]:
    token = (var / "secrets" / "admin-token").read_text().strip()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/internal/events",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)["events"]


def interactive_run(var: Path, port: int) -> list[dict]:
    """`make run` until the desktop app is up; the audit log as it stands then; then Ctrl-C."""
    with running_stack(var, port):
        return audit_events(var, port)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_run_restarted_posts_its_first_sale_only_once(tmp_path):
    port = unused_port()
    var = tmp_path / "var"
    first = interactive_run(var, port)
    again = interactive_run(var, port)
    assert [(e["order_id"], e["outcome"]) for e in first] == [("dev-sale-1", "minted")]
    assert [(e["order_id"], e["outcome"]) for e in again] == [("dev-sale-1", "minted")]
    assert (var / "dev-sale-1.license.txt").read_text().startswith("DTLIC2:")


def make_run_expecting_refusal(var: Path, port: int) -> tuple[subprocess.Popen, str, str]:
    """`make run` that should refuse at once: the ended process, its stdout and stderr. A run
    that starts a stack instead is stopped, with everything it started (its own session), when
    it has not ended in 60 s."""
    env = {**os.environ, "DATATOOLS_VAR": str(var)}
    for name in ("MAKE_RUN_ONESHOT", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    run = subprocess.Popen([sys.executable, str(ROOT / "bin" / "dev-run"), "--port", str(port)],
                           cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        out, err = run.communicate()
        raise AssertionError("dev-run did not refuse; it ran:\n" + out + err)
    return run, out, err


def test_a_second_make_run_says_the_stack_already_runs_and_starts_nothing(tmp_path):
    var, port = tmp_path / "var", unused_port()
    with running_stack(var, port) as first:
        second, out, err = make_run_expecting_refusal(var, port)
        assert second.returncode == 1, out + err
        assert err == (
            f"dev-run: the development stack is already running: dev-run pid {first.pid}, daemon "
            f"at http://127.0.0.1:{port}, on {var}. Stop it (Ctrl-C in its terminal) before "
            "starting another; nothing was started.\n")
        # No success banner, no second daemon failing to bind, no second signer on the key.
        assert "runs at" not in out
        assert processes_in_session(second.pid) == []
        assert "Address already in use" not in (var / "licensed.log").read_text()
        # The first stack still serves.
        assert [e["order_id"] for e in audit_events(var, port)] == ["dev-sale-1"]


def test_make_run_on_a_port_someone_else_holds_says_so_and_starts_nothing(tmp_path):
    var = tmp_path / "var"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result, _, err = make_run_expecting_refusal(var, port)
    assert result.returncode == 1
    assert err == (
        f"dev-run: 127.0.0.1:{port} is already in use (a daemon left by a dev-run that was "
        f"killed, or another program): stop it, or choose another port with `make run PORT={port + 1}` "
        f"(bin/dev-run --port {port + 1}); nothing was started.\n")
    assert not (var / "licensed.log").exists()
    # The port the message proposes is what make hands to dev-run.
    # (Run as a user types it: not inside the `make test` that runs this, whose MAKEFLAGS and
    # MAKELEVEL would make it print "make[1]: Leaving directory …".)
    alone = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    planned = subprocess.run(["make", "--no-print-directory", "-n", "run", f"PORT={port + 1}"], cwd=ROOT,
                             capture_output=True, text=True, check=True, env=alone).stdout
    assert planned.splitlines()[-1].endswith(f"bin/dev-run --port {port + 1}")


def processes_in_session(sid: int) -> list[str]:
    """Command lines of the live processes whose session is `sid` (from /proc/*/stat)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat_file.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        # fields after "(comm)": state ppid pgrp session …; zombies are already gone for good
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(cmdline.strip())
    return found


def test_sigterm_while_the_check_starts_the_app_leaves_no_daemon_or_app_running(tmp_path):
    env = {**os.environ, "DATATOOLS_VAR": str(tmp_path / "var"), "MAKE_RUN_ONESHOT": "1"}
    run = subprocess.Popen([sys.executable, str(ROOT / "bin" / "dev-run")], cwd=ROOT, env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, start_new_session=True)
    try:
        for line in run.stdout:  # type: ignore[union-attr]
            if line.startswith("the buyer's email:"):   # printed just before the app starts
                run.send_signal(signal.SIGTERM)
                break
        else:
            raise AssertionError("dev-run ended before starting the app")
        run.communicate(timeout=60)
        assert run.returncode == 130
        left: list[str] = []
        for _ in range(50):   # stop() waits for each child; give the last one a moment
            left = processes_in_session(run.pid)
            if not left:
                break
            time.sleep(0.1)
        assert left == []
    finally:
        try:
            os.killpg(run.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
