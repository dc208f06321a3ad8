"""The Python packages: `python -m build` makes a wheel and an sdist, and the wheel installs and runs.

The wheel goes into a fresh virtual environment with `pip install --no-deps`; the environment
sees the third-party libraries of the running one (.venv) through one `.pth` line instead of
downloading and unpacking some 600 MB of pandas, pyarrow and Qt again (DECISIONS 73). Our own
code comes only from the wheel, which the test checks. The license daemon run from the
installed wheel is tested by the deployment tests, not here.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from datatools.version import __version__

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[Path, str]:
    """The folder holding the sdist and the wheel built from it, as `make wheel` builds them,
    and what the build printed."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out, done.stdout + done.stderr


@pytest.fixture(scope="module")
def built(build) -> Path:
    return build[0]


def installed_venv(root: Path, wheel: Path) -> Path:
    """A new venv holding `wheel` (no dependencies), layered over this interpreter's libraries."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=60)
    site = Path(subprocess.run([str(root / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz_layered_on_dotvenv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"), "install",
                           "--no-deps", "--no-index", "--quiet", "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return root


def test_build_makes_a_wheel_and_an_sdist_named_by_the_version(built):
    assert sorted(path.name for path in built.iterdir()) == [
        f"datatools-{__version__}-py3-none-any.whl", f"datatools-{__version__}.tar.gz"]
    names = zipfile.ZipFile(built / f"datatools-{__version__}-py3-none-any.whl").namelist()
    # What the app opens at run time travels as package data.
    for needed in ("datatools/ui/index.html", "datatools/ui/app.js", "datatools/i18n/en.json",
                   "datatools/i18n/de.json", "datatools/keyring.json", "licensed/cli.py",
                   "dtadmin/cli.py", "licensed/sql/queries/licenses.sql",
                   "licensed/sql/queries/sqlite/connection.sql",
                   "licensed/sql/migrations/pg/001_core.sql"):
        assert needed in names, needed
    assert not [name for name in names if name.startswith(("tests/", "bench/", "packaging/"))]
    with tarfile.open(built / f"datatools-{__version__}.tar.gz") as sdist:
        assert f"datatools-{__version__}/setup.cfg" in sdist.getnames()


def test_the_wheel_holds_every_sql_file_and_setuptools_ignores_no_folder(build):
    out, printed = build
    assert "would be ignored" not in printed and "is absent from the `packages` configuration" not in printed
    names = set(zipfile.ZipFile(out / f"datatools-{__version__}-py3-none-any.whl").namelist())
    in_tree = {f"licensed/sql/{path.relative_to(REPO / 'sql').as_posix()}" for path in (REPO / "sql").rglob("*.sql")}
    in_tree |= {path.relative_to(REPO).as_posix() for path in (REPO / "datatools").rglob("*.sql")}
    assert len(in_tree) >= 40 and in_tree - names == set()


def test_the_installed_wheel_runs_every_console_script(built, tmp_path):
    wheel = built / f"datatools-{__version__}-py3-none-any.whl"
    venv = installed_venv(tmp_path / "venv", wheel)
    entry_points = configparser.ConfigParser()
    with zipfile.ZipFile(wheel) as archive:
        entry_points.read_string(archive.read(f"datatools-{__version__}.dist-info/entry_points.txt").decode())
    scripts = sorted(entry_points["console_scripts"])
    assert scripts == ["datatools", "dtadmin", "dtmint", "licensed"]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    for script in scripts:
        done = subprocess.run([str(venv / "bin" / script), "--help"], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path, env=env)
        assert done.returncode == 0, (script, done.stderr[-2000:])
        assert done.stdout.startswith(f"usage: {script} "), (script, done.stdout[:200])
    version = subprocess.run([str(venv / "bin" / "datatools"), "--version"], capture_output=True,
                             text=True, timeout=60, cwd=tmp_path, env=env)
    assert version.stdout.startswith(f"datatools {__version__} (released ")
    # The code that ran is the wheel's, not the checkout's editable install.
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import datatools, dtadmin, licensed; "
                            "print(datatools.__file__, dtadmin.__file__, licensed.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert all(line.startswith(str(venv)) for line in where.stdout.split()), where.stdout
