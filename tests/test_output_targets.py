"""Outputs that are not plain files: a device, a FIFO or a link to one is never replaced or
written into, `--force` or not; the CLI and the desktop's save say so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cli_process import datatools


def targets(folder: Path) -> dict[str, Path]:
    os.mkfifo(folder / "pipe.csv")
    os.symlink("/dev/null", folder / "null.csv")
    return {"fifo": folder / "pipe.csv", "link to a device": folder / "null.csv"}


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["no-force", "force"])
def test_cli_refuses_a_target_that_is_not_a_regular_file(tmp_path, force):
    source = tmp_path / "in.csv"
    source.write_text("name\nAnn\n", encoding="utf-8")
    for kind, target in targets(tmp_path).items():
        done = datatools("clean", str(source), "-o", str(target), *force, cwd=tmp_path)
        assert done.returncode == 1, kind
        assert done.stderr.strip().splitlines()[-1] == (
            f"datatools: {target} is not a regular file (a device, pipe or socket); DataTools "
            "writes only regular files. Choose a file name.")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.csv").st_mode)
    assert os.readlink(tmp_path / "null.csv") == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
