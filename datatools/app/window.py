"""The native window: pywebview (Qt backend) showing the local server's UI, with file dialogs.

Closing the window returns from `open_window`; the caller then stops the server.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from datatools.app.server import RunningServer

FILE_TYPES = ("Tables (*.csv;*.tsv;*.txt;*.xlsx;*.xlsm;*.xls;*.ods)", "All files (*.*)")


class WindowDialogs:
    """The server's `Dialogs`, answered by the window's native open/save dialogs."""

    def __init__(self) -> None:
        self.window: Any = None

    def open_files(self, multiple: bool) -> list[str]:
        import webview

        chosen = self.window.create_file_dialog(webview.FileDialog.OPEN, allow_multiple=multiple,
                                                file_types=FILE_TYPES)
        return [str(path) for path in chosen or ()]

    def save_file(self, suggested: str) -> str | None:
        import webview

        chosen = self.window.create_file_dialog(webview.FileDialog.SAVE, save_filename=suggested)
        if isinstance(chosen, (list, tuple)):
            chosen = chosen[0] if chosen else None
        return str(chosen) if chosen else None


def prepare_qt_environment() -> None:
    # QtWebEngine refuses to start as root unless its sandbox is off (CI and containers run as root).
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def open_window(running: RunningServer, dialogs: WindowDialogs,
                on_loaded: Callable[[Any], None] | None = None) -> None:
    """Show the UI in a window and block until it is closed.

    `on_loaded(window)` runs on a helper thread once the page has loaded (the smoke test uses
    it to read the page and close the window).
    """
    prepare_qt_environment()
    import webview

    window = webview.create_window("DataTools", running.launch_url(), width=1200, height=820,
                                   min_size=(720, 560))
    dialogs.window = window
    if on_loaded is not None:
        window.events.loaded += lambda *args: on_loaded(window)
    webview.start(gui="qt", private_mode=True)
