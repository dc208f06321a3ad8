"""bin/install-server for real, into a temporary root: it builds the wheel, installs it into a
venv outside the repository, and the daemon serves, mints and mails from it; a second run keeps
what it must; the systemd units it installs pass `systemd-analyze verify` there."""

from __future__ import annotations

import grp
import os
import pwd

import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from tests.daemon.harness import gumroad_sale, http
from tests.deploy.conftest import ROOT, tool
from tests.deploy.harness import DaemonProcess, kernel_has_mdwe, wait_until
from tests.deploy.test_install_server import UNITS, install


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> tuple[Path, str, str]:
    """A test root after one real run of the script (and the output of a second run), run as
    its --help shows: without --database-url, its database a SQLite file in the root (trial E:
    the PostgreSQL default, which a test root never creates, stopped the install)."""
    prefix = tmp_path_factory.mktemp("server-root")
    (prefix / "etc" / "nginx" / "sites-available").mkdir(parents=True)  # nginx is installed
    database = f"sqlite:///{prefix}/var/lib/datatools-license/licenses.sqlite3"
    first = install("--prefix", str(prefix))
    assert first.returncode == 0, first.stdout + first.stderr
    config = (prefix / "etc" / "datatools-license" / "licensed.toml").read_text()
    assert f'url = "{database}"' in config, config
    config = prefix / "etc" / "datatools-license" / "licensed.toml"
    config.write_text(config.read_text() + "# edited by the operator\n")
    second = install("--prefix", str(prefix), "--database-url", database)
    assert second.returncode == 0, second.stdout + second.stderr
    return prefix, first.stdout, second.stdout


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o7777


def test_the_install_lays_out_directories_secrets_and_modes(root):
    prefix, first, _ = root
    assert mode(prefix / "srv/datatools-license/secrets") == 0o700
    assert mode(prefix / "srv/datatools-license/signer/signing") == 0o700
    assert mode(prefix / "etc/datatools-license") == 0o750
    assert mode(prefix / "var/backups/datatools-license") == 0o700
    assert mode(prefix / "etc/datatools-license/licensed.toml") == 0o640
    signing = prefix / "srv/datatools-license/signer/signing"
    kid = (signing / "current").read_text().strip()
    for secret in ("admin-token", "gumroad-secret"):
        path = prefix / "srv/datatools-license/secrets" / secret
        assert mode(path) == 0o400 and len(path.read_text().strip()) >= 40
    assert mode(signing / f"{kid}.pem") == 0o400
    config = (prefix / "etc/datatools-license/licensed.toml").read_text()
    for line in ('[server]\nhost = "127.0.0.1"\nport = 8090\nthreads = 8\n',
                 f'[secrets]\ndir = "{prefix}/srv/datatools-license/secrets"\n',
                 f'spool_dir = "{prefix}/var/lib/datatools-license/mail"\n',
                 f'[products]\nfile = "{prefix}/etc/datatools-license/products.toml"\n'):
        assert line in config
    for unit in UNITS:
        assert (prefix / "etc/systemd/system" / unit).read_bytes() == (ROOT / "systemd" / unit).read_bytes()
    site = prefix / "etc/nginx/sites-available/datatools-license.conf"
    assert site.read_bytes() == (ROOT / "systemd/nginx/datatools-license.conf").read_bytes()
    assert not (prefix / "etc/nginx/sites-enabled").exists()  # no certificate yet
    secret = (prefix / "srv/datatools-license/secrets/gumroad-secret").read_text().strip()
    # Gumroad cannot ping a test root: the list names the URL its test sales go to instead.
    assert (f"Gumroad cannot reach a test root; its test sales go to "
            f"http://127.0.0.1:8090/webhooks/gumroad?secret={secret}\n") in first
    assert "skip: create system user datatools-license" in first
    # A test root sets no owners, and the log does not claim it did; its signer serves its user.
    assert "datatools-signer" not in first and "(0640, the current user's)" in first
    me = pwd.getpwuid(os.geteuid())
    served = f'client_user = "{me.pw_name}"\nclient_group = "{grp.getgrgid(me.pw_gid).gr_name}"\n'
    assert served in (prefix / "etc/datatools-license/signer.toml").read_text()


def test_a_second_run_keeps_secrets_config_and_keys(root):
    prefix, first, second = root
    assert "# edited by the operator" in (prefix / "etc/datatools-license/licensed.toml").read_text()
    for line in ("keep config ", "keep secret ", "keep signing key named in ",
                 f"keep {prefix}/etc/systemd/system/datatools-license.service (up to date)"):
        assert line in second
    assert "create secret" not in second and "keys new" not in second
    assert len(list((prefix / "srv/datatools-license/signer/signing").glob("*.pem"))) == 1
    # The same Ping URL both times: the secret was not regenerated.
    ping = re.compile(r"Ping URL: (\S+)")
    assert ping.findall(first) == ping.findall(second)


def test_the_wheel_daemon_serves_and_mints_with_no_checkout(root, tmp_path):
    prefix, _, _ = root
    venv = prefix / "opt/datatools-license/venv"
    where = subprocess.run(
        [str(venv / "bin/python"), "-c",
         "import licensed, licensed.queries as q, licensed.message as m; "
         "print(licensed.__file__); print(q.SQL_ROOT); print(m.HERE)"],
        capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert line.startswith(f"{venv}/lib/python3.11/site-packages/licensed")
        assert str(ROOT) not in line
    config = prefix / "etc/datatools-license/licensed.toml"
    # The signer serves the user that owns the test root, as written by the installer (it once
    # wrote datatools-license, a user a test root never has, and the signer refused to start).
    daemon = DaemonProcess([str(venv / "bin/licensed")], config, tmp_path / "daemon.log").start()
    try:
        health = http("GET", daemon.url + "/health").json()
        assert {key: health[key] for key in ("status", "version", "database")} == {
            "status": "ok", "version": "0.1.0", "database": "ok"}
        assert health["signer"]["status"] == "ok"
        secret = (prefix / "srv/datatools-license/secrets/gumroad-secret").read_text().strip()
        ping = http("POST", f"{daemon.url}/webhooks/gumroad?secret={secret}",
                    urllib.parse.urlencode(gumroad_sale("WHEEL-1")).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"})
        assert ping.json() == {"outcome": "minted"}
        # The daemon's own outbox sends the email after the sale's commit, on its thread:
        # wait for it to land before stopping the daemon (stopped first, it is sent at the
        # next start, as on a server; a loaded machine stopped it first).
        spool = prefix / "var/lib/datatools-license/mail"
        wait_until(lambda: any(spool.glob("*.eml")), what="the license email in the spool")
    finally:
        assert daemon.stop() == 0
    # It ran with writable+executable memory refused, as its unit asks (kernel permitting).
    assert ("mdwe=1" if kernel_has_mdwe() else "mdwe=unsupported") in daemon.log()
    # The email, rendered from the wheel's templates and catalog, landed in the spool.
    (mail,) = (prefix / "var/lib/datatools-license/mail").glob("*.eml")
    assert "DTLIC2:" in mail.read_text()


def test_every_installed_unit_passes_systemd_analyze_verify(root):
    prefix, _, _ = root
    analyze = tool("systemd-analyze")
    # The root needs systemd's own units (sysinit.target, …) beside ours; ExecStart is checked
    # inside the root, where the install put the venv's `licensed`.
    shutil.copytree("/usr/lib/systemd/system", prefix / "usr/lib/systemd/system",
                    dirs_exist_ok=True, symlinks=True)
    # ExecReload's kill(1), as Debian ships it.
    (prefix / "usr/bin").mkdir(parents=True, exist_ok=True)
    shutil.copy2("/usr/bin/kill", prefix / "usr/bin/kill")
    for unit in UNITS:
        result = subprocess.run([analyze, "verify", f"--root={prefix}",
                                 str(prefix / "etc/systemd/system" / unit)],
                                capture_output=True, text=True)
        assert (result.returncode, result.stderr) == (0, ""), unit
    # The check has teeth: a misspelt key is only a warning, on stderr.
    broken = prefix / "etc/systemd/system/datatools-license-broken.service"
    broken.write_text((ROOT / "systemd/datatools-license.service").read_text()
                      .replace("ProtectHome=yes", "ProtectHom=yes"))
    result = subprocess.run([analyze, "verify", f"--root={prefix}", str(broken)],
                            capture_output=True, text=True)
    assert "Unknown key 'ProtectHom' in section [Service]" in result.stderr
    broken.unlink()




def test_the_runbooks_test_root_runs_without_systemd_as_written(root, tmp_path):
    """SETUP-LICENSE-SERVER.md, "A test root, or a machine without systemd": its commands, run
    by bash in the installed test root (its path for /tmp/dt-root, a free port for 8090), start
    the signer and the daemon, and `dtadmin` and `smoke` answer as the runbook says."""
    from tests.daemon.served import free_port
    from tests.deploy.test_operator_day import SETUP_DOC, sh_block

    prefix, _, _ = root
    heading = "### A test root, or a machine without systemd"
    install_line, = sh_block(SETUP_DOC, heading)
    assert install_line == "bin/install-server --prefix /tmp/dt-root"
    # The blocks after the install's: start both, then dtadmin and smoke (the last is a
    # server's, with its users).
    blocks = SETUP_DOC.read_text(encoding="utf-8").split(heading, 1)[1].split("```sh\n")[2:4]
    commands = [re.sub(r"\\\n\s*", "", block.split("```", 1)[0]) for block in blocks]
    port = str(free_port())
    script = ("".join(commands) + "kill %1 %2\nwait\n").replace("/tmp/dt-root", str(prefix)) \
        .replace("127.0.0.1:8090", f"127.0.0.1:{port}")
    env = {**os.environ, "LICENSED_SERVER_PORT": port}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=180,
                          env=env, cwd=tmp_path)
    assert '"status": "ok"' in done.stdout and '"mail": {"transport": "spool"' in done.stdout
    assert "ok: database ok, signer ok, mail spool only, version 0.1.0\n" in done.stdout
    assert ("PASS health\nPASS test ping with the real secret\nPASS wrong secret refused\n"
            "FAIL /internal/ hidden: status 401 (expected 404 from nginx)\n") in done.stdout
    assert "licensed signer: signing with " in done.stderr
    assert f"licensed: listening on http://127.0.0.1:{port} (settings from {prefix}" in done.stderr
