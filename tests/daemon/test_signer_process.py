"""The daemon and the signer as processes: the daemon cannot read the key and never tries, a
kill -9 of the signer under load loses no sale, a rate limit shows in /health."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.daemon.harness import (GUMROAD_SECRET, LiveDaemon, gumroad_sale, http,
                                  write_world_files)
from tests.daemon.signer_harness import log_lines
from tests.daemon.test_daemon_process import free_port, wait_for
from licensed.signer.chain import payload_digest

# Root without these capabilities is held to file modes like any user: the daemon runs so, and
# signing/ belongs to another uid. tests/daemon/test_two_users.py runs the signer and the
# daemon as two real system users.
WITHOUT_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
SIGNER_UID = 65534


def hand_signing_to_another_user(signing: Path) -> None:
    for path in [signing, *signing.iterdir()]:
        os.chown(path, SIGNER_UID, -1)
    signing.chmod(0o700)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_daemon_cannot_open_the_key_and_no_code_path_tries(tmp_path, database_url, signers):
    settings = write_world_files(tmp_path, database_url)
    signing = settings.secrets_dir / "signing"
    hand_signing_to_another_user(signing)
    signers(settings)
    port, trace = free_port(), tmp_path / "daemon.strace"
    env = {**os.environ, "LICENSED_SERVER_PORT": str(port)}
    daemon = subprocess.Popen(
        ["strace", "-f", "-qq", "-e", "trace=%file", "-o", str(trace), *WITHOUT_DAC,
         sys.executable, "-m", "licensed", "serve", "--config", str(settings.config_file),
         "--migrate"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        def healthy() -> bool:
            try:
                return http("GET", url + "/health", timeout=1).status == 200
            except OSError:
                return False

        wait_for(healthy, 60)
        hook = f"{url}/webhooks/gumroad?secret={GUMROAD_SECRET}"
        sale = urllib.parse.urlencode(gumroad_sale("NOKEY-1")).encode()
        answer = http("POST", hook, sale, {"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.json() == {"outcome": "minted"}
        (python,) = [int(pid) for pid in Path(f"/proc/{daemon.pid}/task/{daemon.pid}/children")
                     .read_text().split()]
        opened = [os.readlink(fd) for fd in Path(f"/proc/{python}/fd").iterdir()
                  if fd.exists()]
        assert opened and not [path for path in opened if str(signing) in path]
        probe = subprocess.run([*WITHOUT_DAC, sys.executable, "-c",
                                f"open({str(signing / 'test-1.pem')!r}).read()"],
                               capture_output=True, text=True, timeout=60)
        assert probe.returncode == 1 and "PermissionError: [Errno 13]" in probe.stderr
        os.kill(python, signal.SIGTERM)  # the daemon itself; strace leaves when it does
        daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            for pid in Path(f"/proc/{daemon.pid}/task/{daemon.pid}/children").read_text().split():
                os.kill(int(pid), signal.SIGKILL)
            daemon.kill()
            daemon.communicate()
    calls = trace.read_text()
    assert str(settings.secrets_dir / "gumroad-secret") in calls  # the trace does see file calls
    assert str(signing) not in calls


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_kill_9_of_the_signer_under_load_loses_no_sale_and_mints_each_once(live):
    orders = [f"KILL9-{n}" for n in range(120)]
    answers: dict[str, list[int]] = {order: [] for order in orders}
    minted_so_far = threading.Semaphore(0)

    def sell(chunk: list[str]) -> None:
        for order in chunk:
            while True:  # the storefront retries until it gets a 2xx
                answer = live.ping(gumroad_sale(order))
                answers[order].append(answer.status)
                if answer.status == 200:
                    minted_so_far.release()
                    break
                assert answer.status == 503, answer.body
                time.sleep(0.05)

    threads = [threading.Thread(target=sell, args=(orders[n::6],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for _ in range(30):
        minted_so_far.acquire(timeout=60)
    live.signer.kill()
    time.sleep(0.5)
    live.signer.start()
    for thread in threads:
        thread.join(120)
    assert all(statuses[-1] == 200 for statuses in answers.values())
    refused = sum(statuses.count(503) for statuses in answers.values())
    assert refused > 0  # the kill did land in the middle of the load
    blobs = []
    for order in orders:
        found = live.admin("GET", "/internal/licenses?" + urllib.parse.urlencode(
            {"order": order})).json()["licenses"]
        assert len(found) == 1, order
        blobs.append(found[0]["blob"])
    outcomes = live.admin("GET", "/internal/events?outcome=minted&limit=500").json()["events"]
    assert len(outcomes) == len(orders)
    chained = {entry["payload_sha256"] for entry in log_lines(live.settings.signer_log)}
    assert {payload_digest(blob) for blob in blobs} <= chained


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_rate_limit_refuses_with_503_logs_once_and_shows_in_health(world, clock):
    live = LiveDaemon(world, clock, signer_env={"LICENSED_SIGNER_PER_DAY": "2"}).start()
    try:
        assert [live.ping(gumroad_sale(f"LIMIT-{n}")).status for n in range(2)] == [200, 200]
        for n in (2, 3):
            refused = live.ping(gumroad_sale(f"LIMIT-{n}"))
            assert refused.status == 503
            assert refused.json()["error"]["code"] == "rate_limited"
        health = http("GET", live.url + "/health")
        assert health.status == 503
        body = health.json()
        assert body["signer"]["status"] == "rate_limited"
        assert body["signer"]["limits"]["day"] == {"used": 2, "limit": 2}
        assert body["error"]["message"].startswith(
            "the per-day limit of 2 signatures is reached; signing resumes at ")
    finally:
        live.stop()
    said = live.signer.stderr_path.read_text()
    assert said.count("rate limit hit: the per-day limit of 2 signatures is reached") == 1
