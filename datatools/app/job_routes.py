"""The local server's job routes: start a tool, follow it, review its result, save or download it.

A mixin of `DesktopApp` (datatools/app/server.py), which supplies `settings`, `workdir` and
`jobs`; the routes themselves are listed there.
"""

from __future__ import annotations

import logging
import mimetypes
import tempfile
from pathlib import Path
from typing import Any

from datatools.app import activation
from datatools.app.jobs import DONE, held_answer
from datatools.app.opener import open_in_system
from datatools.app.preferences import memory_limit
from datatools.app.review import GroupFilter
from datatools.app.results import Result
from datatools.app.saving import (SavePlan, check_folder, default_save_folder, save_plan, suggested_path,
                                  trial_note)
from datatools.app.tiers import entitlement_for
from datatools.app.inputs import InputSpec
from datatools.app.tool_jobs import TOOLS
from datatools.app.wsgi import HTTPError, Request, Response
from datatools.errors import BadInput, BadOption
from datatools.progress import Progress

log = logging.getLogger("datatools.app")


class JobRoutes:
    """Route handlers for `/api/jobs…`."""


    def start_job(self, request: Request) -> Response:
        """`{"tool", "inputs", "options", "recipe"?: {"path", "map"?}}`: with a recipe, its step
        for this tool is checked against the input's columns first (BadOption naming the
        missing ones) and its decisions applied to the review when the run ends."""
        data = request.json()
        tool, entitlement, specs, options = self._tool_request(data)
        step = recipe_step(data.get("recipe"), tool.id, specs) if data.get("recipe") else None
        workdir = self.workdir
        limit = memory_limit(self.settings)

        def work(progress):
            return tool.run(specs, options, entitlement.row_limit, progress, workdir, step, limit)

        job = self.jobs.start(tool.id, work, engine=tool.engine(specs, entitlement.row_limit))
        log.info("event=job_started job=%s tool=%s", job.id, tool.id)
        return Response.json(job.status(), 202)

    def start_match_estimate(self, request: Request) -> Response:
        """`{"inputs", "options"}` as a match job takes them: estimate how many rows of the first
        file find a match (a job in the previews' runner, polled at `/api/preview/<id>`)."""
        from datatools.app.match_estimate import estimate_match

        _, entitlement, specs, options = self._tool_request({**request.json(), "tool": "match"})
        row_limit = entitlement.row_limit
        job = self.previews.start("match-estimate", lambda progress: estimate_match(
            specs, options, row_limit, progress, self.match_sample))
        return Response.json(job.status(), 202)

    def _tool_request(self, data: dict):
        """(tool, entitlement, input specs, checked options) of a request to run a tool."""
        tool = TOOLS.get(str(data.get("tool")))
        if tool is None:
            raise HTTPError(404, "no_such_tool", "There is no such tool.")
        entitlement = entitlement_for(activation.current_license(self.settings).license)
        if tool.id not in entitlement.tools:
            raise HTTPError(403, "not_in_tier", "Your license does not include this tool.",
                            {"tier": entitlement.tier})
        inputs = data.get("inputs") or []
        if not isinstance(inputs, list) or len(inputs) != tool.inputs:
            raise BadInput("Choose a file first." if tool.inputs == 1 else "Choose both files.",
                           code="no_file")
        specs = [InputSpec.from_json(item) for item in inputs]
        options = data.get("options") or {}
        if not isinstance(options, dict):
            raise HTTPError(400, "bad_options", "Options must be a JSON object.")
        options = tool.check(options)
        tool.check_columns(specs, options)
        return tool, entitlement, specs, options

    def _job(self, request: Request):
        job = self.jobs.get(request.params["id"])
        if job is None:
            raise HTTPError(404, "no_such_job", "This result is no longer available.")
        return job

    def job_status(self, request: Request) -> Response:
        job = self._job(request)
        held_answer(job, request.query)
        status = job.status()
        if status["state"] == DONE:
            status["result"] = job.result.to_json()
            if isinstance(job.result, Result):
                folder = self.settings.save_folder or default_save_folder()
                status["result"]["suggested_path"] = str(suggested_path(job.result, self.workdir, folder))
        return Response.json(status)

    def cancel_job(self, request: Request) -> Response:
        job = self._job(request)
        self.jobs.cancel(job)
        return Response.json(job.status(), 202)

    def close_job(self, request: Request) -> Response:
        """The window leaves a result (a new run, another tool): it is forgotten, and a large
        result's working copy removed. A running job is left running (Cancel stops it)."""
        job = self.jobs.get(request.params["id"])
        if job is not None:
            self.jobs.close(job)
        return Response.json({"closed": job is not None and self.jobs.get(job.id) is None})

    def _finished(self, request: Request):
        job = self._job(request)
        if job.state != DONE:
            raise HTTPError(409, "not_finished", "This job has not finished.")
        return job

    def _write(self, result: Result, plan: SavePlan, progress: Progress | None = None, *,
               download: bool = False):
        """The one call behind Save, the save job and Download: the result kind's `write()`.
        A saved file (not a download's work copy) may then be opened (`reveal`)."""
        saved = result.write(plan.target, force=plan.force, progress=progress, language=plan.language,
                             review=plan.review, bom=plan.bom, escape_formulas=plan.escape_formulas)
        if (cut := trial_note(result.trial)) is not None:
            saved.notes.append(cut)
        if not download:
            self.saved_paths.update(p for p in (saved.path, saved.merge_report) if p is not None)
        return saved

    def save_job(self, request: Request) -> Response:
        """Save and answer when the file is written (scripts); the window uses `start_save`."""
        job = self._finished(request)
        return Response.json(self._write(job.result, save_plan(job.result, request.json())).to_json(), 201)

    def reveal(self, request: Request) -> Response:
        """`{"path", "folder"?}`: open a file this launch saved, or show it in its folder.

        Only files saved in this launch: the API never opens an arbitrary path it is given.
        """
        data = request.json()
        target = Path(str(data.get("path") or ""))
        if target not in self.saved_paths or not target.is_file():
            raise HTTPError(404, "not_saved_here", "DataTools opens only files it saved in this session.")
        open_in_system(target, folder=data.get("folder") is True)
        return Response.json({"path": str(target)})

    def start_save(self, request: Request) -> Response:
        """Save as a job with progress; 409 `save_running` while this result is being saved."""
        job = self._finished(request)
        plan = save_plan(job.result, request.json())
        check_folder(plan.target)
        output = job.result
        if not output.save_lock.acquire(blocking=False):
            raise HTTPError(409, "save_running", "This result is being saved already.")

        def work(progress):
            try:
                return self._write(output, plan, progress)
            finally:
                output.save_lock.release()

        try:
            saving = self.jobs.start("save", work)
        except BaseException:
            output.save_lock.release()
            raise
        return Response.json(saving.status(), 202)

    def _review(self, request: Request):
        job = self._finished(request)
        if getattr(job.result, "review", None) is None:
            raise HTTPError(404, "no_review", "This result has nothing to review.")
        return job.result.review

    def groups(self, request: Request) -> Response:
        """A page of duplicate groups or matches: `?page&sort&min_score&max_score&text[&differs]`."""
        review = self._review(request)
        query = request.query
        try:
            page = int(query.get("page") or 1)
        except ValueError:
            raise HTTPError(400, "bad_filter", "The page must be a whole number.") from None
        return Response.json(review.page(GroupFilter.from_json(query), query.get("sort") or "score", page))

    def review(self, request: Request) -> Response:
        """One decision (a group, the filtered set, or a global choice); the new counts."""
        return Response.json(self._review(request).decide(request.json()))

    def check_recipe(self, request: Request) -> Response:
        """`{"path", "tool", "inputs", "map"?}`: the recipe's step for this tool with its columns
        checked against the inputs (400 `recipe_columns_missing` naming them, with the file's
        columns to map them to), and its import settings."""
        data = request.json()
        tool, specs = self._recipe_request(data)
        step, recipe = recipe_step(data, tool.id, specs, whole=True)
        return Response.json({"options": step.options, "import": recipe.import_settings,
                              "decisions": len(step.decisions), "key": step.key})

    def start_recipe_dry_run(self, request: Request) -> Response:
        """`{"path", "tool", "inputs", "map"?}`: what the recipe's step for this tool would
        change in these inputs — the report `datatools run --dry-run` prints — as a job in the
        previews' runner (polled at `/api/preview/<id>`); nothing is written."""
        from datatools.app.recipe_dry_run import dry_run

        data = request.json()
        tool, specs = self._recipe_request(data)
        entitlement = entitlement_for(activation.current_license(self.settings).license)
        if tool.id not in entitlement.tools:
            raise HTTPError(403, "not_in_tier", "Your license does not include this tool.",
                            {"tier": entitlement.tier})
        step, recipe = recipe_step(data, tool.id, specs, whole=True)
        row_limit = entitlement.row_limit
        job = self.previews.start("recipe-dry-run", lambda progress: dry_run(
            recipe.import_settings, step, specs, row_limit, progress))
        return Response.json(job.status(), 202)

    def _recipe_request(self, data: Any):
        """(tool, input specs) of a request about a recipe; 404 / BadInput `no_file`."""
        tool = TOOLS.get(str(data.get("tool"))) if isinstance(data, dict) else None
        if tool is None:
            raise HTTPError(404, "no_such_tool", "There is no such tool.")
        inputs = data.get("inputs") or []
        if not isinstance(inputs, list) or len(inputs) != tool.inputs:
            raise BadInput("Choose a file first." if tool.inputs == 1 else "Choose both files.", code="no_file")
        return tool, [InputSpec.from_json(item) for item in inputs]

    def save_recipe(self, request: Request) -> Response:
        """`{"path", "key"?, "force"?}`: this run as a recipe (JSON) — its import settings, its
        step and the review's decisions by row key — written through the guarded writer."""
        job = self._finished(request)
        data = request.json()
        recipe = self._recipe(job, data.get("key"))
        path = str(data.get("path") or "").strip().strip('"')
        if not path:
            raise BadInput("Type where to save the recipe.", code="no_path")
        check_folder(Path(path).expanduser())
        target = recipe.write(Path(path).expanduser(), force=data.get("force") is True, inputs=job.result.inputs)
        self.saved_paths.add(target)
        return Response.json({"path": str(target)}, 201)

    def download_recipe(self, request: Request) -> Response:
        """`?key`: the recipe of this run as a JSON download (browser mode)."""
        import json

        job = self._finished(request)
        recipe = self._recipe(job, request.query.get("key") or None)
        name = Path(job.result.suggested_name).stem + ".recipe.json"
        return Response(200, (json.dumps(recipe.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
                        "application/json", [("Content-Disposition", f'attachment; filename="{_header_safe(name)}"')])

    def _recipe(self, job, key):
        from datatools.tools.recipe import Recipe

        if key is not None and (not isinstance(key, str) or key not in job.result.key_columns()):
            raise BadOption(f"There is no column {key!r} to name the rows by.", code="bad_key",
                            params={"column": str(key)})
        step = job.result.recipe_step(key)
        if step is None:
            raise HTTPError(404, "no_recipe", "This result cannot be saved as a recipe.")
        return Recipe(job.result.source, [step])

    def review_record(self, request: Request) -> Response:
        """The decisions as the engine's record in JSON (datatools/tools/review.py): what
        `datatools dedupe --review FILE.json` / `datatools match --review FILE.json` apply."""
        return Response.json(self._review(request).as_record().to_json())

    def diff_rows(self, request: Request) -> Response:
        """Compare: a page of the diff's rows, `?page&show&column` (datatools/app/compare_view.py)."""
        job = self._finished(request)
        view = getattr(job.result, "compare", None)
        if view is None:
            raise HTTPError(404, "no_diff", "This result is not a comparison.")
        query = request.query
        try:
            page = int(query.get("page") or 1)
        except ValueError:
            raise HTTPError(400, "bad_page", "The page must be a whole number.",
                            {"value": str(query.get("page"))}) from None
        return Response.json(view.page(query.get("show") or "differs", query.get("column") or "", page))

    def download_job(self, request: Request) -> Response:
        """The result as a file download, `?format`: written by the same call as Save, with the
        review kept beside the result, into a folder of this launch's work folder."""
        job = self._finished(request)
        folder = Path(tempfile.mkdtemp(dir=self.workdir, prefix="download-"))
        plan = save_plan(job.result, {"path": str(folder / job.result.suggested_name), "force": True,
                                      "format": request.query.get("format") or None,
                                      "language": request.query.get("language"),
                                      "bom": request.query.get("bom") == "1",
                                      "escape_formulas": request.query.get("escape_formulas") == "1"})
        target = self._write(job.result, plan, download=True).path
        name = target.name
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Response(200, target.read_bytes(), kind,
                        [("Content-Disposition", f'attachment; filename="{_header_safe(name)}"')])


def recipe_step(data: Any, tool: str, specs: list[InputSpec], whole: bool = False):
    """The step for `tool` of the recipe `data` names (`{"path", "map"?: {old: new}}`), its
    columns checked against the inputs' headers (`specs`: the tool's inputs, a second file's
    for match and compare) and mapped; with `whole`, (step, recipe). BadOption `bad_recipe`
    (no such step, unreadable file), `recipe_columns_missing`, `bad_map`."""
    from datatools import io
    from datatools.tools.recipe import Recipe, check_columns

    if not isinstance(data, dict) or not isinstance(data.get("path"), str):
        raise BadOption("Choose a recipe file.", code="bad_recipe")
    mapping = data.get("map") or {}
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise BadOption("The column mapping must be old → new names.", code="bad_map")
    recipe = Recipe.read(Path(data["path"].strip().strip('"')).expanduser())
    steps = [s for s in recipe.steps if s.tool == tool]
    if not steps:
        raise BadOption(f"This recipe has no {tool} step.", code="bad_recipe", params={"tool": tool})
    headers = [[str(c) for c in io.preview_table(spec.path, rows=1, **spec.read_options()).frame.columns]
               for spec in specs]
    # The window runs the recipe's step for this tool alone, on this tool's inputs.
    recipe = check_columns(Recipe(recipe.import_settings, steps[:1]), headers[0],
                           {str(k): v for k, v in mapping.items() if v},
                           [(spec.path.name, header) for spec, header in zip(specs[1:], headers[1:])])
    step = recipe.steps[0]
    return (step, recipe) if whole else step


def _header_safe(name: str) -> str:
    return "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name)
