"""Do the numbers in two streets name one house (issue 30: small lists, no model)?

Where no model is learned a street whose numbers differ is a clearly differing column
(certainty._differs, DECISIONS 242): `Schulstraße 19` and `Schulstraße 39` are two addresses,
and a household never lives at two. The numbers agree when their digits do (`Hauptstr. 3 2` is
32) and, since DECISIONS 302, when one is the other with one keying error that no house number
is made of: two neighbouring characters swapped (`Mühlenweg 137`/`173`, Damerau's transposition,
no neighbour's number), or a letter typed for or before a digit (`Talstr. h7`/`57`,
`Schulstraße 1y1`/`111`: a letter stands only after a house number's digits, `12a`). A digit
typed for another (`13`/`15`, next door) and one digit more or less (`113`/`13`) still
differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# Words before a flat's, a building's, a staircase's or a floor's number or letter, as
# normalize_text leaves them (lower case, no accents, no dots): de, fr, es, it, pl, tr, en.
UNIT_WORDS = frozenset(
    "app appt apt apartment apartament flat unit suite ste whg wohnung top tur stiege stg haus "
    "aufgang bat batiment bloc block blok bl esc escalera escala portal pta puerta piso planta "
    "int interno scala sc m lok lokal mieszkanie daire kat og eg ug dg etage et stock floor fl "
    "door room rm".split())
# A door's side: izquierda/derecha/centro, links/rechts/mitte, gauche/droite, sinistra/destra.
SIDE_WORDS = frozenset(
    "izq izqda izda izquierda dcha dch dcho der derecha centro ctro links rechts mitte li re "
    "gauche droite sx dx".split())
# Ordinal endings glued to a floor's number (`1º` → `1o`, `1st`, `1er`, `2e`, `2eme`; not `a`: `12a` is a house).
ORDINALS = frozenset("o st nd rd th er re e eme".split())
# The letters normalize_text writes for a compass direction (`North` → `n`, normalize.ABBREVIATIONS):
# one standing before a street's name (`1448 N Main St`, `1448 North Street` → `1448 n st`) is
# that direction, not a flat's letter, which follows the street (`Hauptstr. 12 a`).
COMPASS_LETTERS = frozenset("nsew")


def _digits(value: str) -> str:
    """A value's digits, in order, without what stands between them."""
    return "".join(c for c in value if c.isdigit())


def _numbers(value: str) -> list[str]:
    """A street's words that hold a digit (`q7 12` → [`q7`, `12`])."""
    return [word for word in value.split() if any(c.isdigit() for c in word)]


def address_marks(value: str, glued: bool = True) -> str:
    """The letters and words of a normalised street that name a flat or a house's part (module
    docstring), in order, space-separated: a letter or two glued after a number (`12a` → `a`;
    `2ob`, a floor's ordinal and its door, → `b`), a one-letter word not before a number (`D.5`,
    `M. 12` name a flat's number) or a door side, after a number or a unit word (`bat b` → `b`,
    `1o izq` → `izq`). Ordinal endings are no mark, nor a compass letter before the street's
    name (COMPASS_LETTERS: `1448 n st` is North Street).
    Without `glued`, only the separate words. Linear in the value's length."""
    marks: list[str] = []
    before = ""
    words = value.split()
    for at, word in enumerate(words):
        holds_digit = any(c.isdigit() for c in word)
        if holds_digit and glued:
            end = len(word)
            while end and word[end - 1].isalpha():
                end -= 1
            tail = word[end:]
            if end and tail and tail not in ORDINALS:
                tail = tail[1:] if len(tail) == 2 and tail[0] == "o" else tail
                if len(tail) <= 2:
                    marks.append(tail)
        elif not holds_digit and before and (any(c.isdigit() for c in before)
                                             or before in UNIT_WORDS):
            after = words[at + 1] if at + 1 < len(words) else ""
            if word in SIDE_WORDS or (len(word) == 1 and word.isalpha()
                                      and not any(c.isdigit() for c in after)
                                      and not (word in COMPASS_LETTERS and after)):
                marks.append(word)     # not `d 5` (`D.5`, a flat's number): a unit word
        before = word
    return " ".join(marks)


def address_number_key(value: str) -> str:
    """One string per home: a normalised street's digit runs and its flat marks
    (address_marks), equal for two values exactly when same_house needs no typo allowance."""
    digits = " ".join(_digit_runs(value))
    marks = address_marks(value)
    return f"{digits} | {marks}" if marks else digits


def same_house(left: str, right: str) -> bool:
    """Do two normalised street values (words and numbers) hold one home (module docstring)?
    The digits must agree and so must the marks naming a flat (address_marks). Where each value
    holds one number only, that number may differ by two neighbouring characters swapped or by a
    letter typed for a digit or before one. Linear in the values' length."""
    if _digits(left) == _digits(right):
        return address_marks(left).replace(" ", "") == address_marks(right).replace(" ", "")
    one, other = _numbers(left), _numbers(right)
    if len(one) != 1 or len(other) != 1 or address_marks(left, False) != address_marks(right, False):
        return False
    differing = [(a, b) for a, b in zip(one, other) if a != b]
    return len(differing) == 1 and (transposed(*differing[0]) or _letter_typed(*differing[0])
                                    or _letter_typed(*differing[0][::-1]))


def transposed(one: str, other: str) -> bool:
    """Is `other` `one` with two neighbouring, different characters swapped (`137`/`173`)?
    Two numbers so apart differ by a multiple of 9 (9 × the two digits' difference × a power of
    ten), so numbers given out in turn (`4817613`/`4817614`) never are."""
    if len(one) != len(other):
        return False
    at = [k for k in range(len(one)) if one[k] != other[k]]
    return (len(at) == 2 and at[1] == at[0] + 1 and one[at[0]] == other[at[1]]
            and one[at[1]] == other[at[0]])


def _letter_typed(typed: str, number: str) -> bool:
    """Is `typed` the house number `number` with one letter typed for one of its digits, or
    before one, where a digit follows the letter (`h7` for `57` or `7`, `1y1` for `111`)?"""
    at = next((k for k, (a, b) in enumerate(zip(typed, number)) if a != b), min(len(typed),
                                                                             len(number)))
    if at + 1 >= len(typed) or not typed[at].isalpha() or not typed[at + 1].isdigit():
        return False
    if len(typed) == len(number) + 1:                # inserted before a digit
        return typed[at + 1:] == number[at:]
    return (len(typed) == len(number) and number[at].isdigit()    # typed for a digit
            and typed[at + 1:] == number[at + 1:])


def flat_marks(distinct, only_digits):
    """`only_digits` (a string array: each distinct street value's digit runs) with the marks naming a flat (house_numbers.address_number_key: `12a`,
    `bat b`, `1o izq`) added where a value may hold one, so two flats of one building differ
    as two house numbers do (DECISIONS 355). Python runs only on those values."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    sides = "|".join(sorted(SIDE_WORDS))
    maybe = np.flatnonzero(np.asarray(pc.fill_null(pc.match_substring_regex(
        distinct, rf"\d\pL|(^| )(\pL|{sides})( |$)"), False), dtype=bool))
    if not len(maybe):
        return only_digits
    keys = only_digits.to_pylist()
    for k, value in zip(maybe.tolist(), distinct.take(pa.array(maybe)).to_pylist()):
        keys[k] = address_number_key(value)
    spaced_twins(distinct, maybe, keys)
    return pa.array(keys, pa.string())


def spaced_twins(distinct, maybe: "np.ndarray", keys: list) -> None:
    """Give the distinct values that differ from one another only by spaces (`9759LN`/`9759
    LN`, `12ab`/`12 ab`) one key in `keys` (in place): that of the value written with the most
    spaces, whose letters apart mark no flat. A value keyed twice is one home (trial C: 50 of
    a Dutch list's duplicates read as two flats by their postcodes, DECISIONS 440). `maybe`:
    the positions in `distinct` that may hold a mark (flat_marks); only their twins change."""
    import pyarrow as pa
    import pyarrow.compute as pc

    spaceless = pc.replace_substring(distinct, " ", "")
    wanted = set(spaceless.take(pa.array(maybe)).to_pylist())
    held = pc.fill_null(pc.is_in(spaceless, value_set=pa.array(sorted(wanted), pa.string())), False)
    groups: dict[str, list[int]] = {}
    at = pc.indices_nonzero(held)
    for k, key in zip(at.to_pylist(), spaceless.take(at).to_pylist()):
        groups.setdefault(key, []).append(k)
    for members in groups.values():
        if len(members) > 1:
            values = distinct.take(pa.array(members)).to_pylist()
            chosen = max(zip(values, members), key=lambda pair: (pair[0].count(" "), pair[0]))[1]
            for k in members:
                keys[k] = keys[chosen]


# A column whose name holds a word starting so (folded: similarity.column_name_words), or the
# word `cp`, `cap`, `plz`, `pc`, `cep`, `npa` (Swiss French and Italian) or `psc` (Czech and
# Slovak `PSČ`), holds postcodes, which name no building: `9759 LN`/`9759 LM` are two postcodes
# (or one mistyped), not two flats (de, en, fr, es, it, pt, nl, pl, sv, da, fi, hu; Ireland's
# Eircode, India's PIN code), nor phones (id_headers.names_no_phone).
POSTCODE_WORDS = ("postcode", "postal", "postleitzahl", "zip", "postnummer", "postnr",
                  "postinumero", "pocztow", "kodpocztowy", "eircode", "pincode", "iranyitoszam")
POSTCODE_EXACT = frozenset({"cp", "cap", "plz", "pc", "cep", "npa", "psc"})


def names_postcode(name: str) -> bool:
    """Does a column's name say it holds postcodes (POSTCODE_WORDS, POSTCODE_EXACT)?"""
    from datatools.tools.similarity import column_name_words, name_says

    return name_says(name, POSTCODE_WORDS) or bool(POSTCODE_EXACT.intersection(column_name_words(name)))


# A postcode written with a space, as the normalised text holds it: one or two words, each
# holding a digit (`sw1a 1aa`, `k1a 0b1`, `30 001`, `12345 6789`, `530 0001`), or a Dutch one,
# four digits and two letters (`1234 ab`). Not `10115 berlin`, a town beside the code.
SPACED_POSTCODE = r"^\pL*\d[\pL\d]* \pL*\d[\pL\d]*$|^\d{4} \pL{2}$"


def postcodes_unspaced(distinct):
    """The normalised values of a column named for postcodes (names_postcode), a string array,
    with the space taken out of each that reads as one postcode (SPACED_POSTCODE): `SW1A 1AA`,
    `sw1a 1aa` and `SW1A1AA` are one postcode however a shop keys it, as `1234 AB`/`1234AB`
    and `K1A 0B1`/`K1A0B1` are (DECISIONS 573). Without it the code's digits read as two
    numbers against one (`1 1`/`11`: the learned model's `Postcode differs`) and the Dutch
    `ab` as a legal form."""
    import pyarrow.compute as pc

    spaced = pc.fill_null(pc.match_substring_regex(distinct, SPACED_POSTCODE), False)
    return pc.if_else(spaced, pc.replace_substring(distinct, " ", ""), distinct)


def flats_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k], row numbers): two homes of one building (DECISIONS 355)? True where
    a street column's numbers and flat marks differ (linkage_model.numbers_differ) while the two
    values share a number (the building's: `5 … appt 21`/`5 … appt 12`, `10 23`/`10 32`,
    `3 1o izq`/`3 1o dcha`, `12a`/`12b`), each names a flat (_names_a_flat: `54` against
    `54 3o izq` names none, DECISIONS 496) and no identifier (an e-mail, a customer number)
    agrees exactly. Applied to a learned model's certain pairs: EM weighs a street that differs
    as one column among several, and a name shared by two flats' tenants outweighs it. A
    postcode column (names_postcode: `9759 LN`/`9759 LM`) names no building and is not read,
    nor a column not read as addresses (prepared.addresses: a title's `KX 2050` against
    `KX-2040 1.7 L` is two models, DECISIONS 511).
    A bool array, one per pair; Python runs only on pairs whose numbers differ."""
    import numpy as np

    from datatools.tools.linkage_model import numbers_differ

    if len(x) == 0:
        return np.zeros(0, dtype=bool)
    differ = numbers_differ(prepared, x, y)
    differ[:, [names_postcode(name) or not (prepared.addresses and prepared.addresses[column])
               for column, name in enumerate(prepared.names)]] = False
    result = np.zeros(len(x), dtype=bool)
    for k, column in zip(*np.nonzero(differ)):
        text = prepared.text[column]
        left, right = str(text[x[k]]), str(text[y[k]])
        result[k] |= (bool(set(_digit_runs(left)) & set(_digit_runs(right)))
                      and _names_a_flat(left) and _names_a_flat(right))
    for column, identifier in enumerate(prepared.identifier):
        if identifier and result.any():
            result &= ~prepared.text[column].equal_filled(x, y)
    return result


def _names_a_flat(value: str) -> bool:
    """Does a street value name a flat beyond its building's number: a second number (`5 appt
    21`, `10 23`) or a flat mark (address_marks: `12a`, `3 1o izq`)? A value without one names
    the building only, which any of its flats may write: `54` against `54, 3º izq.` is no
    second flat (trial F: 21 of a Spanish list's customers, one row written without the flat,
    were held possible or kept apart as two flats, DECISIONS 496)."""
    return len(_digit_runs(value)) > 1 or bool(address_marks(value))


def _digit_runs(value: str) -> list[str]:
    """A value's runs of digits (`10 23` → [`10`, `23`], `12a` → [`12`])."""
    return "".join(c if c.isdigit() else " " for c in value).split()
