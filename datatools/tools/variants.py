"""Do two values name two variants of one product (issue 30: product lists at defaults)?

`Crew T-Shirt - Red / S` and `Crew T-Shirt - Red / M` share every word but the size and score
above CERTAIN_SCORE; `--keep` removed one size of every shirt of a shop's list (a trial user's
1,860 SKUs kept 150). Two values whose words differ in a size on each side (S, M, L, XL, …) or in
a short standalone number on each side (`36`/`38`, `Size 9`/`Size 10`), and in at most one
other word, are two variants: such a pair is never certain, it stays possible for a person to
review. Numbers inside a word (`128GB`/`256GB`, model numbers) are left to the score and to
identifiers.code_relation. Colours are not judged here: in the lists
tried (`Red / M`, `Blue / M`) the differing word already vetoed the pair, and a colour name is
too often a word of a name (`Brown`, `Weiß`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# Clothing sizes as shops write them, lower case (`2XL` is `2` and `xl`: a number and a size).
SIZES = frozenset({"xxxs", "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl"})
# A number that names a variant stands alone and is short (`36`, `12 oz`, `Size 9`): longer
# ones and numbers inside a word are codes and catalogue numbers, that two shops write their
# own ways (Abt-Buy: `P502025` against `P502 025`), and house numbers mistyped (`374`/`3074`).
VARIANT_DIGITS = 3
# Two values are variants only when, beside the variant words, each holds at most this many
# words the other lacks (`12 oz`/`2 lb`: a unit). Two shops' descriptions of one product differ
# in many words and in the figures they quote (Abt-Buy: `40 cu ft … washer` against `front load
# washing machine with 7 washing programs`): 50 of its 1,081 true pairs without this bound.
OTHER_WORDS = 1
_WORD = re.compile(r"[^\W_]+")


def _variant(word: str) -> bool:
    """Is a word a size, or a short number standing alone (VARIANT_DIGITS)?"""
    return word in SIZES or (word.isdigit() and len(word) <= VARIANT_DIGITS)


def variant_of(left: str, right: str, numbers: bool = True) -> bool:
    """Do two values of one column name two variants of one thing (module docstring)? True when
    each holds a variant word the other lacks — a size (`Red / S` against `Red / M`) or, when
    `numbers`, a short standalone number (`36`/`38`, `12 oz`/`2 lb`; `025` is `25`) — and at
    most OTHER_WORDS other words of its own. One side only (`Red / S` against `Red`) is no
    evidence; equal values are no variants."""
    if left == right or not left or not right:
        return False
    one, other = (_words(value, numbers) for value in (left, right))
    mine, theirs = one - other, other - one
    own = [{w for w in words if not _variant(w)} for words in (mine, theirs)]
    return (all(len(words) <= OTHER_WORDS for words in own)
            and bool(mine - own[0]) and bool(theirs - own[1]))


def _words(value: str, numbers: bool) -> set:
    """A value's words, lower case, a standalone number as its value (`025` is `25`); without
    `numbers`, numbers are left out (the model weighs them)."""
    words = set()
    for word in _WORD.findall(value.lower()):
        if word.isdigit():
            if not numbers:
                continue
            word = str(int(word)) if len(word) <= VARIANT_DIGITS else word
        words.add(word)
    return words


def variants_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                    numbers_weighed: bool = False) -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): does a compared column
    that is no identifier (an e-mail, a customer number: PreparedColumns.identifier) and not
    numbers only (a postcode or phone: certainty.same_number decides those) hold two variants
    (variant_of)? A bool array. Skipped, like the house-number rule, where an identifier agrees
    exactly: a record keyed twice with another number in it is one record. When
    `numbers_weighed`, numbers are left out in a column whose rows mostly hold words and
    numbers (a street: PreparedColumns.numbers), where another rule weighs them: a learned
    model (a duplicate with a mistyped house number, `374`/`347`, cost 1.6 points of certain
    recall on the customer lists of bench/linkage_sets.py), or on a small table of two columns
    or more the house-number rule (certainty._differs: digits equal or not), which reads
    `Hauptstr. 3 2` as 32 where this rule saw `3` and `2` against `32` (DECISIONS 302)."""
    import numpy as np

    from datatools.tools.certainty import _digits

    result = np.zeros(len(x), dtype=bool)
    if len(x) == 0:
        return result
    for column, text in enumerate(prepared.text):
        if prepared.identifier[column]:
            continue
        left, right = text[x], text[y]
        for k in np.flatnonzero(left != right).tolist():
            one, other = str(left[k]), str(right[k])
            if (_digits(one) is None and _digits(other) is None
                    and variant_of(one, other, not numbers_weighed or prepared.numbers[column] is None)):
                result[k] = True
    for column, identifier in enumerate(prepared.identifier):
        if identifier:
            text = prepared.text[column]
            result &= ~((text[x] == text[y]) & (text[x] != ""))
    return result
