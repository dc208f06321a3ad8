"""A minimal WSGI layer for the local server: requests, JSON responses, a route table.

Kept tiny on purpose: the desktop needs a dozen routes, no templates and no plugins, and the
standard library's `wsgiref` serves them, so the app carries no web framework.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from datatools.errors import DataToolsError

STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
               400: "Bad Request", 403: "Forbidden", 404: "Not Found",
               405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large",
               500: "Internal Server Error"}


class HTTPError(DataToolsError):
    """An answer other than success, carried to the edge as `{"error": {code, message}}`."""

    def __init__(self, status: int, code: str, message: str, params: dict | None = None):
        super().__init__(message, code=code)
        self.status = status
        self.params = params or {}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]                  # lower-case names
    environ: dict[str, Any]
    params: dict[str, str] = field(default_factory=dict)   # from the route pattern

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> "Request":
        headers = {key[5:].replace("_", "-").lower(): value
                   for key, value in environ.items() if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        return cls(method=environ["REQUEST_METHOD"].upper(), path=path, query=query,
                   headers=headers, environ=environ)

    @property
    def content_length(self) -> int:
        """The body's size in bytes; HTTPError 400 unless Content-Length is a whole number ≥ 0."""
        text = str(self.environ.get("CONTENT_LENGTH") or "0").strip()
        if not text.isascii() or not text.isdigit():   # int() would take "-5", " 5", "1_0"
            raise HTTPError(400, "bad_request", "Bad Content-Length.")
        return int(text)

    def body_stream(self):
        return self.environ["wsgi.input"]

    def json(self, limit: int = 1 << 20) -> dict[str, Any]:
        length = self.content_length
        if length > limit:
            raise HTTPError(413, "too_large", "The request is too large.")
        raw = self.environ["wsgi.input"].read(length) if length else b"{}"
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):   # nested past Python's limit
            raise HTTPError(400, "bad_json", "The request is not valid JSON.") from None
        if not isinstance(data, dict):
            raise HTTPError(400, "bad_json", "The request must be a JSON object.")
        return data


@dataclass
class Response:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str = "application/json; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> "Response":
        return cls(status, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def error(cls, status: int, code: str, message: str, params: dict | None = None) -> "Response":
        return cls.json({"error": {"code": code, "message": message, "params": params or {}}}, status)


Handler = Callable[[Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str                  # e.g. "/api/jobs/<id>"
    handler: Handler
    token: bool = True            # False only for the static files that carry no secrets

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", self.pattern) + "$")


def match_route(routes: list[Route], request: Request) -> Route:
    allowed = False
    for route in routes:
        found = route.regex.match(request.path)
        if found:
            if route.method != request.method:
                allowed = True
                continue
            request.params = found.groupdict()
            return route
    if allowed:
        raise HTTPError(405, "method_not_allowed", "Method not allowed.")
    raise HTTPError(404, "not_found", "Not found.")
