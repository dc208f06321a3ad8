"""Real processes for the deployment tests: `licensed serve` (under the memory protection its
systemd unit asks for), nginx in a temporary prefix with the real site file, and HTTPS clients
that connect from a chosen loopback address."""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.daemon.harness import Response, http as plain_http

ROOT = Path(__file__).resolve().parents[2]
SITE_FILE = ROOT / "systemd" / "nginx" / "datatools-license.conf"
SERVER_NAME = "license.example.com"

# `MemoryDenyWriteExecute=yes` in the unit; Linux ≥ 6.3 offers the same refusal per process
# (prctl PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN), inherited across exec. The wrapper says in the
# log whether it is on (`mdwe=1`); an older kernel runs the daemon without it.
MDWE_KERNEL = (6, 3)
_MDWE_EXEC = (
    "import ctypes, errno, os, sys\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
    "if libc.prctl(65, 1, 0, 0, 0) == 0:\n"
    "    print('mdwe=%d' % libc.prctl(66, 0, 0, 0, 0), file=sys.stderr, flush=True)\n"
    "elif ctypes.get_errno() == errno.EINVAL:\n"
    "    print('mdwe=unsupported', file=sys.stderr, flush=True)\n"
    "else:\n"
    "    sys.exit('prctl(PR_SET_MDWE) failed: errno %d' % ctypes.get_errno())\n"
    "os.execv(sys.argv[1], sys.argv[1:])\n"
)


def kernel_has_mdwe() -> bool:
    release = os.uname().release.split("-")[0].split(".")
    return tuple(int(part) for part in release[:2]) >= MDWE_KERNEL


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds: float = 20, what: str = "condition") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class DaemonProcess:
    """`licensed serve` as systemd would run it, its stderr (the journal) in a file."""

    argv: list[str]
    config: Path
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> "DaemonProcess":
        from tests.daemon.harness import ensure_signer

        ensure_signer(self.config)
        self.port = free_port()
        # Only what the test names: no PYTHONPATH or LICENSED_* from the caller leaks in.
        env = {k: v for k, v in os.environ.items()
               if k != "PYTHONPATH" and not k.startswith("LICENSED_")}
        env.update(self.env, LICENSED_SERVER_PORT=str(self.port))
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _MDWE_EXEC, *self.argv, "serve", "--config",
                 str(self.config)],
                env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=self.log_path.parent)

        def healthy() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"the daemon exited {self.process.returncode}:\n{self.log()}")
            try:
                return plain_http("GET", f"{self.url}/health", timeout=1).status == 200
            except OSError:
                return False

        wait_until(healthy, what="the daemon's /health")
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def make_certificate(folder: Path, openssl: str) -> tuple[Path, Path]:
    """A self-signed certificate for SERVER_NAME and 127.0.0.1, named as certbot names them."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", f"/CN={SERVER_NAME}",
         "-addext", f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return cert, key


def render_site(daemon_port: int, http_port: int, https_port: int, prefix: Path) -> str:
    """The real site file with only machine-specific places moved into the test prefix; each
    replacement must hit, so a changed site file fails here instead of being tested half."""
    text = SITE_FILE.read_text(encoding="utf-8")
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("server 127.0.0.1:8090;", f"server 127.0.0.1:{daemon_port};"),
        (f"/etc/letsencrypt/live/{SERVER_NAME}/", f"{prefix}/tls/"),
        ("/var/log/nginx/", f"{prefix}/logs/"),
        ("/var/www/html", f"{prefix}/www"),
    ]
    for old, new in replacements:
        assert old in text, f"the site file no longer contains {old!r}"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    """nginx -p PREFIX running the site file in front of a daemon on `daemon_port`."""

    binary: str
    prefix: Path
    daemon_port: int
    http_port: int = 0
    https_port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> "Nginx":
        self.http_port, self.https_port = free_port(), free_port()
        for folder in ("logs", "tmp", "www", "conf"):
            (self.prefix / folder).mkdir(parents=True, exist_ok=True)
        (self.prefix / "conf" / "site.conf").write_text(
            render_site(self.daemon_port, self.http_port, self.https_port, self.prefix))
        temp = self.prefix / "tmp"
        (self.prefix / "conf" / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1;\npid {self.prefix}/nginx.pid;\n"
            f"error_log {self.prefix}/logs/error.log warn;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
            f"  scgi_temp_path {temp}/scgi;\n"
            f"  access_log {self.prefix}/logs/access.log;\n"
            f"  include {self.prefix}/conf/site.conf;\n"
            "}\n")
        conf = str(self.prefix / "conf" / "nginx.conf")
        check = subprocess.run([self.binary, "-t", "-p", str(self.prefix), "-c", conf],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        assert "[warn]" not in check.stderr, check.stderr  # a warning is a site-file bug too
        self.process = subprocess.Popen(
            [self.binary, "-p", str(self.prefix), "-c", conf, "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def listening() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return True
            except OSError:
                return False

        wait_until(listening, what="nginx")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()

    def logs(self) -> str:
        return "".join(path.read_text(encoding="utf-8", errors="replace")
                       for path in sorted((self.prefix / "logs").iterdir()))

    def https(self, method: str, path: str, body: bytes | None = None,
              headers: dict[str, str] | None = None, source: str = "127.0.0.2") -> Response:
        """One request over TLS, verified against the test certificate, from `source`."""
        context = ssl.create_default_context(cafile=str(self.prefix / "tls" / "fullchain.pem"))
        return self._request(http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=context, source_address=(source, 0),
            timeout=15), method, path, body, headers)

    def plain(self, method: str, path: str, source: str = "127.0.0.2",
              host: str = SERVER_NAME) -> Response:
        return self._request(http.client.HTTPConnection(
            "127.0.0.1", self.http_port, source_address=(source, 0), timeout=15),
            method, path, None, {"Host": host})

    @staticmethod
    def _request(conn: http.client.HTTPConnection, method: str, path: str,
                 body: bytes | None, headers: dict[str, str] | None) -> Response:
        try:
            conn.request(method, path, body=body, headers={"Host": SERVER_NAME, **(headers or {})})
            answer = conn.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            conn.close()
