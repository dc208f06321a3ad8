"""`licensed serve` as the real process systemd runs: it sells, mails once, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

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


def test_serve_mails_each_sale_once_and_stops_cleanly_on_sigterm(tmp_path, database_url):
    import urllib.parse

    postmark = FakePostmark().start()
    settings = write_world_files(tmp_path, database_url)
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
