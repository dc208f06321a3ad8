"""The UI's static files (`datatools/ui/`): only files directly in that folder, with known types."""

from __future__ import annotations

from pathlib import Path

from datatools.app.wsgi import HTTPError, Response

UI_DIR = Path(__file__).resolve().parent.parent / "ui"

STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}


def static_file(name: str) -> Response:
    """The UI file `name` (no folders); HTTPError 404 for anything else, NUL bytes included.

    A NUL byte or a path part makes no UI file name; it is refused before the file system sees
    it (the OS would raise ValueError on a NUL, which once became a 500).
    """
    if not name or "\0" in name or "/" in name or "\\" in name or name in (".", ".."):
        raise HTTPError(404, "not_found", "Not found.")
    path = (UI_DIR / name).resolve()
    if path.parent != UI_DIR or not path.is_file():
        raise HTTPError(404, "not_found", "Not found.")
    return ui_file(path)


def ui_file(path: Path) -> Response:
    """Answer with the bytes of `path` and its content type by suffix."""
    kind = STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return Response(200, path.read_bytes(), kind)
