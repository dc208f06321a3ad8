"""Choose which row pairs are worth scoring: multi-pass sorted neighbourhood, never all pairs.

Rows are sorted several ways and each row is paired with the next few rows of every order:

- the whole record (compared columns joined in order), so records that agree from the start
  meet;
- the whole record with the columns in reverse order, and the whole record spelled backwards,
  so a typo in the first characters does not separate two records;
- per column with many distinct values: rows with exactly that value, ordered by the whole
  record, so a record whose other columns are garbled still meets the rows sharing its surname,
  date of birth or ID.

Each pass is a sort of integer ranks (a few hundred milliseconds at a million rows) and yields at
most `window` pairs per row, so the work grows as n log n and memory as n × passes × window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from datatools.progress import Progress
from datatools.tools.identifiers import MAX_CODE_ROWS
from datatools.tools.similarity import PreparedColumns

if TYPE_CHECKING:
    import numpy as np

# Pairs generated per pass and row: wide windows while the table is small (near all-pairs recall
# for a few thousand rows), narrowing to MIN_WINDOW so a million rows stays within seconds.
PAIR_BUDGET = 6_000_000
MIN_WINDOW = 4
MAX_WINDOW = 60
# A column blocks only if it has at least this many distinct values per 1,000 rows: blocking on
# a state or gender column would pair everyone with everyone in the same state.
MIN_DISTINCT_PER_THOUSAND = 5
# Fuzzy scoring costs about 0.3 µs per pair and column; beyond pair_budget(rows) pairs the
# cheapest signal (exact agreement) picks which to score. 1,000,000 (was 3,000,000: 58 pairs a
# row at 50,000 rows, half the run; DECISIONS 201) keeps every true pair the 3 M kept on FEBRL
# 1–4, Abt-Buy, the legal-form set and 20,000-row customer lists, and the certain groups of
# 50,000 common-name rows unchanged.
MIN_SCORED = 1_000_000
SCORED_PER_ROW = 4
# Below MIN_SCORED a table scores DENSE_PER_ROW pairs a row, and at least SMALL_SCORED
# (DECISIONS 283): on common-name lists 12 pairs a row give the groups 20 a row give (output
# byte-identical at 20,000 and 50,000 rows), 8 or 6 do not (50,000 and 100,000 rows lose groups).
SMALL_SCORED = 600_000
DENSE_PER_ROW = 12
# Pairs whose agreement is worked out at a time: bounds the scratch memory of the choice.
BUDGET_CHUNK = 1_000_000


def pair_budget(rows: int) -> int:
    """How many candidate pairs a table of `rows` rows scores at most, for both engines:
    DENSE_PER_ROW a row between SMALL_SCORED and MIN_SCORED pairs, and SCORED_PER_ROW a row
    beyond (600,000 pairs up to 50,000 rows, 1 M from 83,334 to 250,000, 4 a row above)."""
    return max(SCORED_PER_ROW * rows, min(MIN_SCORED, max(SMALL_SCORED, DENSE_PER_ROW * rows)))


def window_for(rows: int, passes: int) -> int:
    return int(min(MAX_WINDOW, max(MIN_WINDOW, PAIR_BUDGET // max(1, rows * passes))))


def _neighbour_keys(order: "np.ndarray", window: int, block: "np.ndarray | None",
                    side: "np.ndarray | None") -> "np.ndarray":
    """Pairs of rows at most `window` apart in `order`, as keys low × rows + high."""
    import numpy as np

    rows = len(order)
    keys = []
    for step in range(1, min(window, rows - 1) + 1):
        a, b = order[:-step], order[step:]
        keep = None
        if block is not None:
            keep = block[a] == block[b]
        if side is not None:
            cross = side[a] != side[b]
            keep = cross if keep is None else keep & cross
        if keep is not None:
            a, b = a[keep], b[keep]
        keys.append(np.minimum(a, b).astype(np.int64) * rows + np.maximum(a, b))
    # The steps' keys are in no order: numpy's quicksort (vectorised) sorts them faster than
    # timsort, and equal keys are equal, so the distinct keys are the same.
    return _distinct(np.concatenate(keys), "quicksort") if keys else np.empty(0, np.int64)


def _distinct(keys: "np.ndarray", kind: str = "stable") -> "np.ndarray":
    """Sorted distinct keys (a sort beats numpy's hash-based unique on tens of millions).
    `kind` is the sort's: the default, timsort, is cheap on a concatenation of sorted runs."""
    import numpy as np

    keys.sort(kind=kind)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def _lexsort(keys: "tuple[np.ndarray, ...]") -> "np.ndarray":
    """np.lexsort(keys) of non-negative integer keys (the last sorts first), with neighbouring
    keys packed into one int64 while their ranges multiply below 2**62: the same order (packing
    keeps the lexicographic order, and lexsort is stable) from two or three keys instead of
    seven, each of which is a full pass of lexsort's merge sort."""
    import numpy as np

    packed: list[np.ndarray] = []
    current, span = None, 1
    for key in keys:
        size = int(key.max()) + 1 if len(key) else 1
        if current is not None and span * size < 1 << 62:
            current = key.astype(np.int64) * span + current   # this key is the more significant
            span *= size
        else:
            if current is not None:
                packed.append(current)
            current, span = key.astype(np.int64), size
    if current is not None:
        packed.append(current)
    return np.lexsort(tuple(packed))


def candidate_pairs(prepared: PreparedColumns, *, side: "np.ndarray | None" = None,
                    progress: Progress | None = None) -> tuple["np.ndarray", "np.ndarray"]:
    """Distinct pairs (a, b) with a < b worth scoring.

    With `side` (a bool per row: False for the left table, True for the right) only pairs that
    join a left row to a right row are returned.
    """
    import numpy as np

    rows = prepared.rows
    if rows < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # Whole-record orders as lexicographic sorts of the per-column ranks (np.lexsort's last key
    # sorts first): no string is built or sorted here.
    forward = _lexsort(tuple(reversed(prepared.ranks)))
    record_orders = [lambda: forward, lambda: _lexsort(tuple(prepared.ranks)),
                     lambda: _lexsort(tuple(prepared.backward_ranks))]
    forward_position = np.empty(rows, dtype=np.int64)
    forward_position[forward] = np.arange(rows)
    blocking = []
    for ranks in prepared.ranks:
        distinct = _distinct_count(ranks)
        if distinct * 1000 >= MIN_DISTINCT_PER_THOUSAND * rows and distinct > 1:
            blocking.append(ranks)
    passes = len(record_orders) + len(blocking)
    window = window_for(rows, passes)
    # Each pass is merged into the distinct keys so far at once: memory holds the pairs found
    # plus one pass, not every pass side by side (half a gigabyte at a million rows).
    keys = np.empty(0, np.int64)
    for number, record_order in enumerate(record_orders):
        both = np.concatenate([keys, _neighbour_keys(record_order(), window, None, side)])
        del keys  # before the distinct copy is made: one fewer array of every pair so far
        keys = _distinct(both)
        del both
        if progress is not None:
            progress.update((number + 1) / (passes + 1), "pairing similar rows")
    for number, ranks in enumerate(blocking):
        block = ranks.copy()
        empty = block == 0
        block[empty] = -np.arange(1, int(empty.sum()) + 1)  # an empty cell blocks with nothing
        # By block, then record order: one sort of distinct int64 keys (block × rows + position;
        # an empty cell's negative block too), the order np.lexsort((position, block)) gives.
        found = _neighbour_keys(np.argsort(block.astype(np.int64) * rows + forward_position),
                                window, block, side)
        del block, empty
        both = np.concatenate([keys, found])
        del keys, found
        keys = _distinct(both)
        del both
        if progress is not None:
            progress.update((len(record_orders) + number + 1) / (passes + 1), "pairing similar rows")
    # Row numbers fit in int32; halving them halves the largest arrays of the whole run. Written
    # straight into int32 (buffered casts): no int64 quotient as large as the keys themselves.
    first = np.floor_divide(keys, rows, out=np.empty(len(keys), np.int32), casting="unsafe")
    second = np.remainder(keys, rows, out=np.empty(len(keys), np.int32), casting="unsafe")
    del keys
    first, second = _within_budget(prepared, first, second, progress)
    # Rows sharing a rare code (a model number, an article number) are always compared, after
    # the budget's cut: `Netgear … GS116NA` meets `… GS116NA …` whatever else the rows say.
    coded_a, coded_b = code_pairs(prepared, side)
    # ... and so are rows sharing a rare exact key, an e-mail, a phone or a customer number
    # (DECISIONS 399): the cut ranks pairs by the columns they agree on, not by how rare the
    # value is, and at a million rows it dropped 594 pairs that shared one.
    keyed_a, keyed_b = key_pairs(prepared, side)
    coded_a, coded_b = np.concatenate([coded_a, keyed_a]), np.concatenate([coded_b, keyed_b])
    if len(coded_a):
        both = np.concatenate([first.astype(np.int64) * rows + second,
                               coded_a.astype(np.int64) * rows + coded_b])
        keys = _distinct(both)
        first = np.floor_divide(keys, rows).astype(np.int32)
        second = np.remainder(keys, rows).astype(np.int32)
    if progress is not None:
        progress.update(1.0, f"{len(first):,} pairs to compare")
    return first, second


def code_pairs(prepared: PreparedColumns, side: "np.ndarray | None" = None
               ) -> tuple["np.ndarray", "np.ndarray"]:
    """Pairs (a < b) of rows holding the same code key (identifiers.row_codes: a code, two
    words making one, a code without its letter suffix), held by at most MAX_CODE_ROWS rows (a
    rarer key than any name), in the descriptive columns. With `side`, left × right pairs only."""
    import numpy as np

    from datatools.tools.clustering import pairs_within
    from datatools.tools.identifiers import row_codes

    found = row_codes(prepared)
    ids, holders = found.key_ids, found.key_holders
    if not len(ids):
        return np.empty(0, np.int32), np.empty(0, np.int32)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], len(ids)]
    groups = [holders[s:e] for s, e in zip(starts.tolist(), ends.tolist())
              if 2 <= e - s <= MAX_CODE_ROWS]
    if not groups:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    a, b = pairs_within(groups)
    keys = _distinct(np.minimum(a, b).astype(np.int64) * prepared.rows + np.maximum(a, b))
    a, b = keys // prepared.rows, keys % prepared.rows
    if side is not None:
        keep = side[a] != side[b]
        a, b = a[keep], b[keep]
    return a.astype(np.int32), b.astype(np.int32)


def key_columns(prepared: PreparedColumns) -> list[int]:
    """The compared columns whose equal values name one person or household: e-mail columns
    (PreparedColumns.exact_only), phone columns (named for one: similarity.PHONE_WORDS) and a
    person's own number (households.own_numbers: a customer or social security number)."""
    from datatools.tools.households import own_numbers
    from datatools.tools.similarity import PHONE_WORDS, name_says

    mail = prepared.exact_only or [False] * len(prepared.names)
    own = set(own_numbers(prepared))
    return [column for column, name in enumerate(prepared.names)
            if mail[column] or column in own or name_says(name, PHONE_WORDS)]


def key_pairs(prepared: PreparedColumns, side: "np.ndarray | None" = None
              ) -> tuple["np.ndarray", "np.ndarray"]:
    """Pairs (a < b, int32 arrays) of rows holding the same normalised value in a key column
    (key_columns) held by at most MAX_CODE_ROWS rows: a value more rows share (`info@`, a
    switchboard) names no one. With `side`, left × right pairs only. Both engines add them after
    the pair budget's cut, as code_pairs (DECISIONS 399)."""
    import numpy as np

    from datatools.tools.clustering import pairs_within

    found = []
    for column in key_columns(prepared):
        ranks = prepared.ranks[column]
        held = np.bincount(ranks)
        shared = np.flatnonzero((ranks > 0) & (held[ranks] >= 2) & (held[ranks] <= MAX_CODE_ROWS))
        if not len(shared):
            continue
        order = shared[np.argsort(ranks[shared], kind="stable")]
        values = ranks[order]
        starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        a, b = pairs_within(np.split(order, starts[1:]))
        found.append(np.minimum(a, b).astype(np.int64) * prepared.rows + np.maximum(a, b))
    if not found:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    keys = _distinct(np.concatenate(found))
    a, b = keys // prepared.rows, keys % prepared.rows
    if side is not None:
        keep = side[a] != side[b]
        a, b = a[keep], b[keep]
    return a.astype(np.int32), b.astype(np.int32)


def _distinct_count(ranks: "np.ndarray") -> int:
    """Distinct non-empty values of a rank column (ranks are small integers: a bincount)."""
    import numpy as np

    return int(np.count_nonzero(np.bincount(ranks)[1:]))


def _within_budget(prepared: PreparedColumns, a: "np.ndarray", b: "np.ndarray",
                   progress: Progress | None, budget: int | None = None
                   ) -> tuple["np.ndarray", "np.ndarray"]:
    """At most pair_budget(rows) pairs: those agreeing exactly on most weight.

    Exact agreement of normalised cells is a cheap integer comparison; the pairs it drops share
    little and would score low anyway, and this keeps the costly fuzzy scoring linear in rows.
    Ties at the cut are kept in pair order; `budget` overrides the bar. A pair's agreement is held as one small code (which
    columns agree, a bit each) rather than a float per pair, so tens of millions of pairs cost a
    byte or two each here.
    """
    import numpy as np

    if budget is None:
        budget = pair_budget(prepared.rows)
    if len(a) <= budget:
        return a, b
    columns = len(prepared.ranks)
    if columns > 16:
        return _within_budget_by_float(prepared, a, b, budget, progress)
    code = np.zeros(len(a), dtype=np.uint8 if columns <= 8 else np.uint16)
    for start in range(0, len(a), BUDGET_CHUNK):
        left_rows, right_rows = a[start:start + BUDGET_CHUNK], b[start:start + BUDGET_CHUNK]
        part = code[start:start + BUDGET_CHUNK]
        for bit, ranks in enumerate(prepared.ranks):
            left = ranks[left_rows]
            part |= (((left == ranks[right_rows]) & (left > 0)).astype(code.dtype) << bit)
        if progress is not None:
            progress.update(1.0, "choosing pairs to compare")
    # Each code's agreement summed exactly as _within_budget_by_float sums it (float32, column
    # order), so the cut and the ties are the same pairs.
    codes = np.arange(1 << columns)
    value = np.zeros(len(codes), dtype=np.float32)
    for bit, weight in enumerate(prepared.weights):
        value += ((codes >> bit) & 1).astype(bool) * np.float32(weight)
    counts = np.bincount(code, minlength=len(codes))
    # The value at ascending position len(a) - budget, as np.partition would find it.
    levels, level_of = np.unique(value, return_inverse=True)
    per_level = np.bincount(level_of, weights=counts, minlength=len(levels))
    cut = levels[int(np.searchsorted(np.cumsum(per_level), len(a) - budget, side="right"))]
    keep = (value > cut)[code]
    room = budget - int(keep.sum())
    tied = value == cut
    for start in range(0, len(a), BUDGET_CHUNK):
        if room <= 0:
            break
        ties = np.flatnonzero(tied[code[start:start + BUDGET_CHUNK]])[:room]
        keep[start + ties] = True
        room -= len(ties)
    del code
    return a[keep], b[keep]


def _within_budget_by_float(prepared: PreparedColumns, a: "np.ndarray", b: "np.ndarray",
                            budget: int, progress: Progress | None
                            ) -> tuple["np.ndarray", "np.ndarray"]:
    """_within_budget with a float agreement per pair (tables comparing more than 16 columns)."""
    import numpy as np

    agreement = np.zeros(len(a), dtype=np.float32)
    for ranks, weight in zip(prepared.ranks, prepared.weights):
        left = ranks[a]
        agreement += ((left == ranks[b]) & (left > 0)) * np.float32(weight)
        if progress is not None:
            progress.update(1.0, "choosing pairs to compare")
    cut = np.partition(agreement, len(agreement) - budget)[len(agreement) - budget]
    keep = agreement > cut
    room = budget - int(keep.sum())
    ties = np.flatnonzero(agreement == cut)[:room]
    keep[ties] = True
    return a[keep], b[keep]
