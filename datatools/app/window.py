"""The native window: pywebview (Qt backend) showing the local server's UI, with file dialogs.

Closing the window returns from `open_window`; the caller then stops the server.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable

from datatools.app.server import RunningServer
from datatools.app.static import UI_DIR

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
    webview.start(gui="qt", private_mode=True, icon=str(UI_DIR / "icon.png"))


def read_start_screen(window: Any, timeout: float = 30.0) -> dict[str, Any]:
    """What the loaded start screen shows: `{"title": str, "tools": int}`, or `{"error": str}`.

    Waits up to `timeout` seconds for the UI to mark itself ready (`body[data-ready]`).
    """
    deadline = time.monotonic() + timeout
    while not window.evaluate_js("document.body.dataset.ready || ''"):
        if time.monotonic() > deadline:
            return {"error": f"the start screen did not finish loading within {timeout:g} s"}
        time.sleep(0.05)
    return {"title": window.evaluate_js("document.getElementById('home-title').textContent"),
            "tools": window.evaluate_js("document.querySelectorAll('.tool').length")}


def check_window(running: RunningServer, dialogs: WindowDialogs, timeout: float = 30.0,
                 on_ready: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Open the window, read the start screen, close the window; returns what was seen.

    The answer is `read_start_screen`'s, or `{"error": ...}` when no page loaded within
    `timeout` seconds (the window is closed then too). `on_ready(seen)` runs as soon as the
    screen was read, before the window closes (the start-up benchmark times that moment).
    """
    seen: dict[str, Any] = {}

    def read_and_close(window: Any) -> None:
        try:
            seen.update(read_start_screen(window, timeout))
            if on_ready is not None:
                on_ready(seen)
        finally:
            window.destroy()

    def give_up() -> None:
        if not seen:
            seen["error"] = f"the window showed no page within {timeout:g} s"
            if dialogs.window is not None:
                dialogs.window.destroy()

    watchdog = threading.Timer(timeout + 5, give_up)
    watchdog.daemon = True
    watchdog.start()
    try:
        open_window(running, dialogs, on_loaded=read_and_close)
    finally:
        watchdog.cancel()
    return seen
