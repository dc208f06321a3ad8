"""A pack of several against a single item: two articles, however alike their titles read.

`Duracell AA Alkaline Battery` against `… Pack of 10` scored 90 and was a certain match on a
small table (DECISIONS 576): one shop sells one, the other ten. A value names a pack when it
says so in words (`twin pack`, `multipack`, `10 pack`, `10-pk`, `pack of 10`, `set of 10`,
`box of 12`, `case of 24`) or by a count written with `x` at an edge of the title (`… x10`,
`… x 10`, `… 10x`, `10 x …`, `2x AA …`). Not packs: dimensions (`2 x 4 m`, a number on both
sides of the `x`), `x64`/`x86`/`x32` (processors), a magnification or speed (`10x zoom`,
`10x optical`, `52x speed`), an `x` word inside a title (`Fujifilm X10 Digital Camera`, a
model), and an `x` word the other title holds too (`Xperia X10` against `X10 Xperia`). A `pack`
alone is no count (`Back Pack`, `Battery Pack`). Read on normalised text (normalize.py: lower
case, `10-Pack` is `10 pack`), in descriptive columns only (identifiers.code_columns less
addresses): a street's `Twin Oaks` names no pack.

Two values differ as packs (packs_differ) when one names a pack and the other none, or both
name counts and no count agrees (`pack of 10` against `12 pk`; `10 pack` is `pack of 10`,
`twin pack` is `2 pack`).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# A pack in words, with its count where it says one (group `n` or `m`); `twin` is two.
_PACK_WORDS = re.compile(r"\b(?:(?P<twin>twin|twinpack)|multipack|multi pack|"
                         r"(?P<n>\d+) ?(?:pack|pk|pck)s?|"
                         r"(?:pack|pk|set|box|case) of (?P<m>\d+))\b")
# A count written with `x`: the word and its number (`x10`, `10x`), or `x` and a number as two
# words (`x 10`, `10 x`).
_X_GLUED = re.compile(r"^(?:x(\d+)|(\d+)x)$")
# `x` words that are no count: processors.
_NOT_COUNTS = frozenset({"x32", "x64", "x86"})
# Words after a `10x` that make it a magnification or a speed, not ten of a thing.
_NOT_AFTER = frozenset({"zoom", "optical", "digital", "magnification", "magnifying",
                        "magnifier", "speed", "faster", "lens"})


@functools.lru_cache(maxsize=65536)
def pack_counts(value: str) -> "tuple[frozenset, frozenset, bool] | None":
    """What a normalised value says of packs: None when it names none, else its counts (a
    frozenset of ints, empty for `multipack`), the glued `x` words a count was read from
    (`x10`, `10x`) and whether words say pack (`pack of 10`). Rules in the module docstring."""
    counts: set = set()
    worded = False
    for hit in _PACK_WORDS.finditer(value):
        worded = True
        number = hit.group("n") or hit.group("m")
        if number:
            counts.add(int(number))
        elif hit.group("twin"):
            counts.add(2)
    found = _x_counts(value.split())
    if not worded and not found:
        return None
    counts.update(count for _, count in found)
    return frozenset(counts), frozenset(word for word, _ in found if word != "x"), \
        worded or any(word == "x" for word, _ in found)


def _x_counts(words: list[str]) -> "list[tuple[str, int]]":
    """The counts written with `x` at an edge of a value's words, each with the word it was
    read from (the glued `x10`, or `x` for two words)."""
    found = []
    if not words:
        return found
    last, first = words[-1], words[0]
    before = words[-2] if len(words) > 1 else ""
    glued = _X_GLUED.match(last)
    # At the end: `… x10`, `… 10x`, `… x 10`, `… 10 x`; not a dimension (`2 x 4`).
    if glued and last not in _NOT_COUNTS and not before.isdigit() and before != "x":
        found.append((last, int(glued.group(1) or glued.group(2))))
    elif last.isdigit() and before == "x" and not (len(words) > 2 and words[-3].isdigit()):
        found.append(("x", int(last)))
    elif last == "x" and before.isdigit() and not (len(words) > 2 and words[-3] == "x"):
        found.append(("x", int(before)))
    # At the start: `10x pilot …`, `10 x pilot …`; not `10x zoom`, not `2 x 4 m`.
    glued = _X_GLUED.match(first)
    if len(words) > 1 and glued and glued.group(2) and words[1] not in _NOT_AFTER \
            and not words[1].isdigit():
        found.append((first, int(glued.group(2))))
    elif len(words) > 2 and first.isdigit() and words[1] == "x" and not words[2].isdigit() \
            and words[2] not in _NOT_AFTER:
        found.append(("x", int(first)))
    return found


def packs_differ(left: str, right: str) -> bool:
    """Do two normalised values differ as packs (module docstring)? One names a pack and the
    other none, or both name counts and none agrees. A glued `x` word the other value holds
    too, anywhere, is no count of one side only (`Xperia X10` against `X10 Xperia`: a model)."""
    one, other = pack_counts(left), pack_counts(right)
    if one is None and other is None:
        return False
    if one is not None and other is not None:
        return bool(one[0] and other[0] and not one[0] & other[0])
    counts, glued, worded = one if one is not None else other
    return worded or not glued <= set((right if one is not None else left).split())


def pack_columns(prepared: "PreparedColumns") -> list[int]:
    """The columns read for packs: descriptive ones (identifiers.code_columns), not addresses."""
    from datatools.tools.identifiers import code_columns

    addresses = prepared.addresses or [False] * len(prepared.names)
    return [column for column in code_columns(prepared) if not addresses[column]]


def pairs_packs_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k], row numbers): do the two rows differ as packs (packs_differ) in a
    column read for packs (pack_columns)? A bool array."""
    import numpy as np

    result = np.zeros(len(x), dtype=bool)
    if not len(x):
        return result
    for column in pack_columns(prepared):
        text = prepared.text[column]
        left, right = text[x], text[y]
        for k in np.flatnonzero((left != right) & (left != "") & (right != "")).tolist():
            result[k] |= packs_differ(str(left[k]), str(right[k]))
    return result
