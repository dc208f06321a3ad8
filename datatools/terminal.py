"""Text from files and from buyers, made safe to print on a terminal (standard library only).

A cell, a column name or a buyer's name typed at a storefront's checkout can hold escape
sequences: `ESC ] 0 ; title BEL` renames the operator's window, `ESC [ 2 J` clears the screen,
a carriage return overwrites the line, a right-to-left override (U+202E) shows text reversed
("Trojan Source", CVE-2021-42574). Human-readable output shows each such character escaped, as
`ls` and `git` do with odd file names; `--json` output stays exact (JSON escapes them itself).
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidirectional formatting characters (Unicode UAX #9).
_OTHER = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ALL = re.compile(f"[\x00-\x1f{_OTHER}]")
_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER}]")     # keeps TAB and LF


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """One value (a cell, a name) with every control character escaped: `\\x1b]0;hi\\x07`.

    Line breaks and tabs are escaped too, so a value stays on its line.
    """
    return _ALL.sub(_escaped, text)


def shown_lines(text: str) -> str:
    """Output made of lines (a report): control characters escaped, except line feeds and tabs."""
    return _BUT_LINES.sub(_escaped, text)
