"""Which row of a duplicate group a keep policy keeps: the first, or the most complete.

*most-complete* keeps the row with the most filled-in cells; among rows equally filled, the one
whose street holds its house number where another's does not, then the one whose compared
values are spelled the commoner way, word by word in their columns (a typo such as `Mraino` is
rare in its column, `Marino` common; a given name in the surname's column is rare there; of
`Núñez arcía` and `Núñez García`, each rare as a whole, `García` is common), then the first in
file order (issue 30, DECISIONS 487, 514).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from datatools.errors import BadOption

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.dedupe import Cluster, DedupeResult

# Which row of a group `keep_one_per_cluster` keeps: the first in file order, or the most
# complete one (module docstring).
KEEP_POLICIES = ("first", "most-complete")
# A column is a street with its house number when at least this share of its filled values
# hold both a letter and a digit (as column_kinds._numbers_in_words reads one).
STREET_SHARE = 0.5
# A value's words are runs of letters and digits (case kept: `MARINO` is rarer than `Marino`);
# one holding no letter (a house number, a phone's digit group) weighs nothing beside the words,
# and a value of no such word (a phone, a postcode, a date) counts as a whole.
WORD_PATTERN = r"[^\pL\pN]+"
# How commonness sums are rounded before rows are compared: the same words in another order
# (`García Núñez`/`Núñez García`) add up to the same sum but for the last bits of a float.
COMMON_DIGITS = 9


def policy_kept(result: "DedupeResult", keep: str = KEEP_POLICIES[0],
                clusters: "Sequence[Cluster] | None" = None) -> dict[str, int]:
    """The row (0-based input position) the `keep` policy keeps in each of `clusters` (by
    default every cluster of `result`), by cluster id: the first in file order, or the most
    complete one (module docstring). What `keep_one_per_cluster` keeps where no reviewer
    chose; the window's review asks it alone, a page of groups at a time, and gets the same
    rows: each column's spellings are counted once per result over its whole frame
    (`spelling_counts`), so a group's kept row depends on its rows and that frame alone.
    Linear in the frame's rows (the counts) plus the clusters' rows. BadOption for any other
    `keep`."""
    if keep not in KEEP_POLICIES:
        raise BadOption(f"--keep must be 'first' or 'most-complete', not {keep!r}.",
                        code="bad_choice", params={"option": "keep", "value": str(keep)})
    clusters = result.clusters if clusters is None else clusters
    if keep == "first":
        return {cluster.id: cluster.rows[0] for cluster in clusters}
    rows = sorted({row for cluster in clusters for row in cluster.rows})
    standing = dict(zip(rows, zip(*_standing(result, rows))))
    kept = {}
    for cluster in clusters:
        best = max(standing[row] for row in cluster.rows)
        kept[cluster.id] = next(row for row in cluster.rows if standing[row] == best)
    return kept


def _standing(result: "DedupeResult", rows: list[int]) -> "tuple[list[int], list[int], list[float]]":
    """For each of `rows` (0-based input positions), what most-complete weighs, in its order:
    its filled-in cells (any column), its compared street cells that hold a house number in a
    column of streets with house numbers, and how common its compared values' words are (the
    sum over its compared cells of `Spellings.common`: the logarithm of the product of each
    word's count in its column; an empty cell adds 0). Rows whose cells hold the same words
    tie (the sums are rounded to COMMON_DIGITS)."""
    import numpy as np

    from datatools.tools.dedupe import OUTPUT_COLUMNS

    # Filled cells counted a column at a time: the rows' whole table at once was a copy of
    # every grouped cell on the window's large review (DECISIONS 472).
    original = result.frame.drop(columns=list(OUTPUT_COLUMNS))
    filled = np.zeros(len(rows), np.int64)
    for k in range(original.shape[1]):
        filled += (original.iloc[rows, k] != "").to_numpy(dtype=bool)
    numbered = np.zeros(len(rows), dtype=np.int64)
    common = np.zeros(len(rows), dtype=np.float64)
    positions = np.asarray(rows, dtype=np.int64)
    for spelled in spelling_counts(result).values():
        value = spelled.value[positions]
        common += spelled.common[value]
        if spelled.street:
            numbered += spelled.numbered[value]
    return filled.tolist(), numbered.tolist(), np.round(common, COMMON_DIGITS).tolist()


@dataclass(frozen=True)
class Spellings:
    """One compared column's values counted: each row's value as an index into the column's
    distinct (trimmed) values; per distinct value how common its spelling is (`common`: the
    natural logarithm of the product, over its words holding a letter (WORD_PATTERN), of how
    often each word stands in the column's filled cells; a value without such a word, the
    logarithm of how many rows hold the whole value; the empty value 0, which weighs nothing)
    and whether it holds a digit; `street`: the column holds streets with house numbers
    (STREET_SHARE of its filled values hold a letter and a digit)."""

    value: "np.ndarray"        # per row, int32
    common: "np.ndarray"       # per distinct value, float64 (a logarithm, 0 or more)
    numbered: "np.ndarray"     # per distinct value, int64 0/1
    street: bool


def spelling_counts(result: "DedupeResult") -> "dict[str, Spellings]":
    """Per compared column of `result`, its `Spellings` over the whole frame: counted on the
    first call and kept on the result (`DedupeResult.spellings`). A few vectorised passes
    over each column (dictionary encoding of its values and of their words, not a per-value
    map)."""
    if result.spellings is None:
        from datatools.io.lossy import arrow_text

        result.spellings = {name: column_spellings(arrow_text(result.frame[name]))
                            for name in result.report.columns}
    return result.spellings


def column_spellings(text) -> Spellings:
    """One column's `Spellings`, `text` its cells in the frame's order (a pyarrow string array,
    "" for missing: `lossy.arrow_text`)."""
    import numpy as np
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(text))
    value = np.asarray(encoded.indices, dtype=np.int32)
    distinct = encoded.dictionary
    empty = np.asarray(pc.equal(distinct, ""), dtype=bool)
    count = np.where(empty, 1, np.bincount(value, minlength=len(distinct))).astype(np.int64)
    digit = np.asarray(pc.match_substring_regex(distinct, r"\d"), dtype=bool)
    letter = np.asarray(pc.match_substring_regex(distinct, r"\pL"), dtype=bool)
    filled = count[~empty].sum()
    street = bool(filled) and count[digit & letter].sum() >= STREET_SHARE * filled
    return Spellings(value, _word_commonness(distinct, count, letter),
                     (digit & ~empty).astype(np.int64), street)


def _word_commonness(distinct, count: "np.ndarray", letter: "np.ndarray") -> "np.ndarray":
    """`Spellings.common` for a column's `distinct` values (a pyarrow string array), `count`
    rows holding each (1 for the empty value) and `letter` (does it hold a letter)."""
    import numpy as np
    import pyarrow.compute as pc

    words = pc.split_pattern_regex(distinct, pattern=WORD_PATTERN)
    encoded = pc.dictionary_encode(pc.list_flatten(words))
    # which words hold a letter, asked of each distinct word once
    lettered = np.asarray(pc.match_substring_regex(encoded.dictionary, r"\pL"), dtype=bool)
    word = np.asarray(encoded.indices, dtype=np.int64)
    keep = lettered[word]
    word = word[keep]
    owner = np.asarray(pc.list_parent_indices(words), dtype=np.int64)[keep]
    # each word's count: once per row holding a value that holds it
    held = np.bincount(word, weights=count[owner]) if len(word) else np.zeros(0)
    common = np.bincount(owner, weights=np.log(held[word]), minlength=len(distinct))
    return np.where(letter, common, np.log(count))
