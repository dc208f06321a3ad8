"""The start of a text table, decided once for both readers (io/tables.py, large/reading.py):
the notes on its encoding, Excel's `sep=` line, the delimiter, and the preamble above the header
(io/preamble.py), each with the notice it makes."""

from __future__ import annotations

from datatools.io import delimited
from datatools.io.detect import EncodingReport
from datatools.io.preamble import cut_text_preamble
from datatools.notices import Notice


def table_start(sample: str, delimiter: str | None, header: bool | str, header_row: int | None,
                warnings: list) -> tuple[str, int, str]:
    """The sample from the header line on, the file's lines before it (Excel's `sep=` line and
    a preamble) and the delimiter; what was left out is noted in `warnings`. BadOption when
    `header_row` (1-based) lies past the sample or names a blank line."""
    sample, skip, delimiter = dialect(sample, delimiter, warnings)
    sample, skip, notice = cut_text_preamble(sample, delimiter, header, header_row, skip)
    if notice is not None:
        warnings.append(notice)
    return sample, skip, delimiter


def after_lines(text: str, count: int) -> str:
    """`text` without its first `count` lines (ended by "\\n"); "" when it has no more."""
    at = 0
    for _ in range(count):
        at = text.find("\n", at) + 1
        if not at:
            return ""
    return text[at:]


def dialect(sample: str, delimiter: str | None, warnings: list) -> tuple[str, int, str]:
    """The sample without Excel's `sep=` line, the lines to skip (0 or 1) and the delimiter:
    the one given, else the `sep=` line's (noted in `warnings`), else sniffed from the sample."""
    directive = delimited.sep_directive(sample)
    skip = 0
    if directive is not None:
        named, length = directive
        sample, skip = sample[length:], 1
        warnings.append(Notice(f"The first line, sep={named}, is Excel's delimiter directive: "
                               f"columns are split at {named!r} and the line is not data.",
                               "sep_line", delimiter=named))
        delimiter = delimiter or named
    return sample, skip, delimiter or delimited.sniff_delimiter(sample)


def encoding_notes(detection: EncodingReport, limit: int | None) -> list[Notice]:
    """What the reader tells about the encoding: mixed lines, "cannot tell", unconfirmed."""
    if detection.legacy is not None:
        return [Notice(f"Not all lines are UTF-8: {detection.legacy.describe()}; "
                       "those lines were read in that code page.", "mixed_lines",
                       **detection.legacy.params())]
    if detection.undecided:
        return [Notice(f"Cannot tell this file's encoding; it was read as {detection.encoding}. "
                       "Name the encoding if the text looks wrong.", "encoding_undecided",
                       encoding=detection.encoding)]
    if not detection.verified and detection.reason != "given by the user" and limit is None:
        return [Notice(f"The encoding {detection.encoding} could not be confirmed for the whole file.",
                       "encoding_unconfirmed", encoding=detection.encoding)]
    return []


