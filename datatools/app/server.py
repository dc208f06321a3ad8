"""The local server: the JSON API over the tools, activation and jobs, and the static UI.

Security (ARCHITECTURE.md, "Trust boundaries"): bound to 127.0.0.1 on a port the OS picks; every /api call
carries the per-launch token (header `X-DataTools-Token`, or `?token=` for download links);
a request whose Host or Origin is not this server's own is refused before routing, which
defeats DNS rebinding; every answer says `Cache-Control: no-store`.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import socketserver
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from datatools import license as codec
from datatools import i18n, registry
from datatools.app import activation
from datatools.app.job_routes import JobRoutes
from datatools.app.jobs import DONE, JobRunner, held_answer
from datatools.app.launch_codes import LaunchCodes
from datatools.app.match_estimate import LastSample
from datatools.app.large_runs import check_memory_limit, large_settings
from datatools.app.preferences import save_preferences, ui_language
from datatools.app.settings import AppSettings
from datatools.app.static import UI_DIR, static_file, ui_file
from datatools.app.tiers import TRIAL_ROW_LIMIT, entitlement_for
from datatools.app.inputs import InputSpec, preview_file
from datatools.app.wsgi import STATUS_TEXT, HTTPError, Request, Response, Route, match_route
from datatools.errors import DataToolsError, OutputExists
from datatools.safe_write import open_output
from datatools.version import RELEASE_DATE, __version__

log = logging.getLogger("datatools.app")

TOKEN_HEADER = "x-datatools-token"
UPLOAD_LIMIT = 2 << 30          # 2 GiB: a spreadsheet export, not a disk image

SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
]
# The UI may talk to this server only: no other host, no inline script, no plugins.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'")
# In the window, pywebview injects its own bridge script, which needs eval and inline styles;
# every other rule (above all: connect only to this server) stays.
WINDOW_CSP = CSP.replace("default-src 'self';", "default-src 'self'; script-src 'self' 'unsafe-eval';") \
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class Dialogs(Protocol):
    """Native file dialogs; only the window has them (browser mode uses a path field/upload)."""

    def open_files(self, multiple: bool) -> list[str]: ...
    def save_file(self, suggested: str) -> str | None: ...


@dataclass
class DesktopApp(JobRoutes):
    """The WSGI application; `port` is filled in once the server is bound."""

    settings: AppSettings
    token: str
    workdir: Path
    dialogs: Dialogs | None = None
    port: int = 0

    def __post_init__(self) -> None:
        self.jobs = JobRunner()
        self.launch_codes = LaunchCodes()
        self.saved_paths: set[Path] = set()          # what /api/reveal may open
        # Previews run as jobs too (detecting a large file's encoding takes time), in their
        # own runner so that previewing files never pushes a finished result out.
        self.previews = JobRunner(keep=8)
        self.match_sample = LastSample()              # the last match estimate's sample scores
        self.routes = [
            Route("GET", "/", self.index, token=False),
            Route("GET", "/ui/<name>", self.static, token=False),
            Route("GET", "/ui/results/<name>", self.static_result, token=False),
            Route("POST", "/api/launch", self.launch, token=False),
            Route("GET", "/api/state", self.state),
            Route("GET", "/api/i18n/<lang>", self.catalog),
            Route("POST", "/api/preferences", self.preferences),
            Route("POST", "/api/license", self.activate),
            Route("DELETE", "/api/license", self.deactivate),
            Route("POST", "/api/preview", self.preview),
            Route("GET", "/api/preview/<id>", self.preview_status),
            Route("POST", "/api/preview/<id>/cancel", self.cancel_preview),
            Route("POST", "/api/upload", self.upload),
            Route("POST", "/api/dialog/open", self.dialog_open),
            Route("POST", "/api/dialog/save", self.dialog_save),
            Route("POST", "/api/jobs", self.start_job),
            Route("POST", "/api/match/estimate", self.start_match_estimate),
            Route("GET", "/api/jobs/<id>", self.job_status),
            Route("POST", "/api/jobs/<id>/cancel", self.cancel_job),
            Route("POST", "/api/jobs/<id>/close", self.close_job),
            Route("POST", "/api/jobs/<id>/save", self.save_job),
            Route("POST", "/api/jobs/<id>/saves", self.start_save),
            Route("GET", "/api/jobs/<id>/groups", self.groups),
            Route("GET", "/api/jobs/<id>/matches", self.groups),
            Route("GET", "/api/jobs/<id>/diff", self.diff_rows),
            Route("POST", "/api/jobs/<id>/review", self.review),
            Route("GET", "/api/jobs/<id>/review", self.review_record),
            Route("POST", "/api/jobs/<id>/recipe", self.save_recipe),
            Route("GET", "/api/jobs/<id>/recipe", self.download_recipe),
            Route("POST", "/api/recipes/check", self.check_recipe),
            Route("POST", "/api/recipes/dry-run", self.start_recipe_dry_run),
            Route("POST", "/api/reveal", self.reveal),
            Route("GET", "/api/jobs/<id>/download", self.download_job),
        ]

    # ----------------------------------------------------------------- the WSGI edge

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        request = Request.from_environ(environ)
        try:
            self.check_origin(request)
            route = match_route(self.routes, request)
            if route.token:
                self.check_token(request)
            response = route.handler(request)
        except HTTPError as exc:
            response = Response.error(exc.status, exc.code, exc.message, exc.params)
        except OutputExists as exc:
            response = Response.error(409, exc.code, exc.message, exc.params)
        except DataToolsError as exc:
            response = Response.error(400, exc.code, exc.message, getattr(exc, "params", None))
        except Exception:  # noqa: BLE001 - the edge: log it, answer in plain words
            log.exception("request failed: %s %s", request.method, request.path)
            response = Response.error(500, "internal", "Something went wrong inside DataTools.")
        headers = [("Content-Type", response.content_type), *SECURITY_HEADERS,
                   ("Content-Security-Policy", WINDOW_CSP if self.dialogs else CSP), *response.headers]
        start_response(f"{response.status} {_reason(response.status)}", headers)
        body = response.body
        return [body] if isinstance(body, bytes) else body

    def own_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def check_origin(self, request: Request) -> None:
        """Refuse requests addressed to another name (DNS rebinding) or sent by another site."""
        if request.headers.get("host", "") not in self.own_hosts():
            raise HTTPError(403, "foreign_host", "This address is not DataTools.")
        origin = request.headers.get("origin")
        if origin is not None and origin not in {f"http://{h}" for h in self.own_hosts()}:
            raise HTTPError(403, "foreign_origin", "Requests from other sites are refused.")

    def check_token(self, request: Request) -> None:
        given = request.headers.get(TOKEN_HEADER) or request.query.get("token") or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise HTTPError(403, "bad_token", "Missing or wrong access token. "
                                              "Open DataTools from its own window or link.")

    def new_launch_code(self) -> str:
        """A one-time code that `POST /api/launch` trades for the token (DECISIONS 100)."""
        return self.launch_codes.new()

    def launch(self, request: Request) -> Response:
        if not self.launch_codes.redeem(str(request.json().get("code") or "")):
            raise HTTPError(403, "bad_launch_code", "This DataTools link was already used. "
                                                   "Start DataTools again to open a new window.")
        return Response.json({"token": self.token})

    # ----------------------------------------------------------------- static files

    def index(self, request: Request) -> Response:
        return ui_file(UI_DIR / "index.html")

    def static(self, request: Request) -> Response:
        return static_file(request.params["name"])

    def static_result(self, request: Request) -> Response:
        return static_file(request.params["name"], "results")

    # ----------------------------------------------------------------- state, language, license

    def state(self, request: Request) -> Response:
        current = activation.current_license(self.settings)
        entitlement = entitlement_for(current.license)
        return Response.json({
            "version": __version__,
            "release_date": RELEASE_DATE.isoformat(),
            "language": ui_language(self.settings),
            "languages": i18n.LANGUAGES,
            "license": activation.license_summary(current.license) if current.license else None,
            "license_problem": current.problem,
            "entitlement": entitlement.to_dict(),
            "trial_row_limit": TRIAL_ROW_LIMIT,
            "tools": {name: tool.to_json() for name, tool in registry.TOOLS.items()},
            "dialogs": self.dialogs is not None,
            "large": large_settings(self.settings),
        })

    def catalog(self, request: Request) -> Response:
        lang = request.params["lang"]
        if lang not in i18n.LANGUAGES:
            raise HTTPError(404, "not_found", "No such language.")
        return Response.json(i18n.load_catalog(lang))

    def preferences(self, request: Request) -> Response:
        """`{"language"}` and/or `{"memory_limit": bytes | null}` (null: the engine's default)."""
        data = request.json()
        changes: dict[str, Any] = {}
        if "language" in data or "memory_limit" not in data:
            if data.get("language") not in i18n.LANGUAGES:
                raise HTTPError(400, "bad_language", "Unknown language.")
            changes["language"] = data["language"]
        if "memory_limit" in data:
            changes["memory_limit"] = check_memory_limit(data["memory_limit"])
        save_preferences(self.settings, changes)
        return Response.json({**changes, "large": large_settings(self.settings)})

    def activate(self, request: Request) -> Response:
        blob = request.json().get("blob")
        if not isinstance(blob, str):
            blob = ""      # not text: answered as an empty paste, by activate below
        try:
            record = activation.activate(blob, self.settings)
        except codec.LicenseError as exc:
            described = activation.describe_error(codec.normalize_paste(blob), exc, self.settings)
            raise HTTPError(400, described["code"], described["message"], described["params"]) from None
        log.info("event=activated lid=%s tier=%s", record.lid, record.tier)
        return Response.json({"license": activation.license_summary(record),
                               "entitlement": entitlement_for(record).to_dict()})

    def deactivate(self, request: Request) -> Response:
        activation.deactivate(self.settings)
        return Response.json({"license": None})

    # ----------------------------------------------------------------- files

    def preview(self, request: Request) -> Response:
        """Start reading a file's first rows; the answer is a job to poll, like a tool's."""
        spec = InputSpec.from_json(request.json())
        job = self.previews.start("preview", lambda progress: preview_file(spec, progress=progress))
        return Response.json(job.status(), 202)

    def _preview_job(self, request: Request):
        job = self.previews.get(request.params["id"])
        if job is None:
            raise HTTPError(404, "no_such_job", "This preview is no longer available.")
        return job

    def preview_status(self, request: Request) -> Response:
        job = self._preview_job(request)
        held_answer(job, request.query)
        status = job.status()
        if status["state"] == DONE:
            status["result"] = job.result
        return Response.json(status)

    def cancel_preview(self, request: Request) -> Response:
        job = self._preview_job(request)
        self.previews.cancel(job)
        return Response.json(job.status(), 202)

    def upload(self, request: Request) -> Response:
        """Browser mode: keep a copy of the chosen file in this launch's work folder."""
        name = upload_name(request.query.get("name"))
        length = request.content_length
        if length > UPLOAD_LIMIT:
            raise HTTPError(413, "too_large", "That file is too large to upload; type its path instead.")
        folder = Path(tempfile.mkdtemp(dir=self.workdir, prefix="upload-"))
        target = folder / name
        stream, remaining = request.body_stream(), length
        with open_output(target) as handle:
            while remaining > 0:
                chunk = stream.read(min(remaining, 1 << 20))
                if not chunk:
                    raise HTTPError(400, "bad_upload", "The upload ended before the whole file arrived.")
                handle.write(chunk)
                remaining -= len(chunk)
        return Response.json({"path": str(target), "name": name}, 201)

    def dialog_open(self, request: Request) -> Response:
        if self.dialogs is None:
            raise HTTPError(404, "no_dialogs", "File dialogs exist only in the DataTools window.")
        return Response.json({"paths": self.dialogs.open_files(bool(request.json().get("multiple")))})

    def dialog_save(self, request: Request) -> Response:
        if self.dialogs is None:
            raise HTTPError(404, "no_dialogs", "File dialogs exist only in the DataTools window.")
        return Response.json({"path": self.dialogs.save_file(str(request.json().get("suggested", "")))})


def upload_name(given: str | None) -> str:
    """The file name an upload is stored under; HTTPError 400 for a name with folders in it.

    Only a plain name is accepted ("..", "a/b", "a\\b", a NUL byte are refused), so a copy
    can never land outside its fresh folder in the work area.
    """
    name = (given or "").strip() or "upload.csv"
    if (name in (".", "..") or any(ch in name for ch in "/\\\0") or len(name.encode()) > 255
            or not name.isprintable()):
        raise HTTPError(400, "bad_upload_name", "That file name cannot be used; rename the file and try again.")
    return name


def _reason(status: int) -> str:
    return STATUS_TEXT.get(status, "Error")


# --------------------------------------------------------------------------- serving


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = False


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        # One line per request without the query string: download links carry the token.
        log.debug("http %s", self.path.split("?", 1)[0])


@dataclass
class RunningServer:
    app: DesktopApp
    server: WSGIServer
    thread: threading.Thread
    _workdir: tempfile.TemporaryDirectory

    @property
    def url(self) -> str:
        """The address to open: the token travels in the fragment, never sent to the server."""
        return f"http://127.0.0.1:{self.app.port}/#token={self.app.token}"

    def launch_url(self) -> str:
        """An address for a browser or window: a one-time launch code, never the token."""
        return f"http://127.0.0.1:{self.app.port}/#launch={self.app.new_launch_code()}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.app.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.app.jobs.close_all()       # large results' working copies go with the app
        self._workdir.cleanup()


def start_server(settings: AppSettings, dialogs: Dialogs | None = None,
                 port: int = 0) -> RunningServer:
    """Bind 127.0.0.1 (port 0 = the OS picks), serve in a thread, return the handle."""
    workdir = tempfile.TemporaryDirectory(prefix="datatools-")
    app = DesktopApp(settings=settings, token=secrets.token_urlsafe(32),
                     workdir=Path(workdir.name), dialogs=dialogs)
    server = _ThreadingServer(("127.0.0.1", port), _QuietHandler)
    server.set_app(app)
    app.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="datatools-server", daemon=True)
    thread.start()
    return RunningServer(app=app, server=server, thread=thread, _workdir=workdir)
