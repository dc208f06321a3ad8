"""Which of a match's best pairs are certain, beside the model's probability (issue 30)?

A learned model weighs each column's agreement level, so a pair can pass CERTAIN on what its
rows share (street, postcode, city, surname) while the one column that tells two parties apart
says they are two: a household's `Paul` and `Paula`, sister firms `Seidel Software AG` and
`Seidel IT-Service AG` at one address. Such a pair stays *possible* for a person to review,
as dedupe keeps it (dedupe.py, DECISIONS 262, 268):

- its names read as two people (households.names_two_people, the rule dedupe applies),
  unless an identifier column (an e-mail, a customer number) agrees exactly; so do two middle
  names that clearly differ (middle_names.middle_names_differ: `John Lynn`/`John A.`);
- a date of birth or customer number differs (certainty.identifier_differs), or their model
  numbers differ (certainty.codes_differ), as in dedupe (DECISIONS 269);
- its streets name two flats of one building (house_numbers.flats_differ, DECISIONS 355);
- its names end in two legal forms (legal_forms.legal_forms_differ: `Perez SARL`/`Perez SAS`,
  DECISIONS 396, 466), unless an identifier agrees exactly;
- on a small table (no model) also: in some compared column both values share a word yet each
  holds a word the other lacks and no such word of one is a spelling of one of the other's
  (_other_words), legal forms left out (words.legal_form_words), unless an identifier agrees
  exactly or both hold one model number. With a model this rule cost more recall than it
  saved (DECISIONS 268).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PairScores, PreparedColumns

# A word this short, or without this many letters, says nothing on its own (initials, numbers).
MIN_LETTERS = 2


def mark_uncertain(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                   scored: "PairScores", pairs, probability_from: float) -> None:
    """Set scored.differs (a bool per pair of a, b) True for those of the pair indices `pairs`
    whose probability reaches `probability_from` (0–1) but that read as two parties
    (module docstring); every other pair False. For a learned model's pairs."""
    import numpy as np

    pairs = np.unique(np.asarray(pairs, dtype=np.int64))
    pairs = pairs[scored.probability[pairs] >= probability_from]
    scored.differs = np.zeros(len(a), dtype=bool)
    from datatools.tools.parted_rows import swaps_of

    scored.differs[pairs] = two_parties(prepared, a[pairs], b[pairs], scored.columns[pairs],
                                        swaps_of(scored.swaps, pairs))


def add_other_words(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                    scored: "PairScores", pairs) -> None:
    """Without a model, after certainty.mark_differs: also mark the pairs `pairs` (indices of
    a, b) whose values hold other words (_other_words) as not certain."""
    import numpy as np

    pairs = np.unique(np.asarray(pairs, dtype=np.int64))
    pairs = pairs[~scored.differs[pairs]]
    scored.differs[pairs] = _other_words(prepared, a[pairs], b[pairs], scored.columns[pairs])


def two_parties(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                column_scores: "np.ndarray",
                swaps: "dict[int, tuple[int, int]] | None" = None) -> "np.ndarray":
    """Per pair (x[k], y[k]) (stacked row numbers, int arrays of one length): do its rows read
    as two parties (module docstring)? A bool array; `column_scores` as score_columns gives,
    `swaps` the pairs a model's scoring compared crossed (households.names_two_people)."""
    from datatools.tools.certainty import codes_differ, generation_differs, identifier_differs
    from datatools.tools.households import names_two_people
    from datatools.tools.house_numbers import flats_differ
    from datatools.tools.middle_names import middle_names_differ
    from datatools.tools.legal_forms import legal_forms_differ

    # _other_words is left to small tables (add_other_words): with a model it cost 0.3–1.1
    # points of recall on the customer match sets (bench/linkage_sets.py) for one sister firm
    # in 1,500 suppliers.
    return (names_two_people(prepared, x, y, column_scores, swaps)
            | middle_names_differ(prepared, x, y, column_scores)
            | identifier_differs(prepared, x, y) | codes_differ(prepared, x, y)
            | generation_differs(prepared, x, y) | flats_differ(prepared, x, y)
            | legal_forms_differ(prepared, x, y, column_scores))


def _other_words(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                 column_scores: "np.ndarray", columns: "list[int] | None" = None) -> "np.ndarray":
    """Per pair: in some non-identifier column (of `columns`, when given), do both values
    share a word while each holds a word of its own that is no spelling (_spelling) of one of
    the other's? False where an identifier column agrees exactly (100)."""
    import numpy as np

    from datatools.tools.words import legal_form_words

    legal = legal_form_words()
    result = np.zeros(len(x), dtype=bool)
    for column, identifier in enumerate(prepared.identifier):
        if identifier or (columns is not None and column not in columns):
            continue
        text = prepared.text[column]
        for k in np.flatnonzero(~result).tolist():
            left = {w for w in str(text[x[k]]).split() if w not in legal}
            right = {w for w in str(text[y[k]]).split() if w not in legal}
            own_left, own_right = _words(left - right), _words(right - left)
            result[k] = bool(left & right and own_left and own_right
                             and not _spelling(own_left, own_right))
    for column, identifier in enumerate(prepared.identifier):
        if identifier:
            result &= column_scores[:, column] != 100
    # A shared model number vouches as an identifier does: two shops' titles of one product
    # share its code and each add words of their own (`Netgear ProSafe 16-Port Gigabit Switch
    # GS116NA` and `Netgear GS116NA ProSafe Switch`).
    from datatools.tools.identifiers import AGREE, code_relation

    relation = code_relation(prepared, x, y) if result.any() else None
    if relation is not None:
        result &= relation[0] != AGREE
    return result


def _words(words: set[str]) -> list[str]:
    """The words that can tell two values apart: MIN_LETTERS letters or more."""
    return sorted(w for w in words if sum(c.isalpha() for c in w) >= MIN_LETTERS)


def _spelling(left: list[str], right: list[str]) -> bool:
    """Is some word of `left` a spelling of one of `right`: within the keying errors a given
    name may hold (certainty._keying_errors: one, two from 8 letters), an abbreviation or
    contraction (its first letter, then some of the other's letters in order: `masch`/
    `maschinenbau`, `st`/`saint`, `bhf`/`bahnhof`), or the words written together (`haus
    technik`/`haustechnik`)?"""
    from datatools.tools.certainty import LONG_GIVEN_NAME, _keying_errors

    if "".join(left) == "".join(right):
        return True
    for one in left:
        for other in right:
            short, long = sorted((one, other), key=len)
            if short[0] == long[0] and _in_order(short[1:], long[1:]):
                return True
            if _keying_errors(one, other) <= 1 + (len(long) >= LONG_GIVEN_NAME):
                return True
    return False


def _in_order(letters: str, word: str) -> bool:
    """Does `word` hold `letters` in this order (not necessarily side by side)?"""
    rest = iter(word)
    return all(letter in rest for letter in letters)

