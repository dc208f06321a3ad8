"""A private PostgreSQL cluster (initdb into a temporary folder) that a fault scenario may stop
and start without touching the server other tests share.

It listens on a Unix socket in its own folder only, never on TCP: a "free" TCP port picked for
it stays free only until it is bound, and while the cluster was stopped a parallel suite's
cluster could take that port; the daemon then reconnected to the other cluster (trust, user
postgres, database postgres) and answered 200 with a commit there, which made "PostgreSQL
restart during load" fail on a loaded machine. A socket path in its own folder is its alone."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (Debian: postgresql)")
    return found[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateCluster:
    """`start()`, `stop()`, `restart()`; `url` names its `postgres` database. PostgreSQL refuses
    to run as root, so as root the cluster belongs to the `postgres` user."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="licensed-faults-pg-"))
        self.data = self.folder / "data"
        # Names the socket file (.s.PGSQL.<port>) inside the cluster's own folder: any number.
        self.port = 5432
        self.url = f"postgresql://postgres@/postgres?host={self.folder}&port={self.port}"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root needs a `postgres` user for the private "
                                   "cluster (PostgreSQL refuses root)") from None
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run(pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync")

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self._as, *command], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout}")

    def _ctl(self, *args: str) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses='' "
                   "-c max_connections=100")
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                  "-o", options, "-w", *args)

    def start(self) -> "PrivateCluster":
        self._ctl("start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)
