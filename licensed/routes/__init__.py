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
    except (UnicodeDecodeError, ValueError):
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
    """A query parameter as real text (Bottle's plain access is latin-1), or None when empty."""
    value = bottle.request.query.getunicode(name)
    return value if value else None


def request_plugin(callback: Callable) -> Callable:
    """Bottle plugin: request id, one access log line, and the one translation of errors."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request = bottle.request
        request_id = new_request_id(request.get_header("X-Request-Id"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            try:
                result = callback(*args, **kwargs)
            except bottle.HTTPResponse as answer:
                result = answer
            except LicensedError as exc:
                result = error_response(exc.status, exc.code, exc.message)
            except Exception:
                log.exception("unhandled error in %s %s", request.method, request.path)
                result = error_response(500, "internal", "internal error; see the daemon's log")
            answer = result if isinstance(result, bottle.HTTPResponse) else bottle.response
            status = answer.status_code
            # The path only: the query string may hold a webhook secret.
            log.info("%s %s status=%s ms=%.1f client=%s", request.method, request.path, status,
                     (time.perf_counter() - started) * 1000, request.environ.get("REMOTE_ADDR"))
            if isinstance(result, bottle.HTTPResponse):
                result.set_header("X-Request-Id", request_id)
            else:
                bottle.response.set_header("X-Request-Id", request_id)
            return result
        finally:
            request_id_var.reset(token)

    return wrapper


def _default_error(res: bottle.HTTPError) -> str:
    """Bottle's own errors (no such route, wrong method) in our JSON shape."""
    bottle.response.content_type = "application/json; charset=utf-8"
    code = {404: "not_found", 405: "method_not_allowed"}.get(res.status_code, "http_error")
    message = {404: "no such route", 405: "method not allowed"}.get(res.status_code, res.status_line)
    return error_body(code, message)


def install(app: bottle.Bottle, daemon: Any) -> None:
    from licensed.routes import health, internal, portal, webhooks

    app.uninstall("json")
    app.install(bottle.JSONPlugin(json_dumps=lambda obj: json.dumps(obj, ensure_ascii=False)))
    app.install(request_plugin)
    app.default_error_handler = _default_error  # type: ignore[method-assign]
    for module in (health, webhooks, internal, portal):
        module.register(app, daemon)
