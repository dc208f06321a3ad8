"""Schema changes between two versions of a table: renamed, added, removed and moved columns.

As daff does: columns pair by name first; the columns left over on each side pair by content,
once the rows are paired (a renamed column holds mostly the same values in the same rows);
the order of the paired columns is compared last, and the fewest columns whose move explains
the new order are reported as moved.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A left-over old column and a left-over new column are one renamed column when at least this
# share of the paired rows holding a value in either hold the same value in both.
MIN_RENAME_AGREEMENT = 0.5
SCORE_SAMPLE = 50_000      # paired rows looked at per column pair (evenly spread)


@dataclass
class RenamedColumn:
    old: str
    new: str
    by: str                        # "name" (same up to case, spaces, _ and -) or "content"
    agreement: float | None = None  # by content: share of paired rows with the same value

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ColumnPairing:
    """How the old columns map to the new ones (new names, new order)."""

    pairs: list[tuple[str, str]]                       # (old name, new name), in the new order
    renamed: list[RenamedColumn] = field(default_factory=list)
    added: list[str] = field(default_factory=list)     # only in the new version
    removed: list[str] = field(default_factory=list)   # only in the old version
    moved: list[str] = field(default_factory=list)     # new names of paired columns that moved

    @property
    def shared(self) -> list[str]:
        """The paired columns by their new names."""
        return [new for _, new in self.pairs]


def _loose(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(name).casefold())


def pair_columns_by_name(old_columns: Sequence[str], new_columns: Sequence[str]) -> ColumnPairing:
    """Columns paired by exact name, then by the same name up to case, spaces, `_` and `-`."""
    exact = {c for c in new_columns if c in old_columns}
    old_left = [c for c in old_columns if c not in exact]
    new_left = [c for c in new_columns if c not in exact]
    by_loose: dict[str, list[str]] = {}
    for name in old_left:
        by_loose.setdefault(_loose(name), []).append(name)
    renamed = []
    for name in new_left:
        match = by_loose.get(_loose(name), [])
        if len(match) == 1 and sum(_loose(n) == _loose(name) for n in new_left) == 1:
            renamed.append(RenamedColumn(match[0], name, "name"))
    pairing = ColumnPairing([], renamed)
    _settle(pairing, old_columns, new_columns)
    return pairing


def pair_columns_by_content(pairing: ColumnPairing, old: "pd.DataFrame", new: "pd.DataFrame",
                    old_of_new: "np.ndarray") -> None:
    """Pair the left-over columns whose values agree in the paired rows (changes `pairing`).

    `old_of_new[k]` is the old row paired with new row k, or -1. Best agreement first, each
    column used once; agreement counts rows where at least one side holds a value.
    """
    import numpy as np

    if not pairing.removed or not pairing.added:
        return
    new_rows = np.flatnonzero(old_of_new >= 0)
    new_rows = new_rows[::max(1, len(new_rows) // SCORE_SAMPLE)]
    old_rows = old_of_new[new_rows]
    scores = []
    for before in pairing.removed:
        old_values = old[before].to_numpy(dtype=object)[old_rows]
        for after in pairing.added:
            new_values = new[after].to_numpy(dtype=object)[new_rows]
            filled = (old_values != "") | (new_values != "")
            if filled.any():
                share = float((old_values == new_values)[filled].mean())
                if share >= MIN_RENAME_AGREEMENT:
                    scores.append((share, before, after))
    used: set[str] = set()
    for share, before, after in sorted(scores, key=lambda s: -s[0]):
        if before not in used and after not in used:
            used |= {before, after}
            pairing.renamed.append(RenamedColumn(before, after, "content", round(share, 4)))
    _settle(pairing, list(old.columns), list(new.columns))


def _settle(pairing: ColumnPairing, old_columns: Sequence[str], new_columns: Sequence[str]) -> None:
    """Recompute pairs, added, removed and moved from the exact names and `pairing.renamed`."""
    old_of = {r.new: r.old for r in pairing.renamed}
    old_of.update({c: c for c in new_columns if c in old_columns})
    pairing.pairs = [(old_of[c], c) for c in new_columns if c in old_of]
    paired_old = set(old_of.values())
    pairing.added = [c for c in new_columns if c not in old_of]
    pairing.removed = [c for c in old_columns if c not in paired_old]
    position = {name: k for k, name in enumerate(old_columns)}
    pairing.moved = moved_columns([position[o] for o, _ in pairing.pairs], pairing.shared)


def moved_columns(old_positions: Sequence[int], names: Sequence[str]) -> list[str]:
    """The names outside a longest run of columns that kept their relative order.

    `old_positions[k]` is the old position of the k-th paired column in the new order.
    A longest increasing subsequence (O(n log n), patience sorting) keeps the most columns in
    place; the rest are the fewest moves that give the new order.
    """
    import bisect

    tails: list[int] = []          # tails[L]: index of the smallest tail of a run of length L+1
    tail_values: list[int] = []
    before: list[int] = [-1] * len(old_positions)
    for k, value in enumerate(old_positions):
        at = bisect.bisect_left(tail_values, value)
        before[k] = tails[at - 1] if at else -1
        if at == len(tails):
            tails.append(k)
            tail_values.append(value)
        else:
            tails[at], tail_values[at] = k, value
    kept = set()
    k = tails[-1] if tails else -1
    while k >= 0:
        kept.add(k)
        k = before[k]
    return [name for k, name in enumerate(names) if k not in kept]
