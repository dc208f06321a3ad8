"""The UI's translations: one flat JSON catalog per language (`en.json`, `de.json`, …).

Keys are dotted names (`home.title`); values may hold `{placeholders}` that the UI fills in.
English is the reference: every catalog has exactly its keys and the same placeholders.

A number that changes the words is written as a plural, a small subset of ICU MessageFormat:
`{count, plural, one {# row} other {# rows}}`. The UI (`t` in ui/i18n.js) picks the branch
with the browser's `Intl.PluralRules` for the UI's language — `=N` branches match the number
exactly first, a category the text leaves out falls back to `other` — and writes `#` as the
number in that language's digits. Every plural has an `other` and a `one` branch and only the
categories its language has (`PLURAL_CATEGORIES`, from CLDR; tests/desktop/test_i18n.py checks).
Placeholders inside the branches are ordinary `{name}`s.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent
LANGUAGES = ["en", "de", "es", "fr"]
FALLBACK = "en"
# CLDR's plural categories of each language for whole numbers (what Intl.PluralRules answers).
PLURAL_CATEGORIES = {"en": {"one", "other"}, "de": {"one", "other"},
                     "es": {"one", "many", "other"}, "fr": {"one", "many", "other"}}
_PLURAL = re.compile(r"\{(\w+), plural,")
_SELECTOR = re.compile(r"\s*(=\d+|\w+)\s*\{")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


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


def _closing(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index
    raise ValueError(f"unclosed brace in {text!r}")


def _split(text: str) -> tuple[str, list[tuple[str, dict[str, str]]]]:
    """`text` without its plurals, and the plurals: `[(argument, {selector: branch}), …]`."""
    rest, found, pos = [], [], 0
    while (match := _PLURAL.search(text, pos)) is not None:
        end = _closing(text, match.start())
        body, branches, at = text[match.end():end], {}, 0
        while (selector := _SELECTOR.match(body, at)) is not None:
            close = _closing(body, selector.end() - 1)
            branches[selector.group(1)] = body[selector.end():close]
            at = close + 1
        rest.append(text[pos:match.start()])
        found.append((match.group(1), branches))
        pos = end + 1
    return "".join(rest) + text[pos:], found


def plurals(text: str) -> list[tuple[str, dict[str, str]]]:
    """The plurals in a catalog text: `[(argument, {selector: branch text}), …]`.

    ValueError for a brace that never closes. Mirrors `plurals` in ui/i18n.js.
    """
    return _split(text)[1]


def placeholders(text: str) -> set[str]:
    """Every name a catalog text fills in: `{name}`s, plural arguments and their branches'."""
    rest, found = _split(text)
    names = set(_PLACEHOLDER.findall(rest))
    for argument, branches in found:
        names.add(argument)
        for branch in branches.values():
            names |= placeholders(branch)
    return names


def plural_category(language: str, count: float) -> str:
    """CLDR's category of a whole `count` in `language` (what Intl.PluralRules answers):
    `one` for 1 (French: 0 and 1), Spanish and French `many` for millions, else `other`."""
    n = abs(count)
    if n == 1 or (language == "fr" and n == 0):
        return "one"
    if language in ("es", "fr") and n and n % 1_000_000 == 0:
        return "many"
    return "other"


def fill(text: str, params: dict, language: str, number=str) -> str:
    """`text` with its plurals chosen and its `{placeholders}` filled, as `t()` in ui/i18n.js
    does, for pages made on the server (the profile's HTML report). `number(n)` writes the `#`
    of a plural; placeholders are filled with `str(value)` in one pass, so a value holding "{x}"
    is not filled in again."""
    out, pos = [], 0
    while (match := _PLURAL.search(text, pos)) is not None:
        end = _closing(text, match.start())
        branches = _split(text[match.start():end + 1])[1][0][1]
        try:
            count = int(str(params.get(match.group(1), 0)).replace(",", ""))
        except ValueError:
            count = 0
        chosen = (branches.get(f"={count}") or branches.get(plural_category(language, count))
                  or branches.get("other", ""))
        out.append(text[pos:match.start()] + chosen.replace("#", number(count)))
        pos = end + 1
    rest = "".join(out) + text[pos:]
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), rest)
