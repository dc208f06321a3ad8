"""The UI's static files (`datatools/ui/`): only files directly in that folder or in one of its
known subfolders (`results/`: one module per result kind), with known types."""

from __future__ import annotations

from pathlib import Path

from datatools.app.wsgi import HTTPError, Response

UI_DIR = Path(__file__).resolve().parent.parent / "ui"

STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}


SUBFOLDERS = ("results",)


def static_file(name: str, folder: str = "") -> Response:
    """The UI file `name` (no folders) in `folder` ("" or one of SUBFOLDERS); HTTPError 404 for
    anything else, NUL bytes included.

    A NUL byte or a path part makes no UI file name; it is refused before the file system sees
    it (the OS would raise ValueError on a NUL, which once became a 500).
    """
    if not name or "\0" in name or "/" in name or "\\" in name or name in (".", ".."):
        raise HTTPError(404, "not_found", "Not found.")
    if folder and folder not in SUBFOLDERS:
        raise HTTPError(404, "not_found", "Not found.")
    base = UI_DIR / folder if folder else UI_DIR
    path = (base / name).resolve()
    if path.parent != base or not path.is_file():
        raise HTTPError(404, "not_found", "Not found.")
    return ui_file(path)


def ui_file(path: Path) -> Response:
    """Answer with the bytes of `path` and its content type by suffix."""
    kind = STATIC_TYPES.get(path.suffix, "application/octet-stream")
    return Response(200, path.read_bytes(), kind)
