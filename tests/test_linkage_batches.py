"""The model learned batch by batch (datatools/tools/linkage_batches.py) is learn_model's, float
for float: the same pattern counts, the same EM, the same vetoes left out, the same scores."""

from __future__ import annotations

import numpy as np
import pytest

from tests.large_inputs import GIVEN, people_rows


def _with_housemates(rows: int, seed: int = 7) -> list[list[str]]:
    """people_rows with, after about one person in seven, a housemate: another given name, the
    same surname, street, city and birthday (twins), their own e-mail address."""
    import random

    table, rng = people_rows(rows, seed=seed), random.Random(seed)
    out = [table[0]]
    for row in table[1:]:
        out.append(row)
        if rng.random() < 0.15:
            other = rng.choice([g for g in GIVEN if g != row[0]])
            out.append([other, *row[1:5], f"{other.lower()}.{row[1].lower()}@example.org"])
    return out


def _prepared_pairs(rows: int, split: int | None = None):
    import pyarrow as pa

    from datatools.tools.candidates import candidate_pairs
    from datatools.tools.similarity import prepare_columns

    table = _with_housemates(rows)
    names = table[0]
    columns = [pa.array([row[k] for row in table[1:]]) for k in range(len(names))]
    prepared = prepare_columns(names, columns)
    side = None if split is None else np.arange(len(table) - 1) >= split
    a, b = candidate_pairs(prepared, side=side)
    return prepared, a, b, side


def _batches(a, b, column_scores, size):
    return lambda: ((a[k:k + size], b[k:k + size], column_scores[k:k + size])
                    for k in range(0, len(a), size))


@pytest.mark.parametrize("split", [None, 1_500])
def test_the_batched_model_and_its_scores_are_learn_models(split):
    from datatools.tools.linkage_batches import apply_batch, learn_model_batched
    from datatools.tools.linkage_model import apply_model, learn_model
    from datatools.tools.similarity import PairScores, score_pairs

    prepared, a, b, side = _prepared_pairs(2_600, split)
    scored = score_pairs(prepared, a, b)
    whole = learn_model(prepared, a, b, scored.columns, side=side)
    assert whole.vetted[2], "the table has households: the second EM leaves their pairs out"
    size = len(a) // 3 + 7
    batched, checks = learn_model_batched(prepared, _batches(a, b, scored.columns, size), side=side)
    assert np.array_equal(batched.m, whole.m) and np.array_equal(batched.u, whole.u)
    assert batched.prior == whole.prior and batched.names == whole.names

    expected = apply_model(whole, prepared, a, b, PairScores(scored.score.copy(), scored.columns.copy(), {}))
    parts = [apply_batch(batched, prepared, a[k:k + size], b[k:k + size],
                         PairScores(scored.score[k:k + size].copy(), scored.columns[k:k + size].copy(), {}),
                         check)
             for check, k in zip(checks, range(0, len(a), size))]
    assert np.array_equal(np.concatenate([p.probability for p in parts]), expected.probability)
    assert np.array_equal(np.concatenate([p.weights for p in parts]), expected.weights)
    vetoes = {k + n * size: v for n, p in enumerate(parts) for k, v in p.vetoes.items()}
    assert vetoes == expected.vetoes


def test_pattern_counts_fit_as_fit_model_fits_the_levels():
    from datatools.tools.linkage_batches import PatternCounts, fit_counts
    from datatools.tools.linkage_model import all_levels, fit_model
    from datatools.tools.linkage_u import estimate_u
    from datatools.tools.similarity import score_columns

    prepared, a, b, _ = _prepared_pairs(2_000)
    levels = all_levels(prepared, a, b, score_columns(prepared, a, b))
    u = estimate_u(prepared)
    counted = PatternCounts(levels.shape[1])
    for k in range(0, len(levels), 1_000):
        counted.add(levels[k:k + 1_000])
    counted.add(levels[:500], sign=-1)
    counted.add(levels[:500])
    from datatools.tools.dependence import dependent_columns

    dependent = dependent_columns(prepared)
    expected = fit_model(prepared, levels, u, 1e9, dependent)
    fitted = fit_counts(prepared, counted, u, 1e9, dependent)
    assert np.array_equal(expected.m, fitted.m) and expected.prior == fitted.prior
    empty = fit_counts(prepared, PatternCounts(levels.shape[1]), u)
    assert np.array_equal(empty.m, fit_model(prepared, levels[:0], u).m)
