"""The local server's job routes: start a tool, follow it, review its result, save or download it.

A mixin of `DesktopApp` (datatools/app/server.py), which supplies `settings`, `workdir` and
`jobs`; the routes themselves are listed there.
"""

from __future__ import annotations

import logging
import mimetypes
import tempfile
from pathlib import Path

from datatools.app import activation
from datatools.app.jobs import DONE
from datatools.app.opener import open_in_system
from datatools.app.review import GroupFilter
from datatools.app.results import Result
from datatools.app.saving import SavePlan, check_folder, default_save_folder, save_plan, suggested_path
from datatools.app.tiers import entitlement_for
from datatools.app.tool_jobs import TOOLS, InputSpec
from datatools.app.wsgi import HTTPError, Request, Response
from datatools.errors import BadInput
from datatools.progress import Progress

log = logging.getLogger("datatools.app")


class JobRoutes:
    """Route handlers for `/api/jobs…`."""


    def start_job(self, request: Request) -> Response:
        tool, entitlement, specs, options = self._tool_request(request.json())
        workdir = self.workdir

        def work(progress):
            return tool.run(specs, options, entitlement.row_limit, progress, workdir)

        job = self.jobs.start(tool.id, work)
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
                             review=plan.review)
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
                                      "language": request.query.get("language")})
        target = self._write(job.result, plan, download=True).path
        name = target.name
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Response(200, target.read_bytes(), kind,
                        [("Content-Disposition", f'attachment; filename="{_header_safe(name)}"')])


def _header_safe(name: str) -> str:
    return "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name)
