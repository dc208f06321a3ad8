"""The desktop's preferences file (`~/.datatools/preferences.json`): read forgivingly, written whole."""

from __future__ import annotations

import json
from typing import Any

from datatools import i18n
from datatools.app.settings import AppSettings
from datatools.safe_write import write_file

PREFERENCES_FILE = "preferences.json"


def load_preferences(settings: AppSettings) -> dict[str, Any]:
    """The stored preferences; {} when the file is missing, unreadable or not a JSON object."""
    try:
        data = json.loads((settings.home / PREFERENCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def save_preferences(settings: AppSettings, changes: dict[str, Any]) -> dict[str, Any]:
    """Merge `changes` into the stored preferences and write them through the guarded writer."""
    prefs = {**load_preferences(settings), **changes}
    settings.home.mkdir(parents=True, exist_ok=True)
    write_file(settings.home / PREFERENCES_FILE, json.dumps(prefs) + "\n", force=True)
    return prefs


def ui_language(settings: AppSettings) -> str:
    """The language the user chose, else the best match for the system's language."""
    chosen = load_preferences(settings).get("language")
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.best_language(settings.os_language)


def memory_limit(settings: AppSettings) -> int | None:
    """The large-file engine's memory limit the user chose, in bytes (None: the engine's
    default, `datatools.large.engine.default_memory_limit`); a stored value that is not a
    whole number of at least 16 MB counts as none."""
    chosen = load_preferences(settings).get("memory_limit")
    if isinstance(chosen, int) and not isinstance(chosen, bool) and chosen >= 16 << 20:
        return chosen
    return None
