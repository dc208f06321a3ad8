"""Excel number formats that only pad or group a whole number's digits, rendered as Excel shows them.

A ZIP code typed as 06103 into a cell formatted `00000` is stored as the number 6103; Excel
shows `06103` and every reader that takes the stored value shows `6103`. The same holds for EANs
(`0000000000000`), US Social Security numbers (`000-00-0000`), ZIP+4 (`00000-0000`) and account
numbers grouped by spaces (`0000 0000 0000`). Such a format is made only of `0` digit
placeholders and literal text (quoted, escaped with a backslash, or one of ` -/().`), so the
text Excel shows is a pure function of the whole number: this module renders it.

Formats with decimals, percent, exponents, dates, `#`/`?` placeholders, conditions or a
thousands separator are left alone: their display rounds or depends on the reader's locale, and
the stored number is the better value (ECMA-376 Part 1, 18.8.31 `numFmt`).
"""

from __future__ import annotations

import re
from typing import Callable

_BARE_LITERALS = " -/()."
_COLOR = re.compile(r"\[(black|blue|cyan|green|magenta|red|white|yellow|color ?\d{1,2})\]", re.I)
# Digits as the format shows them: a callable from the whole number to its text.
Render = Callable[[int], str]


def _tokens(section: str) -> list[str] | None:
    """The section as `0` placeholders and literal strings, or None when it does more."""
    tokens: list[str] = []
    i = 0
    while i < len(section):
        char = section[i]
        if char == "0":
            tokens.append("0")
        elif char == '"':
            end = section.find('"', i + 1)
            if end < 0:
                return None
            tokens.append(section[i + 1:end])
            i = end
        elif char == "\\" and i + 1 < len(section):
            tokens.append(section[i + 1])
            i += 1
        elif char in _BARE_LITERALS and char != ".":
            tokens.append(char)
        else:
            return None
        i += 1
    return tokens


def pad_format(code: str) -> Render | None:
    """A renderer for a format code that only pads or groups digits, or None for any other.

    `pad_format("00000")(6103) == "06103"`; `pad_format("000-00-0000")(78051120) ==
    "078-05-1120"`; `pad_format("0.00")` is None. Only the first section of a code with several
    (`positive;negative;zero`) is used, and only for numbers it applies to (≥ 0 when there
    are sections for negatives).
    """
    sections = code.split(";")
    first = _COLOR.sub("", sections[0])
    tokens = _tokens(first)
    if not tokens or "0" not in tokens or len(tokens) > 64:
        return None
    places = tokens.count("0")
    if places < 2 and len(tokens) == 1:
        return None                        # "0": the plain number, nothing to render
    signed = len(sections) == 1

    def render(number: int) -> str:
        if number < 0 and not signed:
            raise ValueError("a negative number has its own section")
        digits = str(abs(number)).rjust(places, "0")
        extra, rest = digits[: len(digits) - places], iter(digits[len(digits) - places:])
        shown = []
        for token in tokens:
            if token == "0":
                shown.append(extra + next(rest))    # more digits than places: all at the first
                extra = ""
            else:
                shown.append(token)
        text = "".join(shown)
        return "-" + text if number < 0 else text

    return render


# Built-in number formats (ECMA-376 Part 1, 18.8.30) that show a time of day or a duration:
# h:mm AM/PM, h:mm:ss AM/PM, h:mm, h:mm:ss, m/d/yy h:mm, mm:ss, [h]:mm:ss, mmss.0.
TIME_FORMAT_IDS = frozenset({"18", "19", "20", "21", "22", "45", "46", "47"})


def shows_time(code: str) -> bool:
    """Whether a custom format code shows a time: an `h` or `s` placeholder, or AM/PM, outside
    quoted text, escaped characters and bracketed parts other than elapsed time (`[h]`).
    `yyyy-mm-dd hh:mm` → True; `dd.mm.yyyy` and `"hours"` → False. One pass over the code."""
    i, found = 0, False
    code = code.lower()
    while i < len(code) and not found:
        char = code[i]
        if char == '"':
            end = code.find('"', i + 1)
            i = len(code) if end < 0 else end
        elif char == "\\":
            i += 1
        elif char == "[":
            end = code.find("]", i + 1)
            inside = code[i + 1:end] if end > 0 else ""
            found = inside[:1] in ("h", "s") and set(inside) <= {"h", "m", "s"}
            i = len(code) if end < 0 else end
        else:
            found = char in "hs" or code.startswith(("am/pm", "a/p"), i)
        i += 1
    return found
