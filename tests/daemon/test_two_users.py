"""The signer and the daemon as two real system users, as the install script sets them up
(docs/SETUP-LICENSE-SERVER.md, "The signer"): the daemon's user cannot read the keys (EACCES),
a third user cannot open the signer's socket, and a sale is minted end to end.

The tests run as root here and in CI, so the users are created with useradd when absent and
kept for the next run (creating them is idempotent). Without root or useradd this test fails:
it is the only proof of the two-user split.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import tomllib
import urllib.parse
from pathlib import Path

import pytest

from datatools import license as codec
from datatools import license_keys
from licensed.devworld import write_dev_world, write_toml
from licensed.signer.chain import payload_digest
from licensed.signer.server import bind_socket, spawn_activated
from tests.daemon.harness import ADMIN_TOKEN, GUMROAD_SECRET, PRODUCTS, gumroad_sale, http
from tests.daemon.signer_harness import log_lines
from tests.daemon.test_daemon_process import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
SIGNER_USER = "dt-test-signer"
DAEMON_USER = "dt-test-daemon"
THIRD_UID = 65534  # nobody


def system_user(name: str) -> pwd.struct_passwd:
    """The system user `name` (with its own group), created when absent."""
    if os.geteuid() != 0:
        pytest.fail("the two-user test needs root (it creates two system users); CI runs as root")
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    if not os.access(useradd, os.X_OK):
        pytest.fail("the two-user test needs useradd (Debian package passwd) to create "
                    f"{name}; it is not installed")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    made = subprocess.run([useradd, "--system", "--user-group", "--no-create-home",
                           "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name],
                          capture_output=True, text=True)
    if made.returncode not in (0, 9):  # 9: another run created it meanwhile
        pytest.fail(f"useradd {name} failed: {made.stderr.strip()}")
    return pwd.getpwnam(name)


def interpreter_for_other_users() -> tuple[str, dict[str, str]]:
    """A Python other users may run, and the environment that finds our packages.

    The venv's interpreter may link into root's home (0700, pyenv); the system's Python of the
    same version runs the same code from the checkout and the venv's site-packages (one ABI).
    """
    candidate = Path(sys.executable).resolve()
    mode = 0
    for part in [candidate, *candidate.parents]:
        mode = part.stat().st_mode
        if not mode & 0o001:
            candidate = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
            break
    if not candidate.exists():
        pytest.fail(f"no Python another user may run: {sys.executable} is under a private "
                    f"folder and {candidate} is missing")
    for part in [ROOT, *ROOT.parents]:
        if not part.stat().st_mode & 0o001:
            pytest.fail(f"the checkout {ROOT} is not readable by other users: {part} has mode "
                        f"{part.stat().st_mode & 0o777:o} (mktemp -d makes 0700 folders); the "
                        "daemon's user runs the code from the checkout, so clone it under a "
                        "folder other users may enter")
    site = next(p for p in sys.path if p.endswith("site-packages") and str(ROOT) in p)
    return str(candidate), {"PYTHONPATH": f"{ROOT}:{site}", "PYTHONDONTWRITEBYTECODE": "1",
                            "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}


def as_user(user: pwd.struct_passwd) -> dict[str, object]:
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def give(path: Path, user: pwd.struct_passwd, mode: int) -> None:
    os.chown(path, user.pw_uid, user.pw_gid)
    path.chmod(mode)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_users_the_daemon_cannot_read_the_keys_a_third_cannot_connect_a_sale_mints(
        database_url):
    signer_user, daemon_user = system_user(SIGNER_USER), system_user(DAEMON_USER)
    python, env = interpreter_for_other_users()
    base = Path(tempfile.mkdtemp(prefix="dt-two-users-", dir="/tmp"))
    base.chmod(0o755)
    processes: list[subprocess.Popen] = []
    try:
        port = free_port()
        world = write_dev_world(base / "daemon", database_url, port=port, kid="two-1",
                                admin_token=ADMIN_TOKEN, gumroad_secret=GUMROAD_SECRET,
                                products=PRODUCTS, writer="tests/daemon/test_two_users.py")
        # The signer's own folders, as the runbook lays them out.
        signer_home = base / "signer"
        signer_home.mkdir()
        signing = signer_home / "signing"
        shutil.move(world.secrets_dir / "signing", signing)
        for path in signing.iterdir():
            give(path, signer_user, 0o400)
        give(signing, signer_user, 0o700)
        give(signer_home, signer_user, 0o700)
        state = base / "signer-state"
        state.mkdir()
        give(state, signer_user, 0o750)
        run = base / "run"
        run.mkdir(mode=0o755)
        socket_path = run / "signer.sock"

        daemon_config = tomllib.loads(world.config.read_text(encoding="utf-8"))
        daemon_config["signer"] = {"socket": str(socket_path), "keys": str(signing)}
        write_toml(world.config, daemon_config, "the daemon's settings (two-user test)")
        signer_config = {
            "secrets": {"dir": str(signer_home)},
            "products": {"file": str(world.products)},
            "signer": {"socket": str(socket_path), "keys": str(signing),
                       "log": str(state / "signatures.log"), "client_user": DAEMON_USER,
                       "client_group": DAEMON_USER},
            "policy": {"earliest_issued": "2000-01-01"},
        }
        signer_toml = base / "signer.toml"
        write_toml(signer_toml, signer_config, "the signer's settings (two-user test)")
        os.chown(signer_toml, 0, signer_user.pw_gid)
        signer_toml.chmod(0o640)
        for path in [world.root, *world.root.rglob("*")]:
            os.chown(path, daemon_user.pw_uid, daemon_user.pw_gid)
        world.secrets_dir.chmod(0o700)
        world.root.chmod(0o755)
        world.products.chmod(0o644)

        # Socket activation: the socket belongs to root and the daemon's group, mode 0660.
        sock = bind_socket(socket_path, daemon_user.pw_gid)
        try:
            with open(base / "signer.stderr", "wb") as err:
                signer = spawn_activated([python, "-m", "licensed", "signer", "--config",
                                          str(signer_toml)], sock, env=env, cwd=base,
                                         stdout=subprocess.DEVNULL, stderr=err,
                                         **as_user(signer_user))
        finally:
            sock.close()
        processes.append(signer)
        with open(base / "daemon.stderr", "wb") as err:
            daemon = subprocess.Popen([python, "-m", "licensed", "serve", "--config",
                                       str(world.config), "--migrate"], env=env, cwd=base,
                                      stdout=subprocess.DEVNULL, stderr=err,
                                      **as_user(daemon_user))
        processes.append(daemon)
        url = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            assert daemon.poll() is None, (base / "daemon.stderr").read_text()
            try:
                return http("GET", url + "/health", timeout=1).status == 200
            except OSError:
                return False

        wait_for(healthy, 120)

        # Each runs as its own user.
        def uid_of(pid: int) -> int:
            status = Path(f"/proc/{pid}/status").read_text()
            return int(status.split("\nUid:", 1)[1].split()[1])

        assert uid_of(daemon.pid) == daemon_user.pw_uid
        assert uid_of(signer.pid) == signer_user.pw_uid

        # The daemon's user cannot list or open the keys.
        probe = ("import os, sys\nfor act in (lambda: os.listdir(sys.argv[1]),\n"
                 "            lambda: open(os.path.join(sys.argv[1], 'two-1.pem')).read()):\n"
                 "    try:\n        act()\n        print('read')\n"
                 "    except PermissionError as exc:\n        print(exc.errno)\n")
        tried = subprocess.run([python, "-c", probe, str(signing)], env=env, capture_output=True,
                               text=True, timeout=60, **as_user(daemon_user))
        assert tried.stdout.split() == ["13", "13"], tried.stderr

        # A third user cannot even open the socket (mode 0660, the daemon's group).
        third = ("import socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n"
                 "    s.connect(sys.argv[1])\n    print('connected')\n"
                 "except PermissionError as exc:\n    print(exc.errno)\n")
        refused = subprocess.run([python, "-c", third, str(socket_path)], env=env,
                                 capture_output=True, text=True, timeout=60, user=THIRD_UID,
                                 group=THIRD_UID, extra_groups=[])
        assert refused.stdout.strip() == "13", refused.stderr

        # A sale, end to end: the daemon asks the signer, stores the blob, queues the mail.
        hook = f"{url}/webhooks/gumroad?secret={GUMROAD_SECRET}"
        sale = urllib.parse.urlencode(gumroad_sale("TWO-USERS-1")).encode()
        answer = http("POST", hook, sale, {"Content-Type": "application/x-www-form-urlencoded"})
        assert answer.json() == {"outcome": "minted"}
        (lic,) = json.loads(http("GET", url + "/internal/licenses?order=TWO-USERS-1",
                                 headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).body)[
            "licenses"]
        keyring = license_keys.load_keyring(signing / "keyring.json")
        assert codec.verify_signature(lic["blob"], keyring).lid == lic["lid"]
        (entry,) = log_lines(state / "signatures.log")
        assert (entry["lid"], entry["payload_sha256"]) == (lic["lid"],
                                                          payload_digest(lic["blob"]))
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        shutil.rmtree(base, ignore_errors=True)
