"""Run by test_desktop_window.py in its own process: open the Qt window, read the page, close it.

Prints one JSON line: what the page showed and whether the server stopped with the window.
"""

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

from datatools.app.server import start_server
from datatools.app.settings import AppSettings
from datatools.app.window import WindowDialogs, check_window

running = start_server(AppSettings(home=Path(sys.argv[1])), dialogs=(dialogs := WindowDialogs()))
try:
    seen = check_window(running, dialogs)
finally:
    running.stop()
try:
    urllib.request.urlopen(running.base_url + "/", timeout=2)
    seen["server_after_close"] = "answering"
except (urllib.error.URLError, ConnectionError):
    seen["server_after_close"] = "stopped"
print(json.dumps(seen))
