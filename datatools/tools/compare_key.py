"""Which column pairs the rows of two versions of a table: candidates, row counters, the choice.

A candidate key is a column shared by both versions, unique and filled in each, whose values
mostly recur (over half of the smaller version's). Each candidate pairs the rows; the chosen
one leaves the most other cells equal, so a column that merely numbers the rows loses to the
column that identifies them. A running row number (1..n or 0..n-1 in both versions, or rising
integers under a header such as `No`, `#`, `Nr.`, `Row`) is never chosen while another
candidate exists: one inserted row renumbers every row after it. Where no column alone
qualifies, two columns together may: an order number and its line number, as order exports
write them (`identifying_pairs`), scored the same way. On a file of fewer than FEW_ROWS rows
uniqueness proves little (three quantities are easily unique): there a column is a candidate
only when it looks like an identifier (`looks_like_identifier`), and rows pair by content
when none does (`unconvincing_keys` names the columns passed over).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.errors import BadOption
    from datatools.notices import Notice

# A column is a key candidate only if at least this share of the smaller version's values also
# appears in the other version; an ID column renumbered between versions is not a key.
MIN_KEY_OVERLAP = 0.5
# A column filled in both versions, with at least this share of distinct values in each, is
# read as a key that repeats some values (DECISIONS 309): a note names it when rows pair by content.
NEAR_KEY_DISTINCT = 0.9
# Pairings are scored on up to this many evenly spread rows of the new version: enough to rank
# keys (they differ by whole columns of agreement), and constant work on a million rows.
SCORE_SAMPLE = 50_000
# Headers that name a row number, compared without case, spaces or punctuation (`Nr.` → `nr`,
# `#` → ``, `S. No.` → `sno`, `lfd. Nr.` → `lfdnr`; `Unnamed: 0` is pandas' written index).
# Two-column keys are looked for among the first this many columns filled in both versions
# (66 pairs at most), each pair first tried on the scored rows, then on every row.
PAIR_COLUMNS = 12
# Below this many rows in the smaller version, a unique column is a key only when it looks like
# an identifier: 10 quantities between 1 and 50 are all different one time in three.
FEW_ROWS = 20
# The last word of a header that names an identifier (`customer_id`, `CustomerID`, `Art.-Nr.`),
# and the endings that name one inside a compound (`Bestellnr`, `Kundennummer`, `zipcode`).
IDENTIFIER_WORDS = frozenset({"id", "no", "nr", "nro", "num", "number", "nummer", "code", "key",
                              "sku", "ref", "ean", "gtin", "isbn", "iban", "uuid", "guid"})
IDENTIFIER_ENDINGS = ("nr", "nummer", "number", "code", "key")
COUNTER_NAMES = frozenset({
    "", "no", "nr", "nro", "num", "n", "row", "rowno", "rownum", "rownumber", "line", "lineno",
    "linenumber", "index", "idx", "pos", "seq", "sno", "srno", "slno", "lfdnr", "unnamed0"})


@dataclass
class KeyCandidate:
    """One column considered as the key, and how well its pairing of the rows agrees."""

    column: str                    # its name; two columns as `order + line`
    rows_paired: int
    equal_cells: int               # cells equal in the other columns over the scored rows
    counter: bool                  # a running row number
    columns: list[str] = field(default_factory=list)   # the key's columns (one or two)

    def __post_init__(self) -> None:
        self.columns = list(self.columns) or [self.column]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def counter_name(name: str) -> bool:
    """Whether a header names a row number (`No`, `#`, `Nr.`, `Row`, `index`, …)."""
    return re.sub(r"[^0-9a-z]", "", str(name).casefold()) in COUNTER_NAMES


def is_row_counter(name: str, before: "pd.Series", after: "pd.Series") -> bool:
    """A running row number: whole numbers rising row by row in both versions, and either a
    row-number header or exactly 0..n-1 or 1..n in both (an ID column that lost rows has gaps
    in one version, and is a counter only under a row-number header)."""
    import numpy as np

    runs = []
    for values in (before, after):
        if not len(values) or not values.str.fullmatch(r"\d{1,18}").all():
            return False
        numbers = values.astype("int64").to_numpy()
        if not (np.diff(numbers) > 0).all():
            return False
        runs.append(int(numbers[0]) in (0, 1) and int(numbers[-1] - numbers[0]) == len(numbers) - 1)
    return counter_name(name) or all(runs)


def few_rows(old: "pd.DataFrame", new: "pd.DataFrame") -> bool:
    """Whether the smaller version has fewer than FEW_ROWS rows: too few for a column's being
    unique to make it the key."""
    return min(len(old), len(new)) < FEW_ROWS


def looks_like_identifier(name: str, before: "pd.Series", after: "pd.Series") -> bool:
    """Whether a column reads as an identifier without counting on its being unique: its
    header's last word is one of IDENTIFIER_WORDS or the header ends in one of
    IDENTIFIER_ENDINGS (`article_no`, `CustomerID`, `Bestellnr`), or every value in both
    versions is identifier-shaped: no space, a digit, and either a letter (`A-1001`, `SKU12`)
    or at least four digits, every value as long as the others (`00042`, `1001`)."""
    words = re.findall(r"[0-9]+|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\W\d_]+", str(name))
    letters = re.sub(r"[^a-z]", "", str(name).casefold())
    if (words and words[-1].casefold() in IDENTIFIER_WORDS) or letters.endswith(IDENTIFIER_ENDINGS):
        return True
    values = [*before.astype(str), *after.astype(str)]
    if not values or any(" " in v or not re.search(r"\d", v) for v in values):
        return False
    if all(re.search(r"[^\W\d_]", v) for v in values):
        return True
    return all(v.isdigit() for v in values) and len(values[0]) >= 4 and \
        len({len(v) for v in values}) == 1


def unconvincing_keys(old: "pd.DataFrame", new: "pd.DataFrame", identifying: Sequence[str],
                      counters: Sequence[str]) -> list[str]:
    """The `identifying` columns passed over as keys because the versions have too few rows
    (`few_rows`) and the column does not look like an identifier, of those that would else be
    candidates (over MIN_KEY_OVERLAP of the smaller version's values found in the other);
    empty on a larger file."""
    import pyarrow.compute as pc

    if not few_rows(old, new):
        return []
    least = MIN_KEY_OVERLAP * min(len(old), len(new))
    return [c for c in identifying
            if c not in counters and not looks_like_identifier(c, old[c], new[c])
            and (pc.sum(pc.is_in(text_array(new[c]), value_set=text_array(old[c]))).as_py() or 0) > least]


def _filled(column: "pd.Series") -> bool:
    return not (column.isna().any() or (column == "").any())


def identifying_columns(old: "pd.DataFrame", new: "pd.DataFrame", shared: Sequence[str]) -> list[str]:
    """The shared columns unique and filled in both versions (keys and row counters are here)."""
    return [c for c in shared if _filled(old[c]) and _filled(new[c])
            and old[c].is_unique and new[c].is_unique]


def identifying_pairs(old: "pd.DataFrame", new: "pd.DataFrame", shared: Sequence[str],
                      counters: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs (group, line) of shared columns that identify rows together as an order number and
    its line number do: both filled in both versions, `line` whole numbers of up to six digits
    that repeat from group to group (at most half as many values as rows), `group` repeated,
    and the two together unique in both versions; neither a running row number (with one, any
    pair is unique). Text columns that happen to be unique together (a name and a city) are
    not keys: a customer who moved would be removed and added instead of changed. Only the
    first PAIR_COLUMNS filled columns are tried; each pair is tested first on SCORE_SAMPLE
    evenly spread rows of each version and then on every row, so the work stays linear."""
    import numpy as np

    columns = [c for c in shared if c not in counters and _filled(old[c]) and _filled(new[c])]
    columns = columns[:PAIR_COLUMNS]
    frames = (old, new)

    def line_numbers(column: str) -> bool:
        return all(frame[column].str.fullmatch(r"\d{1,6}").all()
                   and frame[column].nunique() * 2 <= len(frame) for frame in frames)

    def unique(frame: "pd.DataFrame", pair: list[str], sampled: bool) -> bool:
        if sampled and len(frame) > SCORE_SAMPLE:
            frame = frame.iloc[np.arange(0, len(frame), len(frame) // SCORE_SAMPLE)]
        return not frame.duplicated(subset=pair).any()

    lines = [c for c in columns if line_numbers(c)]
    pairs = []
    for line in lines:
        for group in columns:
            pair = [group, line]
            if group == line or any(frame[group].is_unique for frame in frames):
                continue
            if all(unique(frame, pair, True) for frame in frames) and \
                    all(unique(frame, pair, False) for frame in frames):
                pairs.append((group, line))
    return pairs


def text_array(column: "pd.Series"):
    """The column as a pyarrow string array, empty for missing (no copy when pandas holds one)."""
    import pyarrow as pa

    data = pa.array(column.astype("str"), from_pandas=True)
    if isinstance(data, pa.ChunkedArray):
        data = data.combine_chunks()
    return data.fill_null("")


def _key_text(frame: "pd.DataFrame", columns: Sequence[str]):
    """One text per row for the key: the column's text, or two columns' joined by U+001F (a
    control character no reader leaves in a cell's text, so `a|b` + `c` never meets `a` + `b|c`)."""
    import pyarrow.compute as pc

    texts = [text_array(frame[c]) for c in columns]
    if len(texts) == 1:
        return texts[0]
    import pyarrow as pa

    return pc.binary_join_element_wise(*texts, pa.scalar("\x1f", type=texts[0].type))


def pair_on(old_column: "pd.Series | pd.DataFrame", new_column: "pd.Series | pd.DataFrame",
            columns: Sequence[str] = ()) -> "np.ndarray":
    """For each new row, the position of the old row with the same key value, or -1.

    Two Series: one key column; two frames and `columns`: the key of those columns together.
    The old values must be unique; the lookup is pyarrow's hash join of one column (`index_in`).
    """
    import pyarrow.compute as pc

    if columns:
        old_text, new_text = _key_text(old_column, columns), _key_text(new_column, columns)
    else:
        old_text, new_text = text_array(old_column), text_array(new_column)
    found = pc.index_in(new_text, value_set=old_text)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")


def cells_differ(old_column, old_rows: "np.ndarray", new_column: "pd.Series") -> "np.ndarray":
    """Whether `old_column[old_rows[k]]` (a text_array) differs from `new_column[k]`, per k."""
    import pyarrow.compute as pc

    before = old_column.take(old_rows)
    return pc.not_equal(before, text_array(new_column)).to_numpy(zero_copy_only=False)


def choose_key(old: "pd.DataFrame", new: "pd.DataFrame", identifying: Sequence[str],
               counters: Sequence[str], shared: Sequence[str]) -> tuple[list[str], list[KeyCandidate]]:
    """The key's columns (empty when none qualifies) and every candidate considered.

    Candidates come from `identifying` (see `identifying_columns`) with enough overlap;
    each is scored by the cells its pairing leaves equal in the other `shared` columns
    (row counters excluded: their agreement proves nothing). Order of preference: not a
    counter, most equal cells, most rows paired, earliest column. When no single column
    qualifies but a running row number, the pairs of `identifying_pairs` join the candidates,
    scored alike. On a file of few rows, `unconvincing_keys` are no candidates.
    """
    passed_over = unconvincing_keys(old, new, identifying, counters)
    identifying = [c for c in identifying if c not in passed_over]
    candidates = _candidates(old, new, [[c] for c in identifying], counters, shared)
    if all(c.counter for c in candidates):
        pairs = identifying_pairs(old, new, shared, counters)
        candidates += _candidates(old, new, [list(p) for p in pairs], counters, shared)
    if not candidates:
        return [], []
    ranked = sorted(candidates, key=lambda k: (k.counter, -k.equal_cells, -k.rows_paired))
    return ranked[0].columns, ranked


def _candidates(old: "pd.DataFrame", new: "pd.DataFrame", keys: list[list[str]],
                counters: Sequence[str], shared: Sequence[str]) -> list[KeyCandidate]:
    """A KeyCandidate for each key (a list of one or two columns) that pairs more than
    MIN_KEY_OVERLAP of the smaller version's rows, with the equal cells of its pairing."""
    import numpy as np

    if not keys:
        return []
    step = max(1, len(new) // SCORE_SAMPLE)
    rows = np.arange(0, len(new), step)
    evidence = [c for c in shared if c not in counters]
    old_values = {c: text_array(old[c]) for c in evidence}
    new_values = {c: new[c].iloc[rows] for c in evidence}
    candidates = []
    for key in keys:
        old_of_new = pair_on(old[key[0]], new[key[0]]) if len(key) == 1 else pair_on(old, new, key)
        paired = int((old_of_new >= 0).sum())
        if paired <= MIN_KEY_OVERLAP * (min(len(old), len(new)) or 1):
            continue
        sampled = old_of_new[rows]
        hit = sampled >= 0
        equal = sum(int((~cells_differ(old_values[c], sampled[hit], new_values[c][hit])).sum())
                    for c in evidence if c not in key)
        candidates.append(KeyCandidate(" + ".join(key), paired, equal,
                                       len(key) == 1 and key[0] in counters, key))
    return candidates


def repeating_key_column(old: "pd.DataFrame", new: "pd.DataFrame", shared: Sequence[str],
                         counters: Sequence[str]) -> str | None:
    """The shared column that would be the key but for repeated values: filled in both versions,
    not unique in one, at least NEAR_KEY_DISTINCT of its values distinct in each, and over
    MIN_KEY_OVERLAP of the smaller version's values found in the other (as `choose_key`'s
    candidates). The most distinct one, the earliest on a tie; None when no column is such."""
    import pyarrow.compute as pc

    best, best_share = None, 0.0
    for column in shared:
        before, after = old[column], new[column]
        if column in counters or not len(before) or not len(after) or (
                before.is_unique and after.is_unique):
            continue
        if before.isna().any() or after.isna().any() or (before == "").any() or (after == "").any():
            continue
        share = min(before.nunique() / len(before), after.nunique() / len(after))
        found = pc.sum(pc.is_in(text_array(after), value_set=text_array(before))).as_py() or 0
        if share >= NEAR_KEY_DISTINCT and share > best_share and \
                found > MIN_KEY_OVERLAP * min(len(before), len(after)):
            best, best_share = column, share
    return best


def first_repeated(frame: "pd.DataFrame", key: Sequence[str]) -> tuple[str, int] | None:
    """The first value of `key` (its columns' cells joined by " / ") that `frame` repeats, in
    file order, and how often THAT value appears; None when every value is unique."""
    repeated = frame.duplicated(subset=list(key), keep=False)
    if not repeated.any():
        return None
    # Groups in the order of their first row: the first one is the value the file repeats first.
    sizes = frame.loc[repeated, list(key)].groupby(list(key), sort=False, dropna=False).size()
    first = sizes.index[0]
    return " / ".join(map(str, first if isinstance(first, tuple) else (first,))), int(sizes.iloc[0])


def repeated_key_notes(repeated: dict[str, Any]) -> list["Notice"]:
    """The note on a key column that repeats a value (`CompareSummary.repeated_key`: column,
    file, value, count), when rows paired by content; none for an empty `repeated`. The value
    is shown as a Python literal, so a control character in it reaches no terminal."""
    from datatools.notices import Notice

    if not repeated:
        return []
    return [Notice(f"{repeated['column']} is not a key: {repeated['value']!r} appears "
                   f"{repeated['count']:,} times in {repeated['file']}, so rows were paired by "
                   f"content; name a unique key with --key.", "compare_key_repeated", **repeated)]


def repeated_key(olds: tuple["pd.DataFrame", str], news: tuple["pd.DataFrame", str],
                 column: str | None, find=first_repeated) -> dict[str, Any]:
    """`CompareSummary.repeated_key` for `column` (`repeating_key_column`'s): the first value it
    repeats in the old version (each version is (frame or job, name)), else in the new one,
    found by `find(frame, [column])`; {} for no column."""
    for frame, name in (olds, news) if column is not None else ():
        found = find(frame, [column])
        if found is not None:
            return {"column": column, "file": name, "value": found[0], "count": found[1]}
    return {}


def not_unique(key: Sequence[str], name: str, value: str, count: int) -> "BadOption":
    """BadOption `key_not_unique`: the key's first repeated `value` in the version `name`, and
    how often THAT value appears (not how many rows repeat some value: 2363 of those may hold
    1,180 values)."""
    from datatools.errors import BadOption

    column = ", ".join(key)
    return BadOption(f"The key {column} is not unique in {name}: {value!r} appears {count} times. "
                     "Choose another key column.", code="key_not_unique",
                     params={"column": column, "file": name, "value": value, "count": count})
