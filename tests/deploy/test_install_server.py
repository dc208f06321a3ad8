"""bin/install-server's dry run (on this machine and into a prefix), its usage errors, the units'
sandbox scores and the runbook's examples (the real run: test_installed_server.py)."""

from __future__ import annotations

import os
import pwd
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, tool

SCRIPT = ROOT / "bin" / "install-server"
UNITS = ("datatools-license.service", "datatools-license-backup.service",
         "datatools-license-backup.timer", "datatools-license-prune.service",
         "datatools-license-prune.timer")
SYSTEM_PATHS = ("/opt/datatools-license", "/etc/datatools-license", "/srv/datatools-license",
                "/var/lib/datatools-license", "/var/backups/datatools-license",
                "/etc/systemd/system/datatools-license.service")


def install(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=600, cwd="/")


def test_dry_run_prints_every_step_and_changes_nothing():
    before = {path: Path(path).exists() for path in SYSTEM_PATHS}
    dry = install("--dry-run", "--server-name", "license.example.com")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    expected = [
        "[dry-run] create directory /etc/datatools-license (root:datatools-license 0750)",
        "[dry-run] create directory /srv/datatools-license/secrets (datatools-license:datatools-license 0700)",
        "[dry-run] create directory /srv/datatools-license/signer/signing (datatools-signer:datatools-signer 0700)",
        "[dry-run] create directory /var/backups/datatools-license (datatools-license:datatools-license 0700)",
        "[dry-run] run: /opt/datatools-license/venv/bin/python -m pip --disable-pip-version-check -q "
        "install --force-reinstall --no-deps /tmp/",
        "[dry-run] create config /etc/datatools-license/licensed.toml (root:datatools-license 0640)",
        "[dry-run] create signer config /etc/datatools-license/signer.toml (root:datatools-signer 0640)",
        "[dry-run] create secret /srv/datatools-license/secrets/admin-token (datatools-license:datatools-license 0400)",
        "[dry-run] create secret /srv/datatools-license/secrets/gumroad-secret (datatools-license:datatools-license 0400)",
        "[dry-run] run: runuser -u datatools-signer -- /opt/datatools-license/venv/bin/licensed keys new --kid ",
        "[dry-run] run: runuser -u postgres -- createuser datatools-license",
        "[dry-run] run: runuser -u postgres -- createdb --owner=datatools-license datatools_license",
        "[dry-run] run: runuser -u datatools-license -- /opt/datatools-license/venv/bin/licensed migrate "
        "--config /etc/datatools-license/licensed.toml",
        "[dry-run] install /etc/systemd/system/datatools-license-signer.socket (0644)",
        "[dry-run] install /etc/systemd/system/datatools-license-signer.service (0644)",
        "[dry-run] install /etc/systemd/system/datatools-license.service (0644)",
        "[dry-run] install /etc/systemd/system/datatools-license-backup.timer (0644)",
        "[dry-run] run: systemctl enable datatools-license-signer.socket datatools-license.service "
        "datatools-license-backup.timer datatools-license-prune.timer",
        "[dry-run] run: systemctl start datatools-license-signer.socket",
        "[dry-run] run: systemctl restart datatools-license.service",
        "[dry-run] install /etc/nginx/sites-available/datatools-license.conf (0644)",
        "  6. Gumroad: Settings → Advanced → Ping URL: https://license.example.com/webhooks/gumroad"
        "?secret=$(cat /srv/datatools-license/secrets/gumroad-secret)",
    ]
    position = 0
    for want in expected:  # in this order
        found = [i for i, line in enumerate(lines) if line.startswith(want) and i >= position]
        assert found, f"missing (or out of order): {want}\n{dry.stdout}"
        position = found[0]
    try:
        pwd.getpwnam("datatools-license")
    except KeyError:  # this machine has no service user: the dry run would make it
        assert any(line.startswith("[dry-run] run: useradd --system --user-group --home-dir "
                                   "/var/lib/datatools-license --no-create-home --shell "
                                   "/usr/sbin/nologin datatools-license") for line in lines)
    assert {path: Path(path).exists() for path in SYSTEM_PATHS} == before


def test_dry_run_into_a_prefix_creates_nothing_there(tmp_path):
    wheel = tmp_path / "datatools-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    dry = install("--dry-run", "--prefix", str(tmp_path / "root"), "--wheel", str(wheel))
    assert dry.returncode == 0, dry.stderr
    assert "[dry-run] create directory " + str(tmp_path / "root") in dry.stdout
    assert f"install --force-reinstall --no-deps {wheel}\n" in dry.stdout
    assert "pip --disable-pip-version-check -q wheel" not in dry.stdout  # nothing to build
    assert not (tmp_path / "root").exists()


def test_a_remote_database_gets_no_local_role(tmp_path):
    dry = install("--dry-run", "--database-url", "postgresql://licensed@db.example.com/licenses")
    assert dry.returncode == 0, dry.stderr
    assert ("skip: PostgreSQL role and database: the database is on db.example.com; create them "
            "there") in dry.stdout
    assert "createuser" not in dry.stdout


def test_a_missing_wheel_is_a_usage_error(tmp_path):
    missing = install("--wheel", str(tmp_path / "none.whl"), "--dry-run")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == f"install-server: no wheel at {tmp_path / 'none.whl'}\n"


@pytest.mark.parametrize("unit", ["datatools-license.service", "datatools-license-backup.service",
                                  "datatools-license-prune.service",
                                  "datatools-license-signer.service"])
def test_the_sandbox_scores_as_the_runbook_says(unit):
    analyze = tool("systemd-analyze")
    result = subprocess.run([analyze, "security", "--offline=yes", str(ROOT / "systemd" / unit)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (score,) = re.findall(rf"Overall exposure level for {re.escape(unit)}: (\d+\.\d) (\w+)", result.stdout)
    assert float(score[0]) <= 2.0 and score[1] in ("OK", "SAFE")
    runbook = (ROOT / "docs" / "SETUP-LICENSE-SERVER.md").read_text()
    assert f"→ Overall exposure level for {unit}: {score[0]} {score[1]}" in runbook


def load_script():
    from importlib.machinery import SourceFileLoader
    from importlib.util import module_from_spec, spec_from_loader

    spec = spec_from_loader("install_server", SourceFileLoader("install_server", str(SCRIPT)))
    module = module_from_spec(spec)
    sys.modules["install_server"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["install_server"]
    return module


def runbook_block(after: str, language: str) -> str:
    text = (ROOT / "docs" / "SETUP-LICENSE-SERVER.md").read_text()
    return text.split(after, 1)[1].split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_the_runbook_shows_the_config_the_script_writes():
    script = load_script()
    written = script.config_text(script.DEFAULT_DATABASE, "")
    settings = "".join(line + "\n" for line in written.splitlines() if not line.startswith("#"))
    assert runbook_block("The configuration it writes", "toml") == settings.lstrip("\n")


def test_the_runbook_shows_the_backup_units_command():
    (line,) = [l for l in (ROOT / "systemd/datatools-license-backup.service").read_text().splitlines()
               if l.startswith("ExecStart=")]
    command = line.removeprefix("ExecStart=/opt/datatools-license/venv/bin/")
    assert runbook_block("`datatools-license-backup.timer` runs, every night,", "") == command + "\n"


@pytest.mark.parametrize("script", ["install-server", "restore-backup", "smoke"])
def test_the_runbooks_scripts_run_as_commands(script):
    # The runbook calls them as `bin/NAME`: executable, with a help text that exits 0.
    result = subprocess.run([str(ROOT / "bin" / script), "--help"], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert "example" in result.stdout


def test_the_runbook_gives_the_backup_timers_window():
    # systemd's RandomizedDelaySec only ever delays: the window opens at OnCalendar's time.
    timer = dict(line.split("=", 1) for line in
                 (ROOT / "systemd/datatools-license-backup.timer").read_text().splitlines()
                 if "=" in line and not line.startswith("#"))
    hours, minutes = map(int, timer["OnCalendar"].split()[-1].split(":")[:2])
    delay = int(timer["RandomizedDelaySec"].removesuffix("min"))
    end = hours * 60 + minutes + delay
    window = f"between {hours:02d}:{minutes:02d} and {end // 60:02d}:{end % 60:02d}"
    (row,) = [line for line in (ROOT / "docs/SETUP-LICENSE-SERVER.md").read_text().splitlines()
              if line.startswith("| `datatools-license-backup.timer` |")]
    assert f"every night {window}" in row, row


def test_the_runbook_names_every_outcome_logged_for_an_operator():
    from licensed.webhooks import NEEDS_OPERATOR

    text = (ROOT / "docs/SETUP-LICENSE-SERVER.md").read_text()
    bullet = text.split("- **Log lines to alert on**", 1)[1].split("\n  - many", 1)[0]
    assert sorted(o for o in NEEDS_OPERATOR if not re.search(rf"\b{o}\b", bullet)) == []


def test_the_venv_is_built_with_the_system_python_whatever_runs_the_script():
    dry = install("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "[dry-run] run: /usr/bin/python3 -m venv /opt/datatools-license/venv\n" in dry.stdout
    assert sys.executable != "/usr/bin/python3"  # the test's own Python ran the script
    # The service user's check of that Python comes first.
    assert ("[dry-run] run: runuser -u datatools-license -- /usr/bin/python3 -c 'import sys'\n"
            "[dry-run] run: /usr/bin/python3 -m venv") in dry.stdout


def test_a_local_database_url_gets_the_role_it_names():
    dry = install("--dry-run", "--database-url", "postgresql://licensor@localhost/sales")
    assert dry.returncode == 0, dry.stderr
    assert "[dry-run] run: runuser -u postgres -- createuser licensor\n" in dry.stdout
    assert "[dry-run] run: runuser -u postgres -- createdb --owner=licensor sales\n" in dry.stdout


def test_a_python_the_service_user_cannot_run_stops_the_install(tmp_path):
    # A Python under root's home (mode 0700), as pyenv puts it: the service user ("nobody"
    # here) gets "Permission denied" from the venv's python link.
    home = Path(tempfile.mkdtemp(prefix="python-home-", dir="/tmp"))
    prefix = Path(tempfile.mkdtemp(prefix="install-root-", dir="/tmp"))
    try:
        private = home / "bin" / "python3"
        private.parent.mkdir()
        private.symlink_to(os.path.realpath(sys.executable))
        home.chmod(0o700)
        prefix.chmod(0o755)
        result = install("--prefix", str(prefix), "--service-user", "nobody",
                         "--python", str(private), "--database-url", "sqlite:////nowhere.db")
        assert (result.returncode, result.stderr) == (
            1, f"install-server: the service user nobody cannot run {private} (it is "
               f"{os.path.realpath(sys.executable)}): runuser: failed to execute {private}: "
               f"Permission denied; build the venv with a Python every user can run: "
               f"install-server --python /usr/bin/python3\n")
        assert not (prefix / "opt/datatools-license/venv").exists()
    finally:
        shutil.rmtree(home)
        shutil.rmtree(prefix)


def test_service_user_goes_with_a_prefix_and_must_exist(tmp_path):
    alone = install("--service-user", "nobody", "--dry-run")
    assert (alone.returncode, alone.stderr) == (
        2, "install-server: --service-user goes with --prefix (a server's service user is "
           "datatools-license)\n")
    missing = install("--prefix", str(tmp_path), "--service-user", "no-such-user-x", "--dry-run")
    assert (missing.returncode, missing.stderr) == (
        2, "install-server: there is no user no-such-user-x\n")


def test_the_prune_units_command_runs_as_written(tmp_path):
    from licensed.cli import main as licensed_main
    from tests.daemon.harness import write_world_files

    settings = write_world_files(tmp_path, f"sqlite:///{tmp_path}/licenses.db")
    assert licensed_main(["migrate", "--config", str(settings.config_file)]) == 0
    (line,) = [l for l in (ROOT / "systemd/datatools-license-prune.service").read_text()
               .splitlines() if l.startswith("ExecStart=")]
    argv = line.removeprefix("ExecStart=").split()
    assert argv[:2] == ["/opt/datatools-license/venv/bin/licensed", "prune-rejected"]
    argv = [str(Path(sys.executable).parent / "licensed"), *argv[1:]]
    argv[argv.index("/etc/datatools-license/licensed.toml")] = str(settings.config_file)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("removed 0 rejected attempt(s) received before ")


def test_the_runbook_counts_and_names_the_units_the_script_installs():
    script = load_script()
    text = (ROOT / "docs/SETUP-LICENSE-SERVER.md").read_text()
    step = text.split("\n8. installs the ", 1)[1].split(" systemd units", 1)[0]
    numbers = {"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
    assert numbers[step] == len(script.UNITS)
    kinds = {unit.rsplit(".", 1)[1] for unit in script.UNITS}
    (row,) = [line for line in text.splitlines() if line.startswith("| `/etc/systemd/system/")]
    assert row.split("{", 1)[1].split("}", 1)[0].split(",") == sorted(kinds, key=["socket", "service", "timer"].index)


def test_an_upgrade_replaces_a_site_nobody_edited_and_keeps_an_edited_one(tmp_path):
    """A new release's nginx site (its headers, its limits) once always went to `.conf.new`, so
    an upgrade left the old site serving until the sysadmin moved it in by hand."""
    script = load_script()
    (tmp_path / "etc/nginx/sites-available").mkdir(parents=True)
    out = io.StringIO()
    inst = script.Installer(prefix=str(tmp_path), dry_run=False, out=out, user=None)
    site = tmp_path / script.SITE.lstrip("/")
    release = (ROOT / "systemd/nginx/datatools-license.conf").read_text().replace(
        script.DEFAULT_NAME, "licenses.shop.pl")
    # The previous release's site, as this script wrote it then (and kept a copy of).
    earlier = release.replace("proxy_hide_header Referrer-Policy;\n", "")
    shipped = tmp_path / script.SHIPPED_SITE.lstrip("/")
    shipped.parent.mkdir(parents=True)
    site.write_text(earlier)
    shipped.write_text(earlier)
    script.step_nginx(inst, "licenses.shop.pl")
    assert site.read_text() == release == shipped.read_text()
    assert not site.with_name(site.name + ".new").exists()
    assert f"{site} was not edited since the last install: the new version replaces it" in out.getvalue()
    # The sysadmin edits it; the next release's version goes beside it.
    edited = release + "# a limit of our own\n"
    site.write_text(edited)
    script.step_nginx(inst, "licenses.shop.pl")
    assert site.read_text() == edited
    assert site.with_name(site.name + ".new").read_text() == release


def test_the_left_to_do_list_is_true_for_a_test_root_and_for_a_server(tmp_path):
    # Trial I: after --prefix the list said chown and systemctl restart, which do not apply
    # there, and never named the Lemon Squeezy secret's file.
    root = tmp_path / "root"
    secrets = f"{root}/srv/datatools-license/secrets"
    test_root = install("--dry-run", "--prefix", str(root))
    assert test_root.returncode == 0, test_root.stderr
    todo = test_root.stdout.split("\nLeft to do by hand:\n")[1]
    assert "chown" not in todo and "systemctl" not in todo and "certbot" not in todo
    assert f"  1. Start (nothing starts them in a test root): {root}/opt/datatools-license/venv/" \
           f"bin/licensed signer --config {root}/etc/datatools-license/signer.toml & " in todo
    assert f"{secrets}/lemonsqueezy-secret" in todo and f"{secrets}/stripe-secret" in todo
    assert f"{secrets}/postmark-token (chmod 400), then restart `licensed serve`" in todo
    assert "  6. Check: curl http://127.0.0.1:8090/health" in todo

    server = install("--dry-run", "--server-name", "license.example.com")
    todo = server.stdout.split("\nLeft to do by hand:\n")[1]
    assert ("Lemon Squeezy's signing secret goes in /srv/datatools-license/secrets/"
            "lemonsqueezy-secret, Stripe's whsec_… in /srv/datatools-license/secrets/"
            "stripe-secret (chown datatools-license, chmod 400), then systemctl restart "
            "datatools-license.") in todo
    assert "postmark-token (chown datatools-license, chmod 400), then systemctl restart" in todo
