"""HTTP routes (thin): parse the request, call one function, render JSON. Errors become
`{"error": {"code", "message"}}` here and nowhere else."""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable

import bottle

from licensed.errors import BadRequest, LicensedError, PayloadTooLarge
from licensed.logs import new_request_id, request_id_var

log = logging.getLogger("licensed.http")


def error_body(code: str, message: str) -> str:
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False)


def error_response(status: int, code: str, message: str) -> bottle.HTTPResponse:
    return bottle.HTTPResponse(
        error_body(code, message), status=status,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )


def read_body(limit: int) -> bytes:
    """The raw request body, refusing more than `limit` bytes before reading them."""
    request = bottle.request
    length = request.content_length
    if length > limit:
        raise PayloadTooLarge(f"the body is {length} bytes; the limit is {limit}")
    body = request.environ["wsgi.input"].read(length) if length > 0 else b""
    return body


def json_body(limit: int) -> dict[str, Any]:
    body = read_body(limit)
    try:
        data = json.loads(body.decode("utf-8")) if body else {}
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("the body must be a JSON object", code="invalid_json") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object", code="invalid_json")
    return data


def query_int(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = bottle.request.query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number", code="invalid_query") from None
    if not minimum <= value <= maximum:
        raise BadRequest(f"{name} must be between {minimum} and {maximum}", code="invalid_query")
    return value


def query_text(name: str) -> str | None:
    """A query parameter as UTF-8 text, or None when absent or empty.

    Raises BadRequest when the value is not UTF-8: a filter that cannot be read must not be
    dropped silently (`?email=%FF` would otherwise list every license).
    """
    raw = bottle.request.query.get(name)  # Bottle decodes the query as latin-1: bytes as sent
    if not raw:
        return None
    try:
        value = raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise BadRequest(f"{name} is not UTF-8 text", code="invalid_query") from None
    if "\x00" in value:
        raise BadRequest(f"{name} holds a NUL character", code="invalid_query")
    return value


def not_found() -> bottle.HTTPResponse:
    """The answer for a route that does not exist, and for anything that must look like one."""
    return error_response(404, "not_found", "no such route")


def request_plugin(callback: Callable) -> Callable:
    """Bottle plugin: the one translation of errors into the JSON shape."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except bottle.HTTPResponse as answer:
            return answer
        except LicensedError as exc:
            return error_response(exc.status, exc.code, exc.message)
        except Exception:
            request = bottle.request
            log.exception("unhandled error in %s %s", request.method, request.path)
            return error_response(500, "internal", "internal error; see the daemon's log")

    return wrapper


def readable_headers(environ: dict[str, Any]) -> None:
    """Make every header value valid UTF-8 in place (bad bytes become U+FFFD).

    WSGI hands headers over as latin-1 text; Bottle decodes them again as strict UTF-8, so a
    header holding a byte like 0x80 raised UnicodeDecodeError (a 500) wherever it was read —
    the webhook's audited headers included.
    """
    for key, value in environ.items():
        if (key.startswith("HTTP_") or key == "CONTENT_TYPE") and isinstance(value, str) \
                and not value.isascii():
            raw = value.encode("latin-1", errors="replace")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                environ[key] = raw.decode("utf-8", errors="replace").encode("utf-8").decode("latin-1")


class DaemonApp(bottle.Bottle):
    """Bottle, plus what every response gets whatever route (or none) answered it: a request
    id (nginx's X-Request-Id when sane) and one access log line."""

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        readable_headers(environ)
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.append(("X-Request-Id", request_id))
            # The path only: the query string may hold a webhook secret.
            log.info("%s %s status=%s ms=%.1f client=%s", environ.get("REQUEST_METHOD"),
                     environ.get("PATH_INFO"), status[:3], (time.perf_counter() - started) * 1000,
                     environ.get("REMOTE_ADDR"))
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi(environ, start)
        finally:
            request_id_var.reset(token)


# Paths whose routes must not be told apart from no route by a prober: a wrong method there
# is "no such route" too (a 405 and its Allow header would say the route exists).
HIDDEN_PREFIXES = ("/webhooks/",)


def _default_error(res: bottle.HTTPError) -> str:
    """Bottle's own errors (no such route, wrong method) in our JSON shape."""
    if res.status_code == 405 and bottle.request.path.startswith(HIDDEN_PREFIXES):
        res.status = bottle.response.status = 404  # the response already took the 405
        if "Allow" in bottle.response.headers:
            del bottle.response.headers["Allow"]
    bottle.response.content_type = "application/json; charset=utf-8"
    code = {404: "not_found", 405: "method_not_allowed"}.get(res.status_code, "http_error")
    message = {404: "no such route", 405: "method not allowed"}.get(res.status_code, res.status_line)
    return error_body(code, message)


# Ids in paths are database keys (64-bit): longer digit strings are no route, not a 500 from
# the driver's integer overflow.
ID_PATTERN = r"[0-9]{1,18}"


def _id_filter(config: str) -> tuple[str, Callable[[str], int], Callable[[int], str]]:
    return ID_PATTERN, int, str


def install(app: bottle.Bottle, daemon: Any) -> None:
    from licensed.routes import health, internal, portal, webhooks

    app.uninstall("json")
    app.install(bottle.JSONPlugin(json_dumps=lambda obj: json.dumps(obj, ensure_ascii=False)))
    app.install(request_plugin)
    app.router.add_filter("int", _id_filter)
    app.default_error_handler = _default_error  # type: ignore[method-assign]
    for module in (health, webhooks, internal, portal):
        module.register(app, daemon)
