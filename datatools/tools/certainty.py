"""When is a pair *certain* on a small table, where no model is learned (issue 30)?

Below linkage_model.LEARN_FROM_ROWS rows the fixed score decides. A score is a weighted
average of the columns' similarities, so on a list of common names two strangers can reach
CERTAIN_SCORE on what they share (a city, a postcode, the `-straße` of every street) while
one column clearly says they are two people: `Becker`/`Bauer` (55), `Schulstraße 19`/
`Schulstraße 39`, postcodes `01067`/`04109`. Such a pair stays a *possible* one, for a person to
review (never removed by --keep, never written as matched by default): a pair is certain only
when its score reaches CERTAIN_SCORE and no compared column differs, at the levels the learned
model uses (linkage_model.levels_of: below SIMILAR, an e-mail that is not equal, a house number
that is not equal) and with numbers only (postcodes, phones, customer numbers) equal or not.
A typo in a name still agrees (one typo in a four-letter word scores 75, above SIMILAR), and
so do given name and surname typed into each other's columns (swaps.unswap).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from datatools.tools.given_name_pairs import (ESTABLISHED_GIVEN, GIVEN_NAME_FROM, LONG_GIVEN_NAME,
                                              _SEXED_ENDINGS, _STEM, _keying_errors,
                                              _other_given_name, gendered_pair)

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PairScores, PreparedColumns

# What other modules import from here; the given-name rules among them live in
# given_name_pairs.py.
__all__ = ["ESTABLISHED_GIVEN", "GIVEN_NAME_FROM", "LONG_GIVEN_NAME", "SAME_TAIL_DIGITS",
           "VOUCHING_LENGTH", "_SEXED_ENDINGS", "_STEM", "_digits", "_keying_errors",
           "_other_given_name", "certain_pairs", "clearly_differs", "codes_differ",
           "gendered_pair", "generation_differs", "identifier_differs", "mark_differs",
           "one_typo", "same_number", "same_numbers"]

# A number is digits with these between them (`0204 806874`, `+49 204 806874`, `12.345`).
_NUMBER_PUNCTUATION = set(" .-/+()")
# One number written with a prefix the other lacks (`+49 204 806874` and `0204 806874`) is the
# same number when the shorter one still has this many digits.
SAME_TAIL_DIGITS = 6
# An identifier (a customer or social security number, a date of birth) this long one keying
# error from another vouches as an exact agreement does (identifier_differs).
VOUCHING_LENGTH = 6


def _digits(value: str) -> "str | None":
    """The digits of a value that is a number, without leading zeros; None for any other."""
    if value.isdigit():  # the common case, answered without a loop per character
        return value.lstrip("0")
    if not any(map(str.isdigit, value)) or not all(c.isdigit() or c in _NUMBER_PUNCTUATION
                                                      for c in value):
        return None
    return "".join(c for c in value if c.isdigit()).lstrip("0")


def same_number(first: str, second: str) -> "bool | None":
    """Are two numbers (a postcode, a phone, a customer number) one number? None when either
    value is no number. Leading zeros and a prefix of one (a country code) do not count:
    `01067` is `1067`, `+49 204 806874` is `0204 806874`."""
    left, right = _digits(first), _digits(second)
    if left is None or right is None:
        return None
    if left == right:
        return True
    short, long = sorted((left, right), key=len)
    return len(short) >= SAME_TAIL_DIGITS and long.endswith(short)


def clearly_differs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                    column_scores: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): does any compared column
    clearly differ? `column_scores` is score_columns' output for those pairs (pairs × columns+1,
    uint8, the last column the whole row). Returns a bool array, one per pair.

    A column differs when its level (linkage_model.all_levels) is "differs" (score below
    SIMILAR, an e-mail not equal, the numbers in a street not one house number:
    house_numbers.same_house, codes that disagree), or
    when both values are numbers only (a postcode) and are not the same number (same_number):
    a code has no typos that make it partly right, and one written another way agrees whatever
    its score. The numbers in a street agree when their digits do (`Hauptstr. 3 2` is 32), and
    do not count when an identifier (an e-mail, a customer number) agrees exactly: a house
    number mistyped (`Mühlenweg 137`/`173`) beside one e-mail is one person. Empty cells are no
    evidence either way. With one compared column only codes that disagree count: that
    column's score is the pair's."""
    import numpy as np

    from datatools.tools.swaps import unswap

    if len(x) == 0:
        return np.zeros(0, dtype=bool)
    column_scores = column_scores.copy()
    unswap(prepared, x, y, column_scores)   # `Müller, Anna` against `Anna, Müller` agrees
    return _differs(prepared, x, y, column_scores, same_numbers(prepared, x, y))


def same_numbers(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair and compared column (int8): 1 when both values are one number (same_number),
    0 when they are numbers and differ, -1 when either is no number."""
    import numpy as np

    result = np.full((len(x), len(prepared.text)), -1, dtype=np.int8)
    for column, text in enumerate(prepared.text):
        left, right = text[x], text[y]
        for k in range(len(x)):
            same = same_number(str(left[k]), str(right[k]))
            if same is not None:
                result[k, column] = same
    return result


def _differs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
             unswapped: "np.ndarray", same: "np.ndarray") -> "np.ndarray":
    """clearly_differs of pairs whose column scores are unswapped and numbers compared."""
    import numpy as np

    from datatools.tools.house_numbers import same_house
    from datatools.tools.linkage_model import (LEARN_FROM_COLUMNS, code_levels, levels_of,
                                               numbers_differ)
    from datatools.tools.variants import variants_differ

    numbers = numbers_differ(prepared, x, y)
    identified = np.zeros(len(x), dtype=bool)
    for column, identifier in enumerate(prepared.identifier):
        if identifier:
            identified |= unswapped[:, column] == 100
    numbers[identified] = False
    for k, column in zip(*np.nonzero(numbers)):
        text = prepared.text[column]
        numbers[k, column] = not same_house(str(text[x[k]]), str(text[y[k]]))
    levels = levels_of(unswapped, prepared.exact_only, numbers)
    codes = code_levels(prepared, x, y)
    differs = (levels if codes is None else np.column_stack([levels, codes])) == 3
    # Two variants of a product (`Red / S`, `Red / M`: variants.py) differ whatever the score;
    # with two columns or more the numbers in a street are the house-number rule's (above).
    variants = variants_differ(prepared, x, y, len(prepared.text) >= LEARN_FROM_COLUMNS)
    if len(prepared.text) < LEARN_FROM_COLUMNS:
        # One column: its score is the pair's and nothing weighs against it (a title's words
        # and numbers in another order); only codes that disagree (identifiers.py) and
        # variants still differ.
        return differs[:, 1:].any(axis=1) | variants
    columns = differs[:, :len(prepared.text)]       # numbers: equal or not, whatever the score
    columns[same == 1] = False
    columns[same == 0] = True
    return differs.any(axis=1) | variants


def certain_pairs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                  column_scores: "np.ndarray", pair_scores: "np.ndarray",
                  certain_from: float) -> "np.ndarray":
    """Per pair (x[k], y[k]): is it certain on a table without a model? A bool array.

    Certain when no compared column clearly differs (clearly_differs), the given names read as
    one name (_other_given_name), and the pair's score rounds to `certain_from` or more, taken
    as a reader sees the pair: given name and surname unswapped (swaps.unswap: `Müller, Anna`
    against `Anna, Müller`), and a number written another way (`+49 201 713344`/`0201 713344`)
    agreeing fully, one empty cell not counted against it when three columns are left: `pair_scores` (the pair's score as
    scored, with a shared rare code's lift) plus what so reading it adds."""
    import numpy as np

    from datatools.tools.households import surname_forms_differ
    from datatools.tools.packs import pairs_packs_differ
    from datatools.tools.party_names import parties_differ
    from datatools.tools.similarity import MISSING, _names_given_name, combine_scores
    from datatools.tools.swaps import unswap

    if len(x) == 0:
        return np.zeros(0, dtype=bool)
    unswapped = column_scores.copy()
    swaps = unswap(prepared, x, y, unswapped)
    same = same_numbers(prepared, x, y)
    sure = ~_differs(prepared, x, y, unswapped, same)
    scores = unswapped.copy()
    scores[:, :-1][same == 1] = 100
    # The whole row's words count an empty cell against the pair; the columns' mean does not.
    as_read = combine_scores(prepared, scores)
    # One empty cell is not counted against a pair (the whole row's words would) when at least
    # three columns are left to agree on; with more empty, or fewer left, the pair agrees on too
    # little to be certain (`Ann Lee, Derby` and no address; `J. Weber, Kassel` against
    # `Jonas Weber, Bergweg 7, Kassel`).
    empty = (scores[:, :-1] == MISSING).sum(axis=1)
    # With no empty cell the whole row's words count as scored: read by the columns alone, a
    # pair scoring 61 (`Claudia Meyer, Am Mühlbach 13` against `Claudia Meier, Hauptstraße 13`,
    # whole row 72) read 80 and was certain (issue 30).
    one_empty = (empty == 1) & (len(prepared.text) - empty >= 3)
    if len(prepared.text) > 1:
        as_read = np.where(one_empty, np.maximum(as_read, combine_scores(prepared, scores, 0.0)),
                           as_read)
    # What reading the pair so adds to its score; the rest of the score (a shared rare code's
    # lift, identifiers.weigh_identifiers) stays.
    score = pair_scores + np.maximum(0, as_read - combine_scores(prepared, column_scores))
    sure &= np.round(score) >= certain_from
    # A column empty on both sides agrees on nothing (the whole row's words read it as equal):
    # Shopify's variant rows, Title only on the first, `Grey`/`M` twice (DECISIONS 321).
    if len(prepared.text) > 1:
        sure &= (empty == 0) | (len(prepared.text) - empty >= 3)
    for column, name in enumerate(prepared.names):
        if _names_given_name(name):
            sure &= ~_other_given_name(prepared, x, y, unswapped, swaps, column)
    # Given names inside whole names, a firm's own words (party_names.py, DECISIONS 312, 313),
    # a surname's male and female forms on an initial (households.py, DECISIONS 352).
    sure &= ~(parties_differ(prepared, x, y, unswapped) | surname_forms_differ(prepared, x, y))
    # A single item and a pack of several (`Pack of 10`, `x10`) are two articles (DECISIONS 576).
    sure &= ~pairs_packs_differ(prepared, x, y)
    return sure & ~generation_differs(prepared, x, y)


def generation_differs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """generations.generation_differs: do the pairs' generational suffixes (`Jr`, `sen.`,
    `II`, `d. Ä.`) differ, unvouched? A bool array per pair (x[k], y[k])."""
    from datatools.tools.generations import generation_differs as differs

    return differs(prepared, x, y)


def mark_differs(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                 scored: "PairScores", pairs: "np.ndarray", certain_from: float) -> None:
    """Set scored.differs (a bool per pair of a, b) for the pair indices `pairs` (the others
    False): True where such a pair is not certain (certain_pairs)."""
    import numpy as np

    pairs = np.unique(np.asarray(pairs, dtype=np.int64))
    scored.differs = np.zeros(len(a), dtype=bool)
    scored.differs[pairs] = ~certain_pairs(prepared, a[pairs], b[pairs], scored.columns[pairs],
                                           scored.score[pairs], certain_from)


def identifier_differs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): does an identifier that is not an e-mail (a date of birth, a
    customer or tax number: PreparedColumns.identifier without exact_only) hold two values more
    than one keying error apart (_keying_errors), both filled? A bool array.

    Applied to a learned model's certain pairs: EM weighs such a difference as one more column
    (`Geburtsdatum differs −3.3`), so a father and son of one name and address, or a couple
    sharing a family e-mail, reached 99.9 %. One keying error (`16031956`/`16031965`) is a typo
    of one person's number; more is another person's, and the pair waits for review — unless
    another such identifier agrees exactly or is one typo away (one_typo; in a column named for
    dates of birth also a keying error in the day, date_values.one_birth_date) (an e-mail does
    not vouch: families share one)."""
    import numpy as np

    from datatools.tools.date_values import one_birth_date
    from datatools.tools.uncompared_ids import birth_columns

    result = np.zeros(len(x), dtype=bool)
    personal = [column for column, identifier in enumerate(prepared.identifier)
                if identifier and not prepared.exact_only[column]]
    births = set(birth_columns(prepared.names, []))
    agreed = np.zeros(len(x), dtype=bool)
    for column in personal:
        text = prepared.text[column]
        left, right = text[x], text[y]
        agreed |= (left == right) & (left != "")
        birth = prepared.names[column] in births
        for k in np.flatnonzero((left != right) & (left != "") & (right != "")).tolist():
            one, other = str(left[k]), str(right[k])
            if _keying_errors(one, other) > 1:
                result[k] = True
            elif one_typo(one, other) or (birth and one_birth_date(one, other)):
                agreed[k] = True
    # Another such identifier agreeing vouches for the pair: a record keyed twice with a
    # mistyped date of birth but its social security number intact, or one typo in it (FEBRL's
    # duplicates: `7433231`/`7432331`).
    return result & ~agreed


def differing_identifiers(prepared: "PreparedColumns", i: int, j: int) -> list[str]:
    """The names of the identifiers (identifier_differs' columns) whose values in rows i and j
    are both filled and more than one keying error apart: what `possible (identifier CPF
    differs)` names (parted_rows.identifier_why)."""
    names = []
    for column, identifier in enumerate(prepared.identifier):
        if identifier and not prepared.exact_only[column]:
            one, other = str(prepared.text[column][i]), str(prepared.text[column][j])
            if one and other and one != other and _keying_errors(one, other) > 1:
                names.append(prepared.names[column])
    return names


def one_typo(one: str, other: str) -> bool:
    """Are two values of an identifier one person's, one keying error apart? Only when both
    are VOUCHING_LENGTH characters or more and the error leaves their last two characters
    alone: numbers given out in turn (a family's customer numbers `1294669`/`1294670`,
    `K1041`/`K1042`) differ there, so such a difference vouches for nothing. Two neighbouring
    characters swapped vouch wherever they stand (`19330122`/`19330212`, `6794161`/`6794611`):
    numbers in turn are never so apart (house_numbers.transposed; DECISIONS 303)."""
    from rapidfuzz.distance import OSA

    from datatools.tools.house_numbers import transposed

    if min(len(one), len(other)) < VOUCHING_LENGTH:
        return False
    return transposed(one, other) or (one[-2:] == other[-2:] and OSA.distance(one, other) == 1
                                      and OSA.distance(one[:-2], other[:-2]) == 1)


def codes_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): do both rows hold a code (a model or article number:
    identifiers.code_relation) that differs or agrees only in part (`PX667E`/`PX667EX`,
    `MX891E`/`MX891`), or two variants of a product (variants.variants_differ: `Red / S`,
    `Red / M`), or a pack of several and one item (packs.pairs_packs_differ: `… Pack of 10`
    against `…`)? A bool array.

    Applied to a learned model's certain pairs: EM weighs such codes as one more column
    (`codes differs −4.2`), and a brand and a product word shared pushed product variants to
    99 %; the variant of a model is another product, and the pair waits for review."""
    from datatools.tools.identifiers import DIFFER, PARTIAL, code_relation
    from datatools.tools.packs import pairs_packs_differ
    from datatools.tools.variants import variants_differ

    relation = code_relation(prepared, x, y) if len(x) else None
    # A pack of several against one item (`Pack of 10`, `x10`: packs.py, DECISIONS 576).
    variants = variants_differ(prepared, x, y, numbers_weighed=True) | pairs_packs_differ(prepared, x, y)
    if relation is None:
        return variants
    return (relation[0] == DIFFER) | (relation[0] == PARTIAL) | variants

