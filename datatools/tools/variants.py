"""Do two values name two variants of one product (issue 30: product lists at defaults)?

`Crew T-Shirt - Red / S` and `Crew T-Shirt - Red / M` share every word but the size and score
above CERTAIN_SCORE; `--keep` removed one size of every shirt of a shop's list (a trial user's
1,860 SKUs kept 150). Two values whose words differ in a size on each side (S, M, L, XL, …) or in
a number on each side (`36`/`38`, `128GB`/`256GB`) are two variants: such a pair is never
certain, it stays possible for a person to review. Colours are not judged here: in the lists
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
_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"(?<![^\W_])\d{1,%d}(?![^\W_])" % VARIANT_DIGITS)


def variant_of(left: str, right: str, numbers: bool = True) -> bool:
    """Do two values of one column differ in a variant on each side (module docstring)? A size
    word on each side that the other lacks (`Red / S` against `Red / M`), or (when `numbers`)
    a short standalone number on each side that the other lacks (`36`/`38`, `12 oz`/`2 lb`;
    `025` is `25`). One side only (`Red / S` against `Red`) is no evidence; equal values are
    no variants."""
    if left == right or not left or not right:
        return False
    left, right = left.lower(), right.lower()
    one, other = set(_WORD.findall(left)) & SIZES, set(_WORD.findall(right)) & SIZES
    if one - other and other - one:
        return True
    if not numbers:
        return False
    one, other = {int(n) for n in _NUMBER.findall(left)}, {int(n) for n in _NUMBER.findall(right)}
    return bool(one - other) and bool(other - one)


def variants_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                    learned: bool = False) -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): does a compared column
    that is no identifier (an e-mail, a customer number: PreparedColumns.identifier) and not
    numbers only (a postcode or phone: certainty.same_number decides those) hold two variants
    (variant_of)? A bool array. Skipped, like the house-number rule, where an identifier agrees
    exactly: a record keyed twice with another number in it is one record. With a `learned`
    model numbers are left to it in a column whose rows mostly hold words and numbers (a
    street: PreparedColumns.numbers), where it weighs numbers that differ itself: a duplicate
    with a mistyped house number (`374`/`347`) cost 1.6 points of certain recall on the
    customer lists of bench/linkage_sets.py."""
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
                    and variant_of(one, other, not learned or prepared.numbers[column] is None)):
                result[k] = True
    for column, identifier in enumerate(prepared.identifier):
        if identifier:
            text = prepared.text[column]
            result &= ~((text[x] == text[y]) & (text[x] != ""))
    return result
