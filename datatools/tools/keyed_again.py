"""A product title keyed again with typos agrees with its first listing, on a learned run.

Issue 30 (DECISIONS 429): a shop's catalogue deduplicated on its title alone (the small-table
rules) found 0.923 of the listings keyed twice; on title and vendor (a learned model, since two
columns are compared) 0.697. Not the vendor's fault: the model weighs a title that *nearly
agrees* against random pairs, and in a catalogue those are mostly another size or colour of one
product (`… - Burgundy / XL` against `… - Burgundy / L`), so a title keyed again with one typo
(`Heritage Flece Vest - Burgundy / XL`) was weak evidence and, with the commonest vendor, no
match at all. The rules read the two kinds apart; the model's levels now do too: in a column
named for products (colours.names_product) two values holding the same words, but for words
mistyped, reordered or in another case, are one listing and take the level *agrees* (weighed,
as an exact agreement is, by how rare the value is).

`Same words` is read as variants.own_word reads a listing keyed again (a model number's hyphen
dropped, `E-2430`/`E2430`; `128 GB`/`128GB`), stricter on typos: a word counts as mistyped only
when it is letters alone, of variants.TYPO_LETTERS letters or more, one keying error (Damerau)
from a word the other value holds in its place, and one of the two is held by fewer than
vetoes.ESTABLISHED_ROWS rows of the column. So `Shirt`/`Skirt` in a shop selling both stay two
words, as do sizes, colours, numbers and model numbers a digit apart (`KX-2040`/`KX-2041`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns
    from datatools.tools.words import ColumnWords

# The levels (linkage_model.LEVELS) a keyed-again pair is lifted from: nearly agrees, similar.
LIFTED_LEVELS = (1, 2)


def keyed_again(words: "ColumnWords", left: str, right: str) -> bool:
    """Do two normalised values of one product column hold the same words, but for mistyped
    ones (module docstring)? `words` is the column's (PreparedColumns.words), whose counts say
    which words are established. Equal values are; a word on one side only is not."""
    from rapidfuzz.distance import OSA

    from datatools.tools.variants import TYPO_LETTERS, _code_runs, left_over
    from datatools.tools.vetoes import ESTABLISHED_ROWS

    one, other = _code_runs(left), _code_runs(right)
    mine, theirs = left_over(one, other), left_over(other, one)
    if len(mine) != len(theirs):
        return False
    for word in mine:
        for k, candidate in enumerate(theirs):
            if (word.isalpha() and candidate.isalpha()
                    and min(len(word), len(candidate)) >= TYPO_LETTERS
                    and OSA.distance(word, candidate) <= 1
                    and min(words.holding(word), words.holding(candidate)) < ESTABLISHED_ROWS):
                del theirs[k]
                break
        else:
            return False
    return True


def lift_keyed_again(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                     levels: "np.ndarray") -> "np.ndarray":
    """`levels` (pairs × columns, linkage_model.levels_of's) with each product column's pairs at
    LIFTED_LEVELS that are keyed_again set to 0, agrees; changed in place and returned. Only
    those pairs are read (a Python look each); a level set to differs by numbers that differ
    stays."""
    import numpy as np

    from datatools.tools.colours import names_product

    for column, name in enumerate(prepared.names):
        if not names_product(name) or (prepared.exact_only and prepared.exact_only[column]):
            continue
        near = np.flatnonzero(np.isin(levels[:, column], LIFTED_LEVELS))
        if not len(near):
            continue
        text, words = prepared.text[column], prepared.words[column]
        same = np.fromiter((keyed_again(words, str(left), str(right))
                            for left, right in zip(text[a[near]], text[b[near]])),
                           dtype=bool, count=len(near))
        levels[near[same], column] = 0
    return levels
