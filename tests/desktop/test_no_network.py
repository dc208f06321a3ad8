"""The promise "your data never leaves your computer", checked on a whole session.

`datatools --serve` (or the bundle $DATATOOLS_APP names) runs under strace, which records every connect/sendto/sendmsg/bind the
process and its threads make at the system-call level (C libraries included). The session
activates a license and runs every tool; afterwards no call may have reached any address but
loopback.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, TOOL_CASES, Client, app_command

REPO = Path(__file__).resolve().parents[2]
NET_CALL = re.compile(r"^\d+\s+(connect|sendto|sendmsg|bind)\((.*)$")
INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([\d.]+)"\)')
INET6 = re.compile(r'sa_family=AF_INET6, sin6_port=htons\((\d+)\).*inet_pton\(AF_INET6, "([^"]+)"')
HTTP_CLIENTS = ("urllib.request", "requests", "httpx", "urllib3", "aiohttp", "http.client")


def network_calls(log: Path) -> list[tuple[str, str, str]]:
    """(call, family, address) for each recorded call that names an IP address."""
    calls = []
    for line in log.read_text(errors="replace").splitlines():
        found = NET_CALL.match(line)
        if not found:
            continue
        name, args = found.groups()
        for family, pattern in (("inet", INET), ("inet6", INET6)):
            address = pattern.search(args)
            if address:
                calls.append((name, family, address.group(2)))
        if "AF_INET" not in args and ("sa_family=" in args and "AF_UNIX" not in args
                                      and "AF_NETLINK" not in args):
            calls.append((name, "other", args[:80]))
    return calls


def test_a_full_session_talks_to_nobody_but_itself(tmp_path, keys):
    strace = shutil.which("strace")
    if strace is None:
        pytest.fail("strace is missing (bin/debian-packages lists it; make test installs it)", pytrace=False)
    log = tmp_path / "strace.log"
    env = {**os.environ, "DATATOOLS_HOME": str(tmp_path / "home"), "LANG": "C.UTF-8"}
    process = subprocess.Popen(
        [strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg,bind", "-e", "signal=none",
         "-o", str(log), *app_command(), "--serve", "--dev-keyring", str(keys.keyring)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/#token=[\w-]{40,}", url), url
        base, token = url.split("/#token=")
        client = Client(base, token)
        status, _, answer = client.call("POST", "/api/license", {"blob": keys.mint()})
        assert status == 200, answer
        for tool, (inputs, options) in TOOL_CASES.items():
            job = client.run_tool(tool, [FIXTURES / name for name in inputs], options)
            assert job["state"] == "done", (tool, job)
            status, _, saved = client.call("POST", f"/api/jobs/{job['id']}/save",
                                           {"path": str(tmp_path / f"{tool}-out.csv")})
            assert status == 201, (tool, saved)
        modules = client.call("GET", "/api/state")[2]
        assert modules["license"]["name"] == "Zoë Müller"
    finally:
        # Stop the app itself (strace would only detach): it exits cleanly on SIGTERM.
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        for child in children:
            os.kill(int(child), signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr[-2000:]
    calls = network_calls(log)
    port = int(base.rsplit(":", 1)[1])
    assert ("bind", "inet", "127.0.0.1") in calls                # its own server, on loopback
    foreign = [call for call in calls if call[2] not in ("127.0.0.1", "::1")]
    assert foreign == [], f"the app reached out: {foreign}"
    assert port > 0


def test_the_app_imports_no_http_client():
    """A second, cheaper guard: nothing under datatools/ imports an HTTP client library."""
    offenders = []
    for path in (REPO / "datatools").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for module in HTTP_CLIENTS:
            if re.search(rf"^\s*(import|from)\s+{re.escape(module)}\b", text, re.MULTILINE):
                offenders.append(f"{path.relative_to(REPO)}: {module}")
    assert offenders == []
