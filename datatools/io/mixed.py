"""UTF-8 files with a few lines in a legacy code page: find those lines in one pass, and decode them.

Concatenated exports give files that are UTF-8 except for some lines written by an older
program in cp1252 (or cp1251…). Decoding the whole file with one single-byte codec damages
every accent on the UTF-8 lines; decoding it as UTF-8 fails. `Utf8Lines` checks UTF-8 line by
line while the detector streams the file, and lists the lines that are not UTF-8; `MixedDecoder`
then decodes UTF-8 where it is valid and each listed line with the code page chosen for it.
Both are linear: a failing line is skipped to its end, never retried from its start.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_ASCII = bytes(range(128))
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
MAX_LISTED = 10_000          # line numbers kept; beyond that only the count grows
MAX_LINE_SAMPLES = 200       # lines whose own code page is checked one by one
LINE_SAMPLE = 4096           # bytes kept of each such line
SAMPLE_LIMIT = 96 * 1024     # bytes of all bad lines kept for ranking their code page
GIVE_UP_AFTER = 50           # bad lines, with no UTF-8 beside them: a legacy file, stop looking


@dataclass
class Utf8Lines:
    """Streaming UTF-8 check that records each invalid line instead of stopping at the first."""

    newline: bytes = b"\n"
    alive: bool = True             # False once the file is clearly not UTF-8 at all
    lines: int = 0                 # newlines seen so far
    bad: list[int] = field(default_factory=list)
    bad_count: int = 0
    bad_high: set[int] = field(default_factory=set)
    bad_high_count: int = 0
    multibyte: int = 0             # bytes of valid multi-byte sequences seen outside bad lines
    c1: bool = False               # a valid UTF-8 C1 control character (U+0080–U+009F) was seen
    sample: bytearray = field(default_factory=bytearray)
    line_samples: dict[int, bytes] = field(default_factory=dict)
    samples_cut: bool = False      # some bad line was longer than LINE_SAMPLE
    _carry: bytes = b""
    _skipping: bool = False        # inside a bad line that continues into the next chunk
    _current: bytearray = field(default_factory=bytearray)

    @property
    def valid(self) -> bool:
        """The whole file so far is valid UTF-8."""
        return self.alive and self.bad_count == 0

    @property
    def mixed(self) -> bool:
        """UTF-8 with a few legacy lines (not a legacy file with a few lucky UTF-8 look-alikes)."""
        return self.alive and self.bad_count > 0 and self.multibyte > 0 and \
            self.multibyte >= 0.05 * self.bad_high_count

    def feed(self, chunk: bytes) -> None:
        """Check the next chunk of the file."""
        if not self.alive:
            return
        data = self._carry + chunk if self._carry else chunk
        self._carry = b""
        if self.bad_count == 0 and not self.c1 and b"\xc2" in data:   # memchr first: fast
            self.c1 = _C1_IN_UTF8.search(data) is not None
        view = memoryview(data)
        pos = counted = 0
        if self._skipping:
            end = data.find(self.newline)
            if end < 0:
                self._collect(data)
                return
            self._collect(data[:end])
            self._finish_bad_line()
            pos = counted = end + 1
            self.lines += 1
        while pos < len(data):
            try:
                text, used = codecs.utf_8_decode(view[pos:], "strict", False)
            except UnicodeDecodeError as exc:
                error = pos + exc.start
                start = max(pos, data.rfind(self.newline, pos, error) + 1)
                good = codecs.utf_8_decode(view[pos:start], "strict", True)[0]
                self.multibyte += (start - pos) - len(good)
                self.lines += data.count(self.newline, counted, start)
                self._start_bad_line()
                end = data.find(self.newline, error)
                if end < 0:
                    self._collect(data[start:])
                    self._skipping = True
                    return
                self._collect(data[start:end])
                self._finish_bad_line()
                pos = counted = end + 1
                self.lines += 1
                if not self.alive:
                    return
                continue
            self.multibyte += used - len(text)
            self._carry = bytes(view[pos + used:])
            break
        self.lines += data.count(self.newline, counted)

    def finish(self) -> None:
        """End of file: a sequence cut off at the very end is a bad last line."""
        if self._skipping:
            self._finish_bad_line()
        elif self._carry and self.alive:
            self._start_bad_line()
            self._collect(self._carry)
            self._finish_bad_line()
        self._carry = b""

    def _start_bad_line(self) -> None:
        self.bad_count += 1
        if len(self.bad) < MAX_LISTED:
            self.bad.append(self.lines + 1)
        self._current = bytearray()

    def _collect(self, part: bytes) -> None:
        high = part.translate(None, _ASCII)
        self.bad_high.update(high)
        self.bad_high_count += len(high)
        if len(self._current) + len(part) > LINE_SAMPLE:
            self.samples_cut = True
        if len(self._current) < LINE_SAMPLE:
            self._current += part[:LINE_SAMPLE - len(self._current)]

    def _finish_bad_line(self) -> None:
        self._skipping = False
        line = bytes(self._current)
        if len(self.sample) < SAMPLE_LIMIT:
            self.sample += line + b"\n"
        if len(self.line_samples) < MAX_LINE_SAMPLES:
            self.line_samples[self.lines + 1] = line
        if self.bad_count >= GIVE_UP_AFTER and self.multibyte < 0.05 * self.bad_high_count:
            self.alive = False


@dataclass(frozen=True)
class LegacyLines:
    """Which code page reads the lines of a mixed file that are not UTF-8."""

    encoding: str                                  # the code page for most of those lines
    lines: tuple[int, ...]                         # their numbers (up to MAX_LISTED)
    count: int                                     # how many there are
    overrides: tuple[tuple[int, str], ...] = ()    # lines that read better in another code page
    newline: bytes = b"\n"                         # what ends a line (CR in old Mac files)

    def describe(self, limit: int = 10) -> str:
        """`line 3 in cp1252` / `4 lines in cp1252 (lines 3, 7, …)`, for reports."""
        shown = ", ".join(map(str, self.lines[:limit])) + (
            f" and {self.count - limit} more" if self.count > limit else "")
        text = (f"line {shown} is {self.encoding}" if self.count == 1 else
                f"{self.count} lines are {self.encoding} (lines {shown})")
        others = sorted({name for _, name in self.overrides})
        for name in others:
            numbers = [str(n) for n, codec in self.overrides if codec == name]
            text += f"; line{'s' if len(numbers) > 1 else ''} {', '.join(numbers)} {name}"
        return text

    def params(self, limit: int = 10) -> dict[str, object]:
        """What `describe` says, as a notice's params: `count`, `encodings` and `lines`."""
        from datatools.notices import numbers

        others = sorted({name for _, name in self.overrides} - {self.encoding})
        listed = sorted({*self.lines, *(n for n, _ in self.overrides)})
        shown = numbers(listed, limit)
        if self.count > len(listed) and not shown.endswith("…"):
            shown += ", …"          # only the first MAX_LISTED line numbers are kept
        return {"count": self.count, "encodings": ", ".join([self.encoding, *others]), "lines": shown}


class MixedDecoder:
    """An incremental decoder: UTF-8 where valid, each other line in its legacy code page."""

    def __init__(self, legacy: LegacyLines) -> None:
        self.default = legacy.encoding
        self.overrides = dict(legacy.overrides)
        self.newline = legacy.newline
        self.line = 0                     # newlines decoded so far
        self.repaired: list[int] = []     # numbers of the lines read with a legacy code page
        self.repaired_count = 0
        self._pending: list[bytes] = []   # the start of a line that has not ended yet

    def decode(self, data: bytes, final: bool = False) -> str:
        """The text of `data`; a line that continues past it is kept for the next call."""
        if not final and self.newline not in data:
            self._pending.append(data)     # joined once, when the line ends: linear on long lines
            return ""
        if self._pending:
            data = b"".join([*self._pending, data])
            self._pending = []
        cut = len(data) if final else data.rfind(self.newline) + 1
        if cut < len(data):
            self._pending.append(data[cut:])
        return self._lines(memoryview(data)[:cut], data[:cut]) if cut else ""

    def _lines(self, view: memoryview, data: bytes) -> str:
        parts: list[str] = []
        pos = 0
        while pos < len(data):
            try:
                parts.append(codecs.utf_8_decode(view[pos:], "strict", True)[0])
            except UnicodeDecodeError as exc:
                error = pos + exc.start
                start = max(pos, data.rfind(self.newline, pos, error) + 1)
                parts.append(codecs.utf_8_decode(view[pos:start], "strict", True)[0])
                self.line += data.count(self.newline, pos, start)
                end = data.find(self.newline, error)
                end = len(data) if end < 0 else end + 1
                number = self.line + 1
                codec = self.overrides.get(number, self.default)
                parts.append(bytes(view[start:end]).decode(codec, errors="replace"))
                self.repaired_count += 1
                if len(self.repaired) < MAX_LISTED:
                    self.repaired.append(number)
                self.line += data.count(self.newline, start, end)
                pos = end
                continue
            self.line += data.count(self.newline, pos)
            break
        return "".join(parts)


def decode_mixed(raw: bytes, legacy: LegacyLines, final: bool = True) -> str:
    """All of `raw` decoded the mixed way (for readers that hold the whole file or its head)."""
    return MixedDecoder(legacy).decode(raw, final=final)
