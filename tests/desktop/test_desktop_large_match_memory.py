"""The large Match review's memory: what the window holds for a match on the duckdb engine grows
by a few bytes a row, not by Python objects a row or a row group of cells (issue 27)."""

from __future__ import annotations

import tracemalloc

import pytest

from tests.large_inputs import people_rows, write_csv

pytestmark = pytest.mark.filterwarnings("error")


def test_a_large_match_review_pages_filters_and_saves_in_few_python_bytes_a_row(monkeypatch, tmp_path):
    # Issue 27's 1 M sign-ups against the 10 M export: the review held a Python score and
    # certainty a row and sorted the rows by a Python key for each page, the text filter read a
    # row group (256,000 rows) of every cell as Python strings, and so did Save, twice over where
    # a possible match was held (DECISIONS 506). The rows' scores are numpy arrays, the filter
    # reads a column of a row group at a time, and Save a part of rows at a time.
    from datatools.app.inputs import InputSpec
    from datatools.app.large_match import run_match_large
    from datatools.app.results.large_matches import reviewed_parts
    from datatools.app.review import GroupFilter
    from datatools.progress import Progress

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("datatools.large.dedupe.PART_ROWS", 500)
    table = people_rows(16_000, seed=7)
    half = len(table) // 2
    left = write_csv(tmp_path / "left.csv", [table[0]] + table[1:half + 1])
    right = write_csv(tmp_path / "right.csv", [table[0]] + table[half + 1:])
    done = run_match_large([InputSpec(left), InputSpec(right)],
                           {"on": ["first", "last", "email"], "threshold": None, "top": 1, "unique": False},
                           Progress(), None, None)
    try:
        rows = done.summary["left_rows"]
        assert rows == half and done.summary["possible"] > 100
        tracemalloc.start()
        try:
            review = type(done.review)(done.review.path, done.review.names, ["first", "last", "email"],
                                       ["first", "last", "email"], top=1, weights=done.review.weights)
            first = review.page(GroupFilter())
            found = review.page(GroupFilter(text="müller"), sort="-score")
            review.decide({"filter": {"certainty": "possible", "text": "an"}, "accepted": True})
            written = sum(len(part) for part, _ in reviewed_parts(review.path, review.as_record(), 1))
            held = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        done.close()
    assert first["total"] == rows and found["total"] > 10 and written == rows
    # 150 bytes a row here; 288 with a Python score and certainty a row and a row group read
    # whole (this table's 8,000 rows are one group: Save's parts are 500 rows)
    assert held < 220 * rows, f"{held / rows:.0f} bytes a row"
