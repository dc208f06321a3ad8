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
two names ending in different legal forms (legal_forms.legal_forms_differ: `Perez SARL`/`Perez
SAS`, DECISIONS 466), or an uncompared date of birth, vendor, colour, size or article
code (uncompared_ids.Uncompared). Such a group stays whole, possible, for a person to review.
On a learned run a conflict of names or identifiers alone is lifted where the group's own rows
vouch for it by a person's own number (vouched_in_set, DECISIONS 373).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PairScores, PreparedColumns
    from datatools.tools.uncompared_ids import Uncompared


def conflicting_pairs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                      column_scores: "np.ndarray", learned: bool,
                      uncompared: "Uncompared | None" = None,
                      sure: "np.ndarray | None" = None,
                      swaps: "dict[int, tuple[int, int]] | None" = None) -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length; `column_scores` their
    score_columns output, pairs × columns+1): does it conflict (module docstring)? `learned`:
    the run has a model (the columns' own levels are then the model's to weigh). A bool array.
    `swaps`: the pairs scored crossed (PairScores.swaps), as households.names_two_people.

    With `sure` (a bool per pair: certain by its probability) the pairs must be every pair
    inside sets of rows (clustering.pairs_within: a component's or a group's), and a conflict of
    names or identifiers alone that the set's own rows vouch for is lifted (vouched_in_set)."""
    from datatools.tools.certainty import (clearly_differs, codes_differ, generation_differs,
                                           identifier_differs)
    from datatools.tools.households import names_two_people
    from datatools.tools.middle_names import middle_names_differ
    from datatools.tools.legal_forms import legal_forms_differ

    # Two people's names, dates of birth or numbers: what a set's own rows may vouch for.
    person = (names_two_people(prepared, x, y, column_scores, swaps)
              | identifier_differs(prepared, x, y))
    conflict = (codes_differ(prepared, x, y) | middle_names_differ(prepared, x, y, column_scores)
                | generation_differs(prepared, x, y))
    if not learned:
        conflict |= clearly_differs(prepared, x, y, column_scores)
    else:       # a street's numbers are the model's to weigh, but two flats are two homes
        from datatools.tools.house_numbers import flats_differ

        conflict |= flats_differ(prepared, x, y)
    conflict |= product_words_differ(prepared, x, y)
    # Two legal forms of one name are two firms, learned or not (DECISIONS 396, 466).
    conflict |= legal_forms_differ(prepared, x, y, column_scores)
    if uncompared is not None:
        conflict |= uncompared.differ(x, y)
    if sure is not None and person.any():
        person &= ~vouched_in_set(prepared, x, y, person & ~conflict, ~(person | conflict) & sure)
    return conflict | person


# A row that reads as another person than one row of its set (households.names_two_people,
# certainty.identifier_differs), beside this many rows of its own name, each certain with both
# and holding that other row's own number, brings no new person into the set.
VOUCHING_ROWS = 2


def vouched_in_set(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                   person_only: "np.ndarray", clean: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]), every pair inside sets of rows (clustering.pairs_within): is a
    conflict of names or identifiers alone
    (`person_only`: `Kyle`/`Lauren White`, their social security numbers `5927024`/`5927014` a
    keying error in the last two digits apart, which vouches for nothing; `Chelsea Ryan` with
    two numbers, one date of birth empty) vouched for by the set's own rows? A bool array.

    True when, for one of the pair's rows R and the other N, VOUCHING_ROWS rows M or more of
    the set each pair cleanly (`clean`: certain, no conflict) with R and with N, hold R's given
    names a typo apart (households._typo_apart, no number needed; or given name and surname
    typed into each other's columns, each a typo apart) and a person's own number agreeing with N's
    (households.own_number_vouches). Those rows already say, by a number one person holds, that
    N's name and date of birth and R's are one person's: R, one more row of that name, brings no
    new person into the group. FEBRL 2 and 3 (DECISIONS 373): a record keyed again with its
    number mistyped or replaced was left out of its group. Twins (`Mira`, `Mika`, numbers in
    turn) and a father and son of one name stay apart: no row holds one's name or date of birth
    with the other's number, let alone VOUCHING_ROWS. A table without a given-name or surname
    column, or without a person's own number (households.own_numbers), lifts nothing."""
    import numpy as np

    from datatools.tools.households import _names_surname, own_number_vouches, own_numbers
    from datatools.tools.similarity import _names_given_name

    result = np.zeros(len(x), dtype=bool)
    given = [c for c, name in enumerate(prepared.names) if _names_given_name(name)]
    surnames = [c for c, name in enumerate(prepared.names) if _names_surname(name)]
    if not person_only.any() or not own_numbers(prepared) or not (given or surnames):
        return result
    partners: dict[int, dict[int, int]] = {}
    for k, (left, right) in enumerate(zip(x.tolist(), y.tolist())):
        partners.setdefault(left, {})[right] = k
        partners.setdefault(right, {})[left] = k
    for k in np.flatnonzero(person_only).tolist():
        for row, other in ((int(x[k]), int(y[k])), (int(y[k]), int(x[k]))):
            near, theirs = partners[row], partners[other]
            vouching = [m for m, pair in near.items()
                        if m != other and m in theirs and clean[pair] and clean[theirs[m]]]
            if len(vouching) < VOUCHING_ROWS:
                continue
            numbered = own_number_vouches(prepared, np.full(len(vouching), other),
                                          np.array(vouching))
            count = sum(1 for n, m in enumerate(vouching)
                        if numbered[n] and _one_name(prepared, row, m, given, surnames))
            if count >= VOUCHING_ROWS:
                result[k] = True
                break
    return result


def _one_name(prepared: "PreparedColumns", x: int, y: int, given: list[int],
              surnames: list[int]) -> bool:
    """Do rows x and y hold one person's names but for typos (households._typo_apart), read
    straight or with a given name and a surname typed into each other's columns (FEBRL's
    `bayden son`/`son bayden`; the scores a model reads may already be unswapped)?"""
    from datatools.tools.households import _typo_apart

    if _typo_apart(prepared, x, y, given, {}, 0):
        return True
    return any(_typo_apart(prepared, x, y, given, {0: (g, s)}, 0)
               and _typo_apart(prepared, y, x, given, {0: (g, s)}, 0)
               for g in given for s in surnames)


def product_words_differ(prepared: "PreparedColumns", x: "np.ndarray",
                         y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): does a column named for products (colours.names_product) hold a
    word on one side only (variants.own_word: `Premium Merino Crew Sweater` against `Merino
    Crew Sweater`, another line of the product; `Shirt`/`Skirt`, two words of the list one
    keying error apart, DECISIONS 430)? A bool array. Not where an identifier (an
    EAN, a SKU, not a model column) agrees exactly, as variants.variants_differ."""
    import numpy as np

    from datatools.tools.colours import names_product
    from datatools.tools.variants import _names_model, own_word

    result = np.zeros(len(x), dtype=bool)
    for column, text in enumerate(prepared.text):
        if not names_product(prepared.names[column]) or (prepared.exact_only
                                                         and prepared.exact_only[column]):
            continue
        left, right, words = text[x], text[y], prepared.words[column]
        for k in np.flatnonzero(left != right).tolist():
            result[k] |= own_word(str(left[k]), str(right[k]), words)
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

    from datatools.tools.linkage_model import CERTAIN

    sure = None if scored.probability is None else scored.probability >= CERTAIN
    conflict = conflicting_pairs(prepared, x, y, scored.columns, learned, uncompared, sure,
                                 scored.swaps)
    return np.where(conflict, 0, scored.strength)
