"""The fast paths of matching are exact: the pair budget, the pairs inside groups, word counts."""

import numpy as np

from datatools.tools import candidates
from datatools.tools.clustering import pairs_within
from datatools.tools.similarity import prepare_columns


def _table(rows: int = 400):
    rng = np.random.default_rng(3)
    names = ["city", "first", "last"]
    columns = [[f"{kind}{value}" if value else "" for value in rng.integers(0, size, rows)]
               for kind, size in (("c", 4), ("f", 12), ("l", 40))]
    return prepare_columns(names, columns)


def test_the_budget_keeps_the_same_pairs_as_the_float_agreement_with_ties_in_pair_order():
    prepared = _table()
    a, b = np.triu_indices(prepared.rows, 1)
    a, b = a.astype(np.int32), b.astype(np.int32)
    for budget in (1, 50, 1_000, 7_777, 40_000, len(a) - 1):
        got = candidates._within_budget(prepared, a, b, None, budget)
        want = candidates._within_budget_by_float(prepared, a, b, budget, None)
        assert len(got[0]) == budget
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_pairs_within_groups_come_group_by_group_in_upper_triangle_order():
    groups = [np.array([4, 9]), np.array([1, 2, 7]), np.array([3, 5]), np.array([0, 6, 8, 10])]
    first, second = pairs_within(groups)
    want = [(int(g[i]), int(g[j])) for g in groups for i, j in zip(*np.triu_indices(len(g), 1))]
    assert list(zip(first.tolist(), second.tolist())) == want
    assert [len(part) for part in pairs_within([])] == [0, 0]


def test_a_word_twice_in_one_value_counts_one_row_in_short_and_long_values():
    import math

    import pyarrow as pa

    from datatools.tools.words import SHORT_VALUE_WORDS, weigh_words

    long_value = " ".join(["acme"] * 2 + [f"w{k}" for k in range(SHORT_VALUE_WORDS)])
    for first in ("acme acme works", long_value):
        words = weigh_words(pa.array([first, "acme", "birch", "cedar"]), [1, 1, 1, 1])
        # acme is in 2 of 4 rows, however often the first row repeats it.
        assert math.isclose(words.weight("acme"), math.log(4 / 2))
        assert math.isclose(words.weight("birch"), math.log(4 / 1))


def test_a_common_word_can_veto_only_where_it_is_in_the_values_core_however_often_asked():
    # words.distinctive keeps its answer per word (DECISIONS 569): what it keeps must not
    # carry one value's core over to the next value asked about.
    import pyarrow as pa

    from datatools.tools.words import weigh_words

    values = ["acme works"] * 5 + ["birch"] + [f"other{k}" for k in range(24)]
    words = weigh_words(pa.array(values), [1] * len(values))
    for _ in range(2):
        assert words.distinctive("acme", {"acme"})       # a common word in the core: vetoes
        assert not words.distinctive("acme", {"works"})  # the same word outside it: does not
        assert words.distinctive("birch", set())          # a rare word vetoes anywhere
        assert not words.distinctive("a1", {"a1"})        # an initial with a digit: never
