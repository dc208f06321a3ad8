"""`datatools …` as a fresh process, the way a user or a script runs it (real argv, exit code,
stdout and stderr apart)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def datatools(*argv: str, cwd: Path | str) -> subprocess.CompletedProcess:
    """Run `python -m datatools ARGV` in `cwd`; text in UTF-8, at most 120 s."""
    return subprocess.run([sys.executable, "-m", "datatools", *argv], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
