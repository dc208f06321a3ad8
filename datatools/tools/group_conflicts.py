"""Which pairs inside a group keep the whole group possible (issue 30: a group is certain only
when no two of its rows clearly differ)?

A group's certain pairs may chain: `Premium Sweatpants - Burgundy / XL` certain with a listing
keyed again with typos, and that listing certain with `... / XXL` and so on, put five sizes of
one product into one certain group, and `--keep` removed four SKUs. A group is certain only when
its certain pairs join all its rows *and* no pair inside it conflicts: two variants of a product
or two codes (certainty.codes_differ), two people's names (households.names_two_people), two dates
of birth or customer numbers (certainty.identifier_differs), two middle names
(middle_names.middle_names_differ), a generational suffix on one side
(certainty.generation_differs), a column that clearly differs on a table without a model
(certainty.clearly_differs) or two flats of one building with one (house_numbers.flats_differ),
or an uncompared date of birth, vendor, colour, size or article
code (uncompared_ids.Uncompared). Such a group stays whole, possible, for a person to review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PairScores, PreparedColumns
    from datatools.tools.uncompared_ids import Uncompared


def conflicting_pairs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                      column_scores: "np.ndarray", learned: bool,
                      uncompared: "Uncompared | None" = None) -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length; `column_scores` their
    score_columns output, pairs × columns+1): does it conflict (module docstring)? `learned`:
    the run has a model (the columns' own levels are then the model's to weigh). A bool array."""
    from datatools.tools.certainty import (clearly_differs, codes_differ, generation_differs,
                                           identifier_differs)
    from datatools.tools.households import names_two_people
    from datatools.tools.middle_names import middle_names_differ

    conflict = (codes_differ(prepared, x, y) | names_two_people(prepared, x, y, column_scores)
                | middle_names_differ(prepared, x, y, column_scores)
                | identifier_differs(prepared, x, y) | generation_differs(prepared, x, y))
    if not learned:
        conflict |= clearly_differs(prepared, x, y, column_scores)
    else:       # a street's numbers are the model's to weigh, but two flats are two homes
        from datatools.tools.house_numbers import flats_differ

        conflict |= flats_differ(prepared, x, y)
    conflict |= product_words_differ(prepared, x, y)
    if uncompared is not None:
        conflict |= uncompared.differ(x, y)
    return conflict


def product_words_differ(prepared: "PreparedColumns", x: "np.ndarray",
                         y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): does a column named for products (colours.names_product) hold a
    word on one side only (variants.own_word: `Premium Merino Crew Sweater` against `Merino
    Crew Sweater`, another line of the product)? A bool array. Not where an identifier (an
    EAN, a SKU, not a model column) agrees exactly, as variants.variants_differ."""
    import numpy as np

    from datatools.tools.colours import names_product
    from datatools.tools.variants import _names_model, own_word

    result = np.zeros(len(x), dtype=bool)
    for column, text in enumerate(prepared.text):
        if not names_product(prepared.names[column]) or (prepared.exact_only
                                                         and prepared.exact_only[column]):
            continue
        left, right = text[x], text[y]
        for k in np.flatnonzero(left != right).tolist():
            result[k] |= own_word(str(left[k]), str(right[k]))
    for column, identifier in enumerate(prepared.identifier):
        if identifier and not _names_model(prepared.names[column]):
            result &= ~prepared.text[column].equal_filled(x, y)
    return result


def groups_conflict(conflict: "np.ndarray", sizes: "np.ndarray") -> "np.ndarray":
    """Per group: does any of its pairs conflict? `conflict` holds a bool per pair, group after
    group, each group's size*(size-1)/2 pairs (clustering.pairs_within's order); `sizes` the
    groups' sizes (two or more each)."""
    import numpy as np

    counts = sizes * (sizes - 1) // 2
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    return np.logical_or.reduceat(conflict, starts) if len(conflict) else np.zeros(0, bool)


def parted(scored: "PairScores", prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
           learned: bool, uncompared: "Uncompared | None") -> "np.ndarray":
    """The pairs' strengths (scored.strength of the pairs x, y) with every conflicting pair's
    (conflicting_pairs) set to 0: given to clustering.cluster_pairs as the rescored pairs inside
    a component, no group then holds two such rows (its lowest pair stays above the threshold
    less LINK_SLACK), so `Burgundy / XL` keyed twice is one group and `/ XXL` keyed twice another,
    instead of one group of every size, possible as a whole."""
    import numpy as np

    conflict = conflicting_pairs(prepared, x, y, scored.columns, learned, uncompared)
    return np.where(conflict, 0, scored.strength)
