"""Every data tool as the desktop runs it: input specs in, a ToolOutput (report, table, view) out.

This is the one module that knows the tools' Python names; the server and the UI only know the
tool ids in `TOOLS`. Heavy libraries (pandas, rapidfuzz) load inside the run functions.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from datatools.errors import BadInput, OutputExists
from datatools.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

# Rows of a result the UI gets to show; the saved file always has every row.
VIEW_ROWS = 200
PREVIEW_ROWS = 20


@dataclass(frozen=True)
class InputSpec:
    """One input file and how to read it (None = let the reader detect it)."""

    path: Path
    encoding: str | None = None
    delimiter: str | None = None
    header: bool = True
    sheet: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> "InputSpec":
        if not isinstance(data, dict) or not isinstance(data.get("path"), str) or not data["path"]:
            raise BadInput("Choose a file first.", code="no_file")
        path = Path(data["path"]).expanduser()
        if not path.is_file():
            raise BadInput(f"There is no file at {path}.", code="file_not_found")
        return cls(path=path, encoding=data.get("encoding") or None,
                   delimiter=data.get("delimiter") or None,
                   header=data.get("header", True) is not False, sheet=data.get("sheet") or None)

    def read_options(self) -> dict[str, Any]:
        """Keyword arguments for `read_table` / `preview_table`."""
        return {"encoding": self.encoding, "delimiter": self.delimiter, "header": self.header,
                "sheet": self.sheet}


@dataclass
class ToolOutput:
    """What a finished job keeps: the report, and either a table or a file to save."""

    report: dict[str, Any]                     # everything the tool reported
    summary: dict[str, Any]                    # the few numbers the result view shows
    suggested_name: str
    trial: list[dict] = field(default_factory=list)  # inputs the trial cut: file, used, total
    frame: "pd.DataFrame | None" = None
    file: Path | None = None
    view: dict[str, Any] = field(default_factory=dict)
    inputs: tuple[Path, ...] = ()

    def to_json(self) -> dict[str, Any]:
        view = dict(self.view)
        if self.frame is not None and "table" not in view:
            view["table"] = table_view(self.frame)
        return {"report": self.report, "summary": self.summary, "trial": self.trial, "view": view,
                "suggested_name": self.suggested_name}


def table_view(frame: "pd.DataFrame", rows: int = VIEW_ROWS) -> dict[str, Any]:
    head = frame.head(rows)
    return {"columns": [str(c) for c in frame.columns],
            "rows": [[str(v) for v in row] for row in head.itertuples(index=False, name=None)],
            "total_rows": int(len(frame))}


def _jsonable(value: Any) -> Any:
    """Reports may hold numpy numbers or dates; the UI wants plain JSON."""
    return json.loads(json.dumps(value, default=str))


# --------------------------------------------------------------------------- reading inputs


def read_input(spec: InputSpec, row_limit: int | None, progress: Progress, notes: list[dict]):
    """Read one input table, cut to the trial's row limit (noted in `notes`)."""
    from datatools import io

    table = io.read_table(spec.path, progress=progress, **spec.read_options())
    if row_limit is not None and len(table.frame) > row_limit:
        notes.append({"file": spec.path.name, "used": row_limit, "total": len(table.frame)})
        table.frame = table.frame.head(row_limit).reset_index(drop=True)
    return table


def preview_file(spec: InputSpec, rows: int = PREVIEW_ROWS) -> dict[str, Any]:
    """The first rows of a file and how it was read (encoding, delimiter, warnings)."""
    from datatools import io

    table = io.preview_table(spec.path, rows=rows, **spec.read_options())
    return {"path": str(spec.path), "name": spec.path.name, "encoding": table.encoding,
            "delimiter": table.delimiter, "warnings": list(table.warnings),
            **table_view(table.frame, rows)}


# --------------------------------------------------------------------------- the tools


def _stem(spec: InputSpec, suffix: str, ext: str = ".csv") -> str:
    return f"{spec.path.stem}-{suffix}{ext}"


def _text(options: dict[str, Any], name: str) -> str | None:
    value = options.get(name)
    return str(value).strip() if value not in (None, "") else None


def _number(options: dict[str, Any], name: str, kind: type = float) -> Any:
    value = options.get(name)
    if value in (None, ""):
        return None
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise BadInput(f"'{value}' is not a number.", code=f"bad_{name}") from None


def _columns(options: dict[str, Any], name: str, frame: "pd.DataFrame") -> list[str]:
    value = options.get(name) or []
    columns = [value] if isinstance(value, str) else list(value)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BadInput(f"The file has no column named {', '.join(missing)}.", code="no_such_column")
    return columns


def run_encoding(specs, options, row_limit, progress, workdir: Path) -> ToolOutput:
    from datatools.tools.encoding import fix_encoding

    spec = specs[0]
    notes: list[dict] = []
    source = _first_lines(spec.path, row_limit + 1, workdir, notes) if row_limit else spec.path
    target = workdir / f"{os.urandom(6).hex()}-{spec.path.name}"
    fixed = fix_encoding(source, target, source_encoding=_text(options, "source_encoding") or spec.encoding,
                         target=_text(options, "target") or "utf-8",
                         repair_mojibake=bool(options.get("repair_mojibake")), force=True,
                         progress=progress)
    report = _jsonable(fixed.to_dict())
    for private in ("source", "output"):      # work-folder paths mean nothing to the user
        report.pop(private, None)
    summary = {"encoding": fixed.source_encoding, "target_encoding": fixed.target_encoding,
               "mojibake_repaired": fixed.mojibake_repaired}
    if fixed.detection is not None:
        summary["confidence"] = f"{fixed.detection.confidence:.0%}"
        summary["verified"] = fixed.detection.verified
    view = {"samples": report.get("samples", [])}
    try:
        view["table"] = preview_file(InputSpec(path=target), rows=VIEW_ROWS)
    except BadInput:
        pass  # not a table (plain text): the summary is the result
    return ToolOutput(report=report, summary=summary, trial=notes, file=target, view=view,
                      inputs=(spec.path,), suggested_name=_stem(spec, "utf8", spec.path.suffix or ".csv"))


def _first_lines(path: Path, count: int, workdir: Path, notes: list[dict]) -> Path:
    """A copy of the first `count` lines of `path` (the trial's limit for file tools)."""
    with path.open("rb") as handle:
        lines = [line for _, line in zip(range(count + 1), handle)]
    if len(lines) <= count:
        return path
    copy = workdir / f"{os.urandom(6).hex()}-trial-{path.name}"
    copy.write_bytes(b"".join(lines[:count]))
    notes.append({"file": path.name, "used": count - 1, "total": None})
    return copy


def run_clean(specs, options, row_limit, progress, workdir: Path) -> ToolOutput:
    from datatools.tools.clean import CleanOptions, clean_table

    notes: list[dict] = []
    table = read_input(specs[0], row_limit, progress.stage(0.0, 0.3), notes)
    known = {f.name for f in dataclasses.fields(CleanOptions)}
    # The form sends "" for "leave as it is"; the tool means that by None.
    chosen = {k: (None if v == "" else v) for k, v in options.items() if k in known}
    frame, report = clean_table(table.frame, CleanOptions(**chosen), progress=progress.stage(0.3, 1.0))
    details = _jsonable(report.to_dict())
    changes = [[column, step, str(cells)] for column, steps in details["changes"].items()
               for step, cells in steps.items()]
    return ToolOutput(report=details, summary={"rows": report.rows, "cells_changed": report.cells_changed},
                      trial=notes, frame=frame, view={"changes": changes, "notes": details["notes"]},
                      inputs=(specs[0].path,), suggested_name=_stem(specs[0], "clean"))


def run_profile(specs, options, row_limit, progress, workdir: Path) -> ToolOutput:
    from datatools.tools.profile import profile_table

    notes: list[dict] = []
    table = read_input(specs[0], row_limit, progress.stage(0.0, 0.4), notes)
    profile = _jsonable(profile_table(table.frame, progress=progress.stage(0.4, 1.0)).to_dict())
    target = workdir / f"{os.urandom(6).hex()}-profile.json"
    target.write_text(json.dumps(profile, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ToolOutput(report=profile, summary={"rows": profile["rows"], "columns": len(profile["columns"])},
                      trial=notes, file=target, view={"profile": profile}, inputs=(specs[0].path,),
                      suggested_name=_stem(specs[0], "profile", ".json"))


def run_compare(specs, options, row_limit, progress, workdir: Path) -> ToolOutput:
    from datatools.tools.compare import compare_tables

    notes: list[dict] = []
    old = read_input(specs[0], row_limit, progress.stage(0.0, 0.2), notes)
    new = read_input(specs[1], row_limit, progress.stage(0.2, 0.4), notes)
    key = _columns(options, "key", old.frame) or None
    result = compare_tables(old.frame, new.frame, key=key, progress=progress.stage(0.4, 1.0))
    summary = _jsonable(result.summary.to_dict())
    return ToolOutput(report=summary, trial=notes,
                      summary={k: summary[k] for k in ("added", "removed", "changed", "unchanged")},
                      frame=result.diff, inputs=(specs[0].path, specs[1].path),
                      suggested_name=_stem(specs[1], "changes"))


def run_dedupe(specs, options, row_limit, progress, workdir: Path) -> ToolOutput:
    from datatools.tools.dedupe import find_duplicates

    notes: list[dict] = []
    table = read_input(specs[0], row_limit, progress.stage(0.0, 0.2), notes)
    columns = _columns(options, "columns", table.frame)
    if not columns:
        raise BadInput("Choose at least one column to compare.", code="no_columns")
    result = find_duplicates(table.frame, columns, threshold=_number(options, "threshold"),
                             synonyms=_synonyms(options), progress=progress.stage(0.2, 1.0))
    report = _jsonable(result.report.to_dict())
    return ToolOutput(report=report, trial=notes,
                      summary={k: report[k] for k in ("rows", "clusters", "duplicates")},
                      frame=result.frame, view={"clusters": cluster_view(result.frame)},
                      inputs=(specs[0].path,), suggested_name=_stem(specs[0], "duplicates"))


def _synonyms(options: dict[str, Any]) -> dict[str, str] | None:
    """The `synonyms` option: a path to a from,to table, read like any input (or nothing)."""
    from datatools.tools.synonyms import synonyms_option

    path = options.get("synonyms")
    if path is not None and not isinstance(path, str):
        raise BadInput("The synonyms option must be a file path.", code="bad_option")
    return synonyms_option(str(Path(path).expanduser())) if path else None


def cluster_view(frame: "pd.DataFrame", limit: int = 100) -> list[dict[str, Any]]:
    """The duplicate groups with their rows and the reason they were grouped (for review)."""
    clusters = []
    marked = frame[frame["cluster_id"].astype(str) != ""]
    data_columns = [c for c in frame.columns if c not in ("cluster_id", "match_score", "match_reason")]
    for cluster_id, rows in marked.groupby("cluster_id", sort=False):
        clusters.append({
            "id": str(cluster_id),
            "columns": [str(c) for c in data_columns],
            "rows": [[str(v) for v in row] for row in
                     rows[data_columns].itertuples(index=False, name=None)],
            "scores": [str(v) for v in rows["match_score"]],
            "reasons": [str(v) for v in rows["match_reason"]],
        })
        if len(clusters) >= limit:
            break
    return clusters


def run_match(specs, options, row_limit, progress, workdir: Path) -> ToolOutput:
    from datatools.tools.match import match_tables

    notes: list[dict] = []
    left = read_input(specs[0], row_limit, progress.stage(0.0, 0.15), notes)
    right = read_input(specs[1], row_limit, progress.stage(0.15, 0.3), notes)
    on = _columns(options, "on", left.frame)
    if not on:
        raise BadInput("Choose the column(s) to match on.", code="no_columns")
    right_on = _columns(options, "right_on", right.frame) or None
    result = match_tables(left.frame, right.frame, on, right_on,
                          threshold=_number(options, "threshold"),
                          top=_number(options, "top", int) or 1, unique=bool(options.get("unique")),
                          synonyms=_synonyms(options), progress=progress.stage(0.3, 1.0))
    report = _jsonable(result.report.to_dict())
    return ToolOutput(report=report, trial=notes, frame=result.frame,
                      summary={k: report[k] for k in ("left_rows", "matched", "unmatched")},
                      inputs=(specs[0].path, specs[1].path), suggested_name=_stem(specs[0], "matched"))


Runner = Callable[..., ToolOutput]


@dataclass(frozen=True)
class ToolSpec:
    id: str
    inputs: int          # how many files the tool takes
    run: Runner


TOOLS: dict[str, ToolSpec] = {spec.id: spec for spec in (
    ToolSpec("encoding", 1, run_encoding),
    ToolSpec("clean", 1, run_clean),
    ToolSpec("profile", 1, run_profile),
    ToolSpec("compare", 2, run_compare),
    ToolSpec("dedupe", 1, run_dedupe),
    ToolSpec("match", 2, run_match),
)}


# --------------------------------------------------------------------------- saving


def save_output(output: ToolOutput, target: Path, *, force: bool,
                review: dict[str, Any] | None = None) -> Path:
    """Write the result to a new file atomically; never over an input, never half a file."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise BadInput(f"The folder {target.parent} does not exist.", code="no_folder")
    if any(target.resolve() == source.resolve() for source in output.inputs):
        raise BadInput("That is one of the input files. Inputs are never changed: "
                       "choose a new name.", code="would_overwrite_input")
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists. Choose another name, or allow replacing it.")
    if output.frame is not None:
        from datatools import io

        io.write_table(reviewed_frame(output.frame, review), target, force=force)
        return target
    assert output.file is not None
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        shutil.copyfile(output.file, partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def reviewed_frame(frame: "pd.DataFrame", review: dict[str, Any] | None) -> "pd.DataFrame":
    """Apply the duplicate review: unmark rejected clusters; optionally keep one row per cluster."""
    if not review or "cluster_id" not in frame.columns:
        return frame
    frame = frame.copy()
    rejected = {str(c) for c in review.get("rejected", [])}
    if rejected:
        hit = frame["cluster_id"].astype(str).isin(rejected)
        frame.loc[hit, ["cluster_id", "match_score", "match_reason"]] = ""
    if review.get("keep") == "first":
        ids = frame["cluster_id"].astype(str)
        frame = frame[(ids == "") | ~ids.duplicated()].reset_index(drop=True)
    return frame
