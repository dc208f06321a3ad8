"""Generational suffixes of a name: a father and his son of one name at one address.

`Robert Smith Jr.`, `Hans Müller jun.`, `Andreas sen. Schmidt` (the suffix in the given-name
column), `Lucas Cranach d. Ä.`: in any compared column named for names (a given name, a
surname, a whole name: name_columns), folded as normalize_text folds them. The suffixes name a generation: `Jr`, `Junior`, `jun.`,
`Jnr`, `d. J.` (der Jüngere) the younger; `Sr`, `Senior`, `sen.`, `Snr`, `d. Ä.` (der Ältere)
the elder; `II`, `III`, `IV` each its own. The short and Roman ones are names or words of their
own at a value's start (`Jun Kim`, `IV drip`), so they count only after a value's first word.

Two rows whose suffixes name two generations (`jun.` against `sen.`, `II` against `III`) are two
people, vetoed as a word veto vetoes (generation_vetoes), and only a person's own number (a
customer or social security number: households.own_numbers) agreeing exactly vouches: a
father and son share an address, a phone and a family mailbox (`schmidt.andreas@t-online.de`,
DECISIONS 360, 400). A suffix on one side only (`Robert Smith` / `Robert Smith Jr.`) keeps a
pair possible (generation_differs, DECISIONS 288) unless a person's own number or a date of
birth agrees exactly; a shared e-mail vouches for neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns, Veto

YOUNGER, ELDER = "younger", "elder"
# Folded word → the generation it names; anywhere in a value, or only after its first word.
_ANYWHERE = {"jr": YOUNGER, "junior": YOUNGER, "jnr": YOUNGER,
             "sr": ELDER, "senior": ELDER, "snr": ELDER}
_AFTER_FIRST = {"jun": YOUNGER, "sen": ELDER, "ii": "ii", "iii": "iii", "iv": "iv"}
# Two folded words after a value's first word: `d. J.`, `d. Ä.`, `der Jüngere`, `der Ältere`.
_PHRASES = {("d", "j"): YOUNGER, ("d", "a"): ELDER, ("d", "ae"): ELDER,
            ("der", "jungere"): YOUNGER, ("der", "juengere"): YOUNGER,
            ("der", "altere"): ELDER, ("der", "aeltere"): ELDER}
# Every suffix above holds one of these: rows holding none (nearly all) are not split into words.
_HINTS = ("jr", "sr", "jun", "sen", "jnr", "snr", "ii", "iv", "d j", "d a", "ltere", "ngere")
# Generations that may name one man: a son named after his father is `Jr.` or `II`.
_ONE_MAN = frozenset({YOUNGER, "ii"})


def suffixes_of(value: str) -> dict[str, str]:
    """The generational suffixes in one folded value, as {generation: the words naming it}:
    `andreas jun` → {"younger": "jun"}, `lucas cranach d a` → {"elder": "d a"}."""
    words = value.split()
    found = {_ANYWHERE[w]: w for w in words if w in _ANYWHERE}
    found.update({_AFTER_FIRST[w]: w for w in words[1:] if w in _AFTER_FIRST})
    for first, second in zip(words[1:], words[2:]):
        if (first, second) in _PHRASES:
            found[_PHRASES[first, second]] = f"{first} {second}"
    return found


def name_columns(prepared: "PreparedColumns") -> list[int]:
    """The compared columns named for names (party_names._party_columns: `Vorname`, `Name`,
    `naam`, `Kunde`, `Firma`; households._names_surname: `achternaam`, `cognome`), the only ones
    whose words may be generational suffixes: `3030 JR` in a postcode column is a Dutch
    postcode, `SR` a street's letters (trial C, DECISIONS 441)."""
    from datatools.tools.households import _names_surname
    from datatools.tools.party_names import _party_columns

    named = set(_party_columns(prepared))
    return [column for column, name in enumerate(prepared.names)
            if column in named or (_names_surname(name) and not prepared.identifier[column])]


def _suffixes(prepared: "PreparedColumns", rows: "np.ndarray") -> "list[dict[str, tuple[int, str]]]":
    """Per row of `rows`: {generation: (column, words)} over its compared name columns
    (name_columns)."""
    found: list[dict[str, tuple[int, str]]] = [{} for _ in range(len(rows))]
    for column in name_columns(prepared):
        text = prepared.text[column]
        for seen, value in zip(found, text[rows].tolist()):
            for generation, words in suffixes_of(str(value)).items():
                seen.setdefault(generation, (column, words))
    return found


def _pair_suffixes(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray"):
    """(positions k of the pairs whose rows hint at a suffix, their rows' suffixes per side)."""
    import numpy as np

    hinted = np.flatnonzero(prepared.record.holding(x, _HINTS) | prepared.record.holding(y, _HINTS))
    rows, where = np.unique(np.concatenate([x[hinted], y[hinted]]), return_inverse=True)
    found = _suffixes(prepared, rows)
    where = where.reshape(-1).tolist()
    return hinted.tolist(), [found[i] for i in where[:len(hinted)]], [found[i] for i in where[len(hinted):]]


def _clash(left: dict, right: dict) -> bool:
    """Do two rows' suffixes name two generations (both hold one, none in common, not `Jr.`
    against `II`)?"""
    return bool(left and right and not set(left) & set(right)
                and not (set(left) | set(right)) <= _ONE_MAN)


def generation_differs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): do its rows' generational
    suffixes differ (one row holds a suffix the other lacks, or two generations)? A bool array.
    A person's own number agreeing exactly (households.own_numbers) vouches for the pair; a
    date of birth agreeing exactly vouches only where one row holds no suffix; an e-mail never
    (a family mailbox). Such a pair stays possible, for a person to review (DECISIONS 288, 400)."""
    import numpy as np

    from datatools.tools.households import own_numbers

    result = np.zeros(len(x), dtype=bool)
    if len(x) == 0:
        return result
    clash = np.zeros(len(x), dtype=bool)
    hinted, left, right = _pair_suffixes(prepared, x, y)
    for k, one, other in zip(hinted, left, right):
        result[k] = set(one) != set(other)
        clash[k] = _clash(one, other)
    own = own_numbers(prepared)
    mail = prepared.exact_only or [False] * len(prepared.names)
    for column, identifier in enumerate(prepared.identifier):
        if identifier and (column in own or not mail[column]):
            agrees = prepared.text[column].equal_filled(x, y)
            result &= ~(agrees & (column in own or ~clash))
    return result


def generation_vetoes(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                      candidates: "np.ndarray", scores: "np.ndarray") -> "dict[int, Veto]":
    """The pairs among `candidates` (indices into a, b) whose rows' suffixes name two
    generations (`Andreas jun.`/`Andreas sen.`, `Smith Jr.`/`Smith Sr.`, `II`/`III`) with no
    person's own number agreeing exactly, as {pair: Veto(column, words, words, score)} in the
    order of `candidates`: a father and son vetoed however much else they share (DECISIONS 400)."""
    import numpy as np

    from datatools.tools.households import own_numbers
    from datatools.tools.similarity import Veto

    if not len(candidates):
        return {}
    x, y = a[candidates], b[candidates]
    hinted, left, right = _pair_suffixes(prepared, x, y)
    clashing = [(k, one, other) for k, one, other in zip(hinted, left, right) if _clash(one, other)]
    if not clashing:
        return {}
    vouched = np.zeros(len(candidates), dtype=bool)
    for column in own_numbers(prepared):
        vouched |= prepared.text[column].equal_filled(x, y)
    vetoes = {}
    for k, one, other in sorted(clashing):
        if vouched[k]:
            continue
        column, word_a = min(one.values())
        word_b = min(other.values())[1]
        pair = int(candidates[k])
        vetoes[pair] = Veto(column, word_a, word_b, float(scores[pair]))
    return vetoes
