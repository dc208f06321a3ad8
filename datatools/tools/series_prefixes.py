"""Two model numbers that share digits but name two products (identifiers.code_relation):
one written after two different series prefixes (`GWS-547E`/`GBH 547E`, DECISIONS 408), or one
extending a code both rows hold (`dvpfx820li` beside `dvpfx820`: a model and its variant)."""

from __future__ import annotations

from datatools.tools.identifiers import _QUANTITY, SPLIT_LETTERS, SPLIT_PART, _digit_part

# Short words that are no part of a model number when written before one (`Etui für 547E`).
_NO_PREFIX = frozenset({"for", "and", "the", "of", "or", "in", "to", "mit", "und", "fur", "von",
                        "der", "die", "das", "zu", "im", "am", "et", "de", "la", "le", "les",
                        "des", "du", "en", "con", "el", "del", "per"})


def prefixes_differ(x_words: list[str], y_words: list[str], shared: list[str]
                     ) -> "tuple[str, str] | None":
    """Do two rows write a code both hold after two different series prefixes (`GWS-547E`
    against `GBH 547E`, `KS-131N` against `W-131N`, `WD-239P2` against `R18AG-239P2`)? Then
    the suffix they share is a number two product lines reuse, and the rows name two products
    (trial A, session 9: a circular saw matched a hammer drill as certain on `547E`). Only a
    short code (SPLIT_PART characters at most) is read so: a longer one names one product
    whatever word stands before it (Abt-Buy's `Ink & Paper Set - 7737A001` against `Paper Kit
    - 7737A001`, DECISIONS 408). A prefix is the word just before the code: up to SPLIT_LETTERS letters (no joining word:
    _NO_PREFIX), or a short part holding a letter and a digit (_digit_part, `r18ag`), no
    quantity; one row at least must lack the other's prefix (the `W` of `W-131N` is also the
    Watts of `1.100 W`). The prefixed codes of the first such code (for the explanation), or
    None."""
    for code in shared:
        if len(code) > SPLIT_PART:     # `7737a001` names one product after `Set` or `Kit`
            continue
        mine, theirs = _prefix(x_words, code), _prefix(y_words, code)
        if mine and theirs and mine != theirs and (mine not in y_words or theirs not in x_words):
            return mine + code, theirs + code
    return None


def _prefix(words: list[str], code: str) -> str:
    """The series prefix written as its own word just before `code` in `words`, or ''."""
    for before, word in zip(words, words[1:]):
        if word == code and ((before.isalpha() and len(before) <= SPLIT_LETTERS
                              and before not in _NO_PREFIX)
                             or (_digit_part(before) and not before.isdigit()
                                 and _QUANTITY.match(before) is None)):
            return before
    return ""


def extends_shared(codes: list[str], found: list[str]) -> bool:
    """Does a code the other row lacks extend a code both hold (`dvpfx820li`, the blue one,
    beside `dvpfx820`; `coolpixs550cb` beside `s550`)? Then the rows are a model and its
    variant, or a family and one member."""
    return any(other in code for code in codes if code not in found for other in found)
