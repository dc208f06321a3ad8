"""A date of birth the run does not compare still tells two people apart (a usability trial,
repro6b: fathers and sons of one name at one address merged certain, their dates of birth in an
uncompared column). dedupe reads the uncompared columns named for a date of birth and keeps a
pair whose rows hold two such dates more than one keying error apart possible."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np

# A column whose name (folded: similarity.column_name_words) holds a word starting so holds
# dates of birth.
BIRTH_WORDS = ("geburtsdatum", "geburtstag", "birth", "dob", "birthday", "birthdate",
               "geboren", "naissance")


def birth_columns(names: Sequence[str], compared: Sequence[str]) -> list[str]:
    """The columns of `names` not in `compared` whose names say they hold dates of birth
    (BIRTH_WORDS: `Geburtsdatum`, `date_of_birth`, `DOB`)."""
    from datatools.tools.similarity import column_name_words

    return [name for name in names if name not in compared
            and any(word.startswith(BIRTH_WORDS) for word in column_name_words(name))]


def digits_of(values) -> "np.ndarray":
    """A column's cells (a pandas Series or a sequence) as their digits only (`09.10.1967` →
    `09101967`), an object array; empty where a cell holds no digit."""
    import numpy as np

    return np.array(["".join(c for c in str(v) if c.isdigit()) if v is not None and v == v
                     else "" for v in values], dtype=object)


def births_differ(births: "list[np.ndarray]", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): does some column of
    `births` (digits_of each) hold two dates both filled and more than one keying error apart
    (certainty._keying_errors: `16031956`/`16031965` is one typo, `09101967`/`12031995` two
    people)? A bool array."""
    import numpy as np

    from datatools.tools.certainty import _keying_errors

    result = np.zeros(len(x), dtype=bool)
    for digits in births:
        left, right = digits[x], digits[y]
        for k in np.flatnonzero((left != right) & (left != "") & (right != "")).tolist():
            result[k] |= _keying_errors(str(left[k]), str(right[k])) > 1
    return result
