"""Detect a file's encoding and re-encode it, streaming in constant memory; repair mojibake.

Detection lives in `datatools.io.detect` (the readers need it too) and is re-exported here.
`fix_encoding` never reads the whole file into memory: 1 MiB chunks through an incremental
decoder and encoder, into the guarded writer's temporary file, which replaces the output at the end. This module does
not import pandas, so `datatools encoding` stays small and fast to start.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from datatools.errors import BadInput
from datatools.io.detect import CHUNK, EncodingReport, detect_encoding
from datatools.io.mixed import MixedDecoder
from datatools.progress import Progress, silent
from datatools.safe_write import guard_target, open_output

__all__ = ["EncodingReport", "FixReport", "detect_encoding", "fix_encoding", "repair_mojibake"]

SAMPLE_PAIRS = 5

# UTF-8 bytes read as cp1252: a lead byte (Â..ô) followed by one to three continuation bytes,
# each shown as the cp1252 character for 0x80–0xBF.
_CONTINUATION = "".join(bytes([b]).decode("cp1252", errors="ignore") or "" for b in range(0x80, 0xC0))
_CONTINUATION_CLASS = re.escape(_CONTINUATION + "\x81\x8d\x8f\x90\x9d")
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION_CLASS}]{{1,3}}")


@dataclass
class FixReport:
    source: str
    output: str
    source_encoding: str
    target_encoding: str
    bytes_read: int = 0
    bytes_written: int = 0
    mojibake_repaired: int = 0                  # sequences turned back into their characters
    samples: list[dict[str, str]] = field(default_factory=list)   # before/after lines
    detection: EncodingReport | None = None
    legacy_lines: list[int] = field(default_factory=list)   # lines read in a legacy code page
    legacy_line_count: int = 0

    def to_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "detection"}
        if self.detection is not None:
            data["detection"] = self.detection.to_dict()
        return data


def _cp1252_byte(char: str) -> bytes:
    # The five bytes cp1252 leaves undefined come through as the same code point (Latin-1).
    return char.encode("cp1252") if char.encode("cp1252", errors="ignore") else bytes([ord(char)])


def _undo(match: re.Match[str]) -> str:
    text = match.group()
    try:
        return b"".join(map(_cp1252_byte, text)).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return text


def repair_mojibake(text: str) -> tuple[str, int]:
    """Undo UTF-8 read as cp1252 (`Ã©` → `é`), up to twice for doubly-damaged text.

    Only sequences that decode as valid UTF-8 are changed, so genuine "Ã" in Portuguese or
    "Â" in French survive. Returns the text and how many sequences were repaired.
    """
    repaired = 0
    for _ in range(2):
        count = 0

        def undo(match: re.Match[str]) -> str:
            nonlocal count
            fixed = _undo(match)
            if fixed != match.group():
                count += 1
            return fixed

        text = _MOJIBAKE.sub(undo, text)
        repaired += count
        if not count:
            break
    return text, repaired


def refuse_non_text(source: Path) -> None:
    """BadInput for a spreadsheet, an archive, a PDF …: such a file has no text encoding.

    Without this, detection answers "cannot tell" and suggests naming the encoding, and a named
    one would turn the bytes into garbage text. A file that cannot be opened is left to the caller.
    """
    from datatools.io.delimited import binary_kind
    from datatools.io.excel import SPREADSHEET_SUFFIXES

    if source.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise BadInput(f"{source} is a spreadsheet, not a text file: it has no text encoding to "
                       "detect or fix. The other tools (clean, profile, compare, dedupe, match) "
                       "read it as it is.", code="spreadsheet_not_text", params={"file": source.name})
    try:
        with open(source, "rb") as handle:
            what = binary_kind(handle.read(16))
    except OSError:
        return
    if what:
        raise BadInput(f"{source} is {what}, not a text file: it has no text encoding to detect "
                       "or fix.", code="binary_file", params={"file": source.name})


# OUT names of tables a spreadsheet opens: their UTF-8 starts with a byte order mark by default.
TABLE_SUFFIXES = (".csv", ".tsv")


def default_target(dst: str | os.PathLike[str]) -> str:
    """The encoding `fix_encoding` writes when none is named (DECISIONS 554): `utf-8-sig` (UTF-8
    that starts with a byte order mark) for a `.csv` or `.tsv` OUT, since Excel reads a CSV as
    UTF-8 only after the mark and shows a cp932 or cp1252 reading (mojibake) otherwise; plain
    `utf-8` for any other text file, where a mark is a stray character to most programs."""
    return "utf-8-sig" if Path(dst).suffix.lower() in TABLE_SUFFIXES else "utf-8"


def fix_encoding(src: str | os.PathLike[str], dst: str | os.PathLike[str], *,
                 source_encoding: str | None = None, target: str | None = None,
                 repair_mojibake: bool = False, force: bool = False,
                 progress: Progress | None = None) -> FixReport:
    """Re-encode `src` into the new file `dst`, streaming in constant memory.

    `target` is a Python codec name; None (the default) is `default_target(dst)`: UTF-8 with a
    byte order mark for a .csv/.tsv OUT, plain UTF-8 otherwise; `utf-8` never writes a mark,
    `utf-8-sig` always does. The report's `target_encoding` is the codec written.

    Raises BadInput if it does not decode, OutputExists, WouldOverwriteInput when `dst` is `src`
    under any name (even with `force`); `dst` is written whole or not at all.
    """
    progress = progress or silent()
    source, output = Path(src), Path(dst)
    if not source.is_file():
        raise BadInput(f"Cannot open {source}: no such file.", code="file_not_found",
                       params={"file": source.name})
    refuse_non_text(source)
    guard_target(dst, inputs=[source], force=force)
    target = target or default_target(dst)
    for name in filter(None, (source_encoding, target)):
        try:
            codecs.lookup(name)
        except LookupError:
            raise BadInput(f"Unknown encoding {name!r}.", code="bad_encoding",
                           params={"value": str(name)}) from None
    detection = None
    if source_encoding is None:
        detection = detect_encoding(source, progress.stage(0.0, 0.4))
        if detection.undecided:
            raise BadInput(f"Cannot tell the encoding of {source}: no code page reads it as "
                           "plausible text (closest: " + ", ".join(
                               c.encoding for c in detection.candidates[:3]) +
                           "); name it with --from.", code="encoding_undecided",
                           params={"file": source.name, "candidates": ", ".join(
                               c.encoding for c in detection.candidates[:3])})
        source_encoding = detection.encoding
        progress = progress.stage(0.4, 1.0)
    report = FixReport(str(source), str(output), source_encoding, target, detection=detection)
    with open_output(dst, inputs=[source], force=force) as writer:
        _transcode(source, writer, report, repair_mojibake, progress)
    return report


def _transcode(source: Path, writer: BinaryIO, report: FixReport, repair: bool,
               progress: Progress) -> None:
    legacy = report.detection.legacy if report.detection is not None else None
    decoder = (MixedDecoder(legacy) if legacy is not None
               else codecs.getincrementaldecoder(report.source_encoding)())
    encoder = codecs.getincrementalencoder(report.target_encoding)()
    total = max(source.stat().st_size, 1)
    carry = ""
    lines_written = 0    # only for the error message: the output is not reread
    with open(source, "rb") as reader:
        while True:
            chunk = reader.read(CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                offset = report.bytes_read + exc.start
                line = _line_at(source, offset)
                raise BadInput(f"{source} does not decode as {report.source_encoding} near line "
                               f"{line} (byte {offset}); name the right encoding with --from.",
                               code="bad_bytes", params={"file": source.name, "line": str(line),
                                                         "encoding": report.source_encoding}) from None
            report.bytes_read += len(chunk)
            if repair:
                # Repair works on whole lines so a damaged sequence is never split in two.
                text = carry + text
                cut = len(text) if final else text.rfind("\n") + 1
                text, carry = text[:cut], text[cut:]
                text = _repair_lines(text, report)
            try:
                data = encoder.encode(text, final=final)
            except UnicodeEncodeError as exc:
                line = lines_written + 1 + text.count("\n", 0, exc.start)
                raise BadInput(f"Line {line}: {exc.object[exc.start]!r} cannot be written in "
                               f"{report.target_encoding}; choose --to utf-8.", code="cannot_encode",
                               params={"file": source.name, "line": str(line),
                                       "character": exc.object[exc.start],
                                       "encoding": report.target_encoding}) from None
            writer.write(data)
            lines_written += text.count("\n")
            report.bytes_written += len(data)
            progress.update(report.bytes_read / total, "re-encoding")
            if final:
                break
    if isinstance(decoder, MixedDecoder):
        report.legacy_lines, report.legacy_line_count = decoder.repaired, decoder.repaired_count


def _line_at(path: Path, offset: int) -> int:
    """The 1-based line holding byte `offset` of `path` (only on the error path: it rereads)."""
    lines = 1
    with open(path, "rb") as handle:
        while offset > 0 and (chunk := handle.read(min(CHUNK, offset))):
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines


def _repair_lines(text: str, report: FixReport) -> str:
    if not _MOJIBAKE.search(text):
        return text
    if len(report.samples) >= SAMPLE_PAIRS:
        fixed, count = repair_mojibake(text)
        report.mojibake_repaired += count
        return fixed
    lines = text.split("\n")
    for index, before in enumerate(lines):
        after, count = repair_mojibake(before)
        if count:
            report.mojibake_repaired += count
            lines[index] = after
            if len(report.samples) < SAMPLE_PAIRS:
                report.samples.append({"before": before, "after": after})
    return "\n".join(lines)


def preview_mojibake(path: str | os.PathLike[str], encoding: str, limit: int = SAMPLE_PAIRS,
                     max_bytes: int = 8 << 20) -> list[dict[str, str]]:
    """Before/after pairs of the first lines mojibake repair would change (reads the start only)."""
    with open(path, "rb") as handle:
        text = handle.read(max_bytes).decode(encoding, errors="replace")
    pairs = []
    for before in text.splitlines():
        after, count = repair_mojibake(before)
        if count:
            pairs.append({"before": before, "after": after})
            if len(pairs) >= limit:
                break
    return pairs
