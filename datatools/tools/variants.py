"""Do two values name two variants of one product (issue 30: product lists at defaults)?

`Crew T-Shirt - Red / S` and `Crew T-Shirt - Red / M` share every word but the size and score
above CERTAIN_SCORE; `--keep` removed one size of every shirt of a shop's list (a trial user's
1,860 SKUs kept 150). Two values whose words differ in a size on each side (S, M, L, XL, …) or in
a short standalone number on each side (`36`/`38`, `Size 9`/`Size 10`), and in at most one
other word, are two variants: such a pair is never certain, it stays possible for a person to
review. So are two values that each quote an amount of one unit the other lacks (`128GB`/
`256GB`, `500ml`/`1,5l`), a model number with up to two letters added (`KM-1000X`/`KM-1000`)
and two model numbers of one series, as many digits, numbered apart (`E-2430`/`E-2431`,
`GS116`/`GS-108`: DECISIONS 478),
whatever the other columns say, unless an identifier of the item (an EAN, a SKU; not a model
column, which a model's sizes share) agrees exactly (DECISIONS 314, 315). Other numbers inside a
word (model numbers) are left to the score and to identifiers.code_relation. Colours are not
judged here: in the lists
tried (`Red / M`, `Blue / M`) the differing word already vetoed the pair, and a colour name is
too often a word of a name (`Brown`, `Weiß`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns
    from datatools.tools.words import ColumnWords

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
# ... not counting a word of this many letters or more one keying error from a word of the
# other value's (a typo: `Jcket`/`Jacket`); shorter words are sizes, units and codes.
TYPO_LETTERS = 4
_WORD = re.compile(r"[^\W_]+")
# Units of a capacity, volume, weight, power or screen size, as normalised text spells them
# (`1,5l` is `15l`: the decimal comma goes), each with its factor to the family's smallest unit:
# `256GB`/`128GB`, `512 GB`, `1TB`, `500ml`/`1,5l` name variants of one product (DECISIONS 314).
UNITS = {"kb": ("b", 1), "mb": ("b", 10 ** 3), "gb": ("b", 10 ** 6), "tb": ("b", 10 ** 9),
         "ml": ("l", 1), "cl": ("l", 10), "l": ("l", 1000), "ltr": ("l", 1000),
         "mg": ("g", 1), "g": ("g", 10 ** 3), "kg": ("g", 10 ** 6),
         "w": ("w", 1), "kw": ("w", 1000), "mah": ("mah", 1), "v": ("v", 1),
         "zoll": ("in", 1), "inch": ("in", 1), "mm": ("m", 1), "cm": ("m", 10), "oz": ("oz", 1)}
_QUANTITY = re.compile(r"(\d+)([a-z]+)")
# A model number of a series: its letters (PREFIX_LETTERS at most), then three digits or more.
_SERIES = re.compile(r"([a-z]{1,3})(\d{3,})")
# A model's variant adds at most this many letters to the model number (`KM-1000X`/`KM-1000`,
# `DVPFX820LI`/`DVPFX820`: identifiers.py), the number part holding a digit.
SUFFIX_LETTERS = 2
# A model number's letters before its hyphen (`CP-212X`, `SM-G991B`): at most this many.
PREFIX_LETTERS = 3
# Identifier columns named for a model (a word starting with one of these) are shared by the
# model's sizes and colours, so agreeing on one does not make two variants one item; an EAN,
# GTIN, SKU or article number does (DECISIONS 315).
MODEL_COLUMN_WORDS = ("model", "modell", "typ", "type", "serie", "series", "style")


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
    if quantities_differ(left, right) or suffixed(left, right) or (numbers and series_apart(left, right)):
        return True
    one, other = (_words(value, numbers) for value in (left, right))
    mine, theirs = one - other, other - one
    own = [{w for w in words if not _variant(w)} for words in (mine, theirs)]
    # A word keyed with one error is the other side's word (`Premim`/`Premium`): a listing
    # keyed again with typos is still a variant of the other sizes (issue 30: `Premim
    # Sweatpants - Brgundy / XXL` certain with `... / XL` chained the sizes into one group).
    mistyped = {word for word in own[0] if _one_keying_error(word, own[1])}
    mistyped_theirs = {word for word in own[1] if _one_keying_error(word, own[0])}
    return (len(own[0] - mistyped) <= OTHER_WORDS and len(own[1] - mistyped_theirs) <= OTHER_WORDS
            and bool(mine - own[0]) and bool(theirs - own[1]))


def own_word(left: str, right: str, words: "ColumnWords | None" = None) -> bool:
    """Does either of two product values of one list hold a word the other lacks, not one
    keying error from a word of the other's (`Premium Merino Crew Sweater - White / M` against
    `Merino Crew Sweater - White / M`)? A product's title names it word by word (a line, a
    model, a colour); a listing keyed again holds the same words, mistyped, reordered or in
    another case, a model number with its hyphen dropped (`KX-2040`/`KX2040`: _code_runs) or
    an amount with its space (`128 GB`/`128GB`). Two lists write one product their own ways
    (`Black, Size L`/`Black / L`): this is for one list's rows only. With the column's `words`,
    two words one keying error apart that each are a word of the list (held by
    vetoes.ESTABLISHED_ROWS rows or more: `Shirt`/`Skirt`) are two words (DECISIONS 430)."""
    one, other = _code_runs(left), _code_runs(right)
    return bool(_unaccounted(one, other, words) or _unaccounted(other, one, words))


def left_over(words: list, others: list) -> list:
    """The words of `words` that `others` holds neither as a word, as two of its neighbouring
    words joined (`128gb` for `128 gb`), nor joined with a neighbour into one of its words."""
    held = set(others)
    joined = {a + b for a, b in zip(others, others[1:])}
    covered = set()
    for a, b in zip(words, words[1:]):
        if a + b in held:
            covered.update((a, b))
    return [word for word in words if word not in held and word not in joined
            and word not in covered]


def _unaccounted(words: list, others: list, column: "ColumnWords | None" = None) -> set:
    """The left_over words of `words` not one keying error from a word of `others` (with the
    column's words: unless both are words of the list, own_word)."""
    held = set(others)
    return {word for word in left_over(words, others)
            if not _one_keying_error(word, held, column)}


def _one_keying_error(word: str, others: set, column: "ColumnWords | None" = None) -> bool:
    """Is a word of TYPO_LETTERS letters or more one keying error (Damerau's insertion,
    deletion, substitution or transposition) from one of `others`? With the column's words,
    not from a word that, like `word`, ESTABLISHED_ROWS rows or more hold."""
    from rapidfuzz.distance import OSA

    from datatools.tools.vetoes import ESTABLISHED_ROWS

    return len(word) >= TYPO_LETTERS and any(
        len(other) >= TYPO_LETTERS and OSA.distance(word, other) <= 1
        and (column is None or min(column.holding(word), column.holding(other)) < ESTABLISHED_ROWS)
        for other in others)


def quantities_differ(left: str, right: str) -> bool:
    """Does each of two normalised values quote an amount of one unit family (UNITS: `128 gb`,
    `256gb`, `1tb`, `500ml`) that the other lacks? `256 GB` and `256GB` agree; an amount on one
    side only (`128GB` against a title without one) is no evidence."""
    one, other = _quantities(left), _quantities(right)
    return any(one[family] - other[family] and other[family] - one[family]
               for family in one.keys() & other.keys())


def _quantities(value: str) -> dict:
    """A value's amounts per unit family (UNITS): `{"b": {128000000}}` for `128 gb` or `128gb`."""
    found: dict = {}
    words = _WORD.findall(value.lower())
    for k, word in enumerate(words):
        number, unit = word, words[k + 1] if k + 1 < len(words) else ""
        if not word.isdigit():
            joined = _QUANTITY.fullmatch(word)
            if joined is None:
                continue
            number, unit = joined.groups()
        if unit in UNITS:
            family, factor = UNITS[unit]
            found.setdefault(family, set()).add(int(number) * factor)
    return found


def suffixed(left: str, right: str) -> bool:
    """Is one value the other with SUFFIX_LETTERS letters or fewer added to a model number
    (`kaffeemaschine km 1000x` against `km 1000`, `px667ex`/`px667e`)? The words the two do not
    share, joined in order, must be one the other's start, that start holding a digit and a
    letter or more than VARIANT_DIGITS digits (`1000`; a house number `12a` against `12` is
    no model)."""
    one, other = _code_runs(left), _code_runs(right)
    one_set, other_set = set(one), set(other)
    mine = "".join(word for word in one if word not in other_set)
    theirs = "".join(word for word in other if word not in one_set)
    short, long = sorted((mine, theirs), key=len)
    return (0 < len(long) - len(short) <= SUFFIX_LETTERS and long.startswith(short)
            and long[len(short):].isalpha() and any(c.isdigit() for c in short)
            and (any(c.isalpha() for c in short) or len(short) > VARIANT_DIGITS))


def series_apart(left: str, right: str) -> bool:
    """Does each of two values hold a model number the other lacks, of one series and as many
    digits, the digits differing (`E-2430`/`E-2431`, `GS116`/`GS-108`: _code_runs reads the
    hyphen away)? Models are numbered in series; the next number is the next product, not a
    typo (DECISIONS 397, 478)."""
    one, other = _code_runs(left), _code_runs(right)
    mine = {m.groups() for run in set(one) - set(other) if (m := _SERIES.fullmatch(run))}
    theirs = {m.groups() for run in set(other) - set(one) if (m := _SERIES.fullmatch(run))}
    return any(letters == series and len(digits) == len(number) and digits != number
               for letters, digits in mine for series, number in theirs)


def _code_runs(value: str) -> list:
    """A value's words, lower case, a word of PREFIX_LETTERS letters or fewer joined to a
    following word that starts with a digit (`cp 212x` → `cp212x`: normalised text splits
    `CP-212X` at the hyphen)."""
    words, runs = _WORD.findall(value.lower()), []
    for word in words:
        if (runs and word[0].isdigit() and len(runs[-1]) <= PREFIX_LETTERS
                and runs[-1].isalpha()):
            runs[-1] += word
        else:
            runs.append(word)
    return runs


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
    `Hauptstr. 3 2` as 32 where this rule saw `3` and `2` against `32` (DECISIONS 302). In a
    column named for products or colours, or holding colours (colours.holds_colours), two
    colours are variants (`Grau`/`Grün`, not `Blau`/`Blue`), and in one named for article
    codes (`SKU`) any two different values (colours.py, DECISIONS 319, 320, 362)."""
    import numpy as np

    from datatools.tools.certainty import _digits
    from datatools.tools.colours import (colours_differ, holds_colours, names_codes, names_colour,
                                         names_product)

    result = np.zeros(len(x), dtype=bool)
    if len(x) == 0:
        return result
    for column, text in enumerate(prepared.text):
        if prepared.exact_only and prepared.exact_only[column]:
            continue
        identifier = prepared.identifier[column]
        product, codes = (named(prepared.names[column]) for named in (names_product, names_codes))
        product = product or names_colour(prepared.names[column]) or (
            not (codes or identifier) and holds_colours(text))
        ranks = prepared.ranks[column]
        todo = np.flatnonzero(ranks[x] != ranks[y])     # rows of one rank hold one text
        if not (codes or product):
            # The rules below need a number or a size on both sides: the other pairs are not
            # looked at one by one (a million-row customer list's certain pairs, DECISIONS 330);
            # nor, in a column that is no identifier, a pair holding a number (a postcode, a
            # phone: certainty.same_number decides those).
            todo = todo[_may_vary(text, ranks, x[todo], y[todo], not identifier)]
        for k, one, other in zip(todo.tolist(), text[x[todo]].tolist(), text[y[todo]].tolist()):
            one, other = str(one), str(other)
            if one == other:
                continue
            if (codes and one and other) or (product and colours_differ(one, other)):
                result[k] = True
            elif identifier:
                result[k] |= suffixed(one, other)
            elif (_digits(one) is None and _digits(other) is None
                    and variant_of(one, other, not numbers_weighed or prepared.numbers[column] is None)):
                result[k] = True
    for column, identifier in enumerate(prepared.identifier):
        if identifier and not _names_model(prepared.names[column]):
            result &= ~prepared.text[column].equal_filled(x, y)
    return result


def _may_vary(text, ranks: "np.ndarray", x: "np.ndarray", y: "np.ndarray",
              words_only: bool = False) -> "np.ndarray":
    """Per pair (x[k], y[k]): do both rows' values hold a digit or a size word (SIZES)? Only
    such values can be variants (variant_of: a size or a number on each side, amounts, a model
    number with letters added; suffixed). With `words_only`, also: is neither value a number
    (certainty._digits), which variant_of never reads? Looked at once per distinct value among
    the rows."""
    import numpy as np

    from datatools.tools.certainty import _digits

    both = np.concatenate([x, y])
    _, first, inverse = np.unique(ranks[both], return_index=True, return_inverse=True)
    flags = np.fromiter(((any(map(str.isdigit, value))
                          or any(word in SIZES for word in _WORD.findall(value.lower())))
                         and not (words_only and _digits(value) is not None)
                         for value in map(str, text[both[first]].tolist())),
                        dtype=bool, count=len(first))[inverse.reshape(-1)]
    return flags[:len(x)] & flags[len(x):]


def _names_model(name: str) -> bool:
    """Is a column named for a model (MODEL_COLUMN_WORDS), which its variants share?"""
    from datatools.tools.similarity import name_says

    return name_says(name, MODEL_COLUMN_WORDS)
