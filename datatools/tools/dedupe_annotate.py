"""The end of a dedupe run, shared by both engines: each grouped row's cluster_id, match_score,
match_certainty and match_reason (and waterfall), and the reason of a row a veto kept apart.

Groups are explained a batch at a time (BATCH_ROWS member rows): a batch's pairs are scored
again, explained, written into the output cells (datatools/tools/output_cells.py) and let go
before the next batch. All
pairs of all groups at once were the peak of a large run (DECISIONS 264). Each row's best
vetoed partner is kept as arrays (`VetoedPartners`), not an object per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from datatools.progress import Progress
from datatools.tools.linkage_model import CERTAIN

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.linkage_model import LinkageModel
    from datatools.tools.output_cells import GroupFigures, OutputCells
    from datatools.tools.similarity import PairScores, PreparedColumns
    from datatools.tools.uncompared_ids import Uncompared
    from datatools.tools.waterfall import Waterfalls

# Member rows of the groups explained at a time (a group is never split).
BATCH_ROWS = 50_000


@dataclass
class VetoedPartners:
    """Each row's best vetoed pair, one entry per row, ascending by row: rows, others (int64);
    column (int64, the vetoing column), word_a / word_b (object: the row's word, the other's),
    score (float64, the pair's score before the veto), columns (entries, columns) uint8 column
    scores. `rows` may repeat only inside `merge` (before `best` picks one per row)."""

    rows: "np.ndarray"
    others: "np.ndarray"
    column: "np.ndarray"
    word_a: "np.ndarray"
    word_b: "np.ndarray"
    score: "np.ndarray"
    columns: "np.ndarray"

    @classmethod
    def none(cls, width: int = 0) -> "VetoedPartners":
        import numpy as np

        empty = np.empty(0, np.int64)
        return cls(empty, empty, empty, np.empty(0, object), np.empty(0, object),
                   np.empty(0, np.float64), np.empty((0, width), np.uint8))

    def take(self, picked: "np.ndarray") -> "VetoedPartners":
        return VetoedPartners(*(getattr(self, name)[picked] for name in self.__dataclass_fields__))

    def best(self) -> "VetoedPartners":
        """One entry per row: its highest score, the first entry on ties; sorted by row."""
        import numpy as np

        if not len(self.rows):
            return self
        order = np.lexsort((np.arange(len(self.rows)), -self.score, self.rows))
        heads = order[np.r_[True, self.rows[order][1:] != self.rows[order][:-1]]]
        return self.take(heads)

    @classmethod
    def join(cls, found: "list[VetoedPartners]") -> "VetoedPartners":
        """The best per row of all of `found` (pair batches in order: an earlier one's entry
        first on ties)."""
        import numpy as np

        found = [part for part in found if len(part.rows)]
        if len(found) < 2:
            return found[0] if found else cls.none()
        return cls(*(np.concatenate([getattr(part, name) for part in found])
                     for name in cls.__dataclass_fields__)).best()


def vetoed_partners(a: "np.ndarray", b: "np.ndarray", scored: "PairScores") -> VetoedPartners:
    """Per row of a vetoed pair: its best vetoed pair (the highest veto score; on ties the first
    in `scored.vetoes`' order), seen from that row (its word first).

    Chosen with numpy: a run of common names vetoes a million pairs or more (households), and
    only one per row is kept and explained."""
    import numpy as np

    if not scored.vetoes:
        return VetoedPartners.none(scored.columns.shape[1] if scored.columns.ndim == 2 else 0)
    vetoes = list(scored.vetoes.values())
    n = len(vetoes)
    pairs = np.fromiter(scored.vetoes, dtype=np.int64, count=n)
    score = np.fromiter((veto.score for veto in vetoes), dtype=np.float64, count=n)
    column = np.fromiter((veto.column for veto in vetoes), dtype=np.int64, count=n)
    words_a = np.empty(n, object)
    words_a[:] = [veto.word_a for veto in vetoes]
    words_b = np.empty(n, object)
    words_b[:] = [veto.word_b for veto in vetoes]
    # Each vetoed pair once per side (the second side flipped), in the order pair k's first
    # side, pair k's second side, pair k+1's …: ties go to the first.
    rows = np.concatenate([a[pairs], b[pairs]]).astype(np.int64)
    others = np.concatenate([b[pairs], a[pairs]]).astype(np.int64)
    which = np.tile(np.arange(n), 2)
    order = np.lexsort((which * 2 + np.arange(2 * n) // n, -np.tile(score, 2), rows))
    heads = order[np.r_[True, rows[order][1:] != rows[order][:-1]]]
    k, flipped = which[heads], heads >= n
    return VetoedPartners(rows[heads], others[heads], column[k],
                          np.where(flipped, words_b[k], words_a[k]),
                          np.where(flipped, words_a[k], words_b[k]), score[k],
                          scored.columns[pairs[k]])


def explain_vetoes(prepared: "PreparedColumns", vetoed: VetoedPartners, cells: "OutputCells",
                   progress: Progress) -> None:
    """A row in no group whose best pair was vetoed says so in its match_reason (in `cells`)."""
    from datatools.tools.reasons import explain_vetoes as explain
    from datatools.tools.similarity import Veto

    progress.update(0.0, "explaining the pairs kept apart")
    alone = vetoed.take(~cells.grouped(vetoed.rows)) if len(vetoed.rows) else vetoed
    for start in range(0, len(alone.rows), BATCH_ROWS):
        part = alone.take(slice(start, start + BATCH_ROWS))
        texts = explain(prepared, [Veto(column, word_a, word_b, score) for column, word_a, word_b, score
                                   in zip(part.column.tolist(), part.word_a, part.word_b,
                                          part.score.tolist())], part.columns)
        cells.reasons.add(part.rows, [f"row {other + 1} {text}"
                                      for other, text in zip(part.others.tolist(), texts)])
    progress.update(1.0, "explaining the pairs kept apart")


def _batches(groups: list["np.ndarray"]) -> Iterator[tuple[int, int]]:
    """(first, end) ranges of `groups` with about BATCH_ROWS member rows each."""
    start, rows = 0, 0
    for k, group in enumerate(groups):
        rows += len(group)
        if rows >= BATCH_ROWS:
            yield start, k + 1
            start, rows = k + 1, 0
    if start < len(groups):
        yield start, len(groups)


def agree_fully(column_scores: "np.ndarray", levels: "np.ndarray | None" = None) -> "np.ndarray":
    """Per pair: does every compared column score 100, none empty? `column_scores` is
    score_columns' output (pairs × columns+1, uint8, the last column the whole row). With
    `levels` (the model's, linkage_model.all_levels) a column at the level `agrees` counts too:
    a product title keyed again with typos (keyed_again.py, DECISIONS 429)."""
    from datatools.tools.similarity import MISSING

    columns = column_scores[:, :-1]
    agree = (columns == 100) & (columns != MISSING)
    if levels is not None:
        agree |= levels[:, :columns.shape[1]] == 0
    return agree.all(axis=1)


def annotate(prepared: "PreparedColumns", groups: list["np.ndarray"], limit: float,
             model: "LinkageModel | None", certain_from: float, cells: "OutputCells",
             progress: Progress, uncompared: "Uncompared | None" = None
             ) -> tuple["GroupFigures", "Waterfalls | None"]:
    """Clusters numbered in file order, each grouped row's cluster_id, match_score,
    match_certainty and match_reason written into `cells`; the groups' figures
    (`GroupFigures.clusters(cells)` makes them `Cluster`s) and the waterfalls (None without a
    model).

    A row's score and reason are those of its best partner inside its cluster (the most probable
    one with a model); with a model the reason ends with that pair's weights in words. A
    cluster is certain when its certain pairs connect all its rows (a chain A~B~C of certain
    pairs is; two certain pairs joined by a weaker one are not) and no pair inside it conflicts
    (group_conflicts.py: two variants of a product, two given names, an uncompared date of
    birth or vendor in `uncompared`): with a model pairs of CERTAIN probability or more, without
    one pairs certainty.certain_pairs calls certain (scoring certain_from or more as a reader
    sees them, no column clearly differing). Groups are explained BATCH_ROWS member rows at a
    time; every result is the same as all at once.
    """
    import numpy as np

    from datatools.tools.output_cells import GroupFigures
    from datatools.tools.waterfall import Waterfalls

    groups = sorted((np.sort(group) for group in groups), key=lambda rows: int(rows[0]))
    figures = GroupFigures()
    if not groups:
        return figures, None
    progress.update(0.0, "explaining matches")
    parts: list[Waterfalls] = []
    slot = partner = None
    if model is not None:
        slot, partner = np.full(prepared.rows, -1, np.int32), np.zeros(prepared.rows, np.int32)
    explained = 0
    for first, end in _batches(groups):
        found = _annotate_batch(prepared, groups[first:end], first, limit, model, certain_from,
                                cells, figures, slot, partner, explained,
                                progress.stage(first / len(groups), end / len(groups)), uncompared)
        if found is not None:
            parts.append(found)
            explained += len(found.probability)
        progress.update(end / len(groups), "explaining matches")
    waterfalls = None
    if model is not None:
        waterfalls = Waterfalls(parts[0].names, parts[0].start,
                                *(np.concatenate([getattr(part, name) for part in parts])
                                  for name in ("levels", "weights", "common", "probability")),
                                slot, partner)
    return figures, waterfalls


def _annotate_batch(prepared: "PreparedColumns", groups: list["np.ndarray"], numbered: int,
                    limit: float, model: "LinkageModel | None", certain_from: float,
                    cells: "OutputCells", figures: "GroupFigures", slot: "np.ndarray | None",
                    partner: "np.ndarray | None", explained: int, progress: Progress,
                    uncompared: "Uncompared | None" = None) -> "Waterfalls | None":
    """`annotate` for consecutive `groups`, the first numbered `numbered` + 1: writes their rows'
    cells into `cells`, their figures into `figures` (and, with a model, `slot` (offset by
    `explained`, the pairs of earlier batches) and `partner`); their explained pairs' waterfalls."""
    import numpy as np

    from datatools.tools.clustering import connected_components, pairs_within
    from datatools.tools.dedupe import _score
    from datatools.tools.reasons import explain_pairs
    from datatools.tools.waterfall import Waterfalls

    members = np.concatenate(groups)
    x, y = pairs_within(groups)
    scored = _score(prepared, x, y, progress, limit, model, "explaining matches")
    strength, pair_scores, column_scores = scored.strength, scored.score, scored.columns
    # With a model a group is certain only when its certain pairs join all its rows: two
    # certain pairs held together by one weaker link are a group to review, not to merge.
    # Without a model (a small table) a pair is certain at certain_from when no column clearly
    # differs (certainty.py); with a fixed --threshold (certain_from 0) every group is.
    if scored.probability is not None:
        # ... or whose every compared column agrees fully, all filled: a prior learned from
        # many candidate pairs left a listing keyed again in other case at 97 % (`Linen Shirt -
        # Blue / S`/`LINEN SHIRT - BLUE / S`, issue 30), though nothing tells the two apart; what
        # might (a variant, an uncompared vendor) is a conflict, below (DECISIONS 326).
        # A title keyed again with typos agrees too (DECISIONS 429).
        sure = (scored.probability >= CERTAIN) | agree_fully(column_scores, scored.levels)
    elif certain_from > 0:
        from datatools.tools.certainty import certain_pairs

        sure = certain_pairs(prepared, x, y, column_scores, pair_scores, certain_from)
    else:
        sure = np.ones(len(x), dtype=bool)
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    conflicted = np.zeros(len(groups), dtype=bool)
    if certain_from > 0:
        from datatools.tools.group_conflicts import conflicting_pairs, groups_conflict

        # ... and no pair inside the group conflicts (group_conflicts.py): whose given names read
        # as two names (a household's `Mira` and `Mika`: DECISIONS 262), whose date of birth or
        # customer number is another's (a father and son), two variants of a product or two
        # model numbers (`PX667E`/`PX667EX`), `Jr.` on one side only, an uncompared date of
        # birth (DECISIONS 323), vendor or size that differs (DECISIONS 325), two flats of one
        # building (DECISIONS 355).
        conflict = conflicting_pairs(prepared, x, y, column_scores, model is not None, uncompared,
                                     sure if model is not None else None, scored.swaps)
        # ... and an initial alone (`A. Lee` beside `Ann Lee`) makes no pair certain: it may be
        # a household's other member (DECISIONS 383).
        from datatools.tools.households import initial_only

        initial = initial_only(prepared, x, y)
        sure &= ~(conflict | initial)
        conflicted = groups_conflict(conflict, sizes)
    # The batch's rows numbered 0… (their order in `known`) for the components.
    known = np.sort(members)
    local = np.searchsorted(known, members)
    joined = connected_components(len(known), np.searchsorted(known, x[sure]),
                                  np.searchsorted(known, y[sure]))
    # Each row's best partner: its strongest pair, the first such pair on ties (pairs in
    # order, each pair's first row before its second).
    rows_of = np.column_stack([x, y]).ravel()
    others = np.column_stack([y, x]).ravel()
    pair_of = np.repeat(np.arange(len(x)), 2)
    order = np.lexsort((np.arange(len(rows_of)), -np.repeat(strength, 2), rows_of))
    heads = order[np.r_[True, rows_of[order][1:] != rows_of[order][:-1]]]
    # heads are in row order, as `known` is: entry k is row known[k]'s best pair
    best_other, best_pair = others[heads][local], pair_of[heads][local]
    used = np.unique(best_pair)
    texts = explain_pairs(prepared, x[used], y[used], column_scores[used])
    where = np.searchsorted(used, best_pair)
    waterfalls = None
    if model is not None:
        # each grouped row's waterfall: its best pair's; the reason ends with it in words
        slot[members] = explained + where
        partner[members] = best_other + 1
        waterfalls = Waterfalls.of_pairs(model, prepared, x[used], scored, used)
        texts = [f"{text}; {words}" for text, words in zip(texts, waterfalls.describe_all())]
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    rounded = np.round(pair_scores[best_pair].astype(np.float64)).astype(np.int64)
    lowest = (None if scored.probability is None
              else np.minimum.reduceat(scored.probability[best_pair], starts))
    label = joined[local]
    certain = np.logical_and.reduceat(label == np.repeat(label[starts], sizes), starts) & ~conflicted
    if certain_from > 0:
        rounded = one_scale(rounded, np.repeat(certain, sizes), certain_from)
    numbers = np.arange(numbered + 1, numbered + len(groups) + 1)
    cells.put_groups(members, np.repeat(numbers, sizes), rounded, np.repeat(certain, sizes))
    why = [""] * len(members)
    if certain_from > 0:
        # a row of a group a rule keeps possible says which (parted_rows.py, DECISIONS 418)
        from datatools.tools.parted_rows import possible_why

        why = possible_why(prepared, x, y, scored, model is not None, uncompared, conflict,
                           initial, np.repeat(~certain, sizes), best_pair, sizes)
    cells.reasons.add(members, [f"row {other + 1}: {reason}{texts[k]}" for other, k, reason
                                in zip(best_other.tolist(), where.tolist(), why)])
    figures.add(np.minimum.reduceat(rounded, starts), certain, lowest)
    return waterfalls


def one_scale(rounded: "np.ndarray", certain: "np.ndarray", certain_from: float) -> "np.ndarray":
    """The match_score written at defaults (rounded 0–100 scores, a bool per row): a certain
    row's at least `certain_from`, a possible row's below it. A learned run decides by the
    match probability, and rows' scores said otherwise: certain rows scored down to 47 while
    possible ones reached 96 on a 2,000-row customer list (issue 30, DECISIONS 419). So
    sorting by match_score puts every certain row above every possible one, as match's
    written_score does for certain matches (DECISIONS 408)."""
    import numpy as np

    floor = int(certain_from)
    return np.where(certain, np.maximum(rounded, floor), np.minimum(rounded, floor - 1))
