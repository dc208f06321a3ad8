"""Column scores of aligned row pairs for similarity.score_columns: each distinct pair of values
once per column, the whole rows pair by pair (DECISIONS 238). The rules are similarity.py's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from datatools.tools.similarity import MISSING, RARE_FROM, RARE_WEIGHT, SCORE_CHUNK

if TYPE_CHECKING:
    import numpy as np

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
    for start in range(0, len(distinct), SCORE_CHUNK):
        chosen = example[start:start + SCORE_CHUNK]
        scored[start:start + SCORE_CHUNK] = value_scores(prepared, column, a[chosen], b[chosen])
        say(min(1.0, (start + SCORE_CHUNK) / len(distinct)) * 0.99)
    scores[todo] = scored[codes]
    return scores


def value_scores(prepared: PreparedColumns, column: int, x: "np.ndarray", y: "np.ndarray"
                  ) -> "np.ndarray":
    """Scores (uint8) of the filled value pairs of rows (x[k], y[k]) in one column."""
    import numpy as np
    from rapidfuzz import fuzz, process

    values, core = prepared.text[column], prepared.core[column]
    scores = process.cpdist(values[x], values[y], scorer=fuzz.token_sort_ratio,
                            dtype=np.uint8, workers=-1)
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
    unnamed = _unnamed(core, values, x) != _unnamed(core, values, y)
    whole = ((core[x] == values[x]) & (core[y] == values[y])) | unnamed
    rare = scores[todo]
    both = np.flatnonzero(whole)
    if len(both):
        rare[both] = np.maximum(rare[both], process.cpdist(
            values[x[both]], values[y[both]], scorer=fuzz.token_set_ratio, dtype=np.uint8,
            workers=-1))
    part = np.flatnonzero(~whole)
    if len(part):
        px, py = x[part], y[part]
        rare[part] = np.maximum.reduce([
            process.cpdist(core[px], values[py], scorer=fuzz.token_set_ratio, dtype=np.uint8,
                           workers=-1),
            process.cpdist(values[px], core[py], scorer=fuzz.token_set_ratio, dtype=np.uint8,
                           workers=-1),
            process.cpdist(core[px], core[py], scorer=fuzz.token_sort_ratio, dtype=np.uint8,
                           workers=-1)])
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
    from rapidfuzz import fuzz, process

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
            return process.cpdist(ordered[position[x]], ordered[position[y]], scorer=fuzz.ratio,
                                  dtype=np.uint8, workers=-1)
    else:
        score = record.token_sort_ratio
    del used, rows
    for start in range(0, len(a), SCORE_CHUNK):
        first, second = a[start:start + SCORE_CHUNK], b[start:start + SCORE_CHUNK]
        scores[start:start + SCORE_CHUNK] = score(first, second)
        say(min(1.0, (start + SCORE_CHUNK) / max(1, len(a))) * 0.99)
    scores[empty[a] | empty[b]] = MISSING
    return scores



def _unnamed(core: "np.ndarray", values: "np.ndarray", rows: "np.ndarray") -> "np.ndarray":
    """Per row of `rows`: is its core numbers only (no letter) while its value holds a letter?"""
    import numpy as np

    # The rows' cores and values taken as two arrays at once, not a look-up per row (ranked.py).
    return np.fromiter((not any(c.isalpha() for c in kept) and any(c.isalpha() for c in value)
                        for kept, value in zip(core[rows].tolist(), values[rows].tolist())),
                       dtype=bool, count=len(rows))
