"""A file path as a person pastes it: quotes, file: URLs, `~`, and Windows Explorer's forms."""

from __future__ import annotations

import ntpath
import os
import re
from urllib.parse import unquote, urlsplit


def user_path(text: str, windows: bool | None = None) -> str:
    """The file a pasted or typed `text` names, as a path string for this OS.

    Accepts what people paste: surrounding spaces and quotes (Explorer's "Copy as path" writes
    `"C:\\Users\\zoe\\list.csv"`; macOS Finder's "Copy as Pathname" and terminals use single
    quotes), a `file:` URL (`file:///C:/Users/…`, `file:///home/…`, percent-escapes decoded),
    and `~`. On Windows (`windows=None` asks `os.name`) forward slashes become backslashes and
    a drive or UNC path stays as given. Returns the text unchanged apart from those steps; says
    nothing about whether the file exists.
    """
    windows = (os.name == "nt") if windows is None else windows
    path = text.strip()
    while len(path) >= 2 and path[0] == path[-1] and path[0] in "\"'":
        path = path[1:-1].strip()
    if path.lower().startswith("file:"):
        parts = urlsplit(path)
        path = unquote(parts.path)
        if parts.netloc and parts.netloc.lower() != "localhost":
            path = f"//{parts.netloc}{path}"          # file://server/share/x → a UNC path
        elif re.match(r"^/[A-Za-z]:[/\\]", path):
            path = path[1:]                            # file:///C:/x → C:/x
    if windows:
        path = path.replace("/", "\\")
        return ntpath.expanduser(path) if path.startswith("~") else path
    return os.path.expanduser(path)

