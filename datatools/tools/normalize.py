"""Turn cell text into comparable keys: case, accents, punctuation, spacing and abbreviations.

Everything runs as vectorised pyarrow compute kernels, because a million rows times a handful of
columns must normalise in a few seconds; a Python loop over the cells would take a minute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Spelled-out words and their usual abbreviations, reduced to one spelling so "12 Main Street" and
# "12 main st." compare equal. Only words common in person and company addresses and company
# names: a longer list starts rewriting real names.
ABBREVIATIONS = {
    "st": ("street", "str"),
    "rd": ("road",),
    "ave": ("avenue", "av"),
    "dr": ("drive",),
    "ln": ("lane",),
    "ct": ("court",),
    "pl": ("place",),
    "blvd": ("boulevard",),
    "hwy": ("highway",),
    "sq": ("square",),
    "cres": ("crescent",),
    "tce": ("terrace",),
    "apt": ("apartment",),
    "n": ("north",),
    "s": ("south",),
    "e": ("east",),
    "w": ("west",),
    "inc": ("incorporated",),
    "ltd": ("limited",),
    "corp": ("corporation",),
    "co": ("company",),
    "intl": ("international",),
}
_SHORT_FORM = {long: short for short, longs in ABBREVIATIONS.items() for long in longs}


def normalize_text(values: Sequence[str] | "np.ndarray") -> "pa.Array":
    """Lower-case, accent-free, punctuation-free, single-spaced text with abbreviations unified.

    Letters of any script survive ("Москва" stays "москва"); empty and missing cells become "".
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values, type=pa.string(), from_pandas=True)
    text = pc.fill_null(text, "")
    text = pc.replace_substring_regex(text, "&", " and ")
    text = pc.utf8_normalize(text, "NFKD")
    text = pc.replace_substring_regex(text, r"\p{Mn}+", "")
    text = pc.utf8_lower(text)
    # A decimal point or thousands separator between digits joins: "1,250.00" is one number.
    for _ in range(2):  # twice, as matches cannot overlap: "3.5.2"
        text = pc.replace_substring_regex(text, r"(\d)[.,](\d)", r"\1\2")
    # An apostrophe joins ("O'Neil" is "oneil"); every other non-alphanumeric run separates.
    text = pc.replace_substring_regex(text, r"['’`´]", "")
    text = pc.replace_substring_regex(text, r"[^\p{L}\p{N}]+", " ")
    text = pc.utf8_trim_whitespace(text)
    return _unify_abbreviations(text)


def _unify_abbreviations(text: "pa.Array") -> "pa.Array":
    """Replace whole words by their abbreviation, looking each distinct word up once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = pc.utf8_split_whitespace(text)
    flat = pc.dictionary_encode(pc.list_flatten(words))
    spelled = flat.dictionary.to_pylist()
    replaced = [_SHORT_FORM.get(word, word) for word in spelled]
    if replaced == spelled:
        return text
    new_words = pc.take(pa.array(replaced, type=pa.string()), flat.indices)
    rebuilt = pa.ListArray.from_arrays(words.offsets, new_words)
    return pc.fill_null(pc.binary_join(rebuilt, " "), "")


def dense_ranks(text: "pa.Array") -> "np.ndarray":
    """Each value's position in sorted order of the distinct values (equal text, equal rank)."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.rank(text, sort_keys="ascending", tiebreaker="dense"), dtype=np.int64)
