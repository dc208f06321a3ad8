"""Notices: the sentences a tool tells the user beside its result (notes and warnings).

A `Notice` is a `str` — the English sentence the CLI prints and `--json` writes, unchanged — that
also carries a stable `code` and the `params` of its sentence, so the desktop can show it in the
UI's language (catalog key `notice.<code>`, placeholders = `params`). Plain `str` notes still
work everywhere; they are shown as they are.
"""

from __future__ import annotations

from typing import Any


class Notice(str):
    """`Notice("Column a is now b.", "column_renamed", old="a", new="b")`.

    `code`: a catalog key suffix (letters, digits, `_`); `params`: the placeholders, as given.
    """

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, **params: Any) -> "Notice":
        notice = super().__new__(cls, text)
        notice.code = code
        notice.params = params
        return notice

    def __reduce__(self):
        # copy, deepcopy, pickle and dataclasses.asdict rebuild a str subclass from its text
        # alone; a Notice needs its code and params back too.
        return (Notice._rebuilt, (str(self), self.code, self.params))

    @staticmethod
    def _rebuilt(text: str, code: str, params: dict[str, Any]) -> "Notice":
        return Notice(text, code, **params)

    def about_file(self, name: str) -> "Notice":
        """The same notice prefixed with the file it is about (`orders.csv: …`, param `file`)."""
        return Notice(f"{name}: {self}", self.code, **{**self.params, "file": name})


def numbers(values, limit: int = 10) -> str:
    """`values` as a list for a notice's params: `3, 7, 12` (the first `limit`, then `…`).

    Words like "and 4 more" stay out of params: the catalogs' sentences must not hold English.
    """
    values = list(values)
    return ", ".join(map(str, values[:limit])) + (", …" if len(values) > limit else "")


def about_file(name: str, notice: str) -> str:
    """`notice` prefixed with the file's name; a Notice keeps its code (param `file` added)."""
    return notice.about_file(name) if isinstance(notice, Notice) else f"{name}: {notice}"


def to_json(value: Any) -> Any:
    """`value` with every Notice inside lists and dicts as `{"text", "code", "params"}`.

    The desktop's UI (`noticeText` in ui/i18n.js) shows the catalog's `notice.<code>` when it has
    one, else `text`. Other values are returned as they are.
    """
    if isinstance(value, Notice):
        return {"text": str(value), "code": value.code,
                "params": {k: v if isinstance(v, (int, float)) else str(v) for k, v in value.params.items()}}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value
