"""Docs and config files cite only what the repository holds: every relative link, every path
into the tree (`licensed/…`, `bin/…`, `docs/…`) and every `NAME.md` they name must exist, and
none names the design notes or reference notes that live outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = ("datatools", "licensed", "dtadmin", "bin", "systemd", "docs", "tests", "bench",
       "packaging", "sql")
CITING = sorted([*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"), *(ROOT / "systemd").rglob("*"),
                 *(ROOT / "packaging").rglob("*.md")])
CITING = [path for path in CITING if path.is_file()]
LINK = re.compile(r"\]\(([^)\s]+)\)")
TREE_PATH = re.compile(rf"(?<![\w/.~-])((?:{'|'.join(TOP)})/[^\s`'\"()\[\],;:|]*)")
DOC_NAME = re.compile(r"(?<![\w/.-])([A-Z][A-Za-z-]*\.md)\b")
# Placeholders, globs and elisions: a pattern, not a file.
PATTERN = re.compile(r"[<>*…{}]|\bNAME\b|\bKID\b|\bNNN")
# Where the wheel installs the top-level sql/ (setup.py): a place in an installed package only.
WHEEL_ONLY = ("licensed/sql",)
OUTSIDE = re.compile(r"DESIGN\.md|\bshared/|reference/[\w-]+\.md|reference notes?\b")


def cited(path: Path) -> list[tuple[int, str, Path]]:
    """(line number, what is cited, where it must be) for each path `path` cites."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for target in LINK.findall(line):
            if re.match(r"[a-z]+:|#", target):
                continue
            found.append((number, target, (path.parent / target.split("#")[0]).resolve()))
        for match in TREE_PATH.finditer(line):
            token = match.group(1).split("#")[0].rstrip(".")
            if PATTERN.search(token) or token.startswith(WHEEL_ONLY):
                continue
            found.append((number, token, ROOT / token))
        for name in DOC_NAME.findall(line):
            places = [path.parent / name, ROOT / name, ROOT / "docs" / name]
            found.append((number, name, next((p for p in places if p.exists()), places[0])))
    return found


@pytest.mark.parametrize("path", CITING, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_path_is_in_the_repository(path):
    missing = [f"{path.relative_to(ROOT)}:{n}: {what}" for n, what, where in cited(path)
               if not where.exists()]
    assert missing == []


@pytest.mark.parametrize("path", CITING, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_cites_notes_outside_the_repository(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    outside = [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
               for n, line in enumerate(lines, 1) if OUTSIDE.search(line)]
    assert outside == []


def test_the_check_finds_a_missing_file_and_a_note_outside(tmp_path):
    doc = tmp_path / "X.md"
    doc.write_text("See [the guide](GUIDE-NOPE.md), `licensed/nope.py` and `licensed/keys.py`.\n"
                   "As DESIGN.md says; `docs/img/desktop-*.png` is a pattern.\n")
    assert [(what, where.exists()) for _, what, where in cited(doc)] == [
        ("GUIDE-NOPE.md", False), ("licensed/nope.py", False), ("licensed/keys.py", True),
        ("GUIDE-NOPE.md", False), ("DESIGN.md", False)]
    assert OUTSIDE.search(doc.read_text())
