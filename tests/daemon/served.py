"""`licensed serve` as the operator runs it: the installed console script, a development world
(licensed/devworld.py, as bin/dev-run writes it), mail spooled to .eml files, one or several
processes. Only what `licensed serve` starts runs: no worker or queue is started here."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from tests.daemon.harness import (ADMIN_TOKEN, GUMROAD_SECRET, Response, ensure_signer, http,
                                  write_world_files)

# The console script pip installed next to the interpreter running the tests.
LICENSED = Path(sys.executable).with_name("licensed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], Any], seconds: float = 30, what: str = "condition") -> Any:
    """Poll `condition` until it is truthy (its value is returned); fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def listening_children(pid: int, port: int) -> list[int]:
    """The child processes of `pid` holding a listening socket on `port` (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    found = []
    children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                for c in (task / "children").read_text().split()]
    for child in children:
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{child}/fd").iterdir()]
        except OSError:
            continue
        if any(link.startswith("socket:[") and link[8:-1] in inodes for link in links):
            found.append(child)
    return found


@dataclass
class Served:
    """A running `licensed serve` and its world."""

    process: subprocess.Popen
    url: str
    mail_dir: Path
    log: Path

    def mails(self, to: str | None = None) -> list[email.message.EmailMessage]:
        """Every spooled message (to one address, when given), in the spool's file order."""
        found = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                 for path in sorted(self.mail_dir.glob("*.eml"))]
        return [m for m in found if to is None or m["To"].addresses[0].addr_spec == to]

    def wait_for_mails(self, count: int, to: str | None = None) -> list[email.message.EmailMessage]:
        """The spooled messages (to one address, when given) once `count` have arrived."""
        wait_for(lambda: len(self.mails(to)) >= count, what=f"{count} mails")
        time.sleep(0.3)  # a mail beyond `count` would be a bug: give it the chance to show
        return self.mails(to)

    def ping(self, body: bytes, content_type: str = "application/x-www-form-urlencoded") -> Response:
        query = urllib.parse.urlencode({"secret": GUMROAD_SECRET})
        return http("POST", f"{self.url}/webhooks/gumroad?{query}", body,
                    {"Content-Type": content_type})

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Response:
        return http("POST", self.url + path, body, headers)

    def admin(self, method: str, path: str, payload: Any = None) -> Response:
        import json

        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        return http(method, self.url + path, body, headers)

    def stop(self) -> str:
        """SIGTERM, as systemd stops it; returns its log."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.log.read_text(encoding="utf-8", errors="replace")


def serve(root: Path, database_url: str, *, processes: int = 1,
          products: dict[str, Any] | None = None,
          environ: dict[str, str] | None = None,
          secrets: dict[str, str] | None = None) -> Served:
    """Write a development world under `root` and start `licensed serve --migrate` on it;
    `environ` holds more LICENSED_* variables, as an operator's environment sets them, and
    `secrets` more files of the secrets directory (name: content), e.g. `postmark-token`."""
    settings = write_world_files(root, database_url, products)
    for name, content in (secrets or {}).items():
        (settings.secrets_dir / name).write_text(content + "\n")
    assert settings.config_file is not None
    ensure_signer(settings.config_file)  # the signer is its own process, as systemd runs it
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("LICENSED_")}
    env.update(LICENSED_SERVER_PORT=str(port), LICENSED_SERVER_PROCESSES=str(processes),
               **(environ or {}))
    log = root / "licensed.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(LICENSED), "serve", "--config", str(settings.config_file), "--migrate"],
            env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output)
    served = Served(process, f"http://127.0.0.1:{port}", settings.mail_spool_dir, log)

    def healthy() -> bool:
        assert process.poll() is None, log.read_text()
        try:
            return http("GET", served.url + "/health", timeout=1).status == 200
        except OSError:
            return False

    try:
        wait_for(healthy, what="/health")
        if processes > 1:
            wait_for(lambda: len(listening_children(process.pid, port)) == processes,
                     what="every process listening")
    except BaseException:
        served.stop()
        raise
    return served
