"""The daemon's one atomic writer for its own files (mail spool, signing/current): 0600, whole or not at all.

The daemon may import only the license codec from datatools/ (ARCHITECTURE.md, "Trust boundaries"), so it keeps this
small writer of its own instead of datatools' guarded writer (datatools/safe_write.py).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private_text(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8), mode 0600 from its creation; readers see old or new.

    A unique temporary file per write in the same folder, fsync, `os.replace`; OSError on failure,
    with the temporary file removed and the old file untouched.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
