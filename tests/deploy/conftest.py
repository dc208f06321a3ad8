"""Deployment tests: real nginx, openssl, systemd-analyze and PostgreSQL client tools. A missing
tool fails the test with the command that installs it (bin/debian-packages lists them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tool(name: str) -> str:
    """The path of a Debian program the deployment tests drive; fails (never skips) without it."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.fail(f"{name} is not installed; the deployment tests run it for real.\n"
                    "Install the packages in bin/debian-packages (as root: bin/ensure-debian-packages; "
                    "make test does it)", pytrace=False)
    return found


@pytest.fixture
def clock():
    from datetime import datetime, timezone

    from tests.daemon.harness import Clock

    return Clock(datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc))
