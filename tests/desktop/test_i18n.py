"""The catalogs: four complete languages, the same placeholders, every key used and none missing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from datatools import i18n
from datatools import license as codec
from datatools.app.saving import NOTE_CODES
from datatools.app.tiers import TIER_TOOLS
from datatools.registry import TOOLS
from datatools.tools.compare import NOTICE_CODES as COMPARE_NOTICES
from datatools.tools.profile import SUSPICIOUS_KINDS
from datatools.tools.profile_report import CATALOG_KEYS as REPORT_KEYS

REPO = Path(__file__).resolve().parents[2]
UI = REPO / "datatools" / "ui"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A catalog key as it appears in the UI sources: a quoted dotted name.
KEY_LITERAL = re.compile(r"""["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
# Python raising an error code the UI may translate: code="…" (also an error class's
# `code = "…"`), "code": "…", HTTPError(status, "…").
ERROR_CODE = re.compile(r"""code\s*=\s*f?["'](\w+)|["']code["']:\s*["'](\w+)|HTTPError\(\d+,\s*["'](\w+)["']""")


def notice_codes() -> set[str]:
    """The codes of every Notice the tools make: `Notice(text, "code", …)`."""
    codes = set()
    for path in (REPO / "datatools").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called(node) == "Notice" and len(node.args) > 1 \
                    and isinstance(node.args[1], ast.Constant):
                codes.add(node.args[1].value)
    return codes


def _called(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def catalog_keys(language: str) -> set[str]:
    return set(i18n.load_catalog(language))


def ui_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(UI.rglob("*.*")) if p.suffix in (".js", ".html"))


def error_codes() -> set[str]:
    codes = set()
    for path in (REPO / "datatools").rglob("*.py"):
        for match in ERROR_CODE.finditer(path.read_text(encoding="utf-8")):
            codes.add(next(group for group in match.groups() if group))
    for error in (codec.LicenseError, *codec.LicenseError.__subclasses__()):
        codes.add(error.code)
    codes |= {"cancelled", "output_exists", "bad_input", "internal", "server_gone"}
    # `bad_{name}` codes from numeric options:
    codes |= {"bad_threshold", "bad_top"}
    return codes


def registry_keys() -> set[str]:
    """The catalog keys the UI gets from the tool registry through /api/state."""
    keys = set()
    for tool in TOOLS.values():
        keys |= set(tool.inputs)
        for option in tool.to_json()["options"]:
            keys |= {option["label"], *(key for _, key in option.get("choices", []))}
            keys |= {option["empty"]} if option.get("empty") else set()
    return keys


def keys_used_by_ui() -> set[str]:
    sources = ui_sources()
    used = {m.group(1) for m in KEY_LITERAL.finditer(sources)} | registry_keys()
    used |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="([^"]+)"', sources))
    # Keys the UI builds from a code (t(`tool.${id}.title`), `error.${code}`, …):
    used |= {f"tool.{tool}.{part}" for tool in TOOLS for part in ("title", "summary", "help")}
    used |= {f"tier.{tier}" for tier in (*TIER_TOOLS, "trial")}
    used |= {f"license.error.{code}" for code in error_codes()}
    used |= {f"error.{code}" for code in error_codes()}
    used |= {f"save.note.{code}" for code in NOTE_CODES}
    used |= {f"notice.{code}" for code in notice_codes()}
    used |= set(REPORT_KEYS)        # the profile's HTML report (datatools/tools/profile_report.py)
    used |= {f"suspicious.{kind}" for kind in SUSPICIOUS_KINDS}   # the profile's findings, both views
    # `notice.<code>` of the Notices the tools give (datatools/notices.py): the code is a literal.
    python = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "datatools").rglob("*.py"))
    used |= {f"notice.{code}" for code in re.findall(r'"(\w+)"', python)}
    used |= {f"notice.{code}" for code in COMPARE_NOTICES}   # noticeText(): `notice.${code}`
    # reasons.js: t(`reason.why_${WHY[…]}`), one key per value of its WHY table.
    reasons = (REPO / "datatools" / "ui" / "reasons.js").read_text(encoding="utf-8")
    table = re.search(r"const WHY = \{(.*?)\};", reasons, re.S)
    used |= {f"reason.why_{kind}" for kind in re.findall(r':\s*"(\w+)"', table.group(1))}
    return used


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_catalog_has_exactly_the_english_keys(language):
    english, other = catalog_keys("en"), catalog_keys(language)
    assert sorted(english - other) == [], f"{language} is missing keys"
    assert sorted(other - english) == [], f"{language} has keys English does not"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_catalog_uses_the_same_placeholders_and_no_empty_text(language):
    english, other = i18n.load_catalog("en"), i18n.load_catalog(language)
    for key, text in other.items():
        assert text.strip(), f"{language}:{key} is empty"
        assert i18n.placeholders(text) == i18n.placeholders(english[key]), f"{language}:{key}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_plural_has_the_branches_its_language_needs(language):
    """`{n, plural, one {…} other {…}}`: `one` and `other` always, and only the language's own
    categories (or exact `=N`). A language may need no plural where English has one (Treffer)."""
    allowed = i18n.PLURAL_CATEGORIES[language]
    for key, text in i18n.load_catalog(language).items():
        for argument, branches in i18n.plurals(text):
            assert {"one", "other"} <= set(branches), f"{language}:{key} {argument}"
            odd = {s for s in branches if s not in allowed and not re.fullmatch(r"=\d+", s)}
            assert odd == set(), f"{language}:{key} has branches its language does not use"


def test_every_notice_a_tool_makes_has_catalog_text():
    catalog = {key for key in catalog_keys("en") if key.startswith("notice.")}
    assert sorted(code for code in notice_codes() if f"notice.{code}" not in catalog) == []
    # Codes picked from a table (clean's held rules) are literals too: no catalog text is dead.
    python = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "datatools").rglob("*.py"))
    literals = set(re.findall(r'"(\w+)"', python))
    assert sorted(key for key in catalog if key.removeprefix("notice.") not in literals) == []


# Where the window's errors are raised; the CLI's own (commands/) never reach it. compare's
# errors are worded by the compare work of issue 19.
ERROR_SOURCES = [p for p in (REPO / "datatools").rglob("*.py")
                 if "commands" not in p.parts and p.name not in ("cli.py", "launch.py", "compare.py")]


def test_every_error_the_window_can_show_has_a_code_with_catalog_text():
    """An error without a code (or with a code the catalog lacks) reaches a German screen in
    English, often naming a command-line flag (`--on`, `--from`)."""
    english = catalog_keys("en")
    uncoded, untranslated = [], []
    for path in ERROR_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and _called(node) in ("BadInput", "BadOption")):
                continue
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if code is None:
                uncoded.append(where)
            elif isinstance(code, ast.Constant) and f"error.{code.value}" not in english:
                untranslated.append(f"{where} {code.value}")
    assert (uncoded, untranslated) == ([], [])


def test_every_key_the_ui_uses_exists():
    sources = ui_sources()
    static = {m.group(1) for m in KEY_LITERAL.finditer(sources)}
    static |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="([^"]+)"', sources))
    # Ignore dotted literals that are not keys (module file names and the like).
    static = {key for key in static if not key.endswith((".js", ".css", ".html", ".json"))}
    static |= registry_keys()
    for tool in TOOLS:
        static |= {f"tool.{tool}.title", f"tool.{tool}.summary", f"tool.{tool}.help"}
    assert sorted(static - catalog_keys("en")) == []


def test_every_catalog_key_is_used():
    unused = catalog_keys("en") - keys_used_by_ui()
    assert sorted(unused) == []


def test_language_comes_from_the_os_with_english_as_fallback():
    assert i18n.best_language("de") == "de"
    assert i18n.best_language("pt") == "en"
    assert i18n.best_language("") == "en"
    from datatools.app.settings import os_language

    assert os_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert os_language({"LC_ALL": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}) == "es"
