"""Group matched row pairs into clusters without chaining unrelated rows together.

Connected components alone chain: A~B and B~C put A and C together even when they share nothing.
So components of three or more rows are re-examined with every pair inside them scored, and
rebuilt by average-linkage agglomeration: two groups merge only while their mean pair score
reaches the threshold and no pair between them falls below threshold − LINK_SLACK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np

# How far below the threshold one pair inside a cluster may score. Duplicates of one original
# differ from each other more than from the original (two typos apart instead of one).
LINK_SLACK = 15.0
# Components larger than this are first split by raising the edge threshold step by step, so
# the all-pairs re-scoring inside a component stays small.
MAX_COMPONENT = 150
THRESHOLD_STEP = 2.0

ScorePairs = Callable[["np.ndarray", "np.ndarray"], "np.ndarray"]


def connected_components(rows: int, a: "np.ndarray", b: "np.ndarray") -> "np.ndarray":
    """A component label per row (the smallest row number in it)."""
    import numpy as np

    labels = np.arange(rows, dtype=np.int64)
    if len(a) == 0:
        return labels
    while True:
        lowest = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, lowest)
        np.minimum.at(labels, b, lowest)
        while True:  # pointer jumping: follow labels to their root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(before, labels):
            return labels


def _groups(labels: "np.ndarray") -> list["np.ndarray"]:
    """Row numbers of each label that covers two or more rows."""
    import numpy as np

    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    ends = np.r_[starts[1:], len(order)]
    return [order[s:e] for s, e in zip(starts, ends) if e - s > 1]


def pairs_within(groups: "list[np.ndarray]") -> tuple["np.ndarray", "np.ndarray"]:
    """Every pair (first, second) inside each group, group after group, each group's pairs in
    np.triu_indices order. Built per group size, not per group: a million rows form a hundred
    thousand groups, most of two rows."""
    import numpy as np

    if not groups:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    sizes = np.fromiter((len(group) for group in groups), dtype=np.int64, count=len(groups))
    members = np.concatenate(groups)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    counts = sizes * (sizes - 1) // 2
    offsets = np.r_[0, np.cumsum(counts)[:-1]]
    first = np.empty(int(counts.sum()), dtype=members.dtype)
    second = np.empty_like(first)
    for size in np.unique(sizes[sizes > 1]).tolist():
        chosen = np.flatnonzero(sizes == size)
        block = members[starts[chosen, None] + np.arange(size)]   # one row per group
        i, j = np.triu_indices(size, 1)
        where = offsets[chosen, None] + np.arange(len(i))
        first[where] = block[:, i]
        second[where] = block[:, j]
    return first, second


def _split_large(members: "np.ndarray", a: "np.ndarray", b: "np.ndarray", scores: "np.ndarray",
                 threshold: float) -> list["np.ndarray"]:
    """Split an oversized component by raising the bar for its edges until the parts are small."""
    import numpy as np

    inside = np.isin(a, members) & np.isin(b, members)
    ea, eb, es = a[inside], b[inside], scores[inside]
    pending, done = [(members, threshold + THRESHOLD_STEP)], []
    while pending:
        group, bar = pending.pop()
        if len(group) <= MAX_COMPONENT or bar > 100:
            done.append(group[:MAX_COMPONENT] if len(group) > MAX_COMPONENT else group)
            continue
        keep = (es >= bar) & np.isin(ea, group) & np.isin(eb, group)
        position = {row: k for k, row in enumerate(group.tolist())}
        local_a = np.array([position[r] for r in ea[keep].tolist()], dtype=np.int64)
        local_b = np.array([position[r] for r in eb[keep].tolist()], dtype=np.int64)
        labels = connected_components(len(group), local_a, local_b)
        pending.extend((group[part], bar + THRESHOLD_STEP) for part in _groups(labels))
    return done


def _average_linkage(matrix: "np.ndarray", threshold: float) -> list[list[int]]:
    """Agglomerate the rows of a small all-pairs score matrix; clusters of two or more rows."""
    import numpy as np

    size = len(matrix)
    sums = matrix.astype(np.float64).copy()
    lows = matrix.astype(np.float64).copy()
    np.fill_diagonal(sums, -np.inf)
    counts = np.ones(size)
    members = [[k] for k in range(size)]
    alive = np.ones(size, dtype=bool)
    while True:
        mean = sums / np.outer(counts, counts)
        usable = (mean >= threshold) & (lows >= threshold - LINK_SLACK)
        usable &= np.outer(alive, alive)
        np.fill_diagonal(usable, False)
        if not usable.any():
            break
        mean = np.where(usable, mean, -np.inf)
        i, j = divmod(int(np.argmax(mean)), size)
        sums[i] += sums[j]
        sums[:, i] += sums[:, j]
        lows[i] = np.minimum(lows[i], lows[j])
        lows[:, i] = np.minimum(lows[:, i], lows[:, j])
        sums[i, i] = -np.inf
        counts[i] += counts[j]
        members[i].extend(members[j])
        alive[j] = False
        members[j] = []
    return [sorted(group) for group in members if len(group) > 1]


def cluster_pairs(rows: int, a: "np.ndarray", b: "np.ndarray", scores: "np.ndarray",
                  threshold: float, score_pairs: ScorePairs,
                  progress: Progress | None = None) -> list["np.ndarray"]:
    """Clusters (arrays of row numbers, two or more rows each) from scored candidate pairs.

    `score_pairs(a, b)` scores arbitrary pairs; it is called for the pairs inside components of
    three or more rows.
    """
    import numpy as np

    matched = scores >= threshold
    ma, mb, ms = a[matched], b[matched], scores[matched]
    components = _groups(connected_components(rows, ma, mb))
    clusters = [group for group in components if len(group) == 2]
    larger = []
    for group in components:
        if len(group) > MAX_COMPONENT:
            larger.extend(_split_large(group, ma, mb, ms, threshold))
        elif len(group) > 2:
            larger.append(group)
    if not larger:
        return clusters
    # Score every pair inside every larger component in one vectorised call (`score_pairs`
    # reports on its own stage, before this one: the grouping starts once it is done).
    all_scores = score_pairs(*pairs_within(larger))
    if progress is not None:
        progress.update(0.0, "grouping matches")
    offset = 0
    upper: dict[int, tuple["np.ndarray", "np.ndarray"]] = {}
    for number, group in enumerate(larger):
        size = len(group)
        count = size * (size - 1) // 2
        matrix = np.zeros((size, size))
        if size not in upper:
            upper[size] = np.triu_indices(size, 1)
        i, j = upper[size]
        matrix[i, j] = matrix[j, i] = all_scores[offset:offset + count]
        offset += count
        clusters.extend(group[part] for part in _average_linkage(matrix, threshold))
        if progress is not None and number % 2000 == 0:
            progress.update(number / len(larger), "grouping matches")
    return clusters
