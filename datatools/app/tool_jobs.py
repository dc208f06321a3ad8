"""Every data tool as the desktop runs it: input specs in, a result object out (one kind per
tool's result, datatools/app/results/).

Which tools exist, their inputs and their options' defaults come from `datatools.registry`; the
adapters here get options already checked and completed by it. Heavy libraries (pandas,
rapidfuzz) load inside the run functions.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from datatools import notices, registry
from datatools.app.compare_view import CompareView
from datatools.app.inputs import (InputSpec, jsonable, joined_in, missing_columns, option_columns,
                                  output_name, preview_file, read_input)
from datatools.app.large_runs import LARGE_TOOLS
from datatools.app.match_review import MatchReview
from datatools.app.results import Result
from datatools.app.results.base import VIEW_ROWS
from datatools.app.results.cleaned import Cleaned
from datatools.app.results.compare import Comparison
from datatools.app.results.duplicates import Duplicates
from datatools.app.results.encoding import Reencoded
from datatools.app.results.matches import Matches
from datatools.app.results.plan import CleanPlan
from datatools.app.results.profile import Profile
from datatools.app.review import DuplicateReview
from datatools.app.saving import csv_habits
from datatools.errors import BadInput, BadOption
from datatools.safe_write import write_file
from datatools.tools.recipe import import_settings, key_column
from datatools.progress import Progress

if TYPE_CHECKING:
    import pandas as pd


# --------------------------------------------------------------------------- the tools


def run_encoding(specs, options, row_limit, progress, workdir: Path) -> Reencoded:
    from datatools.tools.encoding import fix_encoding

    spec = specs[0]
    notes: list[dict] = []
    source = _first_lines(spec.path, row_limit + 1, workdir, notes) if row_limit else spec.path
    target = workdir / f"{os.urandom(6).hex()}-{spec.path.name}"
    fixed = fix_encoding(source, target, force=True, progress=progress,
                         **{**options, "source_encoding": options["source_encoding"] or spec.encoding})
    report = jsonable(fixed.to_dict())
    for private in ("source", "output"):      # work-folder paths mean nothing to the user
        report.pop(private, None)
    summary = {"encoding": fixed.source_encoding, "target_encoding": fixed.target_encoding,
               "mojibake_repaired": fixed.mojibake_repaired}
    evidence = encoding_evidence(fixed.detection, source) if fixed.detection is not None else None
    warnings = []
    if fixed.detection is not None and fixed.detection.legacy is not None:
        warnings.append(notices.Notice(
            f"not all lines were UTF-8 ({fixed.detection.legacy.describe()}); those lines were "
            "converted from that code page.", "mixed_lines_converted",
            **fixed.detection.legacy.params()).about_file(spec.path.name))
    table = None
    try:
        # Only the start of the new file is read: its row count is not known ("first 200 rows").
        table = {**preview_file(InputSpec(path=target), rows=VIEW_ROWS), "total_rows": None}
    except BadInput:
        pass  # not a table (plain text): the summary is the result
    return Reencoded(report=report, summary=summary, trial=notes, file=target, evidence=evidence,
                     samples=report.get("samples", []), table=table, warnings=warnings,
                     inputs=(spec.path,), suggested_name=output_name(spec, "utf8", spec.path.suffix or ".csv"))


def encoding_evidence(detection, path: Path, look: int = 1 << 20) -> dict[str, Any]:
    """What the detected encoding rests on, in words the window can say honestly (not a bare
    percentage, which reads as doubt about an answer the whole file confirmed):

    `certain`: checked against the whole file, and every runner-up as likely reads the file's
    first MiB the same way (`alike`: the choice makes no difference); `whole`: checked against
    the whole file, and no other code page the detector weighed is as likely; `checked`: checked
    against the whole file, other readings possible (`others`); `guess`: not checked against
    the whole file (`percent`: the detector's confidence)."""
    candidates = [c.encoding for c in detection.candidates]
    if not detection.verified:
        return {"kind": "guess", "encoding": detection.encoding, "percent": round(detection.confidence * 100)}
    with open(path, "rb") as handle:
        head = handle.read(look)
    head = head[:len(head) - 4] if len(head) == look else head   # a character cut at the end

    def reading(codec: str) -> str | None:
        try:
            return head.decode(codec)
        except (UnicodeDecodeError, LookupError):
            return None

    chosen = reading(detection.encoding)
    rivals = [c for c in detection.candidates if c.confidence >= detection.confidence - 1e-9]
    alike = [c.encoding for c in rivals if reading(c.encoding) == chosen]
    if chosen is not None and not rivals:
        return {"kind": "whole", "encoding": detection.encoding}
    if chosen is not None and len(alike) == len(rivals):
        return {"kind": "certain", "encoding": detection.encoding, "alike": alike}
    return {"kind": "checked", "encoding": detection.encoding,
            "others": [c for c in candidates if c not in alike][:3]}


def _first_lines(path: Path, count: int, workdir: Path, notes: list[dict]) -> Path:
    """A copy of the first `count` lines of `path` (the trial's limit for file tools)."""
    with path.open("rb") as handle:
        lines = [line for _, line in zip(range(count + 1), handle)]
    if len(lines) <= count:
        return path
    copy = write_file(workdir / f"{os.urandom(6).hex()}-trial-{path.name}", b"".join(lines[:count]))
    notes.append({"file": path.name, "used": count - 1, "total": None})
    return copy


def run_clean(specs, options, row_limit, progress, workdir: Path,
              memory_limit: int | None = None) -> Cleaned | CleanPlan:
    """Clean the file, or with option `plan` only show what each column would get; a large
    file on the duckdb engine (`large_runs.run_clean_large`).

    The plan (`view.plan`: per column its kind, rules, held-back rules and before → after
    samples, from up to 2,000 rows) fills the desktop's per-column table before a run; it has
    no table to save. A run's `view.columns` says the same with the file's exact counts.
    """
    from datatools.app.large_runs import run_clean_large, takes_duckdb
    from datatools.io.xlsx_cells import source_cells
    from datatools.tools.clean import CleanOptions, clean_table, plan_clean

    if takes_duckdb(specs, row_limit):
        return run_clean_large(specs[0], options, progress, memory_limit)
    notes: list[dict] = []
    warnings: list[str] = []
    table = read_input(specs[0], row_limit, progress.stage(0.0, 0.3), notes, warnings)
    clean_options = CleanOptions(**{k: v for k, v in options.items() if k != "plan"})
    if options.get("plan"):
        plan = plan_clean(table.frame, clean_options)
        return CleanPlan(report={}, summary={}, trial=notes, suggested_name=output_name(specs[0], "clean"),
                         plan=jsonable(plan.to_dict()["columns"]), notes=plan.notes, rows=plan.rows)
    frame, report = clean_table(table.frame, clean_options, progress=progress.stage(0.3, 1.0))
    details = jsonable(report.to_dict())
    changes = [[column, step, str(cells)] for column, steps in details["changes"].items()
               for step, cells in steps.items()]
    return Cleaned(warnings=warnings, report=details,
                   summary={"rows": report.rows, "cells_changed": report.cells_changed},
                   trial=notes, frame=frame, changes=changes, notes=report.notes,
                   columns=details["columns"], examples=cell_changes(table.frame, frame),
                   inputs=(specs[0].path,), suggested_name=output_name(specs[0], "clean"),
                   habits=csv_habits(table), source=import_settings(specs[0].read_options(), table),
                   cells=source_cells(table))


def cell_changes(before: "pd.DataFrame", after: "pd.DataFrame", samples: int = 3) -> list[dict[str, Any]]:
    """Per column, the cells whose text really differs after cleaning and a few before → after.

    Counted by comparing the two tables (one vectorised pass per column), so a step that
    rewrote a value into the same text is not counted as a change.
    """
    found = []
    for column in before.columns:
        if column not in after.columns:
            continue
        differs = before[column].astype(str).values != after[column].astype(str).values
        count = int(differs.sum())
        if count:
            rows = differs.nonzero()[0][:samples]
            found.append({"column": str(column), "cells": count,
                          "samples": [[str(before[column].iat[r]), str(after[column].iat[r])] for r in rows]})
    return found


def run_profile(specs, options, row_limit, progress, workdir: Path, memory_limit: int | None = None) -> Profile:
    """Profile the file: in memory, or on the duckdb engine when it is large (the CLI's rule,
    `large_runs.takes_duckdb`) under `memory_limit` bytes (None: the engine's default); the
    trial's row limit keeps the in-memory path, which reads that many."""
    from datatools.app.large_runs import takes_duckdb
    from datatools.tools.profile import profile_read
    from datatools.tools.profile_report import profile_sheet

    notes: list[dict] = []
    warnings: list[str] = []
    engine = None
    if takes_duckdb(specs, row_limit):
        profile, table, engine = _profile_large(specs[0], progress, warnings, memory_limit)
    else:
        table = read_input(specs[0], row_limit, progress.stage(0.0, 0.4), notes, warnings)
        profile = jsonable(profile_read(table, progress.stage(0.4, 1.0)).to_dict())
    target = write_file(workdir / f"{os.urandom(6).hex()}-profile.json",
                        json.dumps(profile, ensure_ascii=False, indent=2) + "\n")
    report = {**profile, "engine": engine} if engine else profile
    return Profile(warnings=warnings, report=report,
                   summary={"rows": profile["rows"], "columns": len(profile["columns"])},
                   trial=notes, file=target, profile=profile, inputs=(specs[0].path,),
                   sheet=profile_sheet(profile), habits=csv_habits(table),
                   suggested_name=output_name(specs[0], "profile", ".json"))


def _profile_large(spec: InputSpec, progress: Progress, warnings: list,
                   memory_limit: int | None) -> tuple[dict, Any, dict]:
    """(profile, how the file was read, the engine's figures) on the duckdb engine: the phases
    (reading into the working copy, counting, sampling) move the bar; Cancel interrupts DuckDB
    and removes the working copy."""
    from types import SimpleNamespace

    from datatools.app.large_runs import engine_figures
    from datatools.large.job import large_job
    from datatools.large.profile import profile_large

    with large_job(spec.path, memory_limit=memory_limit, progress=progress.stage(0.0, 0.5),
                   **spec.read_options()) as job:
        profile = jsonable(profile_large(job, progress.stage(0.5, 1.0)).to_dict())
        info = job.copy.info
        engine = engine_figures(job)
    warnings.extend(notices.about_file(spec.path.name, warning) for warning in info.warnings)
    return profile, SimpleNamespace(path=spec.path, encoding=info.encoding, delimiter=info.delimiter), engine


def run_compare(specs, options, row_limit, progress, workdir: Path,
                memory_limit: int | None = None) -> Comparison:
    """Compare two versions: on the duckdb engine when they are large and it applies (the
    same columns, a key: `large_compare.run_compare_large`), else in memory."""
    from datatools.app.large_compare import run_compare_large
    from datatools.app.large_runs import takes_duckdb
    from datatools.tools.compare import compare_tables

    if takes_duckdb(specs, row_limit):
        done = run_compare_large(specs, options, progress.stage(0.0, 1.0), memory_limit)
        if done is not None:
            return done
    notes: list[dict] = []
    warnings: list[str] = []
    old = read_input(specs[0], row_limit, progress.stage(0.0, 0.2), notes, warnings)
    new = read_input(specs[1], row_limit, progress.stage(0.2, 0.4), notes, warnings)
    key = option_columns(options, "key", old.frame, specs[0]) or None
    result = compare_tables(old.frame, new.frame, key=key, changed_only=options["changed_only"],
                            progress=progress.stage(0.4, 1.0), names=(specs[0].path.name, specs[1].path.name))
    summary = result.summary
    report = jsonable(summary.to_dict())       # the CLI's --json report: notes as their text
    # The window's compare view: the notes stay Notices (shown in the UI's language), the
    # rows come a page at a time from `CompareView` (GET /api/jobs/<id>/diff), not as a table.
    counts = {k: report[k] for k in ("added", "removed", "changed", "unchanged")}
    overview = {"notes": summary.notes, "key_candidates": report["key_candidates"],
                "counts": counts, "cells_changed": report["cells_changed"],
                "changed_only": options["changed_only"]}
    return Comparison(warnings=warnings, report=report, trial=notes, summary=counts,
                      frame=result.diff, overview=overview, compare=CompareView(result),
                      inputs=(specs[0].path, specs[1].path),
                      suggested_name=output_name(specs[1], "changes"), habits=csv_habits(new),
                      source=import_settings(specs[0].read_options(), old),
                      second=import_settings(specs[1].read_options(), new))


def run_dedupe(specs, options, row_limit, progress, workdir: Path,
               memory_limit: int | None = None) -> Duplicates:
    """Find the duplicate groups for the review: in memory, or on the duckdb engine when the
    file is large (`large_runs.run_dedupe_large`, its review paged from the working copy)."""
    from datatools.app.large_runs import run_dedupe_large, takes_duckdb
    from datatools.tools.dedupe import find_duplicates

    if takes_duckdb(specs, row_limit):
        return run_dedupe_large(specs[0], options, progress, memory_limit, _synonyms(options))
    notes: list[dict] = []
    warnings: list[str] = []
    table = read_input(specs[0], row_limit, progress.stage(0.0, 0.2), notes, warnings)
    columns = option_columns(options, "columns", table.frame, specs[0])
    if not columns:
        raise BadInput("Choose at least one column to compare.", code="no_columns")
    result = find_duplicates(table.frame, columns, threshold=options["threshold"],
                             synonyms=_synonyms(options), progress=progress.stage(0.2, 0.97))
    report = jsonable(result.report.to_dict())
    warnings += result.notes
    # Linear in the rows, built here in the job's thread; the bar says so rather than stand
    # at 100 % (0.7 of 37 CPU seconds at 50,000 rows, bench/desktop_review.py).
    progress.update(0.97, "preparing the review")
    review = DuplicateReview(result)
    from datatools.io.xlsx_cells import input_sheet

    return Duplicates(warnings=warnings, report=report, trial=notes,
                      summary={k: report[k] for k in ("rows", "clusters", "duplicates")},
                      frame=result.frame, inputs=(specs[0].path,),
                      suggested_name=output_name(specs[0], "deduplicated"),
                      result=result, review=review, habits=csv_habits(table),
                      source=import_settings(specs[0].read_options(), table),
                      sheet_name=input_sheet(table, [specs[0].path]))


def _synonyms(options: dict[str, Any]) -> dict[str, str] | None:
    """The `synonyms` option (a checked path, or None): its from,to table, read like any input."""
    from datatools.tools.synonyms import synonyms_option

    return synonyms_option(options.get("synonyms"))


def read_match_inputs(specs, options, row_limit, progress, notes: list[dict], warnings: list[str]):
    """(left, right, on, right_on) of a match: both tables read (progress 0–0.3) and the
    paired columns checked against them (right_on None: the same names)."""
    left = read_input(specs[0], row_limit, progress.stage(0.0, 0.15), notes, warnings)
    right = read_input(specs[1], row_limit, progress.stage(0.15, 0.3), notes, warnings)
    on = option_columns(options, "on", left.frame, specs[0])
    if not on:
        raise BadInput("Choose the column(s) to match on.", code="no_columns")
    return left, right, on, option_columns(options, "right_on", right.frame, specs[1]) or None


def run_match(specs, options, row_limit, progress, workdir: Path,
              memory_limit: int | None = None) -> Matches:
    """Match the two files for the review: in memory, or on the duckdb engine when they are
    large (`large_match.run_match_large`, its review paged from the matched table on disk)."""
    from datatools.app.large_match import run_match_large
    from datatools.app.large_runs import takes_duckdb
    from datatools.tools.match import match_tables

    if options["unique"] and (options["top"] or 1) > 1:   # said before reading two whole files
        raise BadOption("Using each row of the second table only once allows one match per row.",
                        code="unique_with_top")
    if takes_duckdb(specs, row_limit):
        return run_match_large(specs, options, progress, memory_limit, _synonyms(options))
    notes: list[dict] = []
    warnings: list[str] = []
    left, right, on, right_on = read_match_inputs(specs, options, row_limit, progress, notes, warnings)
    # The possible matches' partners are kept for the review; Save writes one only once it
    # is accepted (MatchRejections.result), so the report is the one the CLI gives at defaults.
    result = match_tables(left.frame, right.frame, on, right_on, threshold=options["threshold"],
                          top=options["top"], unique=options["unique"], include_possible=True,
                          synonyms=_synonyms(options), progress=progress.stage(0.3, 0.97))
    progress.update(0.97, "preparing the review")
    review = MatchReview(result, on, right_on or on, (specs[0].path.name, specs[1].path.name),
                         key=key_column(left.frame, [str(c) for c in left.frame.columns]))
    report = jsonable(review.as_record().result(result).report.to_dict())
    warnings += result.notes
    from datatools.io.xlsx_cells import input_sheet

    return Matches(warnings=warnings, report=report, trial=notes, frame=result.frame,
                   result=result, review=review,
                   summary={"left_rows": report["left_rows"], "matched": report["matched"],
                            "possible": report["possible"] if report["top"] == 1 else 0,
                            "unmatched": report["unmatched"] - report["possible"] if report["top"] == 1
                            else report["unmatched"]},
                   inputs=(specs[0].path, specs[1].path), suggested_name=output_name(specs[0], "matched"),
                   habits=csv_habits(left), source=import_settings(specs[0].read_options(), left),
                   second=import_settings(specs[1].read_options(), right),
                   sheet_name=input_sheet(left, [specs[0].path, specs[1].path]),
                   widths=(len(left.frame.columns), len(right.frame.columns)),
                   right_key=key_column(right.frame, [str(c) for c in right.frame.columns]))


Runner = Callable[..., Result]


@dataclass(frozen=True)
class ToolSpec:
    """A registry tool as the server starts it: check the options, then run its adapter."""

    id: str
    inputs: int          # how many files the tool takes

    def check(self, options: dict[str, Any]) -> dict[str, Any]:
        """The request's options checked and completed with the engine's defaults; BadOption."""
        tool = registry.TOOLS[self.id]
        unknown = sorted(set(options) - {o.name for o in tool.options})
        if unknown:
            raise BadOption(f"{self.id} has no option {unknown[0]!r}.", code="unknown_option",
                            params={"option": unknown[0]})
        return tool.check_options(options)

    def check_columns(self, specs: list[InputSpec], options: dict[str, Any]) -> None:
        """Refuse, before a job starts, column names an input's header does not have.

        Reads each input's header once (a preview: at most the first MiB), only when a
        column option names columns; BadOption `column_not_in_file` naming the file and columns.
        """
        from datatools import io

        tool = registry.TOOLS[self.id]
        headers: dict[int, list[str]] = {}
        for option in tool.options:
            names = options.get(option.name) if option.kind in (registry.COLUMN, registry.COLUMNS) else None
            if not names or tool.reads != "table":
                continue
            if option.input not in headers:
                spec = specs[option.input]
                preview = io.preview_table(spec.path, rows=1, **spec.read_options())
                headers[option.input] = [str(c) for c in preview.frame.columns]
            missing = [n for n in names if n not in headers[option.input] and not joined_in(n, headers[option.input])]
            if missing:
                raise missing_columns(specs[option.input], missing)

    def engine(self, specs, row_limit: int | None) -> str | None:
        """The engine a run on `specs` takes, as the CLI's engine line names it: "duckdb" or
        "memory" for the tools in LARGE_TOOLS (the size rule, `large_runs.takes_duckdb`), None
        for the others, which have one engine."""
        from datatools.app.large_runs import takes_duckdb

        if self.id not in LARGE_TOOLS:
            return None
        return "duckdb" if takes_duckdb(specs, row_limit) else "memory"

    def run(self, specs, options, row_limit, progress, workdir: Path, recipe_step=None,
            memory_limit: int | None = None) -> Result:
        """Run the adapter; the result keeps the options, and takes `recipe_step`'s decisions
        (a `datatools.tools.recipe.Step` already checked against the input's columns).
        `memory_limit`: the large-file engine's, in bytes, for the tools in LARGE_TOOLS."""
        from datatools.app.large_runs import recipe_refused, takes_duckdb

        if recipe_step is not None and self.id == "dedupe" and takes_duckdb(specs, row_limit):
            raise recipe_refused()   # said before the run
        adapter: Runner = registry.resolve(registry.TOOLS[self.id].adapter)
        large = {"memory_limit": memory_limit} if self.id in LARGE_TOOLS else {}
        result = adapter(specs, options, row_limit, progress, workdir, **large)
        result.options = dict(options)
        if recipe_step is not None:
            result.apply_recipe(recipe_step)
        return result


TOOLS: dict[str, ToolSpec] = {name: ToolSpec(name, len(tool.inputs))
                              for name, tool in registry.TOOLS.items()}
