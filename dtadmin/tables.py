"""Tables a person reads in a terminal: fixed columns, at most 100 characters a line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

WIDTH = 100
GAP = "  "
# C0 and C1 controls, DEL and the bidi formatting characters (UAX #9): shown escaped. The same
# set as datatools/terminal.py; dtadmin imports only the standard library, so it keeps its own.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """`text` with each control character escaped (`\\x1b`, `\\u202e`), as `ls` shows odd names."""
    return CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class Column:
    """One column: `key` of the row (or `value` to compute it), a heading, an upper width.

    `shrink` columns give up width, longest first, when the table would exceed WIDTH.
    """

    heading: str
    key: str = ""
    limit: int = 40
    shrink: bool = False
    right: bool = False
    value: Callable[[Mapping[str, Any]], Any] | None = None

    def text(self, row: Mapping[str, Any]) -> str:
        value = self.value(row) if self.value is not None else row.get(self.key)
        return cell_text(value)


def cell_text(value: Any) -> str:
    """How a JSON value reads in a cell: nothing for null, yes/no for booleans; runs of white
    space as one space, and control characters (a buyer's name can hold `ESC ] 0 ;…`, which
    renames the operator's terminal window) escaped as `\x1b` (datatools/terminal.py)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return shown(" ".join(str(value).split()))


# Characters a terminal draws in no cell of their own: nonspacing and enclosing marks (Thai
# vowel and tone marks, Devanagari's virama, variation selectors) and format characters
# (zero-width space and joiner). Many marks have combining class 0 (Thai's all do), so
# unicodedata.combining() alone missed them and a Thai name pushed its row's columns right.
ZERO_WIDTH = ("Mn", "Me", "Cf")


def display_width(text: str) -> int:
    """Terminal cells `text` takes, as wcwidth counts them: East Asian Wide and Fullwidth
    characters 2 (UAX #11), marks and format characters 0, the rest 1."""
    width = 0
    for char in text:
        if unicodedata.category(char) in ZERO_WIDTH:
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def clip(text: str, width: int) -> str:
    """`text` cut to `width` columns, with … marking the cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        step = display_width(char)
        if used + step > width - 1:
            break
        out.append(char)
        used += step
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space


def render_table(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows under a heading line, each column as wide as its widest cell (up to its
    limit), shrinking `shrink` columns so no line passes WIDTH. Ends with a newline."""
    cells = [[column.text(row) for column in columns] for row in rows]
    widths = [
        min(column.limit, max([display_width(column.heading)]
                              + [display_width(line[i]) for line in cells]))
        for i, column in enumerate(columns)
    ]
    widths = [max(width, display_width(column.heading)) for width, column in
              zip(widths, columns)]
    overflow = sum(widths) + len(GAP) * (len(columns) - 1) - WIDTH
    while overflow > 0:
        flexible = [i for i, column in enumerate(columns)
                    if column.shrink and widths[i] > max(8, display_width(column.heading))]
        if not flexible:
            break
        widest = max(flexible, key=lambda i: widths[i])
        widths[widest] -= 1
        overflow -= 1
    lines = [[column.heading for column in columns]] + cells
    out = []
    for line in lines:
        parts = [pad(clip(text, widths[i]), widths[i], columns[i].right)
                 for i, text in enumerate(line)]
        out.append(GAP.join(parts).rstrip())
    return "\n".join(out) + "\n"


def render_fields(pairs: Sequence[tuple[str, Any]]) -> str:
    """A record as `name  value` lines, the values lined up; long values are not cut."""
    width = max(display_width(name) for name, _ in pairs)
    return "".join(f"{pad(name, width, False)}  {cell_text(value)}".rstrip() + "\n"
                   for name, value in pairs)
