"""What match reads beyond the columns it compares (issue 30): a date of birth, or another
personal identifier, that both tables hold but `--on` does not name.

A trial matched a son to his father as certain (one name, one address, the dates of birth in
a column not compared; precision .972 on such a list). dedupe already reads such columns
(uncompared_ids.py); match now does the same for the columns both tables share: a date of
birth under a name saying so on each side (`DOB` beside `Geburtsdatum`), or another identifier
column (long numbers: a tax or social security number; not an e-mail, which families share,
nor a phone) under one name on both sides, some value of it on both. A chosen pair whose rows
hold two such values more than one keying error apart is at most possible, unless another
identifier agrees (the same date of birth, a number equal or one typo apart, compared or not).
An equal date of birth or number also tells a tie apart (match_ties): the row whose value the
left row holds is its partner when the other's differs (DECISIONS 382).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Sequence

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from datatools.tools.similarity import PairScores, PreparedColumns


@dataclass
class SharedEvidence:
    """The uncompared columns two stacked tables share (left rows first, then right rows):
    per date of birth its column name, its dates as digits (`YYYYMMDD` where read as a date),
    its cells as written and their digits; the other identifiers prepared
    (similarity.prepare_columns)."""
    birth_names: list[str] = field(default_factory=list)
    births: "list[np.ndarray]" = field(default_factory=list)
    birth_cells: "list[np.ndarray]" = field(default_factory=list)
    birth_digits: "list[np.ndarray]" = field(default_factory=list)   # as written, digits only
    identifiers: "PreparedColumns | None" = None

    def __bool__(self) -> bool:
        return bool(self.births) or self.identifiers is not None

    def prefer(self, a: "np.ndarray", b: "np.ndarray") -> "np.ndarray | None":
        """Per pair (a[k], b[k]): 1 where a shared date of birth or identifier is equal and
        filled on both rows, −1 where one differs, else 0 (int8): what breaks a tie between
        two right rows alike in every compared column (match._best_pairs). None: no evidence."""
        import numpy as np

        if not self:
            return None
        shared = self.identifiers
        columns = list(self.births) + ([] if shared is None else [
            np.asarray(shared.text[c][np.arange(len(shared.text[c]))], dtype=object)
            for c, on in enumerate(shared.identifier) if on])
        said = np.zeros(len(a), dtype=np.int8)
        for values in columns:
            left, right = values[a], values[b]
            filled = (left != "") & (right != "")
            said[filled & (left != right) & (said == 0)] = -1
            said[filled & (left == right)] = 1
        return said


def shared_columns(left_names: Sequence[str], right_names: Sequence[str],
                   compared_left: Sequence[str], compared_right: Sequence[str]
                   ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(births, others): the (left, right) column pairs not compared. Births: columns named
    for a date of birth (uncompared_ids.birth_columns) under one folded name on both sides, or
    the only such column of each side. Others: the remaining columns under one folded name
    (similarity.column_name_words) on both sides."""
    from datatools.tools.similarity import column_name_words
    from datatools.tools.uncompared_ids import birth_columns

    left_births = birth_columns(left_names, compared_left)
    right_births = birth_columns(right_names, compared_right)
    births = [(l, r) for l in left_births for r in right_births
              if column_name_words(l) == column_name_words(r)]
    if not births and len(left_births) == 1 and len(right_births) == 1:
        births = [(left_births[0], right_births[0])]
    left, right = ([n for n in names if n not in compared and n not in dates]
                   for names, compared, dates in ((left_names, compared_left, left_births),
                                                  (right_names, compared_right, right_births)))
    others = [(l, r) for l in left for r in right if column_name_words(l) == column_name_words(r)]
    return births, others


def shared_evidence(left: "Mapping[str, pd.Series]", right: "Mapping[str, pd.Series]",
                    births: Sequence[tuple[str, str]], others: Sequence[tuple[str, str]]
                    ) -> SharedEvidence:
    """The SharedEvidence of the column pairs `births` and `others` (shared_columns) of the
    tables `left` and `right` (a DataFrame, or large.dedupe's column reader: a Series per
    name). Dates are read per table and column (dates.read_dates, order from the values'
    own evidence), so `1958-03-14` and `14.03.1958` are one date (and two cells one date
    as written are one, read or not); the others are kept where the left table's cells hold
    long numbers (similarity._holds_identifiers; not named for a phone) and prepare_columns
    reads them as identifiers, not e-mails."""
    import numpy as np
    import pandas as pd

    from datatools.tools.dates import read_dates
    from datatools.tools.similarity import prepare_columns
    from datatools.tools.uncompared_ids import digits_of

    def cells(table, name):
        return pd.Series(table[name], dtype=object).reset_index(drop=True).fillna("").astype(str)

    evidence = SharedEvidence()
    for l, r in births:
        written = [cells(left, l), cells(right, r)]
        read = [read_dates(name, column, "auto").values for name, column in zip((l, r), written)]
        evidence.birth_names.append(l if l == r else f"{l}/{r}")
        evidence.births.append(np.r_[digits_of(read[0]), digits_of(read[1])])
        evidence.birth_digits.append(np.r_[digits_of(written[0]), digits_of(written[1])])
        evidence.birth_cells.append(np.r_[written[0].to_numpy(object),
                                          written[1].to_numpy(object)])
    others = [(l, r) for l, r in others if _long_numbers(l, cells(left, l))]
    if others:
        prepared = prepare_columns([l for l, _ in others],
                                   [pd.concat([cells(left, l), cells(right, r)], ignore_index=True)
                                    for l, r in others])
        # A column is one identifier on both sides only where some value is on both: two
        # systems' own customer numbers under one name (`id`) share none.
        sides = len(cells(left, others[0][0]))
        wanted = [k for k, identifier in enumerate(prepared.identifier)
                  if identifier and not prepared.exact_only[k]
                  and _overlap(prepared.text[k], sides)]
        if wanted:
            prepared.identifier = [k in wanted for k in range(len(others))]
            evidence.identifiers = prepared
    return evidence


def uncompared_evidence(left: "Mapping[str, pd.Series]", right: "Mapping[str, pd.Series]",
                        left_names: Sequence[str], right_names: Sequence[str],
                        left_on: Sequence[str], right_cols: Sequence[str],
                        ) -> SharedEvidence:
    """shared_evidence of the shared_columns of `left` and `right` (column names `left_names`,
    `right_names`) that match does not compare (`left_on`; `right_cols`, `A + B` naming both)."""
    from datatools.tools.match import JOIN

    parts = [part for name in right_cols for part in name.split(JOIN)]
    return shared_evidence(left, right, *shared_columns(left_names, right_names, left_on, parts))


def _long_numbers(name: str, cells: "pd.Series") -> bool:
    """Do a column's cells hold long numbers (similarity._holds_identifiers), its name naming no
    phone? Read before preparing a column, which costs as much as a compared one."""
    import numpy as np
    import pyarrow as pa

    from datatools.tools.similarity import _holds_identifiers, _names_phone

    if _names_phone(name):
        return False
    encoded = pa.array(cells, type=pa.string()).dictionary_encode()
    counts = np.bincount(np.asarray(encoded.indices), minlength=len(encoded.dictionary))
    return _holds_identifiers(encoded.dictionary, counts)


def _overlap(text, left_rows: int) -> bool:
    """Does a filled value of stacked column `text` (left rows first) stand on both sides?"""
    import numpy as np

    values = np.asarray(text[np.arange(len(text))], dtype=object)
    left, right = set(values[:left_rows].tolist()), set(values[left_rows:].tolist())
    return bool((left & right) - {""})


def identifiers_agree(prepared: "PreparedColumns", x: "np.ndarray",
                      y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): does an identifier column of `prepared` that is no e-mail hold one
    value on both rows, or two one typo apart (certainty.one_typo)? A bool array."""
    import numpy as np

    from datatools.tools.certainty import one_typo

    agreed = np.zeros(len(x), dtype=bool)
    for column, identifier in enumerate(prepared.identifier):
        if not identifier or prepared.exact_only[column]:
            continue
        left, right = prepared.text[column][x], prepared.text[column][y]
        agreed |= (left == right) & (left != "")
        for k in np.flatnonzero((left != right) & (left != "") & (right != "") & ~agreed).tolist():
            agreed[k] = one_typo(str(left[k]), str(right[k]))
    return agreed


def _differing(evidence: SharedEvidence, compared: "PreparedColumns", x,
               y) -> "tuple[list[str | None], np.ndarray]":
    """Per pair (x[k], y[k]): the words saying which shared column tells its rows apart (None:
    none does, or another identifier vouches), and whether a shared one agrees exactly."""
    import numpy as np

    from datatools.tools.certainty import identifier_differs
    from datatools.tools.uncompared_ids import births_differ

    said: list[str | None] = [None] * len(x)
    equal = np.zeros(len(x), dtype=bool)
    for name, digits, written, plain in zip(evidence.birth_names, evidence.births,
                                            evidence.birth_cells, evidence.birth_digits):
        equal |= (((digits[x] == digits[y]) & (digits[x] != ""))
                  | ((plain[x] == plain[y]) & (plain[x] != "")))
        # two dates differ read as dates and as written: a column whose dates one mistyped
        # value (`13/02/1955` among month-first ones) leaves unread beside one read
        apart = births_differ([digits], x, y) & births_differ([plain], x, y)
        for k in np.flatnonzero(apart).tolist():
            said[k] = said[k] or f"{name} differs ({written[x[k]]} vs {written[y[k]]})"
    shared = evidence.identifiers
    vouched = equal | identifiers_agree(compared, x, y)
    if shared is not None:
        vouched |= identifiers_agree(shared, x, y)
        for k in np.flatnonzero(identifier_differs(shared, x, y)).tolist():
            column = next(c for c, on in enumerate(shared.identifier) if on
                          and shared.text[c][x[k]] != shared.text[c][y[k]])
            said[k] = said[k] or (f"{shared.names[column]} differs ({shared.text[column][x[k]]} "
                                  f"vs {shared.text[column][y[k]]})")
    return [None if vouched[k] else text for k, text in enumerate(said)], equal


def mark_uncompared(evidence: SharedEvidence, prepared: "PreparedColumns", a, b,
                    scored: "PairScores", pairs) -> None:
    """Set scored.differs for the chosen pairs `pairs` (indices of a, b) whose rows the shared
    uncompared columns tell apart (a date of birth or identifier more than one keying error
    apart, none agreeing), and note why in scored.uncompared (pair → the words of its
    match_reason). Nothing with --threshold (scored.differs None), where every pair above it
    is certain, or when the tables share no such column."""
    import numpy as np

    if scored.differs is None or not evidence:
        return
    pairs = np.asarray(pairs, dtype=np.int64)
    said, _ = _differing(evidence, prepared, a[pairs], b[pairs])
    scored.uncompared = {}
    for pair, text in zip(pairs.tolist(), said):
        if text is not None:
            scored.differs[pair] = True
            scored.uncompared[pair] = text


def vouch_ties(evidence: SharedEvidence, prepared: "PreparedColumns", a, b, scored: "PairScores",
               before: "np.ndarray", left_count: int) -> None:
    """Undo match_ties.mark_ties for each tied pair (scored.ties: pair → the rival right row)
    whose rows hold one shared date of birth or identifier exactly while the left row and the
    rival differ in one (`Peter Schneider` born 19.09.1975 is the son, not his father of one
    name and address): its differs as it was `before` mark_ties, its tie forgotten."""
    import numpy as np

    if not scored.ties or not evidence:
        return
    pairs = np.fromiter(scored.ties, np.int64, len(scored.ties))
    rivals = np.fromiter(scored.ties.values(), np.int64, len(pairs)) + left_count
    _, equal = _differing(evidence, prepared, a[pairs], b[pairs])
    rival_says, _ = _differing(evidence, prepared, a[pairs], rivals)
    for k, pair in enumerate(pairs.tolist()):
        if equal[k] and rival_says[k] is not None:
            scored.differs[pair] = before[pair]
            del scored.ties[pair]
