"""Replaying a recipe (datatools/tools/recipe.py): a review's decisions turned into decisions
about rows named by key, those decisions placed on a new run's groups and matches (the ones
that find no rows listed, never dropped), and the steps run in order on a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from datatools.tools.recipe import Recipe, Step, row_keys

if TYPE_CHECKING:
    import pandas as pd

    from datatools.tools.dedupe import DedupeResult
    from datatools.tools.review import Review

ROWS_GONE, NOT_GROUPED, NOT_MATCHED = "rows_gone", "not_grouped", "not_matched"   # why a decision found no place


def _positions(keys: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for row, key in enumerate(keys):
        found.setdefault(key, []).append(row)
    return found


# ---------------------------------------------------------------------------- duplicates


def decisions_from_review(review: "Review", result: "DedupeResult", keys: list[str]) -> list[dict[str, Any]]:
    """The review's per-group choices as recipe decisions: each about its group's rows by key
    (groups nobody decided are left out: on replay they get the review's default)."""
    decided = {*review.decisions, *review.survivors, *review.values, *review.split}
    found = []
    for cluster in result.clusters:
        if cluster.id not in decided:
            continue
        decision: dict[str, Any] = {"rows": [keys[r] for r in cluster.rows],
                                    "decision": review.decision(cluster.id)}
        if cluster.id in review.survivors:
            decision["keep"] = keys[review.survivors[cluster.id]]
        if review.values.get(cluster.id):
            decision["values"] = {c: keys[r] for c, r in review.values[cluster.id].items()}
        if review.split.get(cluster.id):
            decision["split"] = [keys[r] for r in review.split[cluster.id]]
        found.append(decision)
    return found


def review_settings(review: "Review", include_possible: bool = False) -> dict[str, Any]:
    """A dedupe step's `review`: the keep policy, the default decision, fill_empty, whether the
    merge report is written and (from `dedupe --include-possible`) whether possible groups merge."""
    settings = {"keep": review.keep, "default": review.default, "fill_empty": review.fill_empty,
                "merge_report": review.merge_report}
    return {**settings, "include_possible": True} if include_possible else settings


@dataclass
class Replayed:
    """What replaying a step's decisions found: the review to apply, and the decisions that
    could not be placed (all their rows gone, or no longer a group), each with why."""

    review: Any                                          # a `Review`, or match rows to take back
    applied: int = 0
    gone: list[dict[str, Any]] = field(default_factory=list)      # {"rows", "decision", "why"}
    accepted: set[int] = field(default_factory=set)      # match: possible matches accepted


def replay_decisions(step: Step, result: "DedupeResult", keys: list[str]) -> Replayed:
    """The step's decisions on this run's groups: each goes to the group(s) now holding its
    rows; its survivor, values and split rows follow their keys. A decision whose rows are all
    gone, or whose rows are no longer grouped, is listed — never silently dropped. A group this
    run finds only possibly the same stays undecided (all its rows kept) unless a decision
    names its rows or the step's review says `include_possible`, as in the window's review and
    `dedupe --keep`."""
    from datatools.tools.review import KEEP_ALL, Review

    settings = step.review
    include_possible = settings.get("include_possible") is True
    review = Review(keep=settings.get("keep") or KEEP_ALL, default=settings.get("default") or "same",
                    fill_empty=settings.get("fill_empty") is True,
                    merge_report=settings.get("merge_report", True) is True,
                    possible=set() if include_possible else Review.possible_groups(result))
    at = _positions(keys)
    group_of = {row: c.id for c in result.clusters for row in c.rows}
    rows_of = {c.id: set(c.rows) for c in result.clusters}
    replayed = Replayed(review)
    for decision in step.decisions:
        rows = [row for key in decision["rows"] for row in at.get(key, [])]
        if not rows:
            replayed.gone.append({**_brief(decision), "why": ROWS_GONE})
            continue
        groups = sorted({group_of[r] for r in rows if r in group_of}, key=lambda g: (len(g), g))
        if not groups:
            replayed.gone.append({**_brief(decision), "why": NOT_GROUPED})
            continue
        for group in groups:
            members = rows_of[group]
            review.decisions[group] = decision["decision"]
            kept = [r for r in at.get(decision.get("keep") or "", []) if r in members]
            if kept:
                review.survivors[group] = kept[0]
            values = {c: rs[0] for c, k in (decision.get("values") or {}).items()
                      if (rs := [r for r in at.get(k, []) if r in members])}
            if values:
                review.values[group] = values
            split = [r for k in decision.get("split") or [] for r in at.get(k, []) if r in members]
            if split:
                review.split[group] = split
        replayed.applied += 1
    return replayed


def _brief(decision: dict[str, Any]) -> dict[str, Any]:
    brief = {"rows": decision["rows"], "decision": decision["decision"]}
    return {**brief, "right": decision["right"]} if "right" in decision else brief


# ---------------------------------------------------------------------------- matches


def match_keys(frame: "pd.DataFrame", left_width: int, right_width: int, key: str | None,
               right_key: str | None) -> tuple[list[str], list[str]]:
    """(left keys, right keys) of each row of a match table (`match_tables`' frame: the left
    table's `left_width` columns, then the right's `right_width` prefixed `right_`): the key
    columns' values, or the hash of each side's cells — the same keys each row has in its own
    file. A row without a written match has the key of an empty right row."""
    from datatools.tools.match import RIGHT_PREFIX

    left = frame.iloc[:, :left_width]
    right = frame.iloc[:, left_width:left_width + right_width]
    return (row_keys(left, key),
            row_keys(right, RIGHT_PREFIX + right_key if right_key else None))


def decisions_from_rejections(rows: Sequence[int], left_keys: list[str], right_keys: list[str],
                              accepted: Sequence[int] = ()) -> list[dict[str, Any]]:
    """Matches taken back and possible matches accepted (positions in the match table, which
    must hold the possible matches' partners) as recipe decisions: the left row's key, the
    right row's key, decision different (taken back) or same (accepted)."""
    return ([{"rows": [left_keys[r]], "right": right_keys[r], "decision": "different"} for r in sorted(rows)]
            + [{"rows": [left_keys[r]], "right": right_keys[r], "decision": "same"} for r in sorted(accepted)])


def accepts_matches(step: Step) -> bool:
    """Whether a match step accepts a possible match (its replay then needs their partners)."""
    return any(decision["decision"] == "same" for decision in step.decisions)


def replay_rejections(step: Step, frame: "pd.DataFrame", left_keys: list[str],
                      right_keys: list[str]) -> Replayed:
    """The step's match decisions on this run's match table: a match taken back takes back the
    rows where its left row now meets its right row (`review`: those positions); an accepted
    one accepts them (`accepted`; the table must hold the possible matches' partners). One
    whose left row is gone, or no longer matched to that right row, is listed."""
    scored = frame["match_score"].astype(str).ne("").tolist()
    pairs = _positions([f"{a}\x1f{b}" if scored[r] else "" for r, (a, b) in enumerate(zip(left_keys, right_keys))])
    return replay_pairs(step, pairs, set(left_keys))


def replay_pairs(step: Step, pairs: dict[str, list[int]], lefts: set[str]) -> Replayed:
    """`replay_rejections` from the match table's scored rows by `left key \x1f right key`
    (`pairs`: their positions) and every row's left key (`lefts`): for a table read a part at
    a time (datatools/app/results/large_matches.py)."""
    replayed = Replayed(set())
    for decision in step.decisions:
        rows = pairs.get(f"{decision['rows'][0]}\x1f{decision['right']}", [])
        if rows:
            (replayed.accepted if decision["decision"] == "same" else replayed.review).update(rows)
            replayed.applied += 1
        else:
            why = NOT_MATCHED if decision["rows"][0] in lefts else ROWS_GONE
            replayed.gone.append({**_brief(decision), "why": why})
    return replayed


# ---------------------------------------------------------------------------- running


@dataclass
class StepOutcome:
    """What one step did (or, in a dry run, would do)."""

    tool: str
    counts: dict[str, Any]
    gone: list[dict[str, Any]] = field(default_factory=list)
    merges: "pd.DataFrame | None" = None

    def to_json(self) -> dict[str, Any]:
        return {"tool": self.tool, **self.counts, "decisions_gone": self.gone}


def run_steps(recipe: Recipe, frame: "pd.DataFrame",
              synonyms: Callable[[Any], Any] | None = None, progress=None,
              others: Sequence[tuple[str, "pd.DataFrame"]] = (),
              name: str = "") -> tuple["pd.DataFrame", list[StepOutcome]]:
    """Every step on `frame` (the file `name`), in order: the table each leaves and what it
    did. A match or compare step takes the next of `others` ((file name, table) per such step)
    as its second file. The caller checked the columns (`check_columns`). BadOption as the
    tools raise."""
    from datatools import registry
    from datatools.progress import silent

    progress = progress or silent()
    outcomes = []
    share = 1.0 / len(recipe.steps)
    second = iter(others)
    for number, step in enumerate(recipe.steps):
        stage = progress.stage(number * share, (number + 1) * share)
        options = registry.TOOLS[step.tool].check_options(step.options)
        synonyms_table = synonyms(options.get("synonyms")) if synonyms and "synonyms" in options else None
        if step.tool == "clean":
            frame, outcome = _clean(frame, options, stage)
        elif step.tool == "dedupe":
            frame, outcome = _dedupe(step, frame, options, synonyms_table, stage)
        elif step.tool == "match":
            frame, outcome = _match(step, frame, next(second)[1], options, synonyms_table, stage)
        else:
            other_name, other = next(second)
            frame, outcome = _compare(frame, other, options, (name, other_name), stage)
        outcomes.append(outcome)
    return frame, outcomes


def _clean(frame, options, progress):
    from datatools.tools.clean import CleanOptions, clean_table

    frame, report = clean_table(frame, CleanOptions(**{k: v for k, v in options.items() if k != "plan"}),
                                progress=progress)
    return frame, StepOutcome("clean", {"rows": len(frame), "cells_changed": report.cells_changed,
                                        "columns_changed": sum(1 for c in report.cells.values() if c)})


def _dedupe(step, frame, options, synonyms, progress):
    from datatools.tools.dedupe import find_duplicates

    keys = row_keys(frame, step.key)
    result = find_duplicates(frame, options["columns"], threshold=options["threshold"],
                             synonyms=synonyms, progress=progress)
    replayed = replay_decisions(step, result, keys)
    reviewed = replayed.review.apply(result)
    counts = {"rows": len(result.frame), "groups": len(result.clusters),
              "decisions_applied": replayed.applied, "rows_after": len(reviewed.frame),
              "rows_removed": len(result.frame) - len(reviewed.frame)}
    if step.key and reviewed.merges is not None:
        reviewed.merges = with_keys(reviewed.merges, keys, step.key)
    return reviewed.frame, StepOutcome("dedupe", counts, replayed.gone, reviewed.merges)


def _match(step, frame, other, options, synonyms, progress):
    from datatools.tools.match import match_tables, reject_matches
    from datatools.tools.review import MatchRejections

    include_possible = step.review.get("include_possible") is True
    # An accepted possible match needs its partner in the table; the ones not accepted are
    # then held back as a default run holds them.
    accepting = accepts_matches(step) and not include_possible
    result = match_tables(frame, other, options["on"], options.get("right_on"),
                          threshold=options["threshold"], top=options["top"], unique=options["unique"],
                          synonyms=synonyms, include_possible=include_possible or accepting,
                          progress=progress)
    left_keys, right_keys = match_keys(result.frame, len(frame.columns), len(other.columns),
                                       step.key, step.right_key)
    replayed = replay_rejections(step, result.frame, left_keys, right_keys)
    if accepting:
        result = MatchRejections(frozenset(replayed.review),
                                 frozenset(replayed.accepted - replayed.review)).result(result)
    else:
        result = reject_matches(result, sorted(replayed.review))
    counts = {"rows": result.report.left_rows, "matched": result.report.matched,
              "decisions_applied": replayed.applied, "matches_taken_back": len(replayed.review)}
    if replayed.accepted:
        counts["matches_accepted"] = len(replayed.accepted)
    return result.frame, StepOutcome("match", counts, replayed.gone)


def _compare(frame, other, options, names, progress):
    from datatools.tools.compare import compare_tables

    result = compare_tables(frame, other, key=options.get("key") or None,
                            changed_only=options["changed_only"], progress=progress, names=names)
    counts = {k: v for k, v in result.summary.to_dict().items() if k in ("added", "removed", "changed", "unchanged")}
    return result.diff, StepOutcome("compare", counts)


def with_keys(merges: "pd.DataFrame", keys: list[str], key: str) -> "pd.DataFrame":
    """The merge list with the kept and dropped rows also named by their key column
    (`kept_<key>`, `dropped_<key>`), so a reader finds them without counting rows."""
    merges = merges.copy()
    merges.insert(2, f"kept_{key}", [keys[int(r) - 1] for r in merges["kept_row"]])
    merges.insert(4, f"dropped_{key}", [" ".join(keys[int(r) - 1] for r in str(rows).split())
                                        for rows in merges["dropped_rows"]])
    return merges
