"""Veto pairs whose distinctive words flatly disagree: two people of one household stay apart.

A column vetoes a pair when it has many distinct values (similarity.VETO_MIN_DISTINCT_PER_THOUSAND),
is filled in on both rows, and each row's value holds a distinctive word (words.ColumnWords.
distinctive) that no word of the other row's value resembles (fuzz.ratio below
similarity.WORD_RESEMBLES) and no word of its other columns nearly equals (below
MOVED_RESEMBLES). Looking in the other columns too keeps values typed into the wrong column from
vetoing, with a high bar there, because any long word resembles some word of a whole row; requiring a word on *each* side keeps a row that
only adds words (a street, a middle name) from vetoing. A pair that agrees exactly on an
identifier column (long numbers: an ID, a date of birth, a phone) is not vetoed: a name can be
replaced or mistyped beyond recognition, but two people rarely share an identifier (on FEBRL,
whose duplicates often carry another given name or surname, vetoes without this rule cost a
fifth of the true pairs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns, Veto


def find_vetoes(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                column_scores: "np.ndarray", candidates: "np.ndarray",
                scores: "np.ndarray") -> dict[int, "Veto"]:
    """The vetoed pairs among `candidates` (indices into a, b), with the words that vetoed them.

    Runs in Python per pair, so callers pass only pairs that would otherwise match; columns that
    score VETO_CHECK_BELOW or more, or are empty on a side, are skipped with numpy first.
    """
    import numpy as np

    from datatools.tools.similarity import MISSING, VETO_CHECK_BELOW, Veto

    columns = [c for c, allowed in enumerate(prepared.can_veto) if allowed]
    if not len(candidates) or not columns:
        return {}
    checked = column_scores[np.ix_(candidates, columns)]
    suspect = (checked < VETO_CHECK_BELOW) & (checked != MISSING)
    identifiers = [c for c, known in enumerate(prepared.identifier) if known]
    if identifiers:
        suspect[(column_scores[np.ix_(candidates, identifiers)] == 100).any(axis=1)] = False
    vetoes: dict[int, Veto] = {}
    for row in np.flatnonzero(suspect.any(axis=1)).tolist():
        k = int(candidates[row])
        first, second = int(a[k]), int(b[k])
        for position in np.flatnonzero(suspect[row]).tolist():
            column = columns[position]
            found = disagreeing_words(prepared, column, first, second)
            if found:
                vetoes[k] = Veto(column, found[0], found[1], float(scores[k]))
                break
    return vetoes


def disagreeing_words(prepared: "PreparedColumns", column: int, first: int,
                      second: int) -> tuple[str, str] | None:
    """A distinctive word of each row's value in `column` that the other row has nothing like."""
    word_a = _unmatched_word(prepared, column, first, second)
    if word_a is None:
        return None
    word_b = _unmatched_word(prepared, column, second, first)
    return None if word_b is None else (word_a, word_b)


def _unmatched_word(prepared: "PreparedColumns", column: int, row: int, other: int) -> str | None:
    from rapidfuzz import fuzz, process

    from datatools.tools.similarity import MOVED_RESEMBLES, WORD_RESEMBLES

    words = prepared.words[column]
    value = prepared.text[column][row]
    core_text = prepared.core[column][row] if prepared.core[column] is not None else value
    core = set(core_text.split())
    same = prepared.text[column][other].split()
    moved = [word for c, text in enumerate(prepared.text) if c != column
             for word in text[other].split()]
    for word in value.split():
        if not words.distinctive(word, core):
            continue
        if process.extractOne(word, same, scorer=fuzz.ratio, score_cutoff=WORD_RESEMBLES):
            continue
        if process.extractOne(word, moved, scorer=fuzz.ratio, score_cutoff=MOVED_RESEMBLES):
            continue
        return word
    return None
