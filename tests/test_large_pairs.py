"""The duckdb engine's candidate pairs are the in-memory engine's, pair for pair and in order:
for a dedupe, for two tables stacked for a match, and through the budget's cut."""

from __future__ import annotations

import pytest

from tests.large_inputs import people_rows, write_csv

PEOPLE = ["first", "last", "street", "city", "born", "email"]


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _prepared(rows: list[list[str]]):
    from datatools.tools.similarity import prepare_columns

    return prepare_columns(PEOPLE, [[row[k] for row in rows] for k in range(len(PEOPLE))])


def _both(path, rows: list[list[str]], split: int = 0):
    import numpy as np

    from datatools.large.job import large_job
    from datatools.large.pairs import candidate_pairs, pair_batches
    from datatools.tools import candidates

    side = None if not split else np.arange(len(rows)) >= split
    memory = candidates.candidate_pairs(_prepared(rows), side=side)
    prepared = _prepared(rows)
    with large_job(path) as job:
        count = candidate_pairs(job, prepared, split=split)
        parts = list(pair_batches(job, count, prepared.rows, rows=1_000))
    large = tuple(np.concatenate(column) for column in zip(*parts))
    return memory, large


def _assert_same(memory, large) -> None:
    import numpy as np

    assert len(large[0]) == len(memory[0]) > 0
    assert np.array_equal(large[0], memory[0]) and np.array_equal(large[1], memory[1])


def test_a_dedupes_pairs_are_the_same_pairs_in_the_same_order(tmp_path):
    rows = people_rows(1_200)
    memory, large = _both(write_csv(tmp_path / "people.csv", rows), rows[1:])
    _assert_same(memory, large)


def test_two_stacked_tables_pair_only_left_with_right_rows(tmp_path):
    rows = people_rows(1_000)[1:]
    memory, large = _both(write_csv(tmp_path / "people.csv", [PEOPLE] + rows), rows, split=600)
    _assert_same(memory, large)
    assert (large[0] < 600).all() and (large[1] >= 600).all()


def test_the_budgets_cut_keeps_the_same_pairs(tmp_path, monkeypatch):
    from datatools.tools import candidates

    monkeypatch.setattr(candidates, "MIN_SCORED", 5_000)
    rows = people_rows(1_500, seed=4)
    memory, large = _both(write_csv(tmp_path / "people.csv", rows), rows[1:])
    # SCORED_PER_ROW × rows: the cut was made; rows sharing a rare phone or e-mail are added
    # after it (candidates.key_pairs, DECISIONS 399)
    assert 6_000 <= len(memory[0]) < 6_100
    _assert_same(memory, large)
