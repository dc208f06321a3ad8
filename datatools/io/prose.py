"""A file that reads as one column of sentences: a letter or a note saved as .csv, not a table.

Such a file reads without an error (every line is one cell), so without a word the user sees
"3 rows, 1 column" and a profile of sentences. The check is narrow on purpose: a real
one-column list (names, e-mail addresses, company names of three words) has a short header
without a sentence's closing mark.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from datatools.notices import Notice

SENTENCE_ENDS = ".!?:,;"
WORDS_OF_A_LINE = 3        # a cell of this many words or more is a line of text
HEADER_WORDS = 6           # a header this long is a sentence even without a closing mark
SENTENCE_WORDS = 8         # a letter cut at its commas has a line this long somewhere


def looks_like_text(header: str, values: Iterable[str]) -> bool:
    """True when a one-column table's `header` reads as a sentence (three words or more ending
    in . ! ? : , ; or six words or more) and at least half of its filled `values` are lines of
    three words or more."""
    words = header.split()
    sentence = (len(words) >= WORDS_OF_A_LINE and header.rstrip()[-1:] in SENTENCE_ENDS) or \
        len(words) >= HEADER_WORDS
    if not sentence:
        return False
    filled = [value for value in values if value and value.strip()]
    lines = sum(1 for value in filled if len(value.split()) >= WORDS_OF_A_LINE)
    return not filled or lines * 2 >= len(filled)


def split_header(names: Sequence[str]) -> bool:
    """True when only a header's first cell is filled (the rest named `column_N` by the reader,
    delimited.unique_names) and it holds three words or more: the shape of a letter's first line
    cut at its commas."""
    if len(names) < 2 or len(str(names[0]).split()) < WORDS_OF_A_LINE:
        return False
    return all(str(name) == f"column_{index}" for index, name in enumerate(names[1:], start=2))


def split_text(names: Sequence[str], rows: Iterable[Sequence[str]]) -> bool:
    """True when a letter was cut at its commas into columns: `split_header(names)` (the cut
    line ended in the delimiter, a sentence's mark), and at least half of the filled `rows`
    (each row's cells, joined) are lines of three words or more, one of them eight words or
    more (a sentence; a list of names and numbers has none)."""
    if not split_header(names):
        return False
    lines = [" ".join(cell for cell in row if cell) for row in rows]
    return looks_like_text(f"{names[0]},", lines) and \
        (not lines or max(len(line.split()) for line in lines) >= SENTENCE_WORDS)


def text_notice(header: str) -> Notice:
    """What the readers say of such a file; `header` is its first line."""
    return Notice(f"This file reads as one column of sentences (its first line: {header!r}), so it "
                  "looks like a letter or other text, not a table: a table's first line names its "
                  "columns, separated by commas, semicolons or tabs.", "looks_like_text", first=header)


def split_text_notice(header: str, columns: int) -> Notice:
    """What the readers say of a letter cut at its commas into `columns` columns."""
    return Notice(f"This file reads as sentences cut at their commas into {columns} columns (its "
                  f"first line: {header!r}), so it looks like a letter or other text, not a table: "
                  "a table's first line names its columns.", "looks_like_text_split",
                  first=header, columns=columns)
