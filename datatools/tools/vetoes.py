"""Veto pairs whose distinctive words flatly disagree: two people of one household stay apart.

A column vetoes a pair when it has many distinct values (similarity.VETO_MIN_DISTINCT_PER_THOUSAND),
is filled in on both rows, and each row's value holds a distinctive word (words.ColumnWords.
distinctive) that no word of the other row's value resembles (fuzz.ratio below
similarity.WORD_RESEMBLES) and no word of its other columns nearly equals (below
MOVED_RESEMBLES). Looking in the other columns too keeps values typed into the wrong column from
vetoing, with a high bar there, because any long word resembles some word of a whole row; requiring a word on *each* side keeps a row that
only adds words (a street, a middle name) from vetoing. A pair that agrees exactly on an
identifier column (long numbers: an ID, a date of birth, a phone) or on a rare code both ways
(identifiers.py) is not vetoed: a name can be
replaced or mistyped beyond recognition, but two people rarely share an identifier (on FEBRL,
whose duplicates often carry another given name or surname, vetoes without this rule cost a
fifth of the true pairs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Imported once here, not per call: veto_batch calls _unlike_words millions of times.
from rapidfuzz import fuzz, process

from datatools.tools.similarity import WORD_RESEMBLES

# Rows that must hold a word before it counts as a name of its own rather than a typo.
ESTABLISHED_ROWS = 3
# Pairs of values whose unlike words are kept at once (about 100 bytes each; then start over).
UNLIKE_KEPT = 300_000

if TYPE_CHECKING:
    import numpy as np

    from datatools.progress import Progress

    from datatools.tools.similarity import PreparedColumns, Veto


def find_vetoes(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                column_scores: "np.ndarray", candidates: "np.ndarray",
                scores: "np.ndarray", swaps: "dict[int, tuple[int, int]] | None" = None,
                progress: "Progress | None" = None) -> dict[int, "Veto"]:
    """The vetoed pairs among `candidates` (indices into a, b), with the words that vetoed them.

    `swaps` (swaps.unswap) names the pairs whose columns are compared crossed. Callers pass
    only pairs that would otherwise match; columns that score VETO_CHECK_BELOW or more, or are
    empty on a side, are skipped with numpy first, and the rest is checked a column at a time
    for all pairs together (veto_batch.vetoing_cells: disagreeing_words' answers, in bulk).
    The vetoes come in the order of `candidates`.
    """
    import numpy as np

    from datatools.tools.generations import generation_vetoes

    # `jun.` against `sen.` vetoes whatever identifier agrees (a family mailbox) but a
    # person's own number (generations.py, DECISIONS 400).
    generational = generation_vetoes(prepared, a, b, candidates, scores)
    if generational:
        vetoed = _word_vetoes(prepared, a, b, column_scores,
                              candidates[~np.isin(candidates, list(generational))], scores, swaps,
                              progress)
        order = {pair: k for k, pair in enumerate(candidates.tolist())}
        both = vetoed | generational
        return {pair: both[pair] for pair in sorted(both, key=order.__getitem__)}
    return _word_vetoes(prepared, a, b, column_scores, candidates, scores, swaps, progress)


def _word_vetoes(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                 column_scores: "np.ndarray", candidates: "np.ndarray", scores: "np.ndarray",
                 swaps: "dict[int, tuple[int, int]] | None", progress: "Progress | None"
                 ) -> dict[int, "Veto"]:
    """find_vetoes' word vetoes (the module docstring's), in the order of `candidates`."""
    import numpy as np

    from datatools.tools.identifiers import AGREE, code_relation
    from datatools.tools.similarity import MISSING, VETO_CHECK_BELOW, Veto
    from datatools.tools.swaps import partner_column
    from datatools.tools.veto_batch import vetoing_cells

    columns = [c for c, allowed in enumerate(prepared.can_veto) if allowed]
    if not len(candidates) or not columns:
        return {}
    checked = column_scores[np.ix_(candidates, columns)]
    suspect = (checked < VETO_CHECK_BELOW) & (checked != MISSING)
    identifiers = [c for c, known in enumerate(prepared.identifier) if known]
    if identifiers:
        suspect[(column_scores[np.ix_(candidates, identifiers)] == 100).any(axis=1)] = False
        suspect[_one_typo_apart(prepared, a, b, column_scores, candidates,
                                suspect.any(axis=1))] = False
    codes = code_relation(prepared, a[candidates], b[candidates])
    if codes is not None:  # rows whose rare codes agree both ways name one thing too
        suspect[codes[0] == AGREE] = False
    swapped = np.isin(candidates, list(swaps or ()))
    # A column at a time, for all pairs at once (veto_batch.py gives disagreeing_words' answer
    # per pair), columns in order: a pair's first vetoing column names its veto, later ones do not
    # look at it again. Only one column's pairs are held as arrays at a time.
    found: list["np.ndarray"] = []                # per column: positions in `candidates`
    words_a: list[str] = []
    words_b: list[str] = []
    for position, column in enumerate(columns):
        rows = np.flatnonzero(suspect[:, position])
        pairs = candidates[rows]
        partner = np.full(len(rows), column, dtype=np.int64)
        for cell in np.flatnonzero(swapped[rows]).tolist():
            partner[cell] = partner_column(swaps, int(pairs[cell]), column)
        report = None if progress is None else progress.stage(position / len(columns),
                                                              (position + 1) / len(columns)).update
        vetoing, found_a, found_b = vetoing_cells(
            prepared, np.full(len(rows), column, dtype=np.int64), partner, a[pairs], b[pairs], report)
        rows = rows[vetoing]
        # Names in Chinese characters written alike, in another order or without a space
        # (`大輔 渡辺`/`渡辺大輔`), are one name however their words split (cjk_names).
        one = _written_alike(prepared, column, a[candidates[rows]], b[candidates[rows]])
        if one.any():
            rows = rows[~one]
            found_a = [word for word, alike in zip(found_a, one.tolist()) if not alike]
            found_b = [word for word, alike in zip(found_b, one.tolist()) if not alike]
        del pairs, partner
        found.append(rows)
        words_a += found_a
        words_b += found_b
        suspect[rows] = False                     # vetoed: no later column looks at the pair
    # In the order of `candidates` (each pair is vetoed by one column).
    rows = np.concatenate(found)
    of_column = np.repeat(np.asarray(columns), [len(r) for r in found]).tolist()
    order = np.argsort(rows, kind="stable")
    pairs = candidates[rows[order]]
    # The pairs and their scores as Python numbers in one step each, not a numpy scalar per pair.
    return {pair: Veto(of_column[i], words_a[i], words_b[i], score)
            for i, pair, score in zip(order.tolist(), pairs.tolist(),
                                      scores[pairs].astype(np.float64).tolist())}


def _written_alike(prepared: "PreparedColumns", column: int, a: "np.ndarray",
                   b: "np.ndarray") -> "np.ndarray":
    """Per pair (a[k], b[k]): are the two cells of `column` one name in Chinese characters or
    kana written alike (cjk_names.han_names_differ is False)? A bool array."""
    import numpy as np

    from datatools.tools.cjk_names import han_names_differ

    text = prepared.text[column]
    return np.fromiter((han_names_differ(str(left), str(right)) is False
                        for left, right in zip(text[a].tolist(), text[b].tolist())),
                       dtype=bool, count=len(a))


# An identifier scoring below this is more than one keying error from the other (one error in
# six characters scores 83), so _one_typo_apart does not look at it.
ONE_TYPO_FROM = 80


def _one_typo_apart(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                    column_scores: "np.ndarray", candidates: "np.ndarray",
                    looked: "np.ndarray") -> "np.ndarray":
    """Per candidate (bool, positions in `candidates`; only where `looked`): does a personal
    identifier (an ID or a date of birth, not an e-mail: PreparedColumns.exact_only) hold two
    values one keying error apart that read as one person's number (certainty.one_typo: a
    transposition anywhere, or one error that leaves the last two characters alone)? Such a
    pair is vouched for as an exact agreement vouches (DECISIONS 303, 340)."""
    import numpy as np

    from datatools.tools.certainty import one_typo

    found = np.zeros(len(candidates), dtype=bool)
    for column, known in enumerate(prepared.identifier):
        if not known or prepared.exact_only[column]:
            continue
        score = column_scores[candidates, column]
        text = prepared.text[column]
        for k in np.flatnonzero(looked & ~found & (score >= ONE_TYPO_FROM)
                                & (score < 100)).tolist():
            pair = int(candidates[k])
            found[k] = one_typo(str(text[a[pair]]), str(text[b[pair]]))
    return found


def disagreeing_words(prepared: "PreparedColumns", column: int, first: int,
                      second: int, partner: int | None = None,
                      unlike: "dict[int, tuple[str, ...]] | None" = None
                      ) -> tuple[str, str] | None:
    """A distinctive word of each row's value in `column` (the second row's in `partner`, for
    swapped columns) that the other row has nothing like. `unlike` keeps, per pair of values,
    the words _unlike_words found, for the next pair of rows holding the same values."""
    partner = column if partner is None else partner
    word_a = _unmatched_word(prepared, column, first, second, partner, unlike)
    if word_a is None:
        return None
    word_b = _unmatched_word(prepared, partner, second, first, column, unlike)
    if word_b is not None:
        return word_a, word_b
    crossed = _half_swap(prepared, column, first, second, partner)
    if crossed is None:
        return None
    # Half a swap: the second row's given name is the first row's surname (`Keil, Jonathan`
    # beside `Emilia Keil`), so its surname is what the first row's given name meets.
    word_a = _unmatched_word(prepared, column, first, second, crossed, unlike)
    word_b = (None if word_a is None
              else _unmatched_word(prepared, crossed, second, first, column, unlike))
    return None if word_b is None else (word_a, word_b)


def _half_swap(prepared: "PreparedColumns", column: int, first: int, second: int,
               partner: int) -> int | None:
    """The one-word column of the second row that the first row's `column` is to meet when
    the second row's `partner` value is (nearly, MOVED_RESEMBLES) the first row's value in
    another one-word column, and the two other values were not the pair compared: None when
    there is no such column."""
    from rapidfuzz import fuzz

    from datatools.tools.similarity import MOVED_RESEMBLES

    if prepared.core[column] is not None or partner != column:
        return None
    value = prepared.text[partner][second]
    for other in range(len(prepared.text)):
        if (other == column or prepared.core[other] is not None
                or not prepared.text[other][first] or not prepared.text[other][second]):
            continue
        if fuzz.ratio(value, prepared.text[other][first]) >= MOVED_RESEMBLES:
            return other
    return None


def _unmatched_word(prepared: "PreparedColumns", column: int, row: int, other: int,
                    other_column: int,
                    unlike: "dict[int, tuple[str, ...]] | None" = None) -> str | None:
    """The first word of the row's value in `column` that nothing in the other row resembles:
    not the other row's value in `other_column` (_unlike_words), nor a word of its other
    columns (a value typed into the wrong column)."""
    from rapidfuzz import fuzz, process

    from datatools.tools.similarity import MOVED_RESEMBLES

    other_value = prepared.text[other_column][other]
    # One int per pair of values (their columns and ranks): small keys for a large table.
    columns, values = len(prepared.ranks), prepared.rows + 1
    key = (((column * columns + other_column) * values + int(prepared.ranks[column][row]))
           * values + int(prepared.ranks[other_column][other]))
    found = unlike.get(key) if unlike is not None else None
    if found is None:
        value = prepared.text[column][row]
        core = prepared.core[column]
        found = tuple(_unlike_words(prepared, column, value,
                                    value if core is None else core[row], other_value))
        if unlike is not None:
            if len(unlike) >= UNLIKE_KEPT:
                unlike.clear()
            unlike[key] = found
    if not found:
        return None
    moved = [word for c, text in enumerate(prepared.text) if c != other_column
             for word in text[other].split()]
    for word in found:
        if not process.extractOne(word, moved, scorer=fuzz.ratio, score_cutoff=MOVED_RESEMBLES):
            return word
    return None


def _unlike_words(prepared: "PreparedColumns", column: int, value: str, core_text: str,
                  other_value: str) -> list[str]:
    """The distinctive words of a row's `value` in `column` (its rare words `core_text`: the
    value itself in a column without cores) that no word of `other_value` resembles (two
    established names that look alike still count; an abbreviation does not). Two neighbouring
    words of `other_value` count joined too: a space lost in keying (`mckinleycircuit` for
    `mckinley circuit`, `wellslroad` for `wells road`) leaves one word that resembles neither
    alone (DECISIONS 341)."""
    words = prepared.words[column]
    core = set(core_text.split())
    same = other_value.split()
    same += [first + second for first, second in zip(same, same[1:])]
    found = []
    for word in value.split():
        if not words.distinctive(word, core):
            continue
        alike = process.extractOne(word, same, scorer=fuzz.ratio, score_cutoff=WORD_RESEMBLES)
        if alike and not _two_names(words, word, alike[0], prepared.core[column] is None):
            continue
        if len(word) < 3 and any(other_word.startswith(word) for other_word in same):
            continue  # an abbreviation: "jo" for "johanna"
        found.append(word)
    return found


def _two_names(words, word: str, other: str, one_word_values: bool) -> bool:
    """Are two alike words of a one-word column (given names, surnames) two established
    values? `Ana` and `Dana`, `Mira` and `Mika` each held by ESTABLISHED_ROWS rows or more are
    two names; a typo (`Jnoas` for `Jonas`) is seldom held by more than one row."""
    if not one_word_values or word == other:
        return False
    return min(words.holding(word), words.holding(other)) >= ESTABLISHED_ROWS
