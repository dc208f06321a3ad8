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


def _digits(value: str) -> str:
    """A value's digits, in order, without what stands between them."""
    return "".join(c for c in value if c.isdigit())


def _numbers(value: str) -> list[str]:
    """A street's words that hold a digit (`q7 12` → [`q7`, `12`])."""
    return [word for word in value.split() if any(c.isdigit() for c in word)]


def same_house(left: str, right: str) -> bool:
    """Do two normalised street values (words and numbers) hold one house number (module
    docstring)? Their words that hold digits are compared one by one: one may differ, by two
    neighbouring characters swapped or by a letter typed for a digit or before one. Linear in the
    values' length."""
    if _digits(left) == _digits(right):
        return True
    one, other = _numbers(left), _numbers(right)
    if len(one) != len(other):
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
