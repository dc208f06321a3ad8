"""When do two given names read as two people's names rather than one name mistyped?

certainty.certain_pairs asks this of a given-name column on a table without a model
(_other_given_name): names more than one keying error apart (Damerau's OSA distance, `oe` read
as `ö`: _keying_errors), names the list holds both of, two names in common use, or one name's
male and female forms (`Paul`/`Paula`, `Simone`/`Simona`: gendered_pair) are two people, unless
they read as one name typed into the other's column (_crossed), or as one person's surnames, the
second left out of one, beside one given name in full (second_surname_left_out). households.py,
party_names.py, middle_names.py and match_certainty.py read given names by the same rules.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# A given name (a column whose name says so) scoring below this is checked for being another
# name (_other_given_name): one letter apart in a short name is as often a household's other
# member as a typo.
GIVEN_NAME_FROM = 88
# ... a given name of this many letters or more may hold two keying errors (`Mpimilian`), a
# shorter one one (Damerau 1964: four in five misspellings are one such error);
LONG_GIVEN_NAME = 8
# ... and so is a given name this many rows of the list hold, beside another such name; one no
# list of names in common use holds (given_names.txt) counts from vetoes.ESTABLISHED_ROWS rows,
# as the vetoes count a word: in 20,000 rows one keying error recurs (`Tmothy`, `Jaosn` held by
# two rows each beside 129 `Timothy` and 139 `Jason`, DECISIONS 452).
ESTABLISHED_GIVEN = 2


def _established_from(name: str, known: "frozenset[str]") -> int:
    """The rows a folded given name must hold to count as a name of its own (ESTABLISHED_GIVEN,
    or vetoes.ESTABLISHED_ROWS for a name not in `known`, the names in common use)."""
    from datatools.tools.vetoes import ESTABLISHED_ROWS

    return ESTABLISHED_GIVEN if name in known else ESTABLISHED_ROWS


def _other_given_name(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                      unswapped: "np.ndarray", swaps: "dict[int, tuple[int, int]]",
                      column: int) -> "np.ndarray":
    """Per pair: do the given names in `column` (scores `unswapped`, crossed where `swaps` says)
    read as two names rather than one name and a typo? Below GIVEN_NAME_FROM they do when
    they are more than one keying error apart (two for LONG_GIVEN_NAME letters) (Damerau's one
    insertion, deletion, substitution or transposition: `Liona`/`Felina`, `Marlou`/`Malú`;
    `oe` read as `ö`: _keying_errors) or when each is held by ESTABLISHED_GIVEN rows or more
    (`Mira` and `Mina`, both names of this list; a name no list of names in common use holds
    by vetoes.ESTABLISHED_ROWS: _established_from), or both are names in common use
    (given_names.two_known_names: `Mira`/`Mika`) and no person's own number agrees, unless the names read as one typed into each
    other's columns (_crossed), or the two values are one person's surnames, the second left
    out of one (second_surname_left_out), while the pair's given names (a surname column's
    values, households._names_surname; crossed, the other reading) are one name in full, every
    word a given name in common use (_known_in_full)."""
    import numpy as np

    from datatools.tools.cjk_names import han_names_differ
    from datatools.tools.given_names import known_given_names, two_known_names
    from datatools.tools.households import _initial_of, _names_surname, own_number_agrees
    from datatools.tools.similarity import MISSING
    from datatools.tools.swaps import partner_column

    given = unswapped[:, column]
    result = np.zeros(len(x), dtype=bool)
    surnames = [c for c, name in enumerate(prepared.names) if _names_surname(name)]
    held = np.bincount(prepared.ranks[column])
    known = known_given_names()
    looked = np.flatnonzero((given < 100) & (given != MISSING))   # their cells, taken at once
    cells_x, cells_y = ([[str(value) for value in text[rows[looked]].tolist()]
                         for text in prepared.text] for rows in (x, y))
    for n, k in enumerate(looked.tolist()):
        other = partner_column(swaps, k, column)
        left, right = cells_x[column][n], cells_y[other][n]
        # `Guenter` is `Günter` written without umlauts: one name, however many rows hold each.
        if left == right or _transliterated(left, right):
            continue
        # Given names in Chinese characters: another character is another name (`修`/`陽子`,
        # `真由美`/`由美`), one character long or not (cjk_names).
        han = han_names_differ(left, right)
        if han is not None:
            result[k] = han
            continue
        # An initial (`J`/`Joanne`) is no other name: the pair stays grouped, possible
        # (households.initial_only, DECISIONS 383), not kept apart (trial I).
        if _initial_of(left, right):
            continue
        allowed = 1 + (max(len(left), len(right)) >= LONG_GIVEN_NAME)
        established = (other == column
                       and held[prepared.ranks[column][x[k]]] >= _established_from(left, known)
                       and held[prepared.ranks[column][y[k]]] >= _established_from(right, known))
        # From GIVEN_NAME_FROM up a name a letter or two apart is still another name when both
        # are names of this list (`Christian`/`Christina`, `Lara`/`Laura`) or one is the
        # other's female or male form (`Paul`/`Paula`, `Stefan`/`Stefanie`).
        gendered = gendered_pair(left, right)
        two = (established or gendered) if given[k] >= GIVEN_NAME_FROM else \
            (_keying_errors(left, right) > allowed or established or gendered)
        # Two names in common use a letter apart (`Mira`/`Mika`, `Jan`/`Jon`) are two names as
        # well, unless a person's own number vouches (given_names.py, DECISIONS 385).
        if not two and two_known_names(left, right):
            two = not own_number_agrees(prepared, int(x[k]), int(y[k]))
        # A male and a female form (`Fernanda`/`Fernando Fernandes`) read as crossed columns
        # only when the crossing is exact: two letters' leeway reads such a couple's given
        # name and surname as each other's typos (DECISIONS 404).
        result[k] = two and not (other == column and _crossed(
            [row[n] for row in cells_x], [row[n] for row in cells_y], column,
            0 if gendered else allowed))
        # The column holds this pair's surnames, the second left out of one (`lopez`/`lopez
        # martin`): one person when the given names, in the surname column or read crossed, are
        # one name in full (DECISIONS 538, 539); a parent and a child differ there.
        if result[k] and second_surname_left_out(left, right, known):
            names = (cells_x[other][n], cells_y[column][n]) if other != column else next(
                ((cells_x[s][n], cells_y[s][n]) for s in surnames if cells_x[s][n]), ("", ""))
            result[k] = not _known_in_full(*names, known)
    return result


def second_surname_left_out(left: str, right: str, known: "frozenset[str]") -> bool:
    """Are two folded values one person's surnames, the second left out of one (`lopez`/`lopez
    martin`, `fernandez rodriguez`/`fernandez`): the shorter's words are the longer's first
    words, and none of them is a given name in common use (`known`, given_names.known_given_names:
    `maria`/`maria pilar` is a given name with a second one left out, which may be a mother's
    and a daughter's)? A Spanish or Latin-American list writes a person's two surnames (the
    father's first, then the mother's) and drops the second all the time."""
    short, long = sorted((left.split(), right.split()), key=len)
    return (0 < len(short) < len(long) and long[:len(short)] == short
            and all(len(word) >= 2 and word not in known for word in short))


def _known_in_full(left: str, right: str, known: "frozenset[str]") -> bool:
    """Are two folded given names one name in full, every word of it a given name in common use
    (`known`): `maria isabel`/`maria isabel`, not `lopez`/`lopez`?"""
    return left == right and bool(left) and all(len(word) >= 2 and word in known
                                                for word in left.split())


# How a given name's male and female forms differ (shapes read off the registry-office and US
# Social Security given-name lists in bench/data/names, which give each name's sex: DECISIONS
# 288; a pair of one sex the shapes join, `Marie`/`Mari`, is two names as well). One
# form is a stem of three letters or more plus the male ending, the other the same stem plus
# the female ending: an ending added (`Paul`/`Paula`, `Simon`/`Simone`, `Daniel`/`Danielle`,
# `Stefan`/`Stefanie`, `Andrea`/`Andreas`, `Karl`/`Karola`) or one ending for another
# (`Mario`/`Maria`, `Francis`/`Frances`, `Jesse`/`Jessie`, `Alexander`/`Alexandra`,
# `Julius`/`Julia`, `Christian`/`Christina`, `Frédéric`/`Frédérique`). A keying error at a
# name's end (`Jonas`/`Jonsa`) is none of these shapes. Dutch forms: `Cornelis`/`Cornelia`
# (`is`/`ia`), and a male form's doubled vowel before its last consonant is single in the
# female form (`Adriaan`/`Adriana`). A swapped pair's two stems may also
# differ by one keying error (`Francisca`/`Fiancisco`, `Fernanda`/`Fernnado`): a typo in a
# sister's or brother's name (DECISIONS 405).
_ADDED_ENDINGS = ("a", "e", "ie", "le", "la", "ne", "na", "ine", "ina", "ia", "ette", "ola", "s")
_SWAPPED_ENDINGS = (("o", "a"), ("is", "es"), ("e", "ie"), ("er", "ra"), ("us", "a"),
                    ("os", "a"), ("ian", "ina"), ("ien", "ine"), ("ic", "ique"))
# Endings that part a male and a female form in Italian, Spanish and Portuguese (`Simone`/
# `Simona`, `Giovanni`/`Giovanna`, `Luca`/`Lucia`, `Stefano`/`Stefania`, `Gabriele`/`Gabriella`)
# but also one name's two spellings (`Anna`/`Anne`, both a woman's): such a pair is two names
# only when the given-name lists give the two opposite sexes (datatools/data/given_sexes.csv,
# written by bench/given_sexes.py; DECISIONS 392). A name the lists lack reads as a typo.
# German and Frisian `-es` against `-a` or `-e` (`Johannes`/`Johanna`, `Hannes`/`Hanne`) and
# one final vowel for another (`Bruno`/`Bruni`, `Mario`/`Marie`, `René`/`Reni`; DECISIONS 391).
_SEXED_ENDINGS = (("e", "a"), ("i", "a"), ("a", "ia"), ("o", "ia"), ("e", "la"), ("es", "a"),
                  ("es", "e"), ("o", "i"), ("o", "e"), ("e", "i"))
_STEM = 3
# A swapped pair's stems one keying error apart are a sister's and brother's names from this
# many letters on (`francisc`/`fiancisc`); shorter ones are as often one name's typos.
_TYPED_STEM = 5
# The endings such a typed stem may carry: FEBRL's typos of one woman's name (`madellne`/
# `madelnie`) take `-e`/`-ie`.
_TYPED_ENDINGS = (("o", "a"), ("os", "a"), ("us", "a"))
# Dutch `-is`/`-ia` (`Cornelis`/`Cornelia`) from this long a stem: `s` and `a` are neighbouring
# keys, and FEBRL's typos of one woman's name (`Amelia`/`Amelis`, `Olivia`/`Olivis`) take them.
_DUTCH_ENDINGS = (("is", "ia"),)
_DUTCH_STEM = 6


def gendered_pair(left: str, right: str) -> bool:
    """Are two folded given names one name's male and female forms, names of two people
    rather than a typo? True when one is the other plus an _ADDED_ENDINGS ending, or both are
    one stem with the two endings of a _SWAPPED_ENDINGS pair, or of a _SEXED_ENDINGS pair the
    given-name lists give opposite sexes (`Simone`/`Simona`, not `Anna`/`Anne`); the stem keeps
    three letters. Dutch `-is`/`-ia` count from a stem of _DUTCH_STEM letters (`Cornelis`/
    `Cornelia`); a male form's doubled vowel before its last consonant is single in the female
    form ending `-a` (`Adriaan`/`Adriana`); a _TYPED_ENDINGS pair's stems of _TYPED_STEM letters
    may be one keying error apart (`Francisca`/`Fiancisco`) when the names are two or more."""
    # `-iie` is no female ending but an `i` typed twice (`Mariie`/`Marie`, `émiliie`/`Émilie`:
    # trial D, DECISIONS 467): the `-e`/`-ie` pair (`Eugène`/`Eugénie`) reads its stem `mari`.
    if left.endswith("iie") or right.endswith("iie"):
        return False
    if _gendered_shape(left, right) or _swapped(left, right, _DUTCH_ENDINGS, stem=_DUTCH_STEM):
        return True
    # The female form adds `-a` to the single vowel (`Isabeel`/`Isabelle` is one name's typos).
    for male, female in ((left, right), (right, left)):
        single = _single_vowel(male)
        if single and single + "a" == female:
            return True
    # Two keying errors at least: one error alone is a typo (`Jacqueline`/`Jacquelnie`).
    return _swapped(left, right, _TYPED_ENDINGS, typed=True) and _keying_errors(left, right) > 1


def _single_vowel(name: str) -> str:
    """`name` with a doubled vowel before its last consonant made single (`adriaan` →
    `adrian`), when _STEM letters or more stand before it; else ""."""
    if len(name) >= _STEM + 3 and name[-3] == name[-2] and name[-2] in "aeiou" \
            and name[-1] not in "aeiou":
        return name[:-2] + name[-1]
    return ""


def _gendered_shape(left: str, right: str) -> bool:
    """gendered_pair's exact shapes: an added ending, a swapped one, or a sexed one."""
    short, long = sorted((left, right), key=len)
    if len(short) >= _STEM and long.startswith(short) and long[len(short):] in _ADDED_ENDINGS:
        return True
    if _swapped(left, right, _SWAPPED_ENDINGS):
        return True
    if not _swapped(left, right, _SEXED_ENDINGS):
        return False
    sexes = _given_sexes()
    one, other = sexes.get(left, ""), sexes.get(right, "")
    return ("m" in one and "f" in other) or ("f" in one and "m" in other)


def _swapped(left: str, right: str, endings: "tuple[tuple[str, str], ...]",
             typed: bool = False, stem: int = _STEM) -> bool:
    """Are `left` and `right` one stem of `stem` letters or more with the two endings of one
    of `endings`' pairs? With `typed`, stems of _TYPED_STEM letters one keying error apart
    (_keying_errors) count as one stem."""
    for one, other in endings:
        for a, b in ((left, right), (right, left)):
            if a.endswith(one) and b.endswith(other) and len(a) - len(one) >= stem:
                stem_a, stem_b = a[:len(a) - len(one)], b[:len(b) - len(other)]
                if stem_a == stem_b if not typed else (
                        min(len(stem_a), len(stem_b)) >= _TYPED_STEM
                        and _keying_errors(stem_a, stem_b) == 1):
                    return True
    return False


@functools.cache
def _given_sexes() -> "dict[str, str]":
    """The folded given names of datatools/data/given_sexes.csv with their sexes (`m`, `f`,
    `mf`)."""
    import csv
    from importlib import resources

    with resources.files("datatools").joinpath("data/given_sexes.csv").open(encoding="utf-8") as f:
        return {row["name"]: row["sexes"] for row in csv.DictReader(f)}


def _keying_errors(left: str, right: str) -> int:
    """Damerau's keying errors (OSA distance) between two folded given names, `ae`, `oe`, `ue`
    read as the umlaut they transliterate (`Oemuer` is `Ömür`, folded `omur`)."""
    from rapidfuzz.distance import OSA

    return min(OSA.distance(left, right), OSA.distance(_umlauts(left), _umlauts(right)))


def _umlauts(name: str) -> str:
    return name.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def _transliterated(left: str, right: str) -> bool:
    """Is one folded given name the other with `ö`, `ü` written `oe`, `ue` (`guenter`/`gunter`,
    `joerg`/`jorg`)? Not `ae`: `Michael`/`Michal`, `Rafael`/`Rafal` are two names."""
    def plain(name: str) -> str:
        return name.replace("oe", "o").replace("ue", "u")

    return left != right and "ae" not in left + right and plain(left) == plain(right)


def _crossed(row_x: list[str], row_y: list[str], column: int, allowed: int) -> bool:
    """Does row x's given name and another of its compared values (`row_x`, column by column)
    read as row y's other value and given name, each within `allowed` keying errors (`Hofmann,
    Hermann`/`Hermann, Hofmann`, which swaps.unswap leaves straight at SIMILAR or more)?"""
    given_x, given_y = row_x[column], row_y[column]
    for other in range(len(row_x)):
        if other == column:
            continue
        other_x, other_y = row_x[other], row_y[other]
        if (given_x and given_y and other_x and other_y
                and _keying_errors(given_x, other_y) <= allowed
                and _keying_errors(other_x, given_y) <= allowed):
            return True
    return False
