"""Open a saved file in the user's spreadsheet program, or show it in its folder (the OS decides)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from datatools.errors import BadInput


def open_in_system(target: Path, *, folder: bool = False) -> None:
    """Hand `target` (a file) to the system: its default program, or its folder's file manager.

    Windows: `os.startfile` / Explorer with the file selected; macOS: `open` (`-R` reveals);
    elsewhere `xdg-open`. BadInput `no_opener` when the system has no such program.
    """
    if sys.platform == "win32":
        if folder:
            process = subprocess.Popen(["explorer", "/select,", str(target)])   # noqa: S603,S607
            threading.Thread(target=process.wait, name="opener", daemon=True).start()
        else:
            os.startfile(str(target))  # type: ignore[attr-defined]  # noqa: S606 - Windows only
        return
    command = ["open", "-R", str(target)] if sys.platform == "darwin" and folder else \
        ["open", str(target)] if sys.platform == "darwin" else \
        ["xdg-open", str(target.parent if folder else target)]
    program = shutil.which(command[0])
    if program is None:
        raise BadInput(f"This computer has no {command[0]} to open files with.", code="no_opener",
                       params={"program": command[0]})
    process = subprocess.Popen([program, *command[1:]], stdin=subprocess.DEVNULL,  # noqa: S603 - no shell
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    # Reaped on a thread: the answer does not wait for the program, and no zombie stays.
    threading.Thread(target=process.wait, name="opener", daemon=True).start()
