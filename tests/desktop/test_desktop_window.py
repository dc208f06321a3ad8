"""The pywebview Qt window starts (offscreen, no display needed), shows the UI and closes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SMOKE = Path(__file__).with_name("window_smoke.py")


def test_qt_window_loads_the_ui_and_closing_it_stops_the_server(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_DISABLE_SANDBOX": "1",
           "LANG": "C.UTF-8"}
    env.pop("DISPLAY", None)
    done = subprocess.run([sys.executable, str(SMOKE), str(tmp_path)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["title"] == "What would you like to do?"
    assert seen["tools"] == 6
    assert seen["server_after_close"] == "stopped"
