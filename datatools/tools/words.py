"""Weigh each column's words by how rare they are in it, so shared generic words say little.

A word's weight is its inverse document frequency in the column, log(filled rows / rows holding
the word), the term-frequency idea Splink and TF-IDF use: `Corporation` in half the rows of a
vendor list weighs little, `Birchwood` in one row weighs much. Legal-form words (Inc, Ltd, GmbH,
S.A., Sp. z o.o., …, from the `cleanco` package's table of business entity terms, and the few it
lacks: EXTRA_LEGAL_TERMS) weigh nothing.

Each value's *core* is its words whose weight reaches CORE_SHARE of the value's heaviest word:
`Birchwood Energy Production Corporation` → `birchwood` in a list where the other three words are
common. Scores compare cores beside the whole text (similarity.py), so two rows agree only when
their distinctive words do.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# A word belongs to a value's core when it weighs at least this share of the value's heaviest.
CORE_SHARE = 0.5
# Outside its value's core, a word still counts as distinctive (and can veto a pair) when fewer
# than this share of the column's filled rows hold it: `Robert` beside the rarer `Haines`.
DISTINCTIVE_SHARE = 0.05
# Words shorter than this never veto: initials are abbreviations. A two-letter word vetoes only
# when no word of the other value starts with it (`Jo` beside `Amelie`, not beside `Johanna`).
VETO_MIN_LETTERS = 2
# A legal-form word before the end of a value (`Allianz SE Munich`, `SIA Tele2`) counts as one
# only in a column where at least this share of the rows with values of several words hold one.
COMPANY_SHARE = 0.2
# Legal forms cleanco's table lacks (checked against the common forms of DE/AT/CH/FR/ES/IT/NL/
# PL/UK/US): the German `UG (haftungsbeschränkt)` and `e.K.`, Austria's `GesmbH`, Switzerland's
# `Genossenschaft`, France's `SCI`, Spain's `S.L.U.`, Italy's `SpA`, `SApA` and `Srls`; plus the
# short forms normalize.LEGAL_FORMS writes for spelled-out ones.
EXTRA_LEGAL_TERMS = ("UG", "UG (haftungsbeschränkt)", "UG (haftungsbeschraenkt)",
                     "haftungsbeschränkt", "haftungsbeschraenkt", "e.K.", "GesmbH",
                     "Genossenschaft", "SCI", "S.L.U.", "SLU", "SpA", "SApA", "Srls")
# Values of at most this many words find their repeated words by looking back, longer ones sort.
SHORT_VALUE_WORDS = 16


@functools.lru_cache(maxsize=1)
def legal_form_words() -> frozenset[str]:
    """The words of cleanco's legal-form terms, normalised as cell text is (`S.A.` → `sa`).

    A term that stays one word counts whole (`gmbh`, `ag`, `oy`, `kk`); of the terms that stay
    several words (`Sp. z o.o.` → `sp z oo`), only words of three letters or more (`spolka`,
    `pty`), so initials and particles (`j`, `z`, `de`) keep their weight in names.
    """
    return frozenset(word for parts in _legal_terms() for word in parts
                     if len(word) >= (2 if len(parts) == 1 else 3))


@functools.lru_cache(maxsize=1)
def legal_form_parts() -> frozenset[str]:
    """Every word of cleanco's legal-form terms of several words (`z`, `oo` of `sp z oo`): one
    counts as part of a legal form only beside a legal_form_words word (_legal_positions)."""
    return frozenset(word for parts in _legal_terms() if len(parts) > 1 for word in parts)


@functools.lru_cache(maxsize=1)
def _legal_terms() -> tuple[tuple[str, ...], ...]:
    """cleanco's legal-form terms and ours (EXTRA_LEGAL_TERMS, normalize.LEGAL_FORMS' short
    forms), normalised as cell text is, as tuples of words."""
    from cleanco.termdata import terms_by_country, terms_by_type

    from datatools.tools.normalize import LEGAL_FORMS, normalize_text

    terms = {term for table in (terms_by_type, terms_by_country) for group in table.values()
             for term in group}
    terms.update(EXTRA_LEGAL_TERMS)
    terms.update(LEGAL_FORMS.values())
    return tuple(tuple(text.split()) for text in normalize_text(sorted(terms)).to_pylist())


@dataclass
class ColumnWords:
    """The words of one column: each distinct value's core, and every word's weight."""

    # Per distinct value (both None once prepare_columns has made each row's text and core):
    core: "pa.Array | None"        # its core words joined by spaces
    plain: "pa.Array | None"       # without legal-form words (unless only those)
    multiword: bool                # some value has two or more words
    filled: int                    # rows with a value
    vocabulary: "pa.Array"         # distinct words
    rarity: "np.ndarray"           # weight (idf) per vocabulary word; 0 for legal-form words
    _lookup: dict[str, float] | None = field(default=None, repr=False)
    # Per word seen by `distinctive`: 0 never, 1 always, 2 only when in the value's core.
    _kinds: dict[str, int] = field(default_factory=dict, repr=False)

    def weight(self, word: str) -> float:
        """The word's weight in this column (0 for a word the column does not hold)."""
        if self._lookup is None:
            self._lookup = dict(zip(self.vocabulary.to_pylist(), self.rarity.tolist()))
        return self._lookup.get(word, 0.0)

    def holding(self, word: str) -> float:
        """Rows of the column holding the word (from its weight; 0 for an unknown word)."""
        weight = self.weight(word)
        if weight <= 0:
            return 0.0 if word not in (self._lookup or {}) else float(self.filled)
        return self.filled * math.exp(-weight)

    def distinctive(self, word: str, core: set[str]) -> bool:
        """Can this word, seen in a value whose core is `core`, veto a pair on its own?
        (The answer per word is kept: veto_batch asks it for every word of every distinct
        pair of values, the same words again and again.)"""
        kind = self._kinds.get(word)
        if kind is None:
            kind = self._kinds[word] = self._distinctive_kind(word)
        return kind == 1 or (kind == 2 and word in core)

    def _distinctive_kind(self, word: str) -> int:
        """0: never distinctive; 1: always; 2: only when in the value's core."""
        letters = sum(c.isalpha() for c in word)
        if len(word) < VETO_MIN_LETTERS or letters < 1 + any(c.isdigit() for c in word):
            # initials, and numbers (house numbers, dates) whose typos are common, one letter
            # typed into one among them (`6s023`, `602g`: DECISIONS 453; a flat's `12a` is
            # house_numbers.flats_differ's to read)
            return 0
        weight = self.weight(word)
        if weight <= 0:
            return 0  # a legal form, or a word in every row
        return 1 if weight >= math.log(1 / DISTINCTIVE_SHARE) else 2


def weigh_words(distinct: "pa.Array", counts: "np.ndarray",
                names: frozenset[str] = frozenset()) -> ColumnWords:
    """Word weights and cores for a column given as distinct normalised values and their counts.

    `counts[k]` is how many rows hold `distinct[k]` (0 is allowed); an empty value has no words.
    `names`: words that name people in this column and are never read as a legal form there
    (party_names.names_never_legal: the given name `Sem` ending `de Jong Sem` is no French SEM).
    Vectorised over words with pyarrow, so a million rows take well under a second.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    words = pc.utf8_split_whitespace(distinct)
    lengths = np.asarray(pc.fill_null(pc.list_value_length(words), 0), dtype=np.int64)
    flat = pc.list_flatten(words)
    parents = np.repeat(np.arange(len(distinct)), lengths)
    encoded = pc.dictionary_encode(flat)
    ids = np.asarray(encoded.indices, dtype=np.int64)
    vocabulary = encoded.dictionary
    counts = np.asarray(counts, dtype=np.float64)
    filled = float(counts[lengths > 0].sum())
    # Rows holding each word; a word twice in one value counts once.
    once = _first_in_value(parents, ids, lengths)
    holding = np.bincount(ids[once], weights=counts[parents[once]], minlength=len(vocabulary))
    with np.errstate(divide="ignore"):
        rarity = np.where(holding > 0, np.log(np.maximum(filled, 1) / np.maximum(holding, 1)), 0.0)
    rarity = np.maximum(rarity, 0.0)
    def listed(words: frozenset[str]) -> "np.ndarray":
        return np.asarray(pc.is_in(vocabulary, pa.array(sorted(words), pa.string())),
                          dtype=bool)[ids]

    token_legal = _legal_positions(listed(legal_form_words() - names), listed(legal_form_parts()),
                                   parents, lengths, counts)
    # A word weighs nothing where most rows holding it hold it as a legal form (`sia` in
    # `Tele2 SIA`), and keeps its weight where it is a name (`Sia` as a given name).
    legal_rows = np.bincount(ids[once & token_legal], weights=counts[parents[once & token_legal]],
                             minlength=len(vocabulary))
    legal = legal_rows * 2 > holding
    rarity[legal] = 0.0
    token_weight = rarity[ids]
    heaviest = np.zeros(len(distinct))
    np.maximum.at(heaviest, parents, token_weight)
    plain = np.zeros(len(distinct), dtype=np.int64)  # non-legal words per value
    np.add.at(plain, parents, ~token_legal)
    # Core: the non-legal words near the heaviest; a value of legal-form words only keeps them all.
    keep = np.where(plain[parents] > 0,
                    ~token_legal & (token_weight >= CORE_SHARE * heaviest[parents]), True)
    core = _join_kept(flat, parents, keep, len(distinct))
    plain = _join_kept(flat, parents, np.where(plain[parents] > 0, ~token_legal, True), len(distinct))
    return ColumnWords(core=core, plain=plain, multiword=bool((lengths > 1).any()),
                       filled=int(filled), vocabulary=vocabulary, rarity=rarity)


def _legal_positions(word_legal: "np.ndarray", word_part: "np.ndarray", parents: "np.ndarray",
                     lengths: "np.ndarray", counts: "np.ndarray") -> "np.ndarray":
    """Per word of the flattened values (`parents`: each word's value, `lengths`: words per
    value, `counts`: rows per value): is this word a legal form *here*? `word_legal` says
    whether its spelling is one of legal_form_words, `word_part` one of legal_form_parts.

    Legal-form terms include given names and plain words (`Sia`, `Ky`, `and`), so the spelling
    is not enough: a word counts as a legal form only in a value of two or more words, and
    there in the run of legal-form words that ends it (`Bäckerei Krüger GmbH & Co. KG`), or
    anywhere in a column of company names (COMPANY_SHARE of its values of several words hold
    one: `Allianz SE Munich`, `SIA Tele2`). `Sia` alone, `Sia Becker` in a column of people's
    names and `Smith and Sons` there keep every word."""
    import numpy as np

    if not len(parents):
        return np.zeros(0, dtype=bool)
    # `z`, `oo` of `Sp. z o.o.` count beside a full legal-form word (`sp`): a run of such parts
    # alone (`Jan Z`) is no legal form
    legal = _runs_holding(word_legal | word_part, word_legal, parents)
    several = (lengths >= 2)[parents]
    other = np.cumsum(~legal)                        # words that are no legal form, so far
    ends = np.cumsum(lengths)
    upto = np.r_[0, other][ends]                     # per value: such words up to its end
    trailing = legal & several & (upto[parents] == other)   # none from here to the end
    multi_rows = float(counts[lengths >= 2].sum())
    holding = np.zeros(len(lengths), dtype=bool)
    holding[parents[legal & several]] = True
    company = multi_rows > 0 and float(counts[holding].sum()) >= COMPANY_SHARE * multi_rows
    return legal & several if company else trailing


def _runs_holding(member: "np.ndarray", anchor: "np.ndarray", parents: "np.ndarray"
                  ) -> "np.ndarray":
    """Per word: is it in a run of adjacent `member` words of one value that holds an `anchor`?"""
    import numpy as np

    starts = np.r_[True, (parents[1:] != parents[:-1]) | ~member[1:] | ~member[:-1]]
    run = np.cumsum(starts) - 1
    anchored = np.zeros(run[-1] + 1, dtype=bool)
    anchored[run[member & anchor]] = True
    return member & anchored[run]


def _first_in_value(parents: "np.ndarray", ids: "np.ndarray", lengths: "np.ndarray") -> "np.ndarray":
    """Per word of the flattened values, is it the first of its spelling in its value?

    The words of one value are adjacent, so short values (the usual case) compare each word with
    the few before it instead of sorting every (value, word) pair; long ones sort.
    """
    import numpy as np

    longest = int(lengths.max()) if len(lengths) else 0
    if longest > SHORT_VALUE_WORDS:
        keys = parents * max(1, int(ids.max()) + 1 if len(ids) else 1) + ids
        first = np.zeros(len(ids), dtype=bool)
        first[np.unique(keys, return_index=True)[1]] = True
        return first
    first = np.ones(len(ids), dtype=bool)
    for back in range(1, longest):
        first[back:] &= (ids[back:] != ids[:-back]) | (parents[back:] != parents[:-back])
    return first


def _join_kept(flat: "pa.Array", parents: "np.ndarray", keep: "np.ndarray", values: int) -> "pa.Array":
    """Per value, its words where `keep` is set, joined by spaces."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kept_per_value = np.bincount(parents[keep], minlength=values)
    offsets = np.r_[0, np.cumsum(kept_per_value)].astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets), pc.filter(flat, pa.array(keep)))
    return pc.fill_null(pc.binary_join(lists, " "), "")
