"""cluster_pairs: components are regrouped so a chain of look-alikes never becomes one cluster."""

import numpy as np

from datatools.tools import clustering
from datatools.tools.clustering import cluster_pairs

# Rows 0–5 in a chain: 0~1, 1~2, 2~3, 3~4, 4~5 all pass the threshold 60; only the pairs
# (0, 1), (2, 3) and (4, 5) are really alike.
A = np.array([0, 1, 2, 3, 4])
B = np.array([1, 2, 3, 4, 5])
SCORES = np.array([95, 61, 95, 61, 95], dtype=np.float32)
ALIKE = {(0, 1), (2, 3), (4, 5)}


def score_pairs(x, y):
    return np.array([95.0 if (min(i, j), max(i, j)) in ALIKE else 10.0 for i, j in zip(x, y)])


def as_lists(clusters):
    return sorted(sorted(int(r) for r in cluster) for cluster in clusters)


def test_a_chain_is_cut_into_the_pairs_that_are_really_alike():
    assert as_lists(cluster_pairs(6, A, B, SCORES, 60, score_pairs)) == [[0, 1], [2, 3], [4, 5]]


def test_an_oversized_component_is_first_split_by_raising_the_bar(monkeypatch):
    monkeypatch.setattr(clustering, "MAX_COMPONENT", 3)
    assert as_lists(cluster_pairs(6, A, B, SCORES, 60, score_pairs)) == [[0, 1], [2, 3], [4, 5]]


def test_a_group_whose_members_are_all_alike_stays_together():
    def all_alike(x, y):
        return np.full(len(x), 90.0)

    assert as_lists(cluster_pairs(6, A, B, SCORES, 60, all_alike)) == [[0, 1, 2, 3, 4, 5]]
