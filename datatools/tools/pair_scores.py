"""Column scores of aligned row pairs for similarity.score_columns: each distinct pair of values
once per column, the whole rows pair by pair (DECISIONS 238). The rules are similarity.py's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from datatools.tools.ranked import distinct_ranks
from datatools.tools.similarity import (MISSING, RARE_FROM, RARE_WEIGHT, SCORE_CHUNK,
                                        _names_phone)

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.ranked import RankedText, SortedWords
    from datatools.tools.records import RowRecords
    from datatools.tools.similarity import PreparedColumns


def score_values(prepared: PreparedColumns, column: int, a: "np.ndarray", b: "np.ndarray",
                  say: Callable[[float], None]) -> "np.ndarray":
    """One column's scores of the pairs (a[k], b[k]) (uint8, MISSING where a cell is empty),
    each distinct unordered pair of values scored once (the scorers are symmetric)."""
    import numpy as np
    import pandas as pd

    ranks = prepared.ranks[column]
    x, y = ranks[a], ranks[b]
    empty = prepared.text[column].empty_ranks()    # per rank (ranked.py): not a pass over every row
    missing = empty[x] | empty[y]
    scores = np.full(len(a), 100, dtype=np.uint8)
    scores[missing] = MISSING
    todo = np.flatnonzero(~missing & (x != y))   # equal normalised values score 100
    if not len(todo):
        return scores
    low, high = np.minimum(x[todo], y[todo]), np.maximum(x[todo], y[todo])
    del x, y
    codes, distinct = pd.factorize(low.astype(np.int64) * (int(ranks.max()) + 1) + high)
    del low, high
    example = np.empty(len(distinct), dtype=np.int64)
    example[codes] = todo             # any pair showing the two values stands for them all
    scored = np.empty(len(distinct), dtype=np.uint8)
    # Each distinct value's words sorted once for the whole column, not once per chunk
    sorted_words = prepared.text[column].sorted_words(np.concatenate([a[example], b[example]]))
    for start in range(0, len(distinct), SCORE_CHUNK):
        chosen = example[start:start + SCORE_CHUNK]
        scored[start:start + SCORE_CHUNK] = particles_dropped(
            prepared, column, a[chosen], b[chosen], lost_spaces(
                prepared, column, a[chosen], b[chosen],
                value_scores(prepared, column, a[chosen], b[chosen], sorted_words)))
        say(min(1.0, (start + SCORE_CHUNK) / len(distinct)) * 0.99)
    del sorted_words
    if _names_phone(prepared.names[column]):
        lines = phone_lines(prepared, column, a[example], b[example])
        scored[lines == 1], scored[lines == 0] = 100, 0
    scores[todo] = scored[codes]
    if prepared.exact_only and prepared.exact_only[column]:
        scores[todo[_unequal(prepared, column, a[todo], b[todo])]] = 0
    return scores


def lost_spaces(prepared: PreparedColumns, column: int, x: "np.ndarray", y: "np.ndarray",
                scores: "np.ndarray") -> "np.ndarray":
    """`scores` (uint8, one per pair of rows (x[k], y[k]) in `column`) with the pairs whose
    values are one value once their spaces are dropped scored at least their plain character
    ratio: a space lost or added in keying (`mckinleycircuit` for `mckinley circuit`, `van
    der berg`/`vanderberg`) splits the words otherwise, and the word-wise scorers put such a
    pair at 56 (DECISIONS 341); one space lost in 18 characters is 97, as one typo is. Values
    every word of which holds a digit score 100: a postcode, a phone or a customer number
    written with and without its separator (`30-001`/`30001`, `12345-6789`/`123456789`) is one
    code, not a typo of it (DECISIONS 540)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from rapidfuzz import fuzz

    from datatools.tools import pairwise

    low = np.flatnonzero(scores < 100)
    if not len(low):
        return scores
    values = prepared.text[column]
    # Looked at once per distinct value among the pairs (rows of one rank hold one value), not
    # once per pair made into str: equal codes are equal values once their spaces are dropped.
    ranks = np.concatenate([values.ranks[x[low]], values.ranks[y[low]]])
    distinct, inverse = distinct_ranks(ranks)
    texts = (pa.array(values.values[distinct], pa.string()) if isinstance(values.values, np.ndarray)
             else values.values.take(pa.array(distinct)))
    codes = np.asarray(pc.dictionary_encode(pc.replace_substring(texts, " ", "")).indices)
    # A code every word of which holds a digit (`30 001` of `30-001`, `sw1a 1aa`) is the same
    # code written with or without its separator, not a typo (DECISIONS 540).
    coded = np.asarray(pc.match_substring_regex(texts, r"^\S*\d\S*( \S*\d\S*)*$"), dtype=bool)
    codes, coded = codes[inverse.reshape(-1)], coded[inverse.reshape(-1)]
    same = codes[:len(low)] == codes[len(low):]
    joined = low[same]
    if len(joined):
        scores = scores.copy()
        scores[joined] = np.maximum(scores[joined], pairwise.cpdist(
            values[x[joined]], values[y[joined]], scorer=fuzz.ratio, dtype=np.uint8))
        scores[low[same & coded[:len(low)] & coded[len(low):]]] = 100
    return scores


# A surname's particles (folded), longest first: written apart (`De la Cruz`), joined
# (`Delacruz`) or dropped (`Cruz`) in one person's records (DECISIONS 386).
SURNAME_PARTICLES = ("van der", "van den", "van de", "von der", "von dem", "von den", "de la",
                     "de las", "de los", "della", "van", "von", "del", "de", "di", "da", "dos",
                     "du", "le", "la")
# ... and such a pair's score: a typo's (one keying error in a ten-letter surname).
PARTICLE_SCORE = 90


def particles_dropped(prepared: PreparedColumns, column: int, x: "np.ndarray", y: "np.ndarray",
                      scores: "np.ndarray") -> "np.ndarray":
    """`scores` (uint8, one per pair of rows (x[k], y[k]) in `column`) with, in a surname column
    (households.SURNAME_WORDS), the pairs whose values are one surname but for its particles
    scored at least PARTICLE_SCORE: without their spaces one is the other with a particle
    (SURNAME_PARTICLES) before it (`de la cruz`/`cruz`, `delacruz`/`cruz`, `van der berg`/
    `berg`), the other keeping three letters or more. Only in a surname column: `de`, `la` and
    `le` are words of streets and firms, and `Delaware` is no particle (DECISIONS 357)."""
    import numpy as np

    from datatools.tools.households import _names_surname

    if not _names_surname(prepared.names[column]):
        return scores
    low = np.flatnonzero(scores < PARTICLE_SCORE)
    if not len(low):
        return scores
    values = prepared.text[column]
    joined = tuple(particle.replace(" ", "") for particle in SURNAME_PARTICLES)
    # Only pairs whose lengths differ by a particle's, the shorter value of three letters or
    # more ending the longer, are looked at one by one: the rest is numpy's, not a Python step
    # per pair (most pairs of two surnames differ in length by two to six letters). Each
    # distinct value loses its spaces once, not once per pair holding it (DECISIONS 480).
    spans = list({len(particle) for particle in joined})
    texts, position = _distinct_texts(values, x[low], y[low])
    texts = np.strings.replace(texts.astype(np.dtypes.StringDType()), " ", "")
    length = np.strings.str_len(texts)
    left, right = position[:len(low)], position[len(low):]
    lengths = length[left], length[right]
    near = np.flatnonzero(np.isin(np.abs(lengths[0] - lengths[1]), spans)
                          & (np.minimum(*lengths) >= 3))
    first_short = lengths[0][near] < lengths[1][near]
    short = texts[np.where(first_short, left[near], right[near])]
    long = texts[np.where(first_short, right[near], left[near])]
    hit = np.strings.endswith(long, short)
    del lengths, first_short
    scores = scores.copy()
    for k, whole, end in zip(low[near[hit]].tolist(), long[hit].tolist(), short[hit].tolist()):
        if whole[:len(whole) - len(end)] in joined:
            scores[k] = PARTICLE_SCORE
    return scores


def _distinct_texts(values: "RankedText", x: "np.ndarray", y: "np.ndarray"
                    ) -> tuple["np.ndarray", "np.ndarray"]:
    """(the distinct texts of the rows x and y of a RankedText column, an object array of str;
    each of x then y's position in it): a pass that looks at each value once, not once per
    pair holding it."""
    import numpy as np

    distinct, position = distinct_ranks(np.concatenate([values.ranks[x], values.ranks[y]]))
    texts = (values.values[distinct] if isinstance(values.values, np.ndarray)
             else values.values.take(distinct).to_numpy(zero_copy_only=False))
    return np.asarray(texts, dtype=object), position.reshape(-1)


def phone_lines(prepared: PreparedColumns, column: int, x: "np.ndarray", y: "np.ndarray"
                ) -> "np.ndarray":
    """Per pair of rows (x[k], y[k]) of a column of phone numbers (normalised values): 1 when
    both are one line written two ways (a number of digits and spaces only; the digits, leading
    zeros dropped, equal, or the shorter of SAME_TAIL_DIGITS or more ending the longer: `49 30
    1234567` and `030 1234567`, as certainty.same_number reads them), 0 when both are numbers
    and not one line (`...551`/`...552`: another line, not a near agreement), -1 when either is
    no number (`030 123 ext 4`), int8. The column scores 100 and 0 on them (score_values): a
    phone column is named so (similarity._names_phone); DECISIONS 353. Each distinct value's
    digits are read once, and only pairs of two lengths are compared by their ends (one length:
    the end is the whole), not every pair as strings (DECISIONS 480)."""
    import numpy as np

    from datatools.tools.certainty import SAME_TAIL_DIGITS

    texts, position = _distinct_texts(prepared.text[column], x, y)
    texts = texts.astype(str)
    spaceless = np.strings.replace(texts, " ", "")
    digits = np.strings.lstrip(spaceless, "0")
    length = np.strings.str_len(digits)
    number = (np.strings.isdigit(digits) | (length == 0)) & (np.strings.str_len(spaceless) > 0)
    code = np.unique(digits, return_inverse=True)[1].reshape(-1)
    left, right = position[:len(x)], position[len(x):]
    same = code[left] == code[right]
    lengths = length[left], length[right]
    ends = np.flatnonzero(~same & (np.minimum(*lengths) >= SAME_TAIL_DIGITS)
                          & (lengths[0] != lengths[1]))
    if len(ends):
        first_short = lengths[0][ends] < lengths[1][ends]
        short = digits[np.where(first_short, left[ends], right[ends])]
        long = digits[np.where(first_short, right[ends], left[ends])]
        same[ends] = np.strings.endswith(long, short)
    return np.where(number[left] & number[right], same.astype(np.int8), np.int8(-1)).astype(np.int8)


def _unequal(prepared: PreparedColumns, column: int, x: "np.ndarray", y: "np.ndarray"
             ) -> "np.ndarray":
    """Per pair of filled, unequal values of an e-mail column (PreparedColumns.exact_only): are
    they more than one keying error apart (identifiers.IDENTIFIER_TYPOS, OSA distance)? Such
    e-mails are two addresses (`william.smith799@` and `william.smith869@` scored 81) and lend
    the pair no agreement; one keying error is a typo of one address and keeps its score,
    unless it is punctuation (emails.punctuation_apart: `anna_nowak@o2.pl` and `anna.nowak@o2.pl`
    are two mailboxes, DECISIONS 518)."""
    import numpy as np
    from rapidfuzz.distance import OSA

    from datatools.tools import pairwise
    from datatools.tools.emails import punctuation_apart
    from datatools.tools.identifiers import IDENTIFIER_TYPOS

    text = prepared.text[column]
    left, right = text[x], text[y]
    return ((pairwise.cpdist(left, right, scorer=OSA.distance, dtype=np.int32) > IDENTIFIER_TYPOS)
            | punctuation_apart(text, x, y))


def rows_without_emails(prepared: PreparedColumns, column_scores: "np.ndarray", a: "np.ndarray",
                        b: "np.ndarray") -> None:
    """Score again, in place, the whole rows (column_scores' last column) of the pairs whose
    e-mails differ (an e-mail column scored 0: _unequal), without their e-mail columns: the
    words two addresses share (`william`, `smith`, `example`, `com`) are no agreement either.
    A row left with no value scores MISSING. Each row's record is made and its words sorted
    once, however many pairs hold it, and the pairs scored by fuzz.ratio of the sorted records:
    token_sort_ratio's own answer (score_records; 137,000 pairs hold 22,000 rows at 50,000
    German customers, DECISIONS 480)."""
    import numpy as np
    import pyarrow.compute as pc
    from rapidfuzz import fuzz

    from datatools.tools import pairwise
    from datatools.tools.ranked import words_sorted_of
    from datatools.tools.records import joined_records

    emails = [c for c, exact in enumerate(prepared.exact_only) if exact]
    if not emails or len(prepared.text) < 2:
        return
    pairs = np.flatnonzero((column_scores[:, emails] == 0).any(axis=1))
    if not len(pairs):
        return
    kept = [c for c in range(len(prepared.text)) if c not in emails]
    rows, inverse = np.unique(np.concatenate([a[pairs], b[pairs]]), return_inverse=True)
    joined = joined_records([prepared.text[c][rows] for c in kept])
    empty = np.asarray(pc.equal(joined, ""), dtype=bool)
    ordered = words_sorted_of(joined)
    x, y = inverse[:len(pairs)], inverse[len(pairs):]
    scores = pairwise.cpdist(ordered[x], ordered[y], scorer=fuzz.ratio, dtype=np.uint8)
    scores[empty[x] | empty[y]] = MISSING
    column_scores[pairs, -1] = scores


def value_scores(prepared: PreparedColumns, column: int, x: "np.ndarray", y: "np.ndarray",
                 sorted_words: "SortedWords | None" = None) -> "np.ndarray":
    """Scores (uint8) of the filled value pairs of rows (x[k], y[k]) in one column.
    `sorted_words` (RankedText.sorted_words of rows holding x and y) holds the values' words
    sorted, made once for many calls; without it they are sorted here."""
    import numpy as np
    from rapidfuzz import fuzz

    from datatools.tools import pairwise

    values, core = prepared.text[column], prepared.core[column]
    # token_sort_ratio, each distinct value's words sorted once (ranked.RankedText.words_sorted)
    ordered = values.words_sorted(x, y) if sorted_words is None else sorted_words.pairs(x, y)
    scores = pairwise.cpdist(*ordered, scorer=fuzz.ratio, dtype=np.uint8)
    del ordered
    if core is None:
        return scores
    # Pairs far apart on the whole values are not rescued by their rare words (a subset scores
    # 55 or more): score those on the values alone.
    todo = np.flatnonzero(scores >= RARE_FROM)
    if not len(todo):
        return scores
    x, y = x[todo], y[todo]
    # A third whole values, two thirds "are one row's rare words all in the other row's
    # value?": a subset agrees fully, a differing rare word pulls it down. Each core against
    # the other's whole value, because a typo can make one row's common word rare ("jon smith"
    # → core "jon"; "john smith" → "john smith"), and core against core, for a typo in the
    # rare word itself (token_set_ratio's common words must be equal).
    # Where both cores are the whole values (nearly every street and city) the three scores
    # are token_set_ratio of the values, twice, and the values' own score: one call, not three.
    # A core of numbers only (`13` of `Hauptstraße 13` where most streets are the
    # Hauptstraße) is no name: as a subset of another row's value holding that number and a
    # name it would agree fully (`Am Mühlbach 13` against `Hauptstraße 13` scored 80, issue
    # 30). Such a pair is compared on the whole values; two such cores (two house numbers on
    # common streets) are still compared with each other.
    whole = _whole_or_unnamed(core, values, prepared.ranks[column], x, y)
    rare = scores[todo]
    both = np.flatnonzero(whole)
    if len(both):
        rare[both] = np.maximum(rare[both], pairwise.cpdist(
            values[x[both]], values[y[both]], scorer=fuzz.token_set_ratio, dtype=np.uint8))
    part = np.flatnonzero(~whole)
    if len(part):
        px, py = x[part], y[part]
        rare[part] = np.maximum.reduce([
            pairwise.cpdist(core[px], values[py], scorer=fuzz.token_set_ratio, dtype=np.uint8),
            pairwise.cpdist(values[px], core[py], scorer=fuzz.token_set_ratio, dtype=np.uint8),
            pairwise.cpdist(core[px], core[py], scorer=fuzz.token_sort_ratio, dtype=np.uint8)])
    scores[todo] = (scores[todo].astype(np.uint16) + RARE_WEIGHT * rare.astype(np.uint16)
                    + (1 + RARE_WEIGHT) // 2) // (1 + RARE_WEIGHT)
    return scores


def score_records(record: "RowRecords", a: "np.ndarray", b: "np.ndarray",
                  say: Callable[[float], None]) -> "np.ndarray":
    """The whole rows' scores of the pairs (a[k], b[k]) (uint8, token_sort_ratio, MISSING where
    a row is empty). Where rows recur (each in two pairs or more on average) every row's record
    is made once with its words sorted and the pairs scored by fuzz.ratio, token_sort_ratio's
    own answer; else the records are made for each chunk's rows only (records.py)."""
    import numpy as np
    from rapidfuzz import fuzz

    from datatools.tools import pairwise

    empty = record.empty
    scores = np.empty(len(a), dtype=np.uint8)
    used = np.zeros(len(record), dtype=bool)
    used[a] = True
    used[b] = True
    rows = np.flatnonzero(used)
    if len(rows) <= len(a):
        # Each row is in two pairs or more on average: its words are sorted once, not once
        # per pair in rapidfuzz (the whole-row score's cost halved, DECISIONS 282).
        position = np.zeros(len(record), dtype=np.int32)
        position[rows] = np.arange(len(rows), dtype=np.int32)
        ordered = record.sorted_words(rows)

        def score(x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
            return pairwise.cpdist(ordered[position[x]], ordered[position[y]], scorer=fuzz.ratio,
                                   dtype=np.uint8)
    else:
        score = record.token_sort_ratio
    del used, rows
    for start in range(0, len(a), SCORE_CHUNK):
        first, second = a[start:start + SCORE_CHUNK], b[start:start + SCORE_CHUNK]
        scores[start:start + SCORE_CHUNK] = score(first, second)
        say(min(1.0, (start + SCORE_CHUNK) / max(1, len(a))) * 0.99)
    scores[empty[a] | empty[b]] = MISSING
    return scores


def _whole_or_unnamed(core: "np.ndarray", values: "np.ndarray", ranks: "np.ndarray",
                      x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): are both rows' cores their whole values, or is one row's core
    numbers only (no letter) while its value holds a letter, and the other row's not? Both
    looked at once per distinct value among the rows (rows of one rank hold one value and one
    core), not once per pair: the cores and values of the pairs' rows are not made as text
    per pair (DECISIONS 503)."""
    import numpy as np

    both = np.concatenate([x, y])
    distinct, inverse = distinct_ranks(ranks[both])
    rows = np.empty(int(distinct[-1]) + 1 if len(distinct) else 0, dtype=both.dtype)
    rows[ranks[both]] = both          # a row of each rank: they hold one value and one core
    rows = rows[distinct]
    # The rows' cores and values taken as two arrays at once, not a look-up per row (ranked.py).
    cores, texts = core[rows], values[rows]
    lettered = [_holds_letter(side) for side in (cores, texts)]
    inverse = inverse.reshape(-1)
    flags = (~lettered[0] & lettered[1])[inverse]
    whole = np.asarray(cores == texts, dtype=bool)[inverse]
    return (whole[:len(x)] & whole[len(x):]) | (flags[:len(x)] != flags[len(x):])


def _holds_letter(texts: "np.ndarray") -> "np.ndarray":
    """Per text (an object array of str): does it hold a letter (str.isalpha)? Looked at in
    Arrow, whose \\pL is the letters str.isalpha finds below U+10000 (checked over every code
    point); a text holding a character beyond is looked at in Python."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(texts, pa.string())
    found = np.asarray(pc.fill_null(pc.match_substring_regex(array, r"\pL"), False), dtype=bool)
    beyond = np.flatnonzero(np.asarray(pc.fill_null(pc.match_substring_regex(
        array, r"[\x{10000}-\x{10FFFF}]"), False), dtype=bool))
    for k in beyond.tolist():
        found[k] = any(c.isalpha() for c in texts[k])
    return found
