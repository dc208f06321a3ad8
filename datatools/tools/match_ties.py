"""Ties in match (issue 30, DECISIONS 292): a chosen right row whose left row has another
candidate right row that fits as well in every compared column is not a certain match, unless
the two right rows hold one record. Used by tools/match.py and large/match.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def mark_ties(prepared, a, b, scored, keep, chosen, certain_from: float, left_count: int,
              other_cells) -> None:
    """Mark as not certain (scored.differs) each chosen pair (`chosen` as _best_pairs gives, over
    the pairs `keep` of a, b; right rows numbered from `left_count` in b) whose left row has
    another candidate right row that scores at least as high in every compared column (and the
    whole row), an empty cell of the chosen pair's aside: the compared columns cannot tell the
    two apart (a father and son of one name and address, told apart only by an uncompared date
    of birth; issue 30). Two right rows that hold one record (one_record over `other_cells`, a
    function of right row numbers giving their uncompared cells) are no such tie: either is the
    partner, unless their compared cells hold model numbers or identifiers that differ
    (certainty.codes_differ, identifier_differs: two variants of one product). scored.ties gets each tied pair's other right row (0-based) for its match_reason.
    Not with --threshold (certain_from 0 and no model), where every pair above it is certain."""
    import numpy as np

    from datatools.tools.similarity import MISSING

    if scored.differs is None or not (certain_from > 0 or scored.probability is not None):
        return
    scored.ties = {}
    keep = np.asarray(keep, dtype=np.int64)
    found, rivals = [], []
    for rank in range(max((len(m) for m in chosen), default=0)):
        picked = np.full(len(chosen), -1, dtype=np.int64)
        for row, matches in enumerate(chosen):
            if len(matches) > rank:
                picked[row] = keep[matches[rank][2]]
        pair = picked[a[keep]]                       # each kept pair's chosen pair of its row
        others = keep[(pair >= 0) & (b[keep] != b[np.maximum(pair, 0)])]
        pair = picked[a[others]]
        mine, theirs = scored.columns[pair], scored.columns[others]
        fits = np.all((mine == MISSING) | ((theirs != MISSING) & (theirs >= mine)), axis=1)
        found.append(pair[fits])
        rivals.append(others[fits])
    pair, other = (np.concatenate(found or [np.zeros(0, np.int64)]),
                   np.concatenate(rivals or [np.zeros(0, np.int64)]))
    if not len(pair):
        return
    from datatools.tools.certainty import codes_differ, identifier_differs

    tied = (~one_record(other_cells, b[pair] - left_count, b[other] - left_count)
            | codes_differ(prepared, b[pair], b[other]) | identifier_differs(prepared, b[pair], b[other]))
    for chosen_pair, rival in zip(pair[tied].tolist(), other[tied].tolist()):
        if chosen_pair not in scored.ties:
            scored.differs[chosen_pair] = True
            scored.ties[chosen_pair] = int(b[rival]) - left_count


# A column of money (`170,32`, `1 234.50 zł`): most filled cells a number with two decimals.
# What a customer bought tells no one apart: each of two entries of one customer has its own
# order total (trial G, DECISIONS 524).
_MONEY = r"^[-+]?[$€£¥]?\s?\d[\d .'\u00a0]*[.,]\d{2}\s?(?:zł|zl|pln|eur|€|\$|£|chf|kr|kč|ft|lei|usd|gbp)?$"
MONEY_ROW_SHARE = 0.9
# A phone written with or without its country code (`0048 893 410 014`/`893410014`): cells of
# phone characters alone with at least this many digits compare by their last this many digits
# (a national number: 9 in Poland, Spain, France without the 0; 10–11 in Germany with it).
PHONE_DIGITS = 9
_PHONE = r"^[+\d\s().\-/]+$"
# Words an address may carry or leave out without naming another home (a street type, a flat
# mark): `ul. Długa 20/29` is `Długa 20 m. 29`. Dropped only from cells holding a number.
ADDRESS_FILLERS = frozenset({"ul", "ulica", "al", "aleja", "alei", "os", "osiedle", "pl", "plac",
                             "m", "lok", "lokal", "mieszk", "str", "strasse", "calle", "c", "cl",
                             "via", "v", "rue", "r", "av", "ave", "avenue", "avda", "street", "st",
                             "road", "rd", "apt", "appt", "app", "apartment", "flat", "wohnung",
                             "whg", "piso", "puerta", "pta", "no", "nr", "n"})


def one_record(other_cells, first: "np.ndarray", second: "np.ndarray") -> "np.ndarray":
    """Per k: do right rows first[k] and second[k] hold one record, by their uncompared cells
    (`other_cells(rows)`: a DataFrame of strings, a row per right row number of `rows`)? Yes
    unless some uncompared column filled in both differs (record_keys: as prepare_columns
    normalises it, spaces aside, a phone by its national number, an address without its
    street-type and flat words), a column of money aside: a customer entered twice, one entry
    lacking a phone number, is one record, and so are two rows with nothing uncompared to tell
    them apart (all columns compared: the bench's customer lists hold such right-side
    duplicates, each a true partner); a father and son of one name and address differ in
    their dates of birth."""
    import numpy as np

    rows = np.unique(np.r_[first, second])
    cells = other_cells(rows)
    x, y = np.searchsorted(rows, first), np.searchsorted(rows, second)
    differs = np.zeros(len(first), dtype=bool)
    for values in record_keys(cells):       # a column at a time (DECISIONS 531)
        differs |= (values[x] != "") & (values[y] != "") & (values[x] != values[y])
    return ~differs


def record_keys(cells: "pd.DataFrame") -> "Iterator[np.ndarray]":
    """The uncompared cells of some right rows as one_record compares them, a column at a time:
    an object array per column that is not money (MONEY_ROW_SHARE of its filled cells
    _MONEY), a key per row of `cells`, "" for an empty cell. A cell is normalised as
    prepare_columns does (case, accents, `Avenue`/`Ave`), then: phone characters alone with
    PHONE_DIGITS digits or more → its last PHONE_DIGITS digits; another cell holding a number →
    its words but ADDRESS_FILLERS, joined; else → the words joined (spaces aside: `962 08 88 95`/
    `962.088.895`, DECISIONS 497). Each column is normalised when it is taken, alone (a column's
    normal text is its own): the keys of every column of every tied row at once were 0.8 GB of
    a 1 M-row match (DECISIONS 531)."""
    import re

    import numpy as np

    from datatools.tools.similarity import prepare_columns

    money, phone = re.compile(_MONEY, re.IGNORECASE), re.compile(_PHONE)

    def key(raw, text: str) -> str:
        digits = re.sub(r"\D", "", str(raw))
        if len(digits) >= PHONE_DIGITS and phone.match(str(raw).strip()):
            return digits[-PHONE_DIGITS:]
        words = text.split()
        if any(w.isdigit() for w in words):
            words = [w for w in words if w not in ADDRESS_FILLERS]
        return "".join(words)

    for column in cells.columns:
        written = cells[column].tolist()
        filled = [v for v in written if str(v).strip()]
        if filled and sum(bool(money.match(str(v).strip())) for v in filled) >= MONEY_ROW_SHARE * len(filled):
            continue
        del filled
        normal_text = prepare_columns([str(column)], [written]).text[0]
        yield np.asarray([key(raw, str(text)) for raw, text in zip(written, normal_text)], dtype=object)


def uncompared_cells(right: "pd.DataFrame", right_cols: Sequence[str], key: str | None = None):
    """For mark_ties: a function of right row numbers giving those rows' cells in the right
    columns that are neither compared (`right_cols`, `A + B` naming both) nor the table's key
    (`key`; by default recipe.key_column's: a customer number names a row, not a person), as
    strings."""
    def cells(rows):
        from datatools.tools.recipe import key_column

        row_key = key if key is not None else key_column(right, list(right.columns))
        return right[uncompared_names(right.columns, right_cols, row_key)].iloc[rows].fillna("").astype(str)
    return cells


def uncompared_names(names: Sequence[str], right_cols: Sequence[str], key: str | None) -> list[str]:
    """The right table's column names `names` that are neither compared (`right_cols`, `A + B`
    naming both) nor its key column `key`, in order."""
    from datatools.tools.match import JOIN

    parts = {part for name in right_cols for part in name.split(JOIN)}
    return [c for c in names if c not in parts and c != key]
