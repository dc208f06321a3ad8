"""`make dist-desktop`'s smoke step finds the bundles wherever DIST points, without a build.

The step is `packaging/release.py smoke --dist DIST`; these tests give it stand-in bundles (shell
scripts that start `python -m datatools`) under a relative and an absolute DIST, run from a folder
that is not the repository, as a maintainer's `make -C` or a CI job would.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from datatools.version import __version__

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / "packaging" / "release.py"
STEM = subprocess.run([sys.executable, str(RELEASE), "name"], capture_output=True, text=True,
                      check=True).stdout.strip()
# One quick smoke test is enough to show the path reached the bundle.
ONE_TEST = ["tests/desktop/test_app_process.py", "-k", "version_names_the_release"]


def stand_in_bundles(dist: Path, exit_code: int | None = None) -> None:
    body = (f"exit {exit_code}" if exit_code is not None
            else f'exec "{sys.executable}" -m datatools "$@"')
    for app in (dist / STEM / "datatools", dist / f"{STEM}-onefile"):
        app.parent.mkdir(parents=True, exist_ok=True)
        app.write_text(f"#!/bin/sh\n{body}\n")
        app.chmod(app.stat().st_mode | stat.S_IXUSR)


def smoke(dist: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATATOOLS_APP", "DATATOOLS_EXPECT_KEYRING")}
    return subprocess.run([sys.executable, str(RELEASE), "smoke", "--dist", dist, "--", *ONE_TEST],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_relative_dist_reaches_both_bundles_from_another_folder(tmp_path):
    stand_in_bundles(tmp_path / "out" / "dist")
    done = smoke("out/dist", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"== smoke test of {tmp_path}/out/dist/{STEM}/datatools\n" in done.stdout
    assert f"== smoke test of {tmp_path}/out/dist/{STEM}-onefile\n" in done.stdout
    assert "built and smoke-tested:" in done.stdout
    assert done.stdout.count("1 passed") == 2


def test_an_absolute_dist_works_the_same(tmp_path):
    stand_in_bundles(tmp_path / "abs")
    done = smoke(str(tmp_path / "abs"), cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "built and smoke-tested:" in done.stdout


def test_a_bundle_that_fails_its_smoke_test_stops_the_release(tmp_path):
    stand_in_bundles(tmp_path / "dist", exit_code=3)
    done = smoke("dist", cwd=tmp_path)
    assert done.returncode == 1
    assert f"release refused: the smoke tests failed on {tmp_path}/dist/{STEM}/datatools" in done.stderr
    assert "built and smoke-tested" not in done.stdout


def test_a_dist_without_the_bundles_says_where_it_looked(tmp_path):
    done = smoke("nowhere", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(f"release refused: no bundle at {tmp_path}/nowhere/{STEM}/datatools")
    assert __version__ in STEM


def test_archives_carry_checksums_that_sha256sum_accepts(tmp_path):
    stand_in_bundles(tmp_path / "dist")
    done = subprocess.run([sys.executable, str(RELEASE), "archive", "--dist", "dist", "--out", "up"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{tmp_path}/up/{STEM}.tar.gz", f"{tmp_path}/up/{STEM}-onefile"]
    check = subprocess.run(["sha256sum", "-c", f"{STEM}.tar.gz.sha256", f"{STEM}-onefile.sha256"],
                           cwd=tmp_path / "up", capture_output=True, text=True)
    assert check.stdout == f"{STEM}.tar.gz: OK\n{STEM}-onefile: OK\n"
    listing = subprocess.run(["tar", "tzf", f"up/{STEM}.tar.gz"], cwd=tmp_path, capture_output=True,
                             text=True, check=True).stdout.split()
    assert f"{STEM}/datatools" in listing


def test_archiving_without_a_build_says_what_is_missing(tmp_path):
    done = subprocess.run([sys.executable, str(RELEASE), "archive", "--dist", "dist", "--out", "up"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"release refused: no bundle at {tmp_path}/dist/{STEM}/datatools (did the build run with this DIST?)\n"
    assert not (tmp_path / "up").exists()
