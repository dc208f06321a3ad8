"""Two middle names that clearly differ are two people (issue 30, DECISIONS 363).

A learned model weighs a middle name like any other column: `Michael M. Jones` and `Michael
Eugene Jones` at one address, or `Thomas Michael Miller` and `Thomas Marie Miller` in a column of
whole names, reached the certain band on their given name, surname and address alone. Two middle
names that clearly differ — two full names more keying errors apart than a typo makes
(certainty._keying_errors: `Allen`/`Albert`, `Jane`/`Wayne`, not `Michael`/`Micheal`), or an
initial that is not the other's first letter (`M.`/`Eugene`, `A.`/`Lynn`) — are two people. A
middle name on one side only is no evidence (`Jessica Garcia`/`Jessica Ann Garcia`), nor an
initial that is the other's first letter (`E.`/`Eugene`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# Column names that say the column holds middle names (`Middle`, `middle_name`, `Mittelname`).
MIDDLE_NAME_WORDS = ("middle", "mittelname", "zweitname", "zweitvorname")
# Whole names of this many words at most are read for a middle name (`Linda Ray Anderson Jr.`).
MOST_NAME_WORDS = 5


def names_differ(one: str, other: str) -> bool:
    """Do two middle names (normalised words, `m` an initial) clearly differ (module
    docstring)? False when either is empty."""
    from datatools.tools.certainty import LONG_GIVEN_NAME, _keying_errors

    one, other = (value.split()[0] if value.split() else "" for value in (one, other))
    if not one or not other or one == other:
        return False
    if min(len(one), len(other)) == 1:
        return one[0] != other[0]
    return _keying_errors(one, other) > 1 + (max(len(one), len(other)) >= LONG_GIVEN_NAME)


def middle_names_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                        column_scores: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): do its middle names
    clearly differ (names_differ), in a column named for them (MIDDLE_NAME_WORDS) or inside a
    column of whole names (party_names._whole_name_columns) where the values agree word for word
    but one, which stands inside both (neither first nor last: `Thomas Marie Miller`/`Thomas
    Michael Miller`) in a name of MOST_NAME_WORDS words at most without a legal form (a firm's
    name is no person's), with no person's own number (a customer number:
    households.own_number_vouches, DECISIONS 360, 376) agreeing? A bool array; `column_scores` as
    score_columns gives (pairs × columns+1). households.names_two_people's companion on the
    learned path and in match."""
    import numpy as np

    from datatools.tools.households import own_number_vouches
    from datatools.tools.party_names import _whole_name_columns
    from datatools.tools.similarity import name_says
    from datatools.tools.words import legal_form_words

    result = np.zeros(len(x), dtype=bool)
    if len(x) == 0:
        return result
    middle = [column for column, name in enumerate(prepared.names)
              if name_says(name, MIDDLE_NAME_WORDS) and not prepared.identifier[column]]
    for column in middle:
        text = prepared.text[column]
        ranks = prepared.ranks[column]
        for k in np.flatnonzero(ranks[x] != ranks[y]).tolist():
            result[k] |= names_differ(str(text[x[k]]), str(text[y[k]]))
    legal = legal_form_words()
    for column in _whole_name_columns(prepared):
        text, ranks = prepared.text[column], prepared.ranks[column]
        for k in np.flatnonzero(ranks[x] != ranks[y]).tolist():
            left, right = str(text[x[k]]).split(), str(text[y[k]]).split()
            if not 3 <= len(left) == len(right) <= MOST_NAME_WORDS or legal.intersection(left + right):
                continue
            apart = [at for at, (one, other) in enumerate(zip(left, right)) if one != other]
            if len(apart) == 1 and 0 < apart[0] < len(left) - 1:
                result[k] |= names_differ(left[apart[0]], right[apart[0]])
    flagged = np.flatnonzero(result)
    result[flagged] = ~own_number_vouches(prepared, x[flagged], y[flagged])
    return result
