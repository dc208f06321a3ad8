"""Run by test_desktop_window.py in its own process: open the Qt window, read the page, close it.

Prints one JSON line: what the page showed and whether the server stopped with the window.
"""

import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from datatools.app.server import start_server
from datatools.app.settings import AppSettings
from datatools.app.window import WindowDialogs, open_window

seen: dict = {}


def read_page_and_close(window) -> None:
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not window.evaluate_js("document.body.dataset.ready || ''"):
            time.sleep(0.1)
        seen["title"] = window.evaluate_js("document.getElementById('home-title').textContent")
        seen["tools"] = window.evaluate_js("document.querySelectorAll('.tool').length")
    finally:
        window.destroy()


running = start_server(AppSettings(home=Path(sys.argv[1])), dialogs=(dialogs := WindowDialogs()))
try:
    open_window(running, dialogs, on_loaded=read_page_and_close)
finally:
    running.stop()
try:
    urllib.request.urlopen(running.base_url + "/", timeout=2)
    seen["server_after_close"] = "answering"
except (urllib.error.URLError, ConnectionError):
    seen["server_after_close"] = "stopped"
print(json.dumps(seen))
