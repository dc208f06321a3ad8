"""Find a file's text encoding and prove it: BOMs, UTF-16 shape, UTF-8, then ranked guesses.

The decision logic, in order (docs/TECHNICAL.md "Encoding decision logic" says why):

1. A byte-order mark decides outright (UTF-8, UTF-16/32 LE/BE).
2. Zero bytes at every other position mean UTF-16 without a BOM.
3. One streaming pass over the whole file checks ASCII and UTF-8 validity, collects the set of
   high bytes present and a sample made only of lines holding non-ASCII bytes — wherever in the
   file they are, so a file whose first 5 MB are plain ASCII is judged by its late bytes.
4. Neither ASCII nor UTF-8: charset-normalizer ranks codecs on that sample. When its answer is a
   Latin-script codec we rescore the Latin family ourselves (`latin.rank_latin`), because its
   cp1252/cp1250 ties are wrong on Western files.
5. Every answer is verified against the whole file (the byte set for single-byte codecs, a
   streaming decode for the rest); a candidate that fails gives way to the next one.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from datatools.errors import BadInput
from datatools.io.latin import LATIN_CANDIDATES, LATIN_FAMILY, rank_latin
from datatools.progress import Progress, silent

CHUNK = 1 << 20
SAMPLE_LIMIT = 96 * 1024
_ASCII = bytes(range(128))
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*\n?")

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class Candidate:
    encoding: str
    confidence: float


@dataclass
class EncodingReport:
    encoding: str             # a Python codec name
    confidence: float         # 0–1
    bom: bool
    verified: bool            # the whole file decodes with `encoding`
    candidates: list[Candidate] = field(default_factory=list)   # runners-up, best first
    reason: str = ""          # one sentence on how the answer was reached

    def to_dict(self) -> dict:
        """Exactly contract 6's keys."""
        return {"encoding": self.encoding, "confidence": round(self.confidence, 3),
                "bom": self.bom, "verified": self.verified,
                "candidates": [asdict(c) for c in self.candidates]}


@dataclass
class _Scan:
    size: int = 0
    head: bytes = b""
    all_ascii: bool = True
    utf8_ok: bool = True
    high_bytes: set[int] = field(default_factory=set)
    sample: bytearray = field(default_factory=bytearray)
    nul_count: int = 0
    complete: bool = True     # the whole file was read (not just a preview's head)


def _scan(path: Path, progress: Progress, max_bytes: int | None) -> _Scan:
    scan = _Scan()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    total = max(os.path.getsize(path), 1)
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            if not scan.head:
                scan.head = chunk[:65536]
            scan.size += len(chunk)
            scan.nul_count += chunk.count(0)
            if not chunk.isascii():
                scan.all_ascii = False
                scan.high_bytes.update(chunk.translate(None, _ASCII))
                if len(scan.sample) < SAMPLE_LIMIT:
                    for match in _NON_ASCII_LINE.finditer(chunk):
                        scan.sample += match.group()[:2000]
                        if len(scan.sample) >= SAMPLE_LIMIT:
                            break
            if scan.utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    scan.utf8_ok = False
            progress.update(scan.size / total, "checking encoding")
            if max_bytes is not None and scan.size >= max_bytes:
                scan.complete = handle.read(1) == b""
                break
    if scan.utf8_ok and scan.complete:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.utf8_ok = False
    return scan


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text in a Latin or Cyrillic script has a zero in every other byte."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    even_zero, odd_zero = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _stream_decodes(path: Path, encoding: str, progress: Progress, skip: int = 0) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    total = max(os.path.getsize(path), 1)
    done = 0
    try:
        with open(path, "rb") as handle:
            handle.seek(skip)
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
                done += len(chunk)
                progress.update(done / total, f"verifying {encoding}")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _single_byte(encoding: str) -> bool:
    try:
        return len(bytes(range(256)).decode(encoding, errors="replace")) == 256
    except LookupError:
        return False


def _bytes_decode(encoding: str, high_bytes: set[int]) -> bool:
    try:
        bytes(sorted(high_bytes)).decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _normal(name: str) -> str:
    return codecs.lookup(name).name.replace("-", "_")


def detect_encoding(path: str | os.PathLike[str], progress: Progress | None = None, *,
                    max_bytes: int | None = None) -> EncodingReport:
    """Detect and verify the encoding of the file at `path`.

    `max_bytes` limits reading to the start of the file (for previews); the answer is then
    `verified` only when the file was no longer than that. Raises BadInput when the file cannot
    be read.
    """
    progress = progress or silent()
    source = Path(path)
    try:
        with open(source, "rb") as handle:
            start = handle.read(4)
    except OSError as exc:
        raise BadInput(f"Cannot open {source}: {exc.strerror}.") from None
    for mark, name in _BOMS:
        if start.startswith(mark):
            scan_progress = progress.stage(0, 1)
            ok = max_bytes is not None or _stream_decodes(source, name, scan_progress)
            return EncodingReport(name, 1.0 if ok else 0.5, True, ok and max_bytes is None,
                                  reason="byte-order mark")

    scan = _scan(source, progress.stage(0.0, 0.7), max_bytes)
    check = progress.stage(0.7, 1.0)
    if scan.size == 0 or scan.all_ascii:
        return EncodingReport("ascii", 1.0, False, scan.complete,
                              [Candidate("utf-8", 1.0)], reason="only ASCII bytes")
    utf16 = _utf16_without_bom(scan.head)
    if utf16 and (not scan.complete or _stream_decodes(source, utf16, check)):
        return EncodingReport(utf16, 0.95, False, scan.complete,
                              reason="zero bytes in every other position")
    if scan.utf8_ok:
        return EncodingReport("utf-8", 1.0, False, scan.complete,
                              reason="the whole file is valid UTF-8")
    return _rank_guesses(source, scan, check)


def _verify(source: Path, encoding: str, scan: _Scan, progress: Progress) -> bool:
    if _single_byte(encoding):
        return _bytes_decode(encoding, scan.high_bytes)
    if not scan.complete:
        try:
            scan.head.decode(encoding)  # may cut a character at the end: accept that case
        except UnicodeDecodeError as exc:
            return exc.start >= len(scan.head) - 4
        return True
    return _stream_decodes(source, encoding, progress)


def _mostly_isolated(sample: bytes) -> bool:
    """Accented letters between plain ones (Western text), not runs of high bytes (CJK, Cyrillic).

    A short Western file ("Köln") also parses as a two-byte CJK character; this tells them apart.
    """
    lone = len(re.findall(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])", sample))
    return lone > 0.5 * len(re.findall(rb"[\x80-\xff]", sample))


def _rank_guesses(source: Path, scan: _Scan, progress: Progress) -> EncodingReport:
    import charset_normalizer

    sample = bytes(scan.sample)
    matches = charset_normalizer.from_bytes(sample, cp_isolation=None)
    guesses: list[Candidate] = []
    for match in matches:
        quality = (1.0 - match.chaos) * (0.6 + 0.4 * min(match.coherence * 2, 1.0))
        guesses.append(Candidate(_normal(match.encoding), round(max(0.05, min(quality, 0.99)), 3)))
    reason = "charset-normalizer's ranking of the non-ASCII lines"
    if not guesses or guesses[0].encoding in LATIN_FAMILY or _mostly_isolated(sample):
        latin = [name for name in LATIN_CANDIDATES if _bytes_decode(name, scan.high_bytes)]
        ranked = rank_latin(sample, latin)
        best = ranked[0]
        present = bytes(sorted(scan.high_bytes))

        def same_text(entry) -> bool:
            return present.decode(entry.encoding) == present.decode(best.encoding)

        rivals = [entry for entry in ranked[1:] if not same_text(entry)]
        # How far ahead the answer is of the first codec that would give different text,
        # per word those two read differently: +1 a word means "fits" against "does not".
        lead = best.lead_over(rivals[0]) if rivals else 1.0
        confidence = 1.0 if best.words == 0 or not rivals else 0.6 + 0.4 * min(max(lead, 0), 1)
        guesses = [Candidate(_normal(entry.encoding), round(
            confidence if same_text(entry) else
            max(0.05, 0.6 - 0.5 * min(max(best.lead_over(entry), 0), 1)), 3))
            for entry in ranked]
        reason = ("every Latin codec gives the same text" if best.words == 0 else
                  "the Latin codec whose differing words read as one language family")
    for index, guess in enumerate(guesses):
        if _verify(source, guess.encoding, scan, progress):
            rest = sorted((g for g in guesses if g is not guess), key=lambda g: -g.confidence)[:4]
            return EncodingReport(guess.encoding, guess.confidence, False, scan.complete,
                                  rest, reason=reason if index == 0 else
                                  f"{reason}; earlier guesses fail on the whole file")
    return EncodingReport("latin_1", 0.1, False, scan.complete, guesses[:4],
                          reason="nothing else decodes the whole file; Latin-1 decodes any bytes")
