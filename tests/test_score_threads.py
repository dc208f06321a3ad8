"""Pair scoring on two threads and each distinct value prepared once (issue 30, DECISIONS 370):
the same scores, groups and reasons as one column after another, pair by pair."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from datatools.progress import Progress


def _people(rows: int) -> pd.DataFrame:
    """A list of people, every third one keyed again with a typo, a lost space or its street's
    words in another order."""
    first = ["Anna", "Jonas", "Mira", "Paul", "Lea", "Ben", "Emma", "Noah"]
    last = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"]
    streets = ["Hauptstraße", "Am Mühlbach", "Schulweg", "Lange Reihe", "Van der Berg Weg"]
    records = []
    for i in range(rows):
        street = f"{streets[i % 5]} {1 + i % 37}"
        record = [first[i % 8], last[i * 7 % 8], street, f"{10000 + i % 97:05d}", "Berlin",
                  f"030 {1000000 + i}", f"{first[i % 8].lower()}.{i}@web.de"]
        records.append(record)
        if i % 3 == 0:
            again = list(record)
            again[1] = again[1][:-1] + again[1][-1].upper()
            again[2] = (again[2].replace(" ", "", 1) if i % 2 else
                        " ".join(reversed(again[2].split())))
            records.append(again)
    return pd.DataFrame(records, columns=["first", "last", "street", "zip", "city", "phone",
                                          "email"])


def test_columns_scored_on_two_threads_give_the_scores_of_one(monkeypatch):
    """Above THREADED_PAIRS pairs score_columns scores two columns at once on threads of its
    own; each column's scores, the groups and every output cell are those of one column after
    another, and the work did run on those threads (as many as the machine has cores, two at
    most)."""
    import os

    from datatools.tools import similarity
    from datatools.tools.dedupe import find_duplicates

    frame = _people(3_000)
    columns = list(frame.columns)
    monkeypatch.setattr(similarity, "SCORE_THREADS", 1)
    alone = find_duplicates(frame, columns)
    monkeypatch.setattr(similarity, "SCORE_THREADS", 2)
    monkeypatch.setattr(similarity, "THREADED_PAIRS", 0)
    threads = set()
    both = find_duplicates(frame, columns, progress=Progress(
        lambda fraction, message: threads.add(threading.current_thread().name)))
    assert alone.report.clusters > 500
    assert both.frame.equals(alone.frame)
    assert [c.rows for c in both.clusters] == [c.rows for c in alone.clusters]
    assert len({name for name in threads if name.startswith("datatools-score")}) == min(
        2, os.cpu_count() or 1)


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
    for stored in (values, __import__("pyarrow").array(values.tolist())):
        text = RankedText(stored, ranks)
        left, right = text.words_sorted(x, y)
        assert process.cpdist(left, right, scorer=fuzz.ratio).tolist() == process.cpdist(
            text[x], text[y], scorer=fuzz.token_sort_ratio).tolist()
        assert left.tolist()[:2] == ["12 schulweg", "12 schulweg"]
