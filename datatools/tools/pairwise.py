"""rapidfuzz's one-score-per-aligned-pair call, on several threads only where they pay."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import numpy as np

# From this many pairs in one call rapidfuzz scores on every core (workers=-1); below it, in the
# calling thread. Starting and joining its threads costs about a millisecond a call on a busy
# two-core machine (0.1 ms for 40 pairs in this thread), and a run at 50,000 rows makes a few
# hundred calls, most of them small (DECISIONS 454).
THREADS_FROM = 10_000


def cpdist(left: Any, right: Any, scorer: Callable, dtype: Any = None) -> "np.ndarray":
    """rapidfuzz.process.cpdist(left, right, scorer=scorer, dtype=dtype): the score of each
    aligned pair (left[k], right[k]), one array as long as both (they must be as long as each
    other: rapidfuzz raises ValueError otherwise). The numbers do not depend on the threads:
    each pair's score is the scorer's of its two values alone."""
    from rapidfuzz import process

    workers = -1 if len(left) >= THREADS_FROM else 1
    return process.cpdist(left, right, scorer=scorer, dtype=dtype, workers=workers)
