"""Find a file's text encoding and prove it: BOMs, UTF-16/32 shape, escapes, UTF-8 line by line, ranked code pages.

The decision logic, in order (docs/TECHNICAL.md "Encoding decision logic" says why):

1. A byte-order mark decides, once the whole file decodes with it into readable text.
2. UTF-32 and UTF-16 without a BOM by the zero bytes of their code units (`wide.py`).
3. Only 7-bit bytes: ISO-2022-JP/KR (and HZ) when escape sequences are present, else ASCII.
4. One streaming pass checks UTF-8 line by line, collects the set of high bytes and a sample of
   the text around them, wherever in the file they are; every step is linear in the file size.
5. Valid UTF-8 is the answer; UTF-8 with a few legacy lines is reported as such, with the
   code page for those lines and their numbers (`mixed.py`).
6. Otherwise the legacy code pages are ranked on the sample by how plausible each decoding
   reads (`legacy.py`), and the answer is verified on the whole file: a codec that leaves a
   byte undefined or turns it into a C1 control character is not verified, it is out.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from datatools.errors import BadInput
from datatools.io import legacy, wide
from datatools.io.mixed import LegacyLines, Utf8Lines, decode_mixed
from datatools.io.plausible import has_c1
from datatools.progress import Progress, silent

CHUNK = 1 << 20
SAMPLE_LIMIT = 96 * 1024
WINDOW = 1000                 # bytes kept either side of a high byte on a long line
_ASCII = bytes(range(128))
# Bytes below 0x40 never occur inside a CJK double-byte character, so cutting there is safe.
_SEPARATOR = re.compile(rb"[\x00-\x20,;\"']")
_ESCAPES = ((b"\x1b$)C", "iso2022_kr"), (b"\x1b$B", "iso2022_jp"), (b"\x1b$@", "iso2022_jp"),
            (b"\x1b(J", "iso2022_jp"), (b"\x1b$A", "iso2022_jp_2"), (b"\x1b$(D", "iso2022_jp_2"),
            (b"~{", "hz"))

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class Candidate:
    encoding: str
    confidence: float
    lines: list[int] | None = None    # in a mixed file: the lines this code page reads

    def to_dict(self) -> dict:
        data: dict = {"encoding": self.encoding, "confidence": self.confidence}
        if self.lines is not None:
            data["lines"] = self.lines
        return data


@dataclass
class EncodingReport:
    encoding: str             # a Python codec name
    confidence: float         # 0–1
    bom: bool
    verified: bool            # the whole file decodes with `encoding` into plausible text
    candidates: list[Candidate] = field(default_factory=list)   # runners-up, best first
    reason: str = ""          # one sentence on how the answer was reached
    legacy: LegacyLines | None = None   # a UTF-8 file's lines in a legacy code page
    undecided: bool = False   # "cannot tell": no reading is plausible; see the candidates

    def to_dict(self) -> dict:
        """Contract 6's keys; a mixed file's code page candidate also carries its `lines`."""
        return {"encoding": self.encoding, "confidence": round(self.confidence, 3),
                "bom": self.bom, "verified": self.verified,
                "candidates": [c.to_dict() for c in self.candidates]}


@dataclass
class _Scan:
    size: int = 0
    head: bytes = b""
    all_ascii: bool = True
    high_bytes: set[int] = field(default_factory=set)
    sample: bytearray = field(default_factory=bytearray)
    complete: bool = True     # the whole file was read (not just a preview's head)
    utf8: Utf8Lines = field(default_factory=Utf8Lines)
    skipped_until: int = 0    # bytes before this offset were valid UTF-8, not added to high_bytes
    passes: int = 0           # chunks read: the test of linear time counts them


def _next_high(chunk: bytes, pos: int) -> int:
    """The offset of the first byte ≥ 0x80 at or after `pos`, or -1; cost ∝ the distance to it.

    `bytes.isascii` runs at memory speed where a regex character class crawls (about 100 MB/s):
    gallop over doubling slices until one holds a high byte, then halve it.
    """
    step, start, size = 64, pos, len(chunk)
    while start < size:
        end = min(size, start + step)
        if not chunk[start:end].isascii():
            low, high = start, end
            while high - low > 32:
                middle = (low + high) // 2
                if chunk[low:middle].isascii():
                    low = middle
                else:
                    high = middle
            return next(i for i in range(low, high) if chunk[i] > 0x7F)
        start, step = end, step * 2
    return -1


def _sample_windows(chunk: bytes, sample: bytearray) -> None:
    """Append the text around each high byte of `chunk`; each byte is looked at a bounded number of times."""
    pos = 0
    while len(sample) < SAMPLE_LIMIT:
        at = _next_high(chunk, pos)
        if at < 0:
            return
        start = max(pos, chunk.rfind(b"\n", pos, at) + 1)
        if at - start > WINDOW:
            cut = _SEPARATOR.search(chunk, at - WINDOW, at)
            start = cut.end() if cut else at
        end = chunk.find(b"\n", at)
        end = len(chunk) if end < 0 else end + 1
        if end - at > WINDOW:
            cut = _SEPARATOR.search(chunk, at + WINDOW, end)
            end = cut.start() if cut else end
        sample += chunk[start:end]
        if not sample.endswith(b"\n"):
            sample += b"\n"
        pos = max(end, at + 1)


def _scan(path: Path, progress: Progress, max_bytes: int | None) -> _Scan:
    scan = _Scan()
    total = max(os.path.getsize(path), 1)
    seen = _ASCII
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            scan.passes += 1
            if not scan.head:
                scan.head = chunk[:65536]
                if b"\n" not in scan.head and b"\r" in scan.head:
                    scan.utf8.newline = b"\r"      # old Mac files end lines with CR only
            scan.size += len(chunk)
            if not chunk.isascii():
                scan.all_ascii = False
                if len(scan.sample) < SAMPLE_LIMIT:
                    _sample_windows(chunk, scan.sample)
                scan.utf8.feed(chunk)
                if scan.utf8.valid:
                    # The byte set matters only once the file is not UTF-8; the chunks skipped
                    # until then are read again if it is needed (`_all_high_bytes`).
                    scan.skipped_until = scan.size
                else:
                    # Delete the bytes already seen too: after the first chunks nothing is left.
                    fresh = chunk.translate(None, seen)
                    if fresh:
                        scan.high_bytes.update(fresh)
                        seen = _ASCII + bytes(sorted(scan.high_bytes))
            elif scan.utf8.alive:
                scan.utf8.feed(chunk)
            progress.update(scan.size / total, "checking encoding")
            if max_bytes is not None and scan.size >= max_bytes:
                scan.complete = handle.read(1) == b""
                break
    if scan.complete:
        scan.utf8.finish()
    return scan


def _all_high_bytes(path: Path, scan: _Scan, progress: Progress) -> set[int]:
    """The whole file's high bytes: those of the valid-UTF-8 start, read again, added once."""
    if scan.skipped_until:
        with open(path, "rb") as handle:
            done = 0
            while done < scan.skipped_until and (
                    chunk := handle.read(min(CHUNK, scan.skipped_until - done))):
                scan.high_bytes.update(chunk.translate(None, _ASCII))
                done += len(chunk)
                progress.update(done / scan.skipped_until, "checking encoding")
        scan.skipped_until = 0
    return scan.high_bytes


def stream_readable(path: Path, encoding: str, progress: Progress, skip: int = 0) -> bool:
    """True when the whole file decodes with `encoding` and holds no C1 control character."""
    decoder = codecs.getincrementaldecoder(encoding)()
    total = max(os.path.getsize(path), 1)
    done = 0
    try:
        with open(path, "rb") as handle:
            handle.seek(skip)
            while chunk := handle.read(CHUNK):
                if has_c1(decoder.decode(chunk)):
                    return False
                done += len(chunk)
                progress.update(done / total, f"verifying {encoding}")
            return not has_c1(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return False


def _normal(name: str) -> str:
    return codecs.lookup(name).name.replace("-", "_")


def detect_encoding(path: str | os.PathLike[str], progress: Progress | None = None, *,
                    max_bytes: int | None = None) -> EncodingReport:
    """Detect and verify the encoding of the file at `path`.

    `max_bytes` limits reading to the start of the file (for previews); the answer is then
    `verified` only when the file was no longer than that. A report with `undecided` set means
    "cannot tell": no reading is plausible, and `candidates` lists what decodes. Raises BadInput
    when the file cannot be read.
    """
    progress = progress or silent()
    source = Path(path)
    try:
        with open(source, "rb") as handle:
            start = handle.read(4)
    except OSError as exc:
        raise BadInput(f"Cannot open {source}: {exc.strerror}.", code="cannot_open",
                       params={"file": source.name, "reason": str(exc.strerror)}) from None
    for mark, name in _BOMS:
        if start.startswith(mark):
            if max_bytes is not None:
                return EncodingReport(name, 1.0, True, False, reason="byte-order mark")
            if stream_readable(source, name, progress.stage(0, 1)):
                return EncodingReport(name, 1.0, True, True, reason="byte-order mark")
            break    # the bytes only look like a mark: judge the file as if it had none
    scan = _scan(source, progress.stage(0.0, 0.7), max_bytes)
    check = progress.stage(0.7, 1.0)
    if scan.size == 0:
        return EncodingReport("ascii", 1.0, False, True, [Candidate("utf-8", 1.0)],
                              reason="an empty file")
    found = wide.without_bom(scan.head)
    if found and (not scan.complete or stream_readable(source, found, check)):
        return EncodingReport(found, 0.95, False, scan.complete,
                              reason="zero bytes where UTF-16/32 code units have them")
    if scan.all_ascii:
        return _seven_bit(source, scan, check)
    if scan.utf8.valid and not scan.utf8.c1:
        return EncodingReport("utf-8", 1.0, False, scan.complete,
                              reason="the whole file is valid UTF-8")
    if scan.utf8.mixed:
        return _mixed(scan)
    return _rank_legacy(source, scan, check)


def _seven_bit(source: Path, scan: _Scan, progress: Progress) -> EncodingReport:
    for escape, name in _ESCAPES:
        if escape in scan.head and (not scan.complete or stream_readable(source, name, progress)):
            return EncodingReport(name, 0.95, False, scan.complete,
                                  reason="7-bit escape sequences of " + name)
    return EncodingReport("ascii", 1.0, False, scan.complete, [Candidate("utf-8", 1.0)],
                          reason="only ASCII bytes")


def _mixed(scan: _Scan) -> EncodingReport:
    """UTF-8 with legacy lines: one code page for those lines, and the lines that read better
    in another (several exports pasted together can bring several code pages)."""
    from collections import Counter

    utf8 = scan.utf8
    ranked = legacy.rank(bytes(utf8.sample), utf8.bad_high, single_byte_only=True)
    own: dict[int, legacy.Ranked] = {}
    for number, line in utf8.line_samples.items():
        best = legacy.rank(line, set(line.translate(None, _ASCII)), single_byte_only=True)
        if best and best[0].score >= legacy.PLAUSIBLE:
            own[number] = best[0]
    # The common code page: the one that reads all those lines plausibly, else the one most
    # lines choose on their own; either must decode every line it is left with.
    choices = [r for r in ranked[:1] if r.score >= legacy.PLAUSIBLE]
    votes = Counter(r.encoding for r in own.values())
    choices += [next(r for r in own.values() if r.encoding == name) for name, _ in votes.most_common()]
    for default in choices:
        overrides = [(number, best.encoding) for number, best in own.items()
                     if best.encoding != default.encoding and best.score > legacy.score_of(
                         utf8.line_samples[number], default.encoding) + 0.1]
        if _reads_the_rest(utf8, default.encoding, {n for n, _ in overrides}):
            break
    else:
        return _undecided(ranked, "UTF-8 except some lines that no code page reads plausibly")
    overridden = {n for n, _ in overrides}
    lines = LegacyLines(default.encoding, tuple(utf8.bad), utf8.bad_count, tuple(overrides),
                        utf8.newline)
    # A legacy line is decoded whole, also the valid UTF-8 before a sequence the file cuts off
    # at its end (which the line samples do not hold): its bytes must read too.
    if has_c1(decode_mixed(scan.head, lines, final=scan.complete)):
        return _undecided(ranked, "UTF-8 except some lines that no code page reads plausibly")
    candidates = [Candidate(default.encoding, default.confidence,
                            [n for n in utf8.bad if n not in overridden])]
    for name in sorted({name for _, name in overrides}):
        candidates.append(Candidate(name, 0.5, [n for n, codec in overrides if codec == name]))
    return EncodingReport("utf-8", min(default.confidence, 0.9), False, False, candidates,
                          reason=f"UTF-8, except that {lines.describe()}", legacy=lines)


def _reads_the_rest(utf8: Utf8Lines, encoding: str, overridden: set[int]) -> bool:
    """Does `encoding` decode, readably, every legacy line not given a code page of its own?"""
    if utf8.bad_count > len(utf8.line_samples) or utf8.samples_cut:   # then: all their bytes
        return legacy.readable_bytes(encoding, utf8.bad_high)
    rest = set().union(*(set(line.translate(None, _ASCII)) for number, line
                         in utf8.line_samples.items() if number not in overridden))
    return legacy.readable_bytes(encoding, rest)


def _undecided(ranked: list[legacy.Ranked], why: str) -> EncodingReport:
    # None of these reads plausibly: none may sound surer than "cannot tell".
    candidates = [Candidate(_normal(r.encoding), min(0.2, r.confidence)) for r in ranked[:5]]
    best = candidates[0].encoding if candidates else "latin_1"
    if not candidates:
        candidates = [Candidate("latin_1", 0.05)]
    return EncodingReport(best, min(0.2, candidates[0].confidence), False, False,
                          candidates[1:] or candidates,
                          reason=f"cannot tell: {why}", undecided=True)


def _rank_legacy(source: Path, scan: _Scan, progress: Progress) -> EncodingReport:
    sample = bytes(scan.sample)
    ranked = legacy.rank(sample, _all_high_bytes(source, scan, progress))
    # Single-byte codecs are verified already (the whole file's byte set); a double-byte one
    # needs a decode of the whole file, so only the best few are checked, best first.
    while ranked and not legacy.single_byte(ranked[0].encoding) and \
            not _verify_multibyte(source, ranked[0].encoding, scan, progress):
        ranked.pop(0)
    if not ranked or ranked[0].score < legacy.PLAUSIBLE:
        ranked = ranked + _normalizer_guesses(sample, scan, {r.encoding for r in ranked})
        ranked.sort(key=lambda r: -r.score)
    if not ranked or ranked[0].score < legacy.PLAUSIBLE:
        if scan.utf8.valid:
            return EncodingReport("utf-8", 0.2, False, False,
                                  [Candidate(_normal(r.encoding), min(0.2, r.confidence))
                                   for r in ranked[:4]],
                                  reason="cannot tell: valid UTF-8, but it holds C1 control "
                                  "characters, and no code page reads it better", undecided=True)
        clean = legacy.clean_reading(ranked)
        if clean is None or not (legacy.single_byte(clean.encoding)
                                 or _verify_multibyte(source, clean.encoding, scan, progress)):
            return _undecided(ranked, "no code page reads this file as plausible text")
        rest = [Candidate(_normal(r.encoding), r.confidence) for r in ranked if r is not clean][:4]
        return EncodingReport(_narrowest(source, _normal(clean.encoding), scan, progress), 0.3,
                              False, scan.complete, rest, reason="the only code page in whose "
                              "reading no word is impossible (none reads it as common text)")
    best = ranked[0]
    rest = [Candidate(_normal(r.encoding), r.confidence) for r in ranked[1:5]]
    reason = "the code page whose reading of the non-ASCII text is most plausible"
    return EncodingReport(_narrowest(source, _normal(best.encoding), scan, progress),
                          best.confidence, False, scan.complete, rest, reason=reason)


# A code page and the standards it extends, narrowest first. Where a file decodes under the
# narrower standard, that standard's mapping is the one its label means: Shift_JIS maps
# 0x8160 to U+301C WAVE DASH where cp932 gives U+FF5E, GB 2312's 0xA1A4 is U+30FB, GB18030's
# U+00B7 (WHATWG Encoding, and the codecs' own tables). A file using the extension's extra
# characters fails the narrower decode and keeps the wider page.
NARROWER = {"cp932": ("shift_jis",), "gb18030": ("gb2312", "gbk"), "cp949": ("euc_kr",),
            "cp950": ("big5",), "cp874": ("tis_620",)}


def _narrowest(source: Path, encoding: str, scan: _Scan, progress: Progress) -> str:
    """The narrowest standard in NARROWER that decodes the whole file (or the head, for a
    preview), else `encoding`."""
    for narrower in NARROWER.get(encoding, ()):
        if _verify_multibyte(source, narrower, scan, progress):
            return narrower
    return encoding


def _verify_multibyte(source: Path, encoding: str, scan: _Scan, progress: Progress) -> bool:
    if not scan.complete:
        try:
            scan.head.decode(encoding)  # may cut a character at the end: accept that case
        except UnicodeDecodeError as exc:
            return exc.start >= len(scan.head) - 4
        return True
    return stream_readable(source, encoding, progress)


def _normalizer_guesses(sample: bytes, scan: _Scan, seen: set[str]) -> list[legacy.Ranked]:
    """charset-normalizer's answers for the codecs we do not rank ourselves (DECISIONS 20)."""
    import charset_normalizer

    guesses = []
    for match in charset_normalizer.from_bytes(sample, cp_isolation=None):
        name = _normal(match.encoding)
        if name in seen or name in legacy.CODECS:
            continue
        if legacy.single_byte(name) and not legacy.readable_bytes(name, scan.high_bytes):
            continue
        score = legacy.score_of(sample, name)
        if score > -2:
            guesses.append(legacy.Ranked(name, score, round(max(0.05, min(score, 0.5)), 3)))
    return guesses
