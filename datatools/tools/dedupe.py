"""Find rows that describe the same thing, and keep one row per group.

`find_duplicates` = normalise the chosen columns → candidate pairs (sorted neighbourhood) →
rapidfuzz scores per column → clusters that do not chain (average linkage).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from datatools.errors import BadInput, BadOption
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools.invisible import invisible_values
from datatools.tools.keep_policy import KEEP_POLICIES, policy_kept
from datatools.tools.linkage_model import (CERTAIN_SCORE, LEARN_FROM_COLUMNS,
                                           LEARN_FROM_ROWS, POSSIBLE)
from datatools.tools.similarity import DEFAULT_THRESHOLD, check_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.tools.keep_policy import Spellings
    from datatools.tools.linkage_model import LinkageModel
    from datatools.tools.similarity import PairScores, PreparedColumns
    from datatools.tools.uncompared_ids import Uncompared
    from datatools.tools.waterfall import Waterfalls

OUTPUT_COLUMNS = ("cluster_id", "match_score", "match_certainty", "match_reason")


@dataclass(slots=True)    # 1.5 M of them in a 10 M-row export's review: no __dict__ each (DECISIONS 583)
class Cluster:
    id: str
    rows: list[int]        # positions in the input frame, ascending
    score: int             # the lowest of the members' best scores
    # Its certain pairs (CERTAIN or more) connect every member; a group that is not certain
    # is "possible": shown for review, never removed without a person's say.
    certain: bool = True
    probability: float | None = None   # the lowest of the members' best match probabilities


@dataclass
class DedupeReport:
    rows: int
    columns: list[str]
    threshold: float | None        # None: cut-offs learned from the data
    clusters: int
    rows_in_clusters: int
    pairs_compared: int
    certain: int = 0               # groups whose every member is a certain match

    @property
    def duplicates(self) -> int:
        """Rows that would go if one row per cluster were kept."""
        return self.rows_in_clusters - self.clusters

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "duplicates": self.duplicates}


@dataclass
class DedupeResult:
    frame: "pd.DataFrame"          # input rows + cluster_id, match_score, match_reason
    clusters: list[Cluster]
    report: DedupeReport
    model: "LinkageModel | None" = None    # what the run learned (None with a fixed threshold)
    notes: list[Notice] = field(default_factory=list)   # values that differed only invisibly
    # each grouped row's weights as data, as its match_reason ends (None without a model)
    waterfalls: "Waterfalls | None" = None
    # each compared column's spellings counted, made when most-complete first asks
    # (keep_policy.spelling_counts); copies made by reject_clusters and Review keep it, as they
    # change only the output columns
    spellings: "dict[str, Spellings] | None" = field(default=None, repr=False)


@dataclass
class KeptRows:
    frame: "pd.DataFrame"          # one row per cluster plus every row without duplicates
    merges: "pd.DataFrame"         # cluster_id, kept_row, dropped_rows, match_score
    report: dict[str, Any] = field(default_factory=dict)


def check_threshold(threshold: float | None, default: float = DEFAULT_THRESHOLD) -> float:
    """The threshold as a float (None: `default`); BadOption `bad_threshold` outside 0–100."""
    value = default if threshold is None else float(threshold)
    if not 0 <= value <= 100:
        raise BadOption(f"The threshold must be between 0 and 100, not {threshold:g}.",
                        code="bad_threshold", params={"value": f"{threshold:g}"})
    return value


def find_duplicates(frame: "pd.DataFrame", columns: Sequence[str], *,
                    threshold: float | None = None,
                    synonyms: Mapping[str, str] | None = None,
                    progress: Progress | None = None) -> DedupeResult:
    """Cluster the rows of `frame` that match on `columns`; the input frame is not modified.

    `synonyms` is a normalised table (synonyms.read_synonyms / normalize_synonyms). A row left
    out of every group because a column vetoed its best pair gets that veto as its match_reason.
    Raises BadInput for unknown columns, a threshold outside 0–100, or a frame that already has
    a `cluster_id`/`match_score`/`match_reason` column; Cancelled when progress is cancelled.
    """
    from datatools.tools.candidates import candidate_pairs
    from datatools.tools.clustering import cluster_pairs
    from datatools.tools.dedupe_annotate import annotate, explain_vetoes, vetoed_partners
    from datatools.tools.keyed_twice import lift_keyed_twice
    from datatools.tools.linkage_model import apply_model, learn_model
    from datatools.tools.output_cells import OutputCells
    from datatools.tools.parted_rows import explain_parted, matched_partners
    from datatools.tools.similarity import prepare_columns, score_pairs

    progress = progress or silent()
    wanted = check_columns(frame, columns)
    # No threshold: learn the match probability from the table, or on a small table (too
    # little to learn from) call groups scoring CERTAIN_SCORE certain and the rest possible.
    learned = (threshold is None and len(frame) >= LEARN_FROM_ROWS
               and len(wanted) >= LEARN_FROM_COLUMNS)
    certain_from = CERTAIN_SCORE if threshold is None else 0.0
    limit = POSSIBLE * 100 if learned else check_threshold(threshold, DEFAULT_THRESHOLD)
    clash = [name for name in OUTPUT_COLUMNS if name in frame.columns]
    if clash:
        raise BadInput(f"The table already has a column named {clash[0]!r}; rename it first.",
                       code="reserved_column", params={"column": clash[0]})
    progress.update(0.0, "reading values")
    prepared = prepare_columns(wanted, [frame[name] for name in wanted],
                               progress.stage(0.0, 0.05), synonyms=synonyms)
    a, b = candidate_pairs(prepared, progress=progress.stage(0.05, 0.25))
    model = None
    unlearned: list[Notice] = []
    if learned:
        scored = score_pairs(prepared, a, b, progress.stage(0.25, 0.75))
        model = learn_model(prepared, a, b, scored.columns, progress=progress.stage(0.75, 0.82))
        progress.update(0.82, "weighing the pairs")
        apply_model(model, prepared, a, b, scored)
        if not model_found_matches(scored, len(wanted)):
            # The model never learned what a match looks like: the small table's rules decide.
            model, learned, limit = None, False, check_threshold(None, DEFAULT_THRESHOLD)
            unlearned.append(model_not_learned(len(frame)))
            scored = score_pairs(prepared, a, b, progress.stage(0.82, 0.85), veto_from=limit)
        else:
            lift_keyed_twice(prepared, a, b, scored)
    else:
        scored = score_pairs(prepared, a, b, progress.stage(0.25, 0.85), veto_from=limit)
    compared = int(len(a))
    vetoed = vetoed_partners(a, b, scored)

    from datatools.tools.uncompared_ids import uncompared_columns

    uncompared = uncompared_columns(frame, list(frame.columns), wanted)
    rescore = rescorer(prepared, progress.stage(0.85, 0.88), limit, model, certain_from,
                       uncompared)

    strength = scored.strength     # with a model a new array: made once for both
    groups = cluster_pairs(prepared.rows, a, b, strength, limit, rescore,
                           progress.stage(0.88, 0.95))
    partners = matched_partners(a, b, strength, limit)
    del a, b, scored, strength
    cells = OutputCells(prepared.rows)
    figures, waterfalls = annotate(prepared, groups, limit, model, certain_from, cells,
                                   progress.stage(0.95, 0.98), uncompared)
    explain_vetoes(prepared, vetoed, cells, progress.stage(0.98, 0.99))
    explain_parted(prepared, partners, cells, limit, model, uncompared, progress.stage(0.99, 1.0),
                   vetoed.rows)
    clusters = figures.clusters(cells)
    # The prepared columns (a few hundred megabytes at a million rows) go before the output
    # columns are made: this was the run's peak.
    del rescore, groups, vetoed, partners
    prepared = None  # type: ignore[assignment]  # (rescore's closure holds the name)
    progress.update(1.0, f"{len(clusters):,} groups of duplicates")
    # A shallow copy: pandas copies on write, so the input frame is not modified. Each output
    # column is stored (as pandas' Arrow-backed text) and its Python strings let go before the
    # next one: at a million rows the reasons alone are a few hundred megabytes.
    result = frame.copy(deep=False)
    for name, column in zip(OUTPUT_COLUMNS, cells.columns()):
        result[name] = column
    del column, cells
    report = DedupeReport(rows=len(frame), columns=wanted, threshold=threshold and limit,
                          clusters=len(clusters),
                          rows_in_clusters=sum(len(c.rows) for c in clusters),
                          pairs_compared=compared,
                          certain=sum(1 for c in clusters if c.certain))
    return DedupeResult(result, clusters, report, model=model,
                        notes=unlearned + invisible_values(frame, wanted), waterfalls=waterfalls)


def model_found_matches(scored: "PairScores", columns: int) -> bool:
    """Did a learned model (linkage_model.apply_model filled `scored`, `columns` compared
    columns) find what a match looks like? False when no pair whose every compared column
    agrees exactly (level 0, none empty) reaches POSSIBLE, while such pairs exist: on a
    catalogue whose values each recur (a product in many colours and sizes) EM fitted a prior
    of 12 matches in 519,000 pairs and rows equal but for case or trailing spaces scored 0.015
    (issue 30, DECISIONS 365). The duckdb engine asks the same of each batch (alike_pairs)."""
    alike, reached = alike_pairs(scored, columns)
    return not alike or reached


def alike_pairs(scored: "PairScores", columns: int) -> tuple[bool, bool]:
    """(Are there pairs whose every compared column agrees exactly and no veto holds, does one
    of them reach POSSIBLE?) for model_found_matches, over a model's scored pairs."""
    if scored.levels is None or scored.probability is None or not len(scored.probability):
        return False, False
    equal = (scored.levels[:, :columns] == 0).all(axis=1)
    equal &= scored.score > 0          # a vetoed pair is no evidence either way
    return bool(equal.any()), bool((scored.probability[equal] >= POSSIBLE).any())


def model_not_learned(rows: int) -> Notice:
    """The warning that the model was dropped (model_found_matches) and the rules decided."""
    return Notice(f"No match model could be learned from these {rows:,} rows (rows alike on "
                  "every compared column did not read as matches): the rules for small tables "
                  "decided instead.", "model_not_learned", rows=rows)


def _score(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray", progress: Progress,
           limit: float, model: "LinkageModel | None", what: str) -> "PairScores":
    """The pairs (x, y) scored as the run scores them: at a fixed threshold, or by the model.
    Progress says `what` (not a second count of pairs compared)."""
    from datatools.tools.keyed_twice import lift_keyed_twice
    from datatools.tools.linkage_model import apply_model
    from datatools.tools.similarity import score_pairs

    if model is None:
        return score_pairs(prepared, x, y, progress, veto_from=limit, what=what)
    return lift_keyed_twice(prepared, x, y, apply_model(model, prepared, x, y,
                                                         score_pairs(prepared, x, y, progress,
                                                                     what=what)))


def rescorer(prepared: "PreparedColumns", progress: Progress, limit: float,
             model: "LinkageModel | None", certain_from: float,
             uncompared: "Uncompared") -> "Callable[[np.ndarray, np.ndarray], np.ndarray]":
    """clustering.cluster_pairs' `score_pairs`: the strengths of pairs inside a component,
    scored as the run scores them (_score); at defaults (`certain_from` above 0) a pair that
    conflicts has none (group_conflicts.parted), so no group holds two variants of a product."""
    def rescore(x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
        scored = _score(prepared, x, y, progress, limit, model, "grouping matches")
        if certain_from <= 0:
            return scored.strength
        from datatools.tools.group_conflicts import parted

        return parted(scored, prepared, x, y, model is not None, uncompared)

    return rescore


def merge_report_path(output: "str | os.PathLike[str]") -> Path:
    """Where the merge report of `output` goes unless named: beside it, `<stem>.merges.csv`."""
    target = Path(output)
    return target.with_name(target.stem + ".merges.csv")


def reject_clusters(result: DedupeResult, cluster_ids: Sequence[str]) -> DedupeResult:
    """`result` without the clusters a reviewer rejected: their rows lose their marks.

    Unknown ids are ignored (a review may name a group the current result does not have).
    """
    rejected = {str(c) for c in cluster_ids}
    if not rejected:
        return result
    frame = result.frame.copy()
    hit = frame["cluster_id"].astype(str).isin(rejected)
    frame.loc[hit, list(OUTPUT_COLUMNS)] = ""
    clusters = [c for c in result.clusters if c.id not in rejected]
    report = replace(result.report, clusters=len(clusters),
                     rows_in_clusters=sum(len(c.rows) for c in clusters))
    waterfalls = None if result.waterfalls is None else result.waterfalls.without(hit.to_numpy())
    return DedupeResult(frame, clusters, report, model=result.model, notes=result.notes,
                        waterfalls=waterfalls, spellings=result.spellings)


def keep_one_per_cluster(result: DedupeResult, keep: str = KEEP_POLICIES[0],
                         survivors: "Mapping[str, int] | None" = None,
                         values: "Mapping[str, Mapping[str, int]] | None" = None,
                         fill_empty: bool = False, include_possible: bool = False) -> KeptRows:
    """One row per cluster: the first in file order, or the most complete (`policy_kept`).

    `survivors` maps a cluster id to the row (0-based position in the input) a reviewer chose
    to keep; it overrides `keep` for that cluster. `values` maps a cluster id to {column: row}:
    the surviving row takes that column's value from that row of its cluster; `fill_empty`
    fills the kept rows' empty cells from their clusters' other rows (`survivors.surviving_row`
    builds each row). When either is asked (a non-empty `values`, or `fill_empty`), the merge
    list gains a `values_taken` column listing every value taken (`TakenValue.describe`) and
    the report a `values_taken` count.
    Ids of clusters the result does not have are ignored (a review may name a rejected group).
    Only certain groups lose rows unless `include_possible`: a possible group (`Cluster.certain`
    False) keeps all its rows and is left out of the merge list; the report counts such groups
    as `possible_kept`.
    Raises BadOption for any other `keep`, a survivor that is not a row of its cluster, and
    `check_value_choices`' errors for a column or row a value cannot come from.
    """
    import pandas as pd

    from datatools.tools.survivors import cells_lost, describe_taken, surviving_row

    policy = policy_kept(result, keep, [c for c in result.clusters if c.id not in (survivors or {})])
    original = result.frame.drop(columns=list(OUTPUT_COLUMNS))
    columns = [str(c) for c in original.columns]
    dropped: set[int] = set()
    merges = []
    chosen = dict(survivors or {})
    picked = {str(k): v for k, v in (values or {}).items()}
    taking = bool(picked) or fill_empty
    count = 0
    merging = [c for c in result.clusters if (include_possible or c.certain)
               and (fill_empty or c.id in picked)]
    # The cells of only the clusters whose surviving row may change, read once as lists.
    wanted = sorted({row for c in merging for row in c.rows})
    cells = dict(zip(wanted, original.iloc[wanted].to_numpy(dtype=object).tolist()))
    changed: dict[int, list[str]] = {}      # kept row → its new values
    kept_of: dict[int, int] = {}            # removed row → the row kept in its place
    acted = [c for c in result.clusters if include_possible or c.certain]
    for cluster in acted:
        if cluster.id in chosen:
            kept = chosen[cluster.id]
            if kept not in cluster.rows:
                raise BadOption(f"Row {kept + 1} is not in group {cluster.id}.", code="bad_survivor",
                                params={"row": kept + 1, "group": cluster.id})
        else:
            kept = policy[cluster.id]
        others = [row for row in cluster.rows if row != kept]
        dropped.update(others)
        kept_of.update(dict.fromkeys(others, kept))
        merge = {"cluster_id": cluster.id, "kept_row": str(kept + 1),
                 "dropped_rows": " ".join(str(row + 1) for row in others),
                 "match_score": str(cluster.score)}
        if taking:
            taken = []
            if fill_empty or cluster.id in picked:
                survivor = surviving_row(cluster.id, {row: cells[row] for row in cluster.rows},
                                         columns, kept, picked.get(cluster.id), fill_empty)
                taken = survivor.taken
                count += len(taken)
                if taken:
                    changed[kept] = survivor.values
            merge["values_taken"] = describe_taken(taken)
        merges.append(merge)
    frame = original.iloc[[row for row in range(len(original)) if row not in dropped]]
    if changed:
        frame = _with_values(frame, changed)
    names = ["cluster_id", "kept_row", "dropped_rows", "match_score"]
    merge_frame = pd.DataFrame(merges, columns=names + ["values_taken"] * taking, dtype=object)
    report = {"rows": len(original), "kept": len(frame), "dropped": len(dropped),
              "clusters": len(result.clusters), "merged": len(acted), "keep": keep,
              "possible_kept": len(result.clusters) - len(acted),
              "cells_lost": cells_lost(original, kept_of, changed)}
    if taking:
        report["values_taken"] = count
    return KeptRows(frame.reset_index(drop=True), merge_frame, report)


def _with_values(frame: "pd.DataFrame", changed: Mapping[int, list[str]]) -> "pd.DataFrame":
    """A copy of `frame` (indexed by input row) with the rows in `changed` given new values."""
    frame = frame.copy()
    rows = list(changed)
    positions = frame.index.get_indexer(rows)
    for k, column in enumerate(frame.columns):
        frame.iloc[positions, k] = [changed[row][k] for row in rows]
    return frame
