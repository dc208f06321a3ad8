"""`licensed serve` as the real process systemd runs: it sells, mails once, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.daemon.fake_postmark import TOKEN, FakePostmark
from tests.daemon.harness import GUMROAD_SECRET, gumroad_sale, http, write_world_files

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_serve_mails_each_sale_once_and_stops_cleanly_on_sigterm(tmp_path, database_url, signers):
    import urllib.parse

    postmark = FakePostmark().start()
    settings = write_world_files(tmp_path, database_url)
    signers(settings)
    (settings.secrets_dir / "postmark-token").write_text(TOKEN + "\n")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LICENSED_SERVER_PORT": str(port),
           "LICENSED_MAIL_API_URL": postmark.url}
    daemon = subprocess.Popen(
        [sys.executable, "-m", "licensed", "serve", "--config", str(settings.config_file), "--migrate"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        def healthy() -> bool:
            try:
                return http("GET", url + "/health", timeout=1).status == 200
            except OSError:
                return False

        wait_for(healthy)
        ping = urllib.parse.urlencode(gumroad_sale("PROC-1")).encode()
        hook = f"{url}/webhooks/gumroad?secret={GUMROAD_SECRET}"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        assert http("POST", hook, ping, headers).json() == {"outcome": "minted"}
        wait_for(lambda: len(postmark.accepted) == 1)  # the worker was woken by the commit
        assert http("POST", hook, ping, headers).json() == {"outcome": "duplicate"}
        daemon.send_signal(signal.SIGTERM)
        _, log = daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.communicate()
        postmark.stop()
    assert daemon.returncode == 0
    assert len(postmark.accepted) == 1
    text = log.decode()
    assert "result=sent message_id=" in text
    assert GUMROAD_SECRET not in text and TOKEN not in text and "DTLIC2:" not in text


def children_of(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()]


def serve_processes(tmp_path, database_url, processes: int, signers):
    settings = write_world_files(tmp_path, database_url)
    signers(settings)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LICENSED_SERVER_PORT": str(port),
           "LICENSED_SERVER_PROCESSES": str(processes)}
    daemon = subprocess.Popen(
        [sys.executable, "-m", "licensed", "serve", "--config", str(settings.config_file),
         "--migrate"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return http("GET", url + "/health", timeout=1).status == 200
        except OSError:
            return False

    wait_for(healthy)
    wait_for(lambda: len(children_of(daemon.pid)) == processes)
    return daemon, url


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_several_processes_share_the_port_mint_once_and_stop_together(tmp_path, database_url,
                                                                      signers):
    import urllib.parse
    from concurrent.futures import ThreadPoolExecutor

    daemon, url = serve_processes(tmp_path, database_url, 3, signers)
    try:
        hook = f"{url}/webhooks/gumroad?secret={GUMROAD_SECRET}"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}

        def send(n: int) -> str:
            ping = urllib.parse.urlencode(gumroad_sale(f"MULTI-{n // 2}")).encode()
            return http("POST", hook, ping, headers).json()["outcome"]

        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(send, range(60)))  # each order twice, at once
        assert sorted(set(outcomes)) == ["duplicate", "minted"]
        assert outcomes.count("minted") == 30
        children = children_of(daemon.pid)
        daemon.send_signal(signal.SIGTERM)
        _, log = daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.communicate()
    assert daemon.returncode == 0, log.decode()[-2000:]
    assert b"(3 processes; settings from " in log
    assert all(not Path(f"/proc/{pid}").exists() for pid in children)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_when_one_process_dies_the_others_stop_and_serve_exits_1(tmp_path, database_url,
                                                                 signers):
    daemon, url = serve_processes(tmp_path, database_url, 2, signers)
    try:
        first, second = children_of(daemon.pid)
        os.kill(first, signal.SIGKILL)
        daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.communicate()
    assert daemon.returncode == 1  # systemd's Restart=on-failure starts it afresh
    wait_for(lambda: not Path(f"/proc/{second}").exists() or
             Path(f"/proc/{second}/stat").read_text().split()[2] == "Z")
