"""Recipes: the import settings and the tool steps of a run, with the review's decisions keyed
by stable row keys, saved as versioned JSON and replayed on next month's file.

    {"recipe": 1,
     "import": {"encoding": "cp1252", "delimiter": ";", "header": true, "sheet": null, "notes": []},
     "steps": [{"tool": "clean", "options": {...}},
               {"tool": "dedupe", "options": {"columns": [...], "threshold": 54}, "key": "Kundennr",
                "review": {"keep": "most-complete", "default": "same", "fill_empty": false,
                           "merge_report": true},
                "decisions": [{"rows": ["K-1", "K-7"], "decision": "different"}, ...]}]}

A row key is the value of the step's `key` column, or — without one — `h:` and a hash of the
row's cells as they enter the step (a row whose content changed is then another row). Never a
row number: rows move between exports. A recipe never holds the data: only column names, option
values and the keys of the rows a decision was about. Unknown fields are refused, by name.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from datatools.errors import BadOption

if TYPE_CHECKING:
    import pandas as pd

    from datatools.tools.dedupe import DedupeResult
    from datatools.tools.review import Review

VERSION = 1
STEP_TOOLS = ("clean", "dedupe")          # the tools whose output is a table the next step reads
IMPORT_FIELDS = ("encoding", "delimiter", "header", "sheet", "notes")
STEP_FIELDS = ("tool", "options", "key", "review", "decisions")
REVIEW_FIELDS = ("keep", "default", "fill_empty", "merge_report")
DECISION_FIELDS = ("rows", "decision", "keep", "values", "split")


def _bad(message: str, code: str = "bad_recipe", **params: Any) -> BadOption:
    return BadOption(message, code=code, params={k: str(v) for k, v in params.items()})


@dataclass
class Step:
    """One tool step: its options (registry names), the key column that names rows, and for
    dedupe the review's settings and its decisions (each about rows named by key)."""

    tool: str
    options: dict[str, Any] = field(default_factory=dict)
    key: str | None = None
    review: dict[str, Any] = field(default_factory=dict)
    decisions: list[dict[str, Any]] = field(default_factory=list)

    def columns(self) -> list[str]:
        """Every column name the step refers to, in the order they appear."""
        names: list[str] = []
        for name in ("columns", "on", "key"):
            value = self.options.get(name)
            names += [value] if isinstance(value, str) else list(value or [])
        names += list((self.options.get("rules") or {}).keys())
        if self.key:
            names.append(self.key)
        for decision in self.decisions:
            names += list((decision.get("values") or {}).keys())
        return list(dict.fromkeys(names))

    def renamed(self, mapping: dict[str, str]) -> "Step":
        """The step with column names mapped (old → new)."""
        def one(name: str) -> str:
            return mapping.get(name, name)

        options = dict(self.options)
        for name in ("columns", "on", "key"):
            value = options.get(name)
            if isinstance(value, str):
                options[name] = one(value)
            elif isinstance(value, list):
                options[name] = [one(v) for v in value]
        if options.get("rules"):
            options["rules"] = {one(c): r for c, r in options["rules"].items()}
        decisions = [{**d, "values": {one(c): k for c, k in d["values"].items()}} if d.get("values") else d
                     for d in self.decisions]
        return Step(self.tool, options, one(self.key) if self.key else None, dict(self.review), decisions)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tool": self.tool, "options": self.options}
        if self.tool == "dedupe":
            data.update(key=self.key, review=self.review, decisions=self.decisions)
        return data


@dataclass
class Recipe:
    """Import settings (how step 0 reads the file) and the tool steps, in order."""

    import_settings: dict[str, Any] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    def columns(self) -> list[str]:
        return list(dict.fromkeys(c for step in self.steps for c in step.columns()))

    def to_json(self) -> dict[str, Any]:
        return {"recipe": VERSION, "import": self.import_settings, "steps": [s.to_json() for s in self.steps]}

    def write(self, path: "str | Path", *, force: bool = False, inputs: tuple[Path, ...] = ()) -> Path:
        """Save as UTF-8 JSON through the guarded writer (never over an input)."""
        from datatools.safe_write import write_file

        target = Path(path)
        write_file(target, json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n",
                   inputs=list(inputs), force=force)
        return target

    @classmethod
    def from_json(cls, data: Any) -> "Recipe":
        """A recipe checked once: BadOption `bad_recipe` naming the unknown field, the wrong
        version, an unknown tool or a malformed decision."""
        if not isinstance(data, dict):
            raise _bad("A recipe is a JSON object.")
        _known(data, ("recipe", "import", "steps"), "the recipe")
        if data.get("recipe") != VERSION:
            raise _bad(f"This recipe is version {data.get('recipe')!r}; this DataTools reads version {VERSION}.",
                       version=data.get("recipe"))
        settings = data.get("import") or {}
        if not isinstance(settings, dict):
            raise _bad("The recipe's import settings must be an object.")
        _known(settings, IMPORT_FIELDS, "the import settings")
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            raise _bad("A recipe needs at least one step.")
        return cls(dict(settings), [_step(k, s) for k, s in enumerate(steps, start=1)])

    @classmethod
    def read(cls, path: "str | Path") -> "Recipe":
        """BadOption `bad_recipe` for a file that is missing, not JSON or not a recipe."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise _bad(f"Cannot read the recipe {path}: {exc.strerror or exc}.", file=path) from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise _bad(f"{path} is not a recipe: {exc}.", file=path) from None
        return cls.from_json(data)


def _known(data: dict, fields: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise _bad(f"{where[0].upper()}{where[1:]} has a field this DataTools does not know: "
                   f"{', '.join(unknown)}.", field=", ".join(unknown))


def _step(number: int, data: Any) -> Step:
    from datatools import registry
    from datatools.tools.review import DECISIONS

    if not isinstance(data, dict):
        raise _bad(f"Step {number} must be an object.")
    _known(data, STEP_FIELDS, f"step {number}")
    tool = data.get("tool")
    if tool not in STEP_TOOLS:
        raise _bad(f"Step {number}: a recipe replays {', '.join(STEP_TOOLS)}, not {tool!r}.", tool=tool)
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise _bad(f"Step {number}: the options must be an object.")
    known = {o.name for o in registry.TOOLS[tool].options}
    _known(options, tuple(known), f"step {number}'s options")
    review = data.get("review") or {}
    if not isinstance(review, dict):
        raise _bad(f"Step {number}: the review must be an object.")
    _known(review, REVIEW_FIELDS, f"step {number}'s review")
    decisions = data.get("decisions") or []
    if not isinstance(decisions, list):
        raise _bad(f"Step {number}: the decisions must be a list.")
    for decision in decisions:
        if not isinstance(decision, dict):
            raise _bad(f"Step {number}: each decision must be an object.")
        _known(decision, DECISION_FIELDS, f"a decision of step {number}")
        rows = decision.get("rows")
        if not isinstance(rows, list) or not all(isinstance(k, str) for k in rows) \
                or decision.get("decision") not in DECISIONS:
            raise _bad(f"Step {number}: a decision needs its rows' keys and one of {', '.join(DECISIONS)}.")
    key = data.get("key")
    if key is not None and not isinstance(key, str):
        raise _bad(f"Step {number}: the key must be a column name.")
    return Step(tool, dict(options), key or None, dict(review), list(decisions))


# ---------------------------------------------------------------------------- row keys


def row_keys(frame: "pd.DataFrame", key: str | None = None) -> list[str]:
    """Each row's stable key: its `key` column's value (trimmed), or `h:` and the first 16 hex
    digits of a BLAKE2b hash of its cells (one linear pass)."""
    if key is not None:
        return [str(v).strip() for v in frame[key].tolist()]
    return ["h:" + hashlib.blake2b("\x1f".join(map(str, row)).encode("utf-8"), digest_size=8).hexdigest()
            for row in frame.itertuples(index=False, name=None)]


def key_column(frame: "pd.DataFrame", columns: list[str]) -> str | None:
    """The first of `columns` that names each row: filled in every row, no two rows alike, no
    white space in any value (a customer number such as K-1001, not a name); None if none is."""
    for column in columns:
        values = frame[column].astype(str)
        if values.ne("").all() and values.is_unique and not values.str.contains(r"\s", regex=True).any():
            return column
    return None


def _positions(keys: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for row, key in enumerate(keys):
        found.setdefault(key, []).append(row)
    return found


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


@dataclass
class Replayed:
    """What replaying a step's decisions found: the review to apply, and the decisions that
    could not be placed (all their rows gone, or no longer a group), each with why."""

    review: "Review"
    applied: int = 0
    gone: list[dict[str, Any]] = field(default_factory=list)      # {"rows", "decision", "why"}


def replay_decisions(step: Step, result: "DedupeResult", keys: list[str]) -> Replayed:
    """The step's decisions on this run's groups: each goes to the group(s) now holding its
    rows; its survivor, values and split rows follow their keys. A decision whose rows are all
    gone, or whose rows are no longer grouped, is listed — never silently dropped. A group this
    run finds only possibly the same stays undecided (all its rows kept) unless a decision
    names its rows, as in the window's review and `dedupe --keep`."""
    from datatools.tools.review import KEEP_ALL, Review

    settings = step.review
    review = Review(keep=settings.get("keep") or KEEP_ALL, default=settings.get("default") or "same",
                    fill_empty=settings.get("fill_empty") is True,
                    merge_report=settings.get("merge_report", True) is True,
                    possible=Review.possible_groups(result))
    at = _positions(keys)
    group_of = {row: c.id for c in result.clusters for row in c.rows}
    rows_of = {c.id: set(c.rows) for c in result.clusters}
    replayed = Replayed(review)
    for decision in step.decisions:
        rows = [row for key in decision["rows"] for row in at.get(key, [])]
        if not rows:
            replayed.gone.append({**_brief(decision), "why": "rows_gone"})
            continue
        groups = sorted({group_of[r] for r in rows if r in group_of}, key=lambda g: (len(g), g))
        if not groups:
            replayed.gone.append({**_brief(decision), "why": "not_grouped"})
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
    return {"rows": decision["rows"], "decision": decision["decision"]}


# ---------------------------------------------------------------------------- columns


def check_columns(recipe: Recipe, header: list[str], mapping: dict[str, str]) -> Recipe:
    """The recipe with `mapping` (old → new) applied, every column it names checked against the
    file's `header`. BadOption `recipe_columns_missing` naming the missing columns (and what
    the file has) when one is neither in the file nor mapped; `bad_map` for a mapping to a
    column the file lacks."""
    wrong = sorted(new for new in mapping.values() if new not in header)
    if wrong:
        raise _bad(f"--map names {', '.join(wrong)}, which the file does not have.", code="bad_map",
                   columns=", ".join(wrong))
    mapped = Recipe(recipe.import_settings, [s.renamed(mapping) for s in recipe.steps])
    missing = [c for c in mapped.columns() if c not in header]
    if missing:
        raise _bad(f"The recipe uses columns this file does not have: {', '.join(missing)}. "
                   f"Map each to one of the file's columns with --map OLD=NEW "
                   f"(the file has: {', '.join(header)}).", code="recipe_columns_missing",
                   columns=", ".join(missing), header=", ".join(header))
    return mapped


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
              synonyms: Callable[[Any], Any] | None = None,
              progress=None) -> tuple["pd.DataFrame", list[StepOutcome]]:
    """Every step on `frame`, in order: the table each leaves and what it did. The caller
    checked the columns (`check_columns`). BadOption as the tools raise."""
    from datatools import registry
    from datatools.progress import silent
    from datatools.tools.clean import CleanOptions, clean_table
    from datatools.tools.dedupe import find_duplicates

    progress = progress or silent()
    outcomes = []
    share = 1.0 / len(recipe.steps)
    for number, step in enumerate(recipe.steps):
        stage = progress.stage(number * share, (number + 1) * share)
        options = registry.TOOLS[step.tool].check_options(step.options)
        if step.tool == "clean":
            frame, report = clean_table(frame, CleanOptions(**{k: v for k, v in options.items() if k != "plan"}),
                                        progress=stage)
            outcomes.append(StepOutcome("clean", {"rows": len(frame), "cells_changed": report.cells_changed,
                                                  "columns_changed": sum(1 for c in report.cells.values() if c)}))
            continue
        keys = row_keys(frame, step.key)
        result = find_duplicates(frame, options["columns"], threshold=options["threshold"],
                                 synonyms=synonyms(options.get("synonyms")) if synonyms else None,
                                 progress=stage)
        replayed = replay_decisions(step, result, keys)
        reviewed = replayed.review.apply(result)
        counts = {"rows": len(result.frame), "groups": len(result.clusters),
                  "decisions_applied": replayed.applied, "rows_after": len(reviewed.frame),
                  "rows_removed": len(result.frame) - len(reviewed.frame)}
        if step.key and reviewed.merges is not None:
            reviewed.merges = with_keys(reviewed.merges, keys, step.key)
        outcomes.append(StepOutcome("dedupe", counts, replayed.gone, reviewed.merges))
        frame = reviewed.frame
    return frame, outcomes


def with_keys(merges: "pd.DataFrame", keys: list[str], key: str) -> "pd.DataFrame":
    """The merge list with the kept and dropped rows also named by their key column
    (`kept_<key>`, `dropped_<key>`), so a reader finds them without counting rows."""
    merges = merges.copy()
    merges.insert(2, f"kept_{key}", [keys[int(r) - 1] for r in merges["kept_row"]])
    merges.insert(4, f"dropped_{key}", [" ".join(keys[int(r) - 1] for r in str(rows).split())
                                        for rows in merges["dropped_rows"]])
    return merges
