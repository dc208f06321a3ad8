"""Score how alike two rows are, column by column, and say why in words a user can check.

A row pair's score blends the weighted mean over the columns filled in on both rows and the whole
rows joined into one text (rapidfuzz `token_sort_ratio`, 0–100). Values are compared without
their legal-form words. A column of several-word values scores a third on the whole values and
two thirds on their cores, the words that are rare in the column (words.py): shared generic
words add little, and a row that carries extra words (a street after the company name) still
agrees on what both rows hold.
Weights come from the data: a column with many distinct values (an ID, a date of birth, a
surname) says more when it agrees than one with a few (a state, a gender), so each column weighs
log(1 + distinct values). A pair is vetoed (score 0) when, in a column with many distinct values,
each row holds a distinctive word that nothing in the other row resembles: Robert and Linda
Haines of one address are two people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from datatools.errors import BadOption, no_such_column
from datatools.memory import give_back
from datatools.progress import Progress
from datatools.tools.column_kinds import (IDENTIFIER_ROW_SHARE, PHONE_WORDS, _holds_identifiers,
                                          _holds_words, _names_given_name, _names_phone,
                                          _numbers_in_words, column_name_words, name_says,
                                          reads_as_address)
from datatools.tools.ranked import ARROW_FROM_SHARE, RankedText
from datatools.tools.records import RowRecords
from datatools.tools.words import ColumnWords

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from datatools.tools.identifiers import RowCodes

# What other modules import from here; what a column holds (its name and its values) is read
# in column_kinds.py.
__all__ = ["CHANCE_SIMILARITY", "DEFAULT_THRESHOLD", "MISSING", "MOVED_RESEMBLES", "PHONE_WORDS",
           "RARE_FROM", "RARE_WEIGHT", "RARE_WORDS_SHOWN", "SCORE_CHUNK", "VETO_CHECK_BELOW",
           "WORD_RESEMBLES", "PairScores", "PreparedColumns", "Veto", "_holds_identifiers",
           "_names_given_name", "_names_phone", "check_columns", "column_name_words",
           "combine_scores", "name_says", "prepare_columns", "score_columns", "score_pairs"]

# The lowest score counted as the same thing, for duplicates and matches alike. Calibrated on
# FEBRL 1–3 and on generated people and companies; see docs/TECHNICAL.md ("Scores").
DEFAULT_THRESHOLD = 54.0
MISSING = 255            # per-column score of a pair where one or both cells are empty
SCORE_CHUNK = 250_000    # pairs scored between two progress reports (well under a second)
# Below this share of the total weight filled in on both rows, a pair's score is scaled down:
# two rows that agree on a single column out of six are not shown as duplicates.
MIN_COVERAGE = 0.5
# Two unrelated names still share letters: token_sort_ratio gives them 30–60. Scores at or
# below CHANCE_SIMILARITY count as no agreement at all, and the rest is stretched back to 0–100,
# so many half-similar columns cannot add up to a match.
CHANCE_SIMILARITY = 50.0
# Half of a pair's score compares the whole rows (all compared columns joined, words sorted), so
# values that moved to another column (surname typed as first name, address lines swapped) still
# count; the other half is the per-column weighted mean, which a user can read in match_reason.
RECORD_SHARE = 0.5
# A column vetoes only if it has at least this many distinct values per 1,000 rows (the same
# bar as a blocking column): a differing state or gender is not a flat disagreement of identity.
VETO_MIN_DISTINCT_PER_THOUSAND = 5
# ... and as many values as VETO_MIN_DIVERSITY equally common ones would give (1 / Σ share²):
# a city column with a few big cities and many typos of them has many distinct values but
# few real ones, and "Belrin" is Berlin mistyped, not another city. (A table of fewer than
# twice as many filled rows needs half its rows' worth.)
VETO_MIN_DIVERSITY = 20
# A given-name column vetoes from a lower bar: a village's or a club's list draws on a dozen
# common first names (diversity 10–17), yet Anna and Maria at one address are two people, and
# unlike a city column its values are not a few big categories with typos of them.
VETO_MIN_DIVERSITY_GIVEN_NAMES = 4
# Columns scoring at or above this cannot hold a word that flatly disagrees; they skip the check.
VETO_CHECK_BELOW = 85
# A distinctive word flatly disagrees when no word of the other row reaches this fuzz.ratio
# (one typo in a four-letter word gives 75; ryan/randy 67, sarah/maria 60, jane/john 50).
WORD_RESEMBLES = 70
# ... and no word in the other row's other columns reaches this (a value typed in the wrong column).
MOVED_RESEMBLES = 85
# Rare words are compared only where the whole values score at least this (token_sort_ratio).
RARE_FROM = 40
# How many times the whole values the rare-word comparison counts in a several-word column.
RARE_WEIGHT = 2
# Shared rare words named in match_reason, rarest first.
RARE_WORDS_SHOWN = 3


@dataclass
class PreparedColumns:
    """The compared columns of one table (or of two tables stacked), normalised once."""

    names: list[str]
    text: list["RankedText"]       # normalised values without legal forms, str per row by rank
    ranks: list["np.ndarray"]      # sorted position of each normalised value; 0 = empty
    backward_ranks: list["np.ndarray"]  # the same for the values spelled backwards
    weights: "np.ndarray"          # one per column, summing to 1
    record: "RowRecords"           # all compared columns joined, for the whole-record score
    core: list["RankedText | None"]  # per column: each row's rare words (None: one-word values)
    words: list[ColumnWords]       # per column: word weights
    can_veto: list[bool]           # per column: enough distinct values to veto a pair
    identifier: list[bool]         # per column: long numbers; agreeing on one overrides a veto
    # per column: e-mail addresses, which agree exactly or not at all (anna.meyer1@ and
    # anna.meyer2@ are two people)
    exact_only: list[bool] = field(default_factory=list)
    # per column holding words and numbers (an address): each row's numbers as a rank (0: none),
    # so a pair can tell "Hauptstr 5" from "Hauptstr 7"; None for other columns
    numbers: list["np.ndarray | None"] = field(default_factory=list)
    # per column: read as addresses (column_kinds.reads_as_address): street types folded, flats read
    addresses: list[bool] = field(default_factory=list)
    # identifiers.row_codes' RowCodes, worked out on first use
    codes: "RowCodes | None" = None
    # per column: the legal form ending a value (legal_forms.legal_form), by rank, for the
    # values that hold one; `text` holds them without it
    forms: list[dict[int, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.text[0]) if self.text else 0


@dataclass(slots=True)   # slots: a run of common names holds a million of them (households)
class Veto:
    """Why a pair was vetoed: in `column`, `word_a` and `word_b` share nothing."""

    column: int
    word_a: str
    word_b: str
    score: float          # the pair's score before the veto


@dataclass
class PairScores:
    """Scores of the pairs (a[k], b[k])."""

    score: "np.ndarray"            # float32 0–100, 0 for vetoed pairs
    columns: "np.ndarray"          # uint8 per column (MISSING = empty), last = whole row
    vetoes: dict[int, Veto]        # pair index → the veto that zeroed it
    # With a learned model (linkage_model.apply_model): each pair's level and log2 Bayes factor
    # per column, and its match probability (0 for vetoed pairs).
    levels: "np.ndarray | None" = None
    weights: "np.ndarray | None" = None
    probability: "np.ndarray | None" = None
    swaps: "dict[int, tuple[int, int]] | None" = None   # pair → its two crossed columns
    # Without a model: the pairs that are not certain (certainty.mark_differs: a column
    # clearly differs, or the score as read falls short); None when not looked at.
    differs: "np.ndarray | None" = None
    # Pair → the right row (0-based) that fits its left row as well (match_ties.mark_ties).
    ties: "dict[int, int] | None" = None
    # Pair → how far it leads the runner-up of its left and right rows (match_mutual).
    mutual: "dict[int, float] | None" = None
    # Pair → why its two rows are code partners (match_codes.mark_code_partners: `the same model
    # number GS116NA, held by no other row`): certain.
    coded: "dict[int, str] | None" = None
    # Pair → why an uncompared date of birth or identifier both tables hold tells its rows
    # apart (match_evidence.mark_uncompared): not certain.
    uncompared: "dict[int, str] | None" = None
    # Pair → the left row (0-based) whose match took its right row (--unique), for the reason
    # of its own left row, left without a partner.
    taken: "dict[int, int] | None" = None

    @property
    def strength(self) -> "np.ndarray":
        """What ranks and links pairs: 100 × the match probability with a model, else the score."""
        return self.score if self.probability is None else self.probability * 100


def check_columns(frame: "pd.DataFrame", columns: Sequence[str], what: str = "") -> list[str]:
    """The requested columns, or BadOption (`no_such_column`) naming the ones the table lacks."""
    wanted = [column.strip() for column in columns if column.strip()]
    if not wanted:
        raise BadOption("Name at least one column to compare.", code="no_columns")
    missing = [column for column in wanted if column not in frame.columns]
    if missing:
        raise no_such_column(missing, frame.columns, what)
    return wanted



def prepare_columns(names: Sequence[str], columns: Sequence["Sequence[str] | pd.Series | pa.Array"],
                    progress: Progress | None = None, *,
                    synonyms: dict[str, str] | None = None, split: int | None = None) -> PreparedColumns:
    """Normalise each column's values, weigh its words, and weigh the columns by distinct values.

    `synonyms` (normalised word or phrase → normalised replacement) applies to every column.
    A date column's dates are read first (date_values.dates_as_digits: `25.09.1964` and
    `1964-09-25` are `19640925`); `split`: the first `split` rows are one table's, the rest another's (a match),
    each with its own day/month order.
    Work is done once per distinct cell value (pyarrow dictionary encoding), so repeated values
    such as cities and first names cost nothing, and each distinct text is one str object.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from datatools.tools.date_values import dates_as_digits
    from datatools.tools.emails import holds_emails, mailbox_text, mailboxes
    from datatools.tools.identifiers import holds_named_codes
    from datatools.tools.house_numbers import names_postcode, postcodes_unspaced
    from datatools.tools.normalize import dense_ranks, normalize_text
    from datatools.tools.party_names import names_never_legal
    from datatools.tools.words import weigh_words

    text, ranks, backward_ranks, weights, by_rank = [], [], [], [], []
    blank = None    # per row: every compared value so far is white space or empty
    cores, words, can_veto, identifier, exact_only, numbers = [], [], [], [], [], []
    addresses: list[bool] = []
    forms: list[dict[int, str]] = []
    for name, values in zip(names, columns):
        values = dates_as_digits(values, split)
        encoded = pc.dictionary_encode(values)
        indices = np.asarray(pc.fill_null(encoded.indices, -1))
        # e-mails are compared as the mailbox they reach (`a.b+shop@gmail.com` is `ab@gmail.com`)
        raw_counts = np.bincount(indices + 1, minlength=len(encoded.dictionary) + 1)[1:]
        emails = holds_emails(encoded.dictionary, raw_counts, IDENTIFIER_ROW_SHARE)
        # ... and as written but for case: punctuation tells mailboxes apart (mailbox_text)
        addresses.append(not emails and reads_as_address(name, encoded.dictionary, raw_counts))
        distinct = (pc.fill_null(mailbox_text(mailboxes(encoded.dictionary)), "") if emails
                    else normalize_text(encoded.dictionary, synonyms, streets=addresses[-1]))
        if names_postcode(name) and not emails:
            distinct = postcodes_unspaced(distinct)
        if (indices < 0).any():  # missing cells: point them at an appended ""
            distinct = pa.concat_arrays([distinct, pa.array([""], type=pa.string())])
            indices = np.where(indices < 0, len(distinct) - 1, indices)
        empty = np.asarray(pc.equal(distinct, ""), dtype=bool)
        # int32: a million rows have fewer distinct values, and every pass copies ranks around.
        forward = np.where(empty, 0, dense_ranks(distinct)).astype(np.int32)
        backward = np.where(empty, 0, dense_ranks(pc.utf8_reverse(distinct))).astype(np.int32)
        column_ranks = forward[indices]
        ranks.append(column_ranks)
        backward_ranks.append(backward[indices])
        used = np.bincount(column_ranks, minlength=1)
        distinct_count = int(np.count_nonzero(used[1:]))
        weights.append(math.log1p(distinct_count))
        shares = used[1:] / max(1, used[1:].sum())
        bar = VETO_MIN_DIVERSITY_GIVEN_NAMES if _names_given_name(name) else VETO_MIN_DIVERSITY
        # An e-mail is compared whole (mailbox_text): two addresses are two mailboxes, which
        # lends no agreement (pair_scores._unequal) but names no one else either: no word veto.
        can_veto.append(not emails and distinct_count > 1 and distinct_count * 1000
                        >= VETO_MIN_DISTINCT_PER_THOUSAND * len(indices)
                        and 1 / max(float((shares ** 2).sum()), 1e-12)
                        >= min(bar, used[1:].sum() / 2))
        counts = np.bincount(indices, minlength=len(distinct))
        exact_only.append(emails)
        numbers.append(_numbers_in_words(distinct, counts, indices, addresses[-1]))
        # A postcode names thousands of homes, a phone a household: neither is one person's
        # identifier, however many digits it has (Japan's seven-digit `〒5300001`, trial H).
        identifier.append(not _names_phone(name) and not names_postcode(name)
                          and (_holds_identifiers(distinct, counts) or exact_only[-1]
                               or holds_named_codes(name, distinct, counts)))
        column_words = weigh_words(distinct, counts, names_never_legal(name))
        words.append(column_words)
        forms.append(_legal_forms_by_rank(distinct, column_words.plain, forward))
        # Values are compared without their legal-form words: "Acme Corp" is "Acme" (DECISIONS 76).
        # Each rank's value (equal normalised text, equal rank, plain text and core): the rows'
        # text is held by rank, not as a pointer per row (ranked.py, DECISIONS 296).
        of_rank = np.zeros(int(forward.max(initial=-1)) + 1, dtype=np.int64)
        of_rank[forward] = np.arange(len(forward))
        plain_by_rank = column_words.plain.take(of_rank)
        wordy = column_words.multiword and _holds_words(distinct, counts)
        if distinct_count > ARROW_FROM_SHARE * len(indices):
            # nearly unique values (a street with its house number) stay in Arrow
            text.append(RankedText(plain_by_rank, column_ranks))
            cores.append(RankedText(column_words.core.take(of_rank), column_ranks) if wordy else None)
        else:
            plain = np.asarray(column_words.plain.to_numpy(zero_copy_only=False), dtype=object)
            text.append(RankedText(plain[of_rank], column_ranks))
            if wordy:
                # Nearly every core is its whole value: the same str object then, not a copy.
                core = np.asarray(column_words.core.to_numpy(zero_copy_only=False), dtype=object)
                whole = np.asarray(pc.fill_null(pc.equal(column_words.core, column_words.plain),
                                                False), dtype=bool)
                core[whole] = plain[whole]
            cores.append(RankedText(core[of_rank], column_ranks) if wordy else None)
        # The whole row leaves legal-form words out: shared "Sp. z o.o." is no evidence. Its
        # record (records.py: the values joined by a space, trimmed) is empty exactly when each
        # value is white space: worked out per distinct value, not by joining every row's
        # values (at ten million rows the joined text was 1.6 GB beside the prepared columns).
        value_blank = np.asarray(pc.equal(pc.utf8_trim_whitespace(column_words.plain), ""),
                                 dtype=bool)[indices]
        blank = value_blank if blank is None else blank & value_blank
        # The distinct values live on in `text` and `cores`: Arrow's copies by distinct cell
        # value can go (a street's, plain and core, about 350 MB at ten million rows).
        by_rank.append(plain_by_rank)
        column_words.core = column_words.plain = None
        give_back()  # see below: one column's scratch at a time (both allocators: DECISIONS 583)
        if progress is not None:
            progress.update(len(weights) / (len(columns) + 1), "normalising values")
    total = sum(weights)
    weight_array = np.array([w / total if total else 1 / len(weights) for w in weights])
    # Each row's whole record is made again for the rows scored (records.py); only whether
    # it is empty is kept here.
    records = RowRecords(by_rank, ranks, blank if blank is not None else np.zeros(0, dtype=bool))
    # Arrow's allocator keeps freed blocks for reuse; the work that follows is numpy and
    # rapidfuzz, so hand them back (a third of a gigabyte at a million rows).
    give_back()
    if progress is not None:
        progress.update(1.0, "normalising values")
    return PreparedColumns(list(names), text, ranks, backward_ranks, weight_array, records,
                           cores, words, can_veto, identifier, exact_only, numbers,
                           addresses=addresses, forms=forms)


def _legal_forms_by_rank(distinct: "pa.Array", plain: "pa.Array", forward: "np.ndarray"
                         ) -> dict[int, str]:
    """Per rank of a value that lost legal-form words (`plain` differs from `distinct`, the
    normalised values), the legal form ending it (legal_forms.legal_form), where one does:
    `text` holds the values without them, so `Rossi S.r.l.` and `Rossi S.p.A.` read alike."""
    import numpy as np
    import pyarrow.compute as pc

    from datatools.tools.legal_forms import legal_form

    lost = np.flatnonzero(np.asarray(pc.fill_null(pc.not_equal(distinct, plain), False), dtype=bool))
    found = {}
    for index, value in zip(lost.tolist(), distinct.take(lost).to_pylist()):
        form = legal_form(value)
        if form:
            found[int(forward[index])] = form
    return found


def score_columns(prepared: PreparedColumns, a: "np.ndarray", b: "np.ndarray",
                  progress: Progress | None = None, what: str | None = None,
                  whole: bool = True) -> "np.ndarray":
    """Per-column scores (uint8, 0–100, MISSING where a cell is empty) of the pairs (a[k], b[k]).

    A column's score depends only on the two values, so each distinct pair of values is scored
    once (on a list of common names a pair of cities or surnames recurs thousands of times);
    the whole rows are scored pair by pair. Progress says `what`, or by default counts the pairs
    compared ("compared 250,000 of … pairs", one count over all columns, never restarting): a
    later pass over a few pairs names its step rather than start a second count. `whole`
    False leaves the whole rows unscored (MISSING), for a caller that reads only the columns."""
    import numpy as np

    from datatools.tools.pair_scores import rows_without_emails, score_records, score_values

    pairs = len(a)
    columns = len(prepared.text)
    result = np.empty((pairs, columns + 1), dtype=np.uint8)
    # With one compared column the whole row is that column: score it once.
    every = columns + 1 if columns > 1 else 1
    for column in range(every):
        def say(share: float) -> None:
            if progress is not None:
                done = (column + share) / every
                progress.update(done, what or f"compared {int(pairs * done):,} of {pairs:,} pairs")

        if column < columns:
            result[:, column] = score_values(prepared, column, a, b, say)
        elif not whole:
            result[:, column] = MISSING
        else:
            result[:, column] = score_records(prepared.record, a, b, say)
        say(1.0)
    if every == 1:
        result[:, 1] = result[:, 0]
    elif whole:        # (unscored whole rows stay MISSING: nothing to score again)
        rows_without_emails(prepared, result, a, b)
    return result


def combine_scores(prepared: PreparedColumns, column_scores: "np.ndarray",
                   record_share: float = RECORD_SHARE) -> "np.ndarray":
    """One 0–100 score per pair: weighted mean agreement over filled-in columns, by coverage,
    and `record_share` the whole row's agreement."""
    import numpy as np

    record = column_scores[:, -1]
    column_scores = column_scores[:, :-1]
    present = column_scores != MISSING
    weights = prepared.weights.astype(np.float32)
    covered = present @ weights
    weighted = np.where(present, _agreement(column_scores), 0).astype(np.float32) @ weights
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(covered > 0, weighted / covered, 0.0)
    by_column = mean * np.minimum(1.0, covered / MIN_COVERAGE)
    whole = np.where(record == MISSING, 0, _agreement(record))
    return ((1 - record_share) * by_column + record_share * whole).astype(np.float32)


def _agreement(scores: "np.ndarray") -> "np.ndarray":
    """Similarity above chance, stretched to 0–100."""
    import numpy as np

    stretched = (scores.astype(np.float32) - CHANCE_SIMILARITY) / (100 - CHANCE_SIMILARITY)
    return np.clip(stretched, 0, 1) * 100


def score_pairs(prepared: PreparedColumns, a: "np.ndarray", b: "np.ndarray",
                progress: Progress | None = None, *, veto_from: float | None = None,
                what: str | None = None, columns: "np.ndarray | None" = None) -> PairScores:
    """Scores of the pairs (a[k], b[k]); pairs scoring at least `veto_from` are checked for vetoes.
    `what`: the progress message (score_columns). `columns`: their score_columns, when made
    already (a batch scored by two processes, scoring_process.ScoringProcess).

    Only pairs that could match are checked (a Python look at their words): with `veto_from`
    None, none is. With `veto_from` (scores decide, no learned model) identifiers weigh too
    (identifiers.weigh_identifiers): a shared rare code lifts a pair, a disagreeing identifier
    or code vetoes it.
    """
    import numpy as np

    from datatools.tools import scoring_process

    # Many pairs: half of them scored by a second process (DECISIONS 409), the same scores.
    column_scores = (scoring_process.score_columns(prepared, a, b, progress, what)
                     if columns is None else columns)
    scores = combine_scores(prepared, column_scores)
    vetoes: dict[int, Veto] = {}
    if veto_from is not None:
        from datatools.tools.identifiers import weigh_identifiers
        from datatools.tools.vetoes import find_vetoes

        vetoes = weigh_identifiers(prepared, a, b, column_scores, scores, veto_from)
        checked = np.flatnonzero(scores >= veto_from)
        vetoes.update(find_vetoes(prepared, a, b, column_scores, checked, scores) | vetoes)
        if vetoes:
            scores[np.fromiter(vetoes, dtype=np.int64, count=len(vetoes))] = 0
    return PairScores(scores, column_scores, vetoes)
