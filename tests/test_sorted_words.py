"""Each distinct value prepared once for the pairs' scores (issue 30, DECISIONS 370): the same
scores as pair by pair."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def test_values_with_their_words_sorted_score_as_token_sort_ratio():
    """RankedText.words_sorted prepares each distinct value as token_sort_ratio does: fuzz.ratio
    of the two is token_sort_ratio, pair by pair (words in another order, repeated, one word)."""
    from rapidfuzz import fuzz, process

    from datatools.tools.ranked import RankedText

    values = np.array(["", "schulweg 12", "12 schulweg", "am muhlbach 3 3", "3 am muhlbach 3",
                       "berlin", "van der berg weg 7"], dtype=object)
    ranks = np.array([1, 2, 3, 4, 5, 6, 0, 1, 5], dtype=np.int32)
    x = np.array([0, 0, 2, 3, 6, 7, 8, 1])
    y = np.array([1, 2, 3, 4, 0, 1, 4, 5])
    for stored in (values, pa.array(values.tolist())):
        text = RankedText(stored, ranks)
        left, right = text.words_sorted(x, y)
        assert process.cpdist(left, right, scorer=fuzz.ratio).tolist() == process.cpdist(
            text[x], text[y], scorer=fuzz.token_sort_ratio).tolist()
        assert left.tolist()[:2] == ["12 schulweg", "12 schulweg"]


def test_a_column_sorted_once_scores_any_of_its_pairs_as_token_sort_ratio():
    """RankedText.sorted_words, made once for a column's pairs (DECISIONS 371), answers any
    chunk of them as words_sorted does: fuzz.ratio of the two is token_sort_ratio, a value of
    letters and digits alone is itself."""
    from rapidfuzz import fuzz, process

    from datatools.tools.ranked import RankedText

    values = np.array(["", "schulweg 12", "12 schulweg", "berlin", "b a", "mühlbach  3 a"],
                      dtype=object)
    ranks = np.array([1, 2, 3, 4, 5, 0, 3], dtype=np.int32)
    rows = np.arange(len(ranks))
    for stored in (values, pa.array(values.tolist())):
        text = RankedText(stored, ranks)
        column = text.sorted_words(rows)
        for x, y in ((np.array([0, 2, 3]), np.array([1, 6, 4])), (np.array([6]), np.array([0]))):
            left, right = column.pairs(x, y)
            assert process.cpdist(left, right, scorer=fuzz.ratio).tolist() == process.cpdist(
                text[x], text[y], scorer=fuzz.token_sort_ratio).tolist()
            assert [left.tolist(), right.tolist()] == [list(p) for p in text.words_sorted(x, y)]
        assert column.pairs(np.array([2, 3]), np.array([4, 0]))[0].tolist() == ["berlin", "a b"]
