"""`profile_stacked`: the profile of a short table (up to `profile.SAMPLE` rows) in one pass.

A column of a short table is its own sample, so nothing about it needs a call of its own: all
cells are stacked into one pyarrow array (datatools/tools/stacked.py), encoded once against the
table's distinct values, and grouped by (column, value) with numpy. Each distinct value is typed,
shaped and checked once for the whole table; each column then only adds up its groups. The
per-column path (`profile._profile_column`) pays pyarrow's and pandas' fixed cost per call for
every column: a table of 3,000 columns × 30 rows took forty times as long as 10 × 9,000 cells.
The answers are the same column for column (tests/test_wide_tables.py holds them to it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from datatools.progress import Progress
from datatools.tools import text_patterns as tp
from datatools.tools.profile import (TOP, ColumnProfile, _extremes as column_extremes, _kind,
                                     _main_type, _ordered_extremes,
                                     base_kinds, named_type)
from datatools.tools.stacked import stacked_arrow

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

_ORDERED = ("integer", "date", "datetime", "decimal")   # extremes not in text order
_PLAIN_INTEGER = re.compile(r"-?[0-9]+")     # what pyarrow's cast to int64 reads, sign and all
_INT64 = (-(2**63), 2**63 - 1)
_PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[ T][0-9]{2}:[0-9]{2})")
_POINT_DECIMAL = re.compile(r"\.[0-9]{1,2}$|\.[0-9]{4,}$")     # clean.py `_numbers`' point test
# The character checks of `profile._suspicious`, in its order: (kind, needs non-ASCII, test).
_CHECKS = (("edge_spaces", False, None),
           ("control_characters", False, "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"),
           ("encoding_debris", True, tp.ENCODING_DEBRIS),
           ("replacement_characters", True, "\ufffd"),
           ("invisible_characters", True, "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0]"))


class _Distinct:
    """What the profile needs of each distinct value of the table, found once per value."""

    def __init__(self, dictionary) -> None:
        import numpy as np
        import pyarrow.compute as pc

        self.values: list[str] = dictionary.to_pylist()
        self.kind_names, self.kind_codes = _codes([_kind(v) for v in self.values])
        self.shape_names, self.shape_codes = _codes([tp.shape(v) for v in self.values])
        self.leading_zero = np.array([len(v) > 1 and v.startswith("0") for v in self.values], dtype=bool)
        self.lengths = np.asarray(pc.utf8_length(dictionary), dtype=np.int64)
        # Each value's place in text order (UTF-8 byte order is code point order, Python's).
        self.by_rank = np.asarray(pc.sort_indices(dictionary), dtype=np.int64)
        self.rank = np.empty(len(self.by_rank), dtype=np.int64)
        self.rank[self.by_rank] = np.arange(len(self.by_rank), dtype=np.int64)
        non_ascii = np.asarray(pc.invert(pc.string_is_ascii(dictionary)), dtype=bool)
        self.flags = []
        for kind, needs_non_ascii, pattern in _CHECKS:
            if pattern is None:
                mask = pc.or_(pc.starts_with(dictionary, " "), pc.ends_with(dictionary, " "))
            elif pattern == "\ufffd":
                mask = pc.match_substring(dictionary, pattern)
            else:
                mask = pc.match_substring_regex(dictionary, pattern)
            flag = np.asarray(mask, dtype=bool)
            self.flags.append((kind, flag & non_ascii if needs_non_ascii else flag))


def _codes(labels: list[str]) -> tuple[list[str], "np.ndarray"]:
    """The distinct labels, in order of first appearance, and each label's index among them."""
    import numpy as np

    names = list(dict.fromkeys(labels))
    index = {name: i for i, name in enumerate(names)}
    return names, np.array([index[label] for label in labels], dtype=np.int64)


def profile_stacked(frame: "pd.DataFrame", progress: Progress) -> list[ColumnProfile]:
    """The profile of every column of `frame` (at most `profile.SAMPLE` rows), in order: the
    same `ColumnProfile`s `profile._profile_column` gives one column at a time."""
    return profile_cells(stacked_arrow(frame), len(frame), frame.columns.tolist(), progress)


def profile_cells(stacked, rows: int, names: list, progress: Progress) -> list[ColumnProfile]:
    """`profile_stacked` of a table given as its cells stacked column after column (a pyarrow
    string array without nulls, `rows` × len(`names`) cells; io/short_wide.py `Cells`)."""
    import numpy as np
    import pyarrow.compute as pc

    width = len(names)
    encoded = pc.dictionary_encode(stacked)
    distinct = _Distinct(encoded.dictionary)
    size = max(len(distinct.values), 1)
    indices = np.asarray(encoded.indices, dtype=np.int64)
    empty = distinct.values.index("") if "" in distinct.values else -1
    filled_at = np.flatnonzero(indices != empty)
    # One group per (column, value): its count and first cell; ordered by the first cell, which
    # (cells stacked column after column) is column order, then order of first appearance.
    keys = (filled_at // max(rows, 1)) * size + indices[filled_at]
    unique_keys, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    groups = _Groups(unique_keys[order] // size, unique_keys[order] % size, counts[order],
                     width, distinct)
    # Each column's fill rate, one per possible count of filled cells (at most SAMPLE + 1).
    fill_rates = [round(filled / rows, 4) for filled in range(rows + 1)] if rows else [0.0]
    names = [str(name) for name in names]
    profiles = []
    for column in range(width):
        profiles.append(_column(names[column], fill_rates, column, groups, distinct))
        if column % 1000 == 999 or column == width - 1:
            progress.update((column + 1) / width, f"profiled {names[column]}")
    return profiles


class _Groups:
    """The (column, value) groups, ordered by column, then first appearance, and what each
    column adds up from them: numpy over all groups at once, then plain lists to slice."""

    def __init__(self, column, value, count, width: int, distinct: _Distinct) -> None:
        import numpy as np

        self.bounds = np.searchsorted(column, np.arange(width + 1)).tolist()
        texts = np.array(distinct.values, dtype=object)[value]     # a C take, not a list loop
        self.texts = texts.tolist()
        self.count = count.tolist()
        self.filled = np.bincount(column, weights=count, minlength=width).astype(np.int64).tolist()
        lengths = distinct.lengths[value]
        starts = np.asarray(self.bounds[:-1])
        used = starts < np.asarray(self.bounds[1:])
        shortest, longest = np.zeros(width, dtype=np.int64), np.zeros(width, dtype=np.int64)
        if len(value):
            shortest[used] = np.minimum.reduceat(lengths, starts[used])
            longest[used] = np.maximum.reduceat(lengths, starts[used])
        self.shortest, self.longest = shortest.tolist(), longest.tolist()
        # Each column's first and last value in text order ("" for an empty column).
        self.least, self.most = [""] * width, [""] * width
        if len(value):
            rank = distinct.rank[value]
            for extremes, reduce in ((self.least, np.minimum), (self.most, np.maximum)):
                for column_at, at in zip(np.flatnonzero(used).tolist(), distinct.by_rank[
                        reduce.reduceat(rank, starts[used])].tolist()):
                    extremes[column_at] = distinct.values[at]
        self.length_sums = np.bincount(column, weights=lengths * count, minlength=width).tolist()
        zero = distinct.leading_zero[value]
        self.leading_zero = np.zeros(width, dtype=bool)
        if len(value):
            self.leading_zero[used] = np.logical_or.reduceat(zero, starts[used])
        self.leading_zero = self.leading_zero.tolist()
        # The TOP most common values of each column, ties in order of first appearance.
        order = np.lexsort((np.arange(len(value)), -count, column))
        rank = np.arange(len(value)) - np.asarray(self.bounds)[column[order]]
        top = order[rank < TOP]
        self.top_bounds = np.searchsorted(column[top], np.arange(width + 1)).tolist()
        self.top = list(zip(texts[top].tolist(), count[top].tolist()))
        self.kinds = _Ranked(column, distinct.kind_codes[value], count, width, distinct.kind_names)
        self.shapes = _Ranked(column, distinct.shape_codes[value], count, width, distinct.shape_names)
        self.patterns = list(zip(self.shapes.name, self.shapes.sums))
        self.main_types: dict[tuple, str] = {}      # `profile._main_type`, once per counts
        self.extremes: dict[tuple, tuple[str, str]] = {}   # `_extremes`, once per values
        # Each check: column → (cells flagged, the column's first flagged group).
        self.flagged: list[tuple[str, dict[int, tuple[int, int]]]] = []
        for kind, flag in distinct.flags:
            hit = flag[value]
            if not hit.any():
                continue
            at = np.flatnonzero(hit)
            columns, first = np.unique(column[at], return_index=True)
            cells = np.bincount(column[at], weights=count[at], minlength=width)
            self.flagged.append((kind, {c: (int(cells[c]), g) for c, g in
                                        zip(columns.tolist(), at[first].tolist())}))


class _Ranked:
    """Labels (a type, a shape: a code per group) added up per column, most cells first, ties
    in order of first appearance (what `Counter.most_common` gives over the cells), each with
    the column's first group holding it."""

    def __init__(self, column, label, count, width: int, names: list[str]) -> None:
        import numpy as np

        labels = int(label.max()) + 1 if len(label) else 1
        keys, first, inverse = np.unique(column * labels + label, return_index=True,
                                         return_inverse=True)
        sums = np.bincount(inverse.ravel(), weights=count, minlength=len(keys)).astype(np.int64)
        owner = keys // labels
        order = np.lexsort((first, -sums, owner))
        self.bounds = np.searchsorted(owner[order], np.arange(width + 1)).tolist()
        self.label = (keys % labels)[order].tolist()
        self.sums = sums[order].tolist()
        self.first = first[order].tolist()
        self.name = [names[k] for k in self.label]


def _column(name: str, fill_rates: list[float], column: int, groups: _Groups,
            distinct: _Distinct) -> ColumnProfile:
    """One column's profile from its groups (distinct values in order of first appearance);
    `fill_rates[n]` is the fill rate of n filled cells."""
    low, high = groups.bounds[column], groups.bounds[column + 1]
    filled = groups.filled[column]
    kinds = groups.kinds
    kind_low, kind_high = kinds.bounds[column], kinds.bounds[column + 1]
    type_counts = dict(zip(kinds.name[kind_low:kind_high], kinds.sums[kind_low:kind_high]))
    key = (*type_counts.items(), filled)       # columns often share their counts
    column_type = groups.main_types.get(key)
    if column_type is None:
        column_type = groups.main_types[key] = _main_type(type_counts, filled)
    if column_type == "integer" and groups.leading_zero[column]:
        column_type = "code"
    column_type = named_type(name, column_type)
    suspicious, examples = {}, {}
    for kind, found in groups.flagged:
        if column in found:
            suspicious[kind], group = found[column]
            examples[kind] = groups.texts[group]
    base = base_kinds(column_type, type_counts, filled)
    usual = sum(type_counts.get(k, 0) for k in base)
    if column_type not in ("text", "empty", "mixed") and usual < filled:
        suspicious["unlike_the_column"] = filled - usual
        examples["unlike_the_column"] = groups.texts[min(
            g for k, g in zip(kinds.name[kind_low:kind_high], kinds.first[kind_low:kind_high])
            if k not in base)]
    if column_type in _ORDERED and high > low:
        # Read once per distinct list of values: clean's number and date reading costs
        # milliseconds a call, and the columns of a wide survey repeat their lists.
        key = (column_type, *groups.texts[low:high])
        extremes = groups.extremes.get(key)
        if extremes is None:
            extremes = groups.extremes[key] = _extremes(groups.texts[low:high], column_type)
        minimum, maximum = extremes
    else:
        minimum, maximum = groups.least[column], groups.most[column]
    shape_low = groups.shapes.bounds[column]
    return ColumnProfile(
        name=name, type=column_type, filled=filled,
        fill_rate=fill_rates[filled], distinct=high - low,
        top_values=groups.top[groups.top_bounds[column]:groups.top_bounds[column + 1]],
        min_length=groups.shortest[column], max_length=groups.longest[column],
        mean_length=round(groups.length_sums[column] / filled, 2) if filled else 0.0,
        minimum=minimum, maximum=maximum,
        patterns=groups.patterns[shape_low:min(shape_low + TOP, groups.shapes.bounds[column + 1])],
        type_counts=type_counts, suspicious=suspicious, examples=examples)


def _extremes(texts: list[str], column_type: str) -> tuple[str, str]:
    """The column's smallest and largest value as `profile._extremes` finds them, from its
    distinct values (`texts`, in order of first appearance)."""
    import pyarrow as pa

    if column_type == "integer":
        if all(_PLAIN_INTEGER.fullmatch(t) for t in texts):
            numbers = [int(t) for t in texts]
            low, high = min(numbers), max(numbers)
            if _INT64[0] <= low and high <= _INT64[1]:
                return str(low), str(high)
        elif all(t.strip().lstrip("+-").isdigit() for t in texts):
            # Signs, spaces or other digits: whether pyarrow reads them decides, as it does there.
            return column_extremes(pa.array(texts, pa.string()), column_type, texts)
    elif column_type == "decimal" and len(texts) > 1 and all(
            _PLAIN_DECIMAL.fullmatch(t) and len(t) <= 16 for t in texts):
        # Plain numbers with a point: what clean's `--numbers auto` decides for them, without
        # its milliseconds a call (a wide survey has thousands of such columns). A point
        # followed by 1-2 or 4+ digits makes the point the decimal mark; only 3-digit ones
        # could be thousands ("ambiguous"): text order, as `_ordered_extremes` then gives.
        if not any(_POINT_DECIMAL.search(t) for t in texts):
            return min(texts), max(texts)
        numbers = [float(t) for t in texts]     # at most 15 digits: exactly as pandas reads them
        order = range(len(texts))
        return (texts[min(order, key=numbers.__getitem__)], texts[max(order, key=numbers.__getitem__)])
    elif column_type in ("date", "datetime") and all(_ISO_DATE.match(t) for t in texts):
        return min(texts), max(texts)       # ISO dates sort as text: clean decides no order
    elif column_type in ("date", "datetime", "decimal") and len(texts) > 1:
        ordered = _ordered_extremes(pa.array(texts, pa.string()), column_type)
        if ordered is not None:
            return ordered
    return min(texts), max(texts)
