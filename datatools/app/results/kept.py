"""What the large results share: a folder on disk kept while the result is open (its working
copy or Parquet table), removed by `close()`, and a save that writes CSV only."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from datatools.errors import BadOption
from datatools.progress import Progress, silent


class KeptFolder:
    """A mixin for a result (or a working copy) whose table stays in a folder until it is
    closed. The class has `lock` (held while a save reads the folder) and names the folder in
    `kept_folder()` (by default its `folder`; None: nothing kept)."""

    lock: threading.Lock

    def kept_folder(self) -> Path | None:
        return self.folder

    def close(self) -> None:
        """Remove the kept folder once a save under way has finished; the result cannot be
        saved after this (its save raises BadInput `working_copy_gone`)."""
        folder = self.kept_folder()
        if folder is not None:
            with self.lock:
                shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def csv_target(target: Path, progress: Progress | None) -> tuple[Path, Progress]:
        """A save's target with `~` expanded and its progress (None: silent). Raises BadOption
        `large_csv_only` for a workbook's name."""
        target = target.expanduser()
        check_csv(target)
        return target, progress or silent()


def check_csv(target: Path) -> None:
    """BadOption `large_csv_only` for a large result named as a workbook."""
    if target.suffix.lower() in (".xlsx", ".xls", ".xlsm", ".ods"):
        raise BadOption("A result this large is saved as CSV (a workbook holds at most "
                        "1,048,576 rows).", code="large_csv_only")
