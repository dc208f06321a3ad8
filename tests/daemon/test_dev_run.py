"""The quick start works: `MAKE_RUN_ONESHOT=1 make run` (bin/dev-run) sells once and verifies."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_dev_run_check_mints_a_license_that_verifies_offline(tmp_path):
    env = {**os.environ, "DATATOOLS_VAR": str(tmp_path / "var"), "MAKE_RUN_ONESHOT": "1"}
    result = subprocess.run([sys.executable, str(ROOT / "bin" / "dev-run")], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '{"outcome": "minted"}' in result.stdout
    assert '"name": "Zoë Demo-Müller"' in result.stdout
    assert result.stdout.endswith("dev-run --check: the simulated sale's license verifies\n")
    var = tmp_path / "var"
    (mail,) = (var / "mail").glob("*.eml")
    assert f"the buyer's email: {mail}" in result.stdout
    assert "Subject: Your DataTools Pro license" in mail.read_text()
    # The desktop app trusts this keyring in development; the key is private from the first byte.
    assert (var / "secrets" / "signing" / "keyring.json").exists()
    assert stat.S_IMODE((var / "secrets" / "signing" / "dev-1.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((var / "secrets" / "admin-token").stat().st_mode) == 0o600
