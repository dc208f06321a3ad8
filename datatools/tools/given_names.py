"""Given names in common use: two of them a letter apart (`Mira`/`Mika`) are two people's names.

A one-letter typo in a given name is common, so certainty.py reads two given names one keying
error apart as one name mistyped. But `Mira`/`Mika`, `Jan`/`Jon` and `Lena`/`Lina` are real,
different names too, and twins or siblings at one address hold such pairs. When both spellings
are names in common use (given_names.txt: the registry-office statistics of three German cities
and the US Social Security's names, its head says which) and not one name's spellings (`Carl`/
`Karl`, `Hanna`/`Hannah`: same_sound), the pair reads as two names (DECISIONS 385).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

NAMES_FILE = Path(__file__).with_name("given_names.txt")
# Letters written two ways for one sound in given names (`Carl`/`Karl`, `Sophia`/`Sofia`,
# `Jenny`/`Jenni`); a doubled letter and an `h` after the first letter are one spelling too
# (`Mathias`/`Matias`, `Nicholas`/`Nicolas`, `Hanna`/`Hannah`; `Ann`/`Anne` are not: `e` is a
# letter of its own).
_SOUNDS = (("ph", "f"), ("ck", "k"), ("c", "k"), ("y", "i"))


@functools.lru_cache(maxsize=1)
def known_given_names() -> frozenset[str]:
    """The given names of NAMES_FILE, folded as cell text is (normalize.normalize_text)."""
    from datatools.tools.normalize import normalize_text

    lines = [line.strip() for line in NAMES_FILE.read_text(encoding="utf-8").splitlines()]
    return frozenset(normalize_text([line for line in lines if line and not line.startswith("#")])
                     .to_pylist())


def same_sound(left: str, right: str) -> bool:
    """Are two folded given names one name's spellings (_SOUNDS, a doubled letter, an `h`
    after the first letter: `carl`/`karl`, `hanna`/`hannah`, `philipp`/`philip`)?"""
    return _sound(left) == _sound(right)


def _sound(name: str) -> str:
    for written, said in _SOUNDS:
        name = name.replace(written, said)
    name = name[:1] + name[1:].replace("h", "")
    return re.sub(r"(.)\1+", r"\1", name)


def two_known_names(left: str, right: str) -> bool:
    """Are two folded given names, not equal, both names in common use (known_given_names) and
    not one name's spellings (same_sound)? Two neighbouring letters swapped (`anja`/`ajna`) is
    a keying error even when both spellings are listed: the lists hold rare names too, and a
    sibling's name is seldom the same letters in another order. `mira`/`mika`, `jan`/`jon`,
    `lena`/`lina`: yes; `jana`/`jnaa`, `anja`/`ajna`, `carl`/`karl`: no."""
    from datatools.tools.house_numbers import transposed

    if left == right or transposed(left, right):
        return False
    names = known_given_names()
    return left in names and right in names and not same_sound(left, right)

