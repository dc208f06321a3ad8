"""The dates of a compared column read to one calendar date, so match and dedupe see
`25.09.1964`, `25.9.1964` and `1964-09-25` as one date of birth (DECISIONS 394).

A column (or one table's side of a match) is a date column when `clean --dates auto` would read
it: at least clean.COLUMN_SHARE of its filled cells are shaped like a date (text_patterns.
date_shaped). Its day/month order is decided from its own values as `clean --dates auto` and
compare decide it (compare_numbers.column_evidence, decided_style: a first part above 12 proves
day-first, a second part above 12 month-first), and each value is read as compare reads a
cell (compare_numbers.styled_date): ISO always, a day/month-first date with a four-digit year in
the decided order. A value read is compared as ISO 8601's basic form `YYYYMMDD`, one run of
digits as FEBRL's dates of birth are: `1964-09-25` is three words to normalize_text, and
token_sort_ratio, sorting them, scored a day and month swapped (`1964-03-04`, `1964-04-03`) as
equal. As digits two dates differ as other identifiers do: one digit apart scores 88 (nearly
agrees), day and month swapped 75 (is similar), two unrelated dates 50 (differs), and
certainty.identifier_differs reads their keying errors. Every other value (a column whose
dates read either way or prove both orders, a two-digit year, a time, no real date such as
`31.02.1964`) stays the text it was, and is compared as text, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

# Every date shape starts so: digits, then a separator.
DATE_START = r"^\d{1,4}[./-]"


def dates_as_digits(values: "pa.Array | pd.Series", split: int | None = None) -> "pa.Array":
    """`values` (text, one per row; nulls stay null) as a pyarrow string array with the dates
    of a date column written `YYYYMMDD` (`25.09.1964` → `19640925`; the module's rules); a
    column that is no date column comes back as it was (as Arrow).

    `split`: the first `split` rows are one table's and the rest another's (a match's two
    tables stacked): each part is a column of its own, with its own day/month order — a German
    CSV's `25.09.1964` is read day-first whatever the other table's dates prove. Linear in
    the rows; the reading runs once per distinct value."""
    import pyarrow as pa

    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(values, type=pa.string(), from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return values
    if len(written_shapes(values)) < 2:
        return values       # one way of writing dates: compared as the text it is, as before
    if split is None or not 0 < split < len(values):
        return _read_column(values)
    parts = [_read_column(values.slice(0, split)), _read_column(values.slice(split))]
    return pa.concat_arrays([part.cast(values.type) for part in parts])


def written_shapes(values: "pa.Array") -> set[str]:
    """The ways `values` (text) write a whole date: its distinct values' shapes, each run of
    digits written `Y` (four digits) or `d` (`1964-09-25` → `Y-d-d`, `25.9.1964` → `d.d.Y`),
    a year at one end and two parts at the other; a shape counts when at least 1 % of the
    dated distinct values (and two or more) have it, so a typo (`987-06-26`) is no way of
    writing. A column (both tables of a match) that writes its dates one way is left as text
    (dates_as_digits): its dates already meet, and read as digits a typo in one would count as
    another person's date (certainty.identifier_differs), parting the keying errors of a
    single-format list (tests/test_household_identifiers.py; 10 M people rows, certain recall
    .942 → .843). Only dates written two ways need reading to meet."""
    import pyarrow.compute as pc

    distinct = pc.unique(pc.utf8_trim_whitespace(values))
    # Only values that start as a date does are rewritten (a column of names costs one match).
    distinct = pc.filter(distinct, pc.fill_null(pc.match_substring_regex(distinct, DATE_START), False))
    shapes = pc.replace_substring_regex(pc.replace_substring_regex(distinct, r"\d{4}", "Y"), r"\d+", "d")
    whole = pc.filter(shapes, pc.fill_null(
        pc.match_substring_regex(shapes, r"^(Y[./-]d[./-]d|d[./-]d[./-]Y)$"), False))
    counts = pc.value_counts(whole).to_pylist()
    least = max(2, len(whole) // 100)
    return {count["values"] for count in counts if count["counts"] >= least}


def _read_column(values: "pa.Array") -> "pa.Array":
    """`dates_as_digits` on one table's column."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from datatools.tools import text_patterns as tp
    from datatools.tools.clean import COLUMN_SHARE
    from datatools.tools.compare_numbers import column_evidence, decided_style, styled_date

    encoded = pc.dictionary_encode(values)
    if not len(encoded.dictionary):
        return values
    indices = np.asarray(pc.fill_null(encoded.indices, -1))
    counts = np.bincount(indices[indices >= 0], minlength=len(encoded.dictionary))
    trimmed = pc.utf8_trim_whitespace(encoded.dictionary)
    filled = int(counts[np.asarray(pc.not_equal(trimmed, ""), dtype=bool)].sum())
    # Every date shape starts so: a column of names or amounts is left in one vectorised pass.
    may = np.asarray(pc.fill_null(pc.match_substring_regex(trimmed, DATE_START), False),
                     dtype=bool)
    if counts[may].sum() < COLUMN_SHARE * max(filled, 1):
        return values
    trimmed = pd.Series(trimmed.to_pylist(), dtype=object)
    dated, shaped = (part.to_numpy(dtype=bool) for part in tp.date_shaped(trimmed))
    if counts[shaped].sum() < COLUMN_SHARE * max(filled, 1) or not shaped.any():
        return values
    order = decided_style(column_evidence(trimmed[dated]))[1] if dated.any() else None
    written = encoded.dictionary.to_pylist()
    changed = False
    for k in np.flatnonzero(shaped).tolist():
        date = styled_date(trimmed[k], order)
        if date is not None:
            written[k], changed = date.strftime("%Y%m%d"), True
    if not changed:
        return values
    return pa.array(written, type=values.type).take(encoded.indices)


def one_birth_date(one: str, other: str) -> bool:
    """Are two values of a column of dates of birth one person's date keyed twice, a keying
    error in its day? Both are `YYYYMMDD` digits (as FEBRL writes them, and as dates_as_digits
    reads dates written two ways) of one year (1800-2199) and month (01-12), their days one
    keying error apart (Damerau's OSA distance) and not neighbouring days. certainty.one_typo
    lets no error in a number's last two characters vouch, for numbers given out in turn
    (`2519978`/`2519977`); a date's last two are its day, and no two children of one family are
    born days apart but twins either side of midnight, whose days neighbour (`19450403`/
    `19450404`). A day no month has (`19450493`) is that day keyed wrong (DECISIONS 475)."""
    from rapidfuzz.distance import OSA

    if not (len(one) == len(other) == 8 and one.isdigit() and other.isdigit()
            and one[:6] == other[:6] and one != other):
        return False
    if not (1800 <= int(one[:4]) < 2200 and 1 <= int(one[4:6]) <= 12):
        return False
    return OSA.distance(one[6:], other[6:]) == 1 and abs(int(one[6:]) - int(other[6:])) != 1
