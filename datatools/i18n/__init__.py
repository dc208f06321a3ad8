"""The UI's translations: one flat JSON catalog per language (`en.json`, `de.json`, …).

Keys are dotted names (`home.title`); values may hold `{placeholders}` that the UI fills in.
English is the reference: every catalog has exactly its keys and the same placeholders.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent
LANGUAGES = ["en", "de", "es", "fr"]
FALLBACK = "en"


@lru_cache(maxsize=None)
def load_catalog(language: str) -> dict[str, str]:
    """The catalog for `language` (one of LANGUAGES); raises KeyError for any other."""
    if language not in LANGUAGES:
        raise KeyError(language)
    return json.loads((CATALOG_DIR / f"{language}.json").read_text(encoding="utf-8"))


def best_language(os_language: str) -> str:
    """The catalog closest to the OS language (two-letter code); English otherwise."""
    code = (os_language or "")[:2].lower()
    return code if code in LANGUAGES else FALLBACK
