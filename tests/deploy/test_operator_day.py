"""The operator's day, scripted against real processes: bin/install-server into a root owned by
a real service user (where the machine lets a test make one), the daemon run as that user,
nginx with the real site file in front, the laptop set up as docs/ADMIN.md says, and then a
rotation, a deny, a reissue and break-glass minting, each checked by its exact message.

The commands of ADMIN.md's blocks run verbatim through bash, with only what ties them to a
real server replaced: paths moved into the test root, the service user's name, `sudo` (the
test is root), `ssh license.example.com` and `ssh -t` (the server is this machine: a local
shell), `scp -p 'license.example.com:…'` (a local `cp -p`) and the key ids.
`OPERATOR_DAY_TRANSCRIPT=FILE` keeps the transcript of the run.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.daemon.harness import gumroad_sale, http
from tests.deploy.conftest import ROOT, tool
from tests.deploy.harness import Nginx, free_port, make_certificate, wait_until
from tests.deploy.test_install_server import install

ADMIN_DOC = ROOT / "docs" / "ADMIN.md"
SETUP_DOC = ROOT / "docs" / "SETUP-LICENSE-SERVER.md"
SERVER_PATHS = ("/opt/datatools-license", "/etc/datatools-license", "/srv/datatools-license",
                "/var/lib/datatools-license", "/var/backups/datatools-license")
DOC_NEW_KID, DOC_OLD_KID = "2027-01", "2026-06"


def sh_block(doc: Path, heading: str) -> list[str]:
    """The commands of the first ```sh block under `heading` (continued lines joined)."""
    text = doc.read_text(encoding="utf-8").split(heading, 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return re.sub(r"\\\n\s*", "", block).splitlines()


@dataclass
class Server:
    """A test root installed by bin/install-server, its daemon, nginx, and a transcript."""

    prefix: Path
    user: str
    laptop: Path
    transcript: list[str] = field(default_factory=list)
    daemon: subprocess.Popen | None = None
    signer: subprocess.Popen | None = None
    port: int = 0
    kid_map: dict[str, str] = field(default_factory=dict)

    @property
    def venv(self) -> Path:
        return self.prefix / "opt/datatools-license/venv"

    @property
    def config(self) -> Path:
        return self.prefix / "etc/datatools-license/licensed.toml"

    @property
    def secrets(self) -> Path:
        return self.prefix / "srv/datatools-license/secrets"

    def as_here(self, line: str) -> str:
        """A documented command with what ties it to a real server replaced (module doc)."""
        line = line.removeprefix("sudo ")
        if line.startswith("ssh -t license.example.com "):   # a session on the server
            line = "bash -c " + line.removeprefix("ssh -t license.example.com ").replace("sudo ", "")
        line = re.sub(r"scp -p 'license\.example\.com:([^']*)'", r"cp -p \1", line)
        line = line.replace("ssh license.example.com ", "")
        for path in SERVER_PATHS:
            line = line.replace(path, f"{self.prefix}{path}")
        line = line.replace("-u datatools-license ", f"-u {self.user} ")
        line = line.replace("-u datatools-signer ", f"-u {self.user} ")   # one user here
        for doc_kid, kid in self.kid_map.items():
            line = line.replace(doc_kid, kid)
        return line

    def run(self, line: str, *, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """One shell line, as the operator types it; logged with its output."""
        result = subprocess.run(["bash", "-c", line], capture_output=True, text=True,
                                cwd=self.laptop, timeout=120,
                                env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                                     "HOME": str(self.laptop), "LANG": "C.UTF-8", **(env or {})})
        shown = line.replace(str(self.prefix), "$ROOT")
        output = (result.stdout + result.stderr).replace(str(self.prefix), "$ROOT")
        self.transcript.append(f"$ {shown}\n{output}" + (f"[exit {result.returncode}]\n"
                                                           if result.returncode else ""))
        return result.returncode, result.stdout, result.stderr

    def licensed(self, *words: str) -> str:
        """`licensed WORDS --config CONFIG` as the service user would type it."""
        return " ".join([f"{self.venv}/bin/licensed", *words, "--config", str(self.config)])

    def start_daemon(self, wait: bool = True) -> None:
        argv = [f"{self.venv}/bin/licensed", "serve", "--config", str(self.config)]
        # As systemd starts it: User= and Group= of the unit, no supplementary groups.
        account = pwd.getpwnam(self.user)
        if self.signer is None or self.signer.poll() is not None:
            # The signer, as its unit starts it (here as the same user: --service-user).
            with open(self.prefix / "signer.log", "ab") as log:
                self.signer = subprocess.Popen(
                    [f"{self.venv}/bin/licensed", "signer", "--config", str(self.config)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd="/",
                    env={"PATH": "/usr/bin:/bin"}, user=account.pw_uid, group=account.pw_gid,
                    extra_groups=[])
        with open(self.prefix / "daemon.log", "ab") as log:
            self.daemon = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                           stderr=log, cwd="/", env={"PATH": "/usr/bin:/bin"},
                                           user=account.pw_uid, group=account.pw_gid,
                                           extra_groups=[])
        if not wait:
            return

        def healthy() -> bool:
            assert self.daemon is not None
            if self.daemon.poll() is not None:
                raise AssertionError(f"the daemon exited {self.daemon.returncode}:\n"
                                     + (self.prefix / "daemon.log").read_text())
            try:
                return http("GET", f"http://127.0.0.1:{self.port}/health", timeout=1).status == 200
            except OSError:
                return False

        wait_until(healthy, what="the daemon's /health")

    def as_user(self, command: str) -> str:
        """`command` run as the service user, as the runbook writes it."""
        return f"runuser -u {self.user} -- {command}" if self.user != "root" else command

    def stop_daemon(self) -> int:
        assert self.daemon is not None
        self.daemon.terminate()
        return self.daemon.wait(30)

    def stop_signer(self) -> None:
        if self.signer is not None and self.signer.poll() is None:
            self.signer.terminate()
            self.signer.wait(30)


def make_service_user() -> str | None:
    """A system user of its own for this run, or None where the machine does not allow it."""
    if os.geteuid() != 0 or shutil.which("useradd", path="/usr/sbin:/sbin") is None:
        return None
    name = f"dtop{os.getpid() % 100000}"
    subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--shell",
                    "/usr/sbin/nologin", name], check=True, capture_output=True)
    return name


@pytest.fixture(scope="module")
def server():
    nginx_binary, openssl = tool("nginx"), tool("openssl")
    user = make_service_user()
    # Not under pytest's 0700 temporary folder: the service user must reach its files.
    prefix = Path(tempfile.mkdtemp(prefix="dt-operator-day-", dir="/tmp"))
    prefix.chmod(0o755)
    laptop = prefix / "laptop"
    laptop.mkdir()
    proxy = None
    srv = Server(prefix, user or "root", laptop)
    try:
        (prefix / "etc/nginx/sites-available").mkdir(parents=True)
        database = f"sqlite:///{prefix}/var/lib/datatools-license/licenses.db"
        extra = ["--service-user", user] if user else []
        done = install("--prefix", str(prefix), "--database-url", database, *extra)
        assert done.returncode == 0, done.stdout + done.stderr
        srv.transcript.append("$ bin/install-server --prefix $ROOT --database-url sqlite:///… "
                              + " ".join(extra) + "\n[" + str(len(done.stdout.splitlines()))
                              + " lines; ends:]\n" + "\n".join(done.stdout.splitlines()[-8:])
                              .replace(str(prefix), "$ROOT") + "\n")
        # The operator's edits: the port (8090 may be taken on a test machine).
        srv.port = free_port()
        text = srv.config.read_text().replace("port = 8090", f"port = {srv.port}")
        # The signer serves this run's user: the installer wrote it (on a server: datatools-license).
        srv.config.write_text(text)
        srv.start_daemon()
        make_certificate(prefix / "nginx" / "tls", openssl)
        proxy = Nginx(nginx_binary, prefix / "nginx", srv.port).start()
        yield srv, proxy
    finally:
        if proxy is not None:
            proxy.stop()
        if srv.daemon is not None and srv.daemon.poll() is None:
            srv.stop_daemon()
        srv.stop_signer()
        keep = os.environ.get("OPERATOR_DAY_TRANSCRIPT")
        if keep:
            Path(keep).write_text("\n".join(srv.transcript), encoding="utf-8")
        shutil.rmtree(prefix, ignore_errors=True)
        if user:
            subprocess.run(["userdel", user], capture_output=True)


def test_the_operators_day(server):
    srv, proxy = server
    signing = srv.prefix / "srv/datatools-license/signer/signing"  # the signer's, [signer] keys
    old = (signing / "current").read_text().strip()
    new = DOC_NEW_KID if old != DOC_NEW_KID else "2027-02"
    srv.kid_map = {DOC_NEW_KID: new, DOC_OLD_KID: old}
    if srv.user != "root":  # the daemon runs as its own user, and owns the signing keys
        daemon_user = subprocess.run(["ps", "-o", "user=", "-p", str(srv.daemon.pid)],
                                     capture_output=True, text=True).stdout.split()
        assert daemon_user == [srv.user]
        assert signing.stat().st_uid == pwd.getpwnam(srv.user).pw_uid

    # A sale arrives through nginx and is signed with the installed key.
    secret = (srv.secrets / "gumroad-secret").read_text().strip()
    sale = proxy.https("POST", "/webhooks/gumroad?" + urllib.parse.urlencode({"secret": secret}),
                       urllib.parse.urlencode(gumroad_sale("DAY-1")).encode(),
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert (sale.status, sale.json()) == (200, {"outcome": "minted"})

    # The laptop, set up as ADMIN.md says (the server is this machine, so no ssh).
    laptop_setup = [srv.as_here(line) for line in sh_block(ADMIN_DOC, "## Setting up the laptop")]
    assert srv.run("set -e\n" + "\n".join(laptop_setup))[0] == 0  # one shell: $KID carries
    token = srv.laptop / ".config/datatools-admin/token"
    assert token.read_text() == (srv.secrets / "admin-token").read_text()
    assert oct(token.stat().st_mode & 0o777) == "0o600"
    key_copy = srv.laptop / f".datatools-creator/{old}.pem"
    assert key_copy.read_bytes() == (signing / f"{old}.pem").read_bytes()
    assert oct(key_copy.stat().st_mode & 0o777) == "0o600"
    assert not (srv.laptop / "dt-laptop").exists()     # the copy on the server is removed
    dtadmin_env = {"DTADMIN_URL": f"http://127.0.0.1:{srv.port}"}
    dtadmin = f"{srv.venv}/bin/dtadmin"
    code, out, _ = srv.run(f"{dtadmin} list --json", env=dtadmin_env)
    assert code == 0
    (first,) = json.loads(out)["licenses"]
    assert (first["order_id"], first["kid"]) == ("DAY-1", old)

    rotation = [srv.as_here(line) for line in sh_block(ADMIN_DOC, "## Rotating the signing key")]
    key_new, reload, export, deny, export_again = rotation
    # Root types the command without runuser: refused, with the exact line to run instead,
    # which is the documented one; nothing was written.
    if srv.user != "root":
        bare = key_new.split(" -- ", 1)[1]
        assert srv.run(bare) == (
            1, "", f"licensed: {signing} belongs to {srv.user}, and a key file another user "
                   f"writes there stops the daemon from starting; run it as {srv.user}: "
                   f"{key_new}\n")
        assert not (signing / f"{new}.pem").exists()
    signer_config = srv.prefix / "etc/datatools-license/signer.toml"
    socket_path = srv.prefix / "run/datatools-license/signer.sock"
    code, out, err = srv.run(key_new)
    assert (code, out) == (0, f"{signing}/{new}.pem\n")
    assert err == (f"new licenses will be signed with {new} once the daemon reloads its keys "
                   f"(licensed keys reload --config {signer_config}); ship {signing}/keyring.json "
                   f"in the next desktop release\n")
    # The signer still signs with the old key: denying it now is refused (the signer's user
    # has no admin token, so it asks the signer itself).
    early_deny = deny
    assert srv.run(early_deny) == (
        1, "", f"licensed: the signer at {socket_path} still signs with {old}; "
               f"first run: licensed keys reload --config {signer_config}\n")
    assert srv.run(reload) == (0, "", f"the signer now signs with {new} (was {old})\n")
    assert srv.run(export)[0] == 0
    assert srv.run(deny) == (
        0, "", f"{old} is denied in {signing}/keyring.json; ship `licensed keys export-keyring` "
               f"in the next desktop release and reissue its licenses (dtadmin reissue ID)\n")
    assert srv.run(export_again)[0] == 0
    release = srv.laptop / "release-keyring.json"
    assert '"denied": [\n    "' + old + '"\n  ]' in release.read_text()
    # The daemon restarted from these files starts (they are the service user's) and signs
    # with the new key.
    assert srv.stop_daemon() == 0
    srv.start_daemon()

    # Reissue: the buyer's old blob is refused by the next release, the replacement is not.
    (srv.laptop / "old.txt").write_text(first["blob"] + "\n")
    code, _, err = srv.run(f"{dtadmin} reissue {first['id']} > zoe.txt", env=dtadmin_env)
    assert (code, err) == (0, f"re-signed license {first['id']} ({first['lid']}) with key {new} "
                              f"(was {old}); its email is queued\n")
    verify = f"{srv.venv}/bin/datatools license verify"
    code, _, err = srv.run(f"{verify} old.txt --keyring release-keyring.json")
    assert (code, err.strip().rsplit(" ", 1)[-1]) == (1, "[denied_key]")
    code, out, _ = srv.run(f"{verify} zoe.txt --keyring release-keyring.json --json")
    assert code == 0 and f'"kid": "{new}"' in out

    # Break-glass with the laptop's key copy from before the rotation: once the laptop's
    # keyring is refreshed as ADMIN.md says, dtmint refuses the denied key.
    laptop_keys = srv.laptop / ".datatools-creator"
    dtmint = (f"{srv.venv}/bin/dtmint --key ~/.datatools-creator/{old}.pem --name 'Chen Jing' "
              f"--email chen@example.com --tier pro > chen.txt")
    # "Run the lines from `ssh -t` on again after every rotation and every deny".
    assert laptop_setup[1].startswith("bash -c ")
    assert srv.run("set -e\n" + "\n".join(laptop_setup[1:]))[0] == 0
    assert srv.run(dtmint) == (
        1, "", f"dtmint: key {old} is denied in {laptop_keys}/keyring.json (the desktop refuses "
               f"its licenses as denied_key); copy the key the server signs with now (its "
               f"signing/current) and its signing/keyring.json again\n")
    code, _, err = srv.run(dtmint.replace(f"{old}.pem", f"{new}.pem"))
    assert code == 0 and err.startswith(f"minted L-") and f"with key {new};" in err
    code, out, err = srv.run(f"{dtadmin} import ~/.datatools-creator/issued.jsonl",
                             env=dtadmin_env)
    assert (code, out + err) == (0, "imported 1, already there 0, rejected 0\n")


def test_the_operators_day_restore_rollback_and_smoke(server):
    """After the rotation: a backup, a restore refused while the daemon runs, a rollback over a
    newer schema refused and done with the backup, and the smoke test with a seller id."""
    srv, proxy = server
    backups = srv.prefix / "var/backups/datatools-license"
    unit = (ROOT / "systemd/datatools-license-backup.service").read_text()
    (backup,) = [line.removeprefix("ExecStart=") for line in unit.splitlines()
                 if line.startswith("ExecStart=")]
    code, out, err = srv.run(srv.as_user(srv.as_here(backup)))
    assert code == 0, err
    dump = out.strip()
    # The runbook's "Restoring for real", its restore line typed while the daemon still runs.
    stop, restore, start = sh_block(SETUP_DOC, "**Restoring for real**")
    assert (stop, start) == ("systemctl stop datatools-license", "systemctl start datatools-license")
    restore = srv.as_here(restore).replace(" FILE ", f" {dump} ")
    assert srv.run(restore) == (
        1, "", "restore-backup: the daemon is running on this database (it holds the serving "
               "lock); stop it first (sudo systemctl stop datatools-license), restore, then "
               "start it again\n")

    # A newer release migrated the schema (as its `licensed migrate` records it); this code
    # is the older one: neither the daemon nor the install script's migrate goes on.
    newer = srv.prefix / "newer-release-migrate.py"
    newer.write_text("import sqlite3, sys\nwith sqlite3.connect(sys.argv[1]) as c:\n"
                     "    c.execute(\"INSERT INTO schema_migrations VALUES "
                     "(90, 'subscriptions', '2026-12-01')\")\n")
    database = srv.prefix / "var/lib/datatools-license/licenses.db"
    assert srv.run(srv.as_user(f"{srv.venv}/bin/python {newer} {database}"))[0] == 0
    assert srv.stop_daemon() == 0
    refusal = ("licensed: the database has 1 migration(s) this release does not know "
               "(090_subscriptions): a newer release upgraded it; run that release, or restore "
               "the backup taken before the upgrade (docs/SETUP-LICENSE-SERVER.md, \"Upgrade "
               "and rollback\")\n")
    assert srv.run(srv.as_user(srv.licensed("migrate"))) == (1, "", refusal)
    assert srv.run(srv.as_user(srv.licensed("serve"))) == (1, "", refusal)
    # The runbook's rollback: the backup taken before the upgrade, the daemon stopped (its
    # `git checkout` and install script need a release tag and systemd: not run here).
    rollback = sh_block(SETUP_DOC, "**Rollback:**")
    assert rollback[0] == "systemctl stop datatools-license"
    (restore_back,) = [line for line in rollback if "restore-backup" in line]
    restore_back = srv.as_here(restore_back).replace(
        f"{srv.prefix}/var/backups/datatools-license/<the pre-upgrade backup>", dump)
    code, out, err = srv.run(restore_back)
    assert (code, out.splitlines()[:2]) == (0, [f"checksum ok: {Path(dump).name}",
                                                "restored over the existing tables"]), err

    # §6.2 sets the seller id; the smoke test right after a restart (nginx answers 502 until
    # the daemon listens) still passes, its Ping carrying that seller id.
    text = srv.config.read_text().replace('seller_id = ""', 'seller_id = "seller-abc"')
    srv.config.write_text(text)
    srv.start_daemon(wait=False)
    smoke = (f"{srv.prefix}/opt/datatools-license/bin/smoke https://127.0.0.1:{proxy.https_port} "
             f"--config {srv.config} --cafile {proxy.prefix}/tls/fullchain.pem")
    assert srv.run(smoke) == (0, "PASS health\nPASS test ping with the real secret\n"
                                 "PASS wrong secret refused\nPASS /internal/ hidden\n", "")
    log = (srv.prefix / "daemon.log").read_text()
    assert "outcome=unknown_product" in log and "order=smoke-" in log
    # The sysadmin's rotation (SETUP-LICENSE-SERVER.md §10): keys new as the service user,
    # then `systemctl reload`, which sends the daemon SIGHUP (the unit's ExecReload).
    new_key, reload = sh_block(SETUP_DOC, "## 10. Key rotation")
    assert reload == "systemctl reload datatools-license"
    assert "ExecReload=/usr/bin/kill -HUP $MAINPID" in (
        ROOT / "systemd/datatools-license.service").read_text()
    kid = new_key.split("--kid ", 1)[1].split()[0]
    assert srv.run(srv.as_here(new_key))[0] == 0
    srv.daemon.send_signal(signal.SIGHUP)
    wait_until(lambda: f"new licenses are signed with {kid}" in
               (srv.prefix / "daemon.log").read_text(), what="the reload's log line")
    srv.transcript.append(f"$ {reload}   # here: kill -HUP the daemon\n")


def test_no_documented_ssh_command_needs_sudo_to_prompt_without_a_terminal():
    """`ssh HOST sudo …` has no terminal for sudo's password prompt (it stops with "a terminal
    is required"), and `ssh -t HOST …`'s output carries the prompt and a CR at each line end:
    so a documented sudo over ssh runs in `ssh -t`, whose output never lands in a file."""
    for doc in (ADMIN_DOC, SETUP_DOC, ROOT / "docs" / "LICENSE-SERVER.md"):
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for call in re.findall(r"\bssh (?:-\w+ )*license\.example\.com\b.*", line):
                where = f"{doc.name}:{number}: {line}"
                if "sudo " in call:
                    assert call.startswith("ssh -t "), where
                if call.startswith("ssh -t "):
                    assert ">" not in call.rsplit("'", 1)[-1] and "$(ssh" not in line, where
