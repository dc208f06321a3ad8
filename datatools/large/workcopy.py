"""The working copy: the input read once into Parquet in the user's cache folder, gone when the job ends.

`working_copy(...)` is a context manager: it checks the free space, makes a private job folder
under `cache_folder()` (never beside the input), streams the input into `table.parquet` there
(datatools/large/reading.py) and removes the folder when the block ends — after success, an
error, Ctrl-C or Cancel — unless `keep` is set. DuckDB spills into the same folder, so one
removal clears both. A folder left by a killed process is removed by the next job
(`sweep_stale`): each folder names the process that made it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from datatools.errors import BadInput
from datatools.large.engine import human_size
from datatools.large.reading import CopyInfo, copy_table
from datatools.progress import Progress, silent

# Parquet (snappy) of text tables takes a fraction of the CSV; the check asks for the input's
# whole size plus room for DuckDB to spill, so a short disk is told before anything is written.
SPACE_FACTOR = 1.5
SPACE_MARGIN = 64 << 20
PID_FILE = "owner.pid"


def cache_folder(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """Where working copies live: `<user cache>/datatools/work`.

    Linux and BSD: $XDG_CACHE_HOME or ~/.cache; macOS: ~/Library/Caches; Windows:
    %LOCALAPPDATA%. The XDG Base Directory Specification is the source for the first.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    home = Path(environ.get("HOME") or Path.home())
    if platform.startswith("win"):
        base = Path(environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "datatools" / "work"


@dataclass
class WorkingCopy:
    """A job's working copy: `parquet` holds the table as c0, c1, … (names in `info.names`)."""

    folder: Path
    parquet: Path
    source: Path
    info: CopyInfo

    @property
    def names(self) -> list[str]:
        return self.info.names

    @property
    def rows(self) -> int:
        return self.info.rows

    @property
    def warnings(self) -> list:
        return self.info.warnings

    def disk_bytes(self) -> int:
        """Bytes the working copy takes on disk now (the Parquet file and any spill files)."""
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())

    def spill_folder(self) -> Path:
        path = self.folder / "spill"
        path.mkdir(exist_ok=True)
        return path


def check_space(folder: Path, needed: int) -> None:
    """BadInput `disk_short` when `folder`'s disk has less than `needed` bytes free."""
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise BadInput(f"Not enough free disk space for the working copy: it needs about "
                       f"{human_size(needed)} in {folder}, and {human_size(free)} is free. "
                       "Free some space there and run again; the input was not changed.",
                       code="disk_short", params={"folder": str(folder), "needed": human_size(needed),
                                                  "free": human_size(free)})


def sweep_stale(root: Path) -> None:
    """Remove job folders whose process is gone (a crash, a kill -9, a power cut)."""
    if not root.is_dir():
        return
    for folder in root.glob("job-*"):
        try:
            pid = int((folder / PID_FILE).read_text().strip())
        except (OSError, ValueError):
            pid = 0
        if pid and _alive(pid):        # this process too: the window runs several jobs
            continue
        if not pid and _young(folder):  # another job is making it and has not named itself yet
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _young(folder: Path, seconds: float = 3600) -> bool:
    try:
        return time.time() - folder.stat().st_mtime < seconds
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True      # someone else's process: alive, not ours to judge
    return True


@contextlib.contextmanager
def working_copy(source: str | os.PathLike[str], *, encoding: str | None = None,
                 delimiter: str | None = None, header: bool | str = True,
                 sheet: str | int | None = None, progress: Progress | None = None,
                 root: Path | None = None, keep: bool = False,
                 header_row: int | None = None) -> Iterator[WorkingCopy]:
    """Make the working copy of `source`, yield it, and remove it when the block ends (with
    `keep`, only when it ends by an error or Cancel: the window's review pages from it).

    Raises BadInput `disk_short` before writing when the cache folder's disk is short, and
    `disk_full` when it fills up meanwhile (the copy is removed, the input never touched);
    otherwise what `read_table` raises for the same file.
    """
    progress = progress or silent()
    source = Path(source)
    root = cache_folder() if root is None else root
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BadInput(f"Cannot make the working folder {root}: {exc.strerror}.", code="cannot_write") from None
    sweep_stale(root)
    try:
        size = source.stat().st_size
    except OSError:
        size = 0        # copy_table says why the file cannot be read
    check_space(root, int(size * SPACE_FACTOR) + SPACE_MARGIN)
    folder = Path(tempfile.mkdtemp(prefix="job-", dir=root))      # mode 0700: the user's data
    finished = False
    try:
        (folder / PID_FILE).write_text(str(os.getpid()))
        parquet = folder / "table.parquet"
        try:
            info = copy_table(source, parquet, encoding=encoding, delimiter=delimiter, header=header,
                              sheet=sheet, progress=progress, header_row=header_row)
        except OSError as exc:
            if out_of_space(exc):
                raise disk_full(root) from None
            raise
        yield WorkingCopy(folder, parquet, source, info)
        finished = True
    finally:
        if not (keep and finished):       # a failed or cancelled job keeps nothing
            shutil.rmtree(folder, ignore_errors=True)


def out_of_space(exc: OSError) -> bool:
    """Is `exc` a full disk or quota (ENOSPC, EDQUOT; Arrow's writers may say it in words only)?"""
    return exc.errno in (errno.ENOSPC, errno.EDQUOT) or "no space left" in str(exc).lower()


def disk_full(root: Path) -> BadInput:
    """The error for a disk that filled up while the working copy was being written."""
    return BadInput(f"The disk holding the working copy ({root}) is full; the working copy was "
                    "removed and the input was not changed. Free some space there and run again.",
                    code="disk_full", params={"folder": str(root)})
