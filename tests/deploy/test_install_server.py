"""bin/install-server's dry run (on this machine and into a prefix), its usage errors, the units'
sandbox scores and the runbook's examples (the real run: test_installed_server.py)."""

from __future__ import annotations

import pwd
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, tool

SCRIPT = ROOT / "bin" / "install-server"
UNITS = ("datatools-license.service", "datatools-license-backup.service",
         "datatools-license-backup.timer")
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
        "datatools-license-backup.timer",
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
