"""The veto check of vetoes.py for many pairs at once: the same answers, worked out in bulk.

vetoes.disagreeing_words looks at one pair of rows at a time in Python (a few microseconds
each); on a list of common names a million candidate pairs reach the check (households, strangers
sharing a surname), and the look took most of a run. Here the same two steps run on all the
checked cells (pair × column) together:

1. the words of one value that nothing in the other value resembles (vetoes._unlike_words)
   depend only on the two values, so they are worked out once per distinct pair of values
   (on a list of common given names, a few per cent of the cells);
2. whether such a word nearly equals a word of the other row's other columns (a value typed
   into the wrong column, vetoes.MOVED_RESEMBLES) is one fuzz.ratio per word pair: every word
   pair is listed with numpy and pyarrow, pairs whose lengths rule out the bar are dropped, and
   rapidfuzz's cpdist scores the rest in C.

Where only the first row holds a disagreeing word, disagreeing_words itself is asked (it tries
more there: half a swap), pair by pair. The first column of a pair (in column order) that
vetoes names the veto, as in the one-by-one check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# Cells whose moved words are listed at once: bounds the scratch lists (tens of bytes per word
# pair) to a few hundred megabytes whatever the number of cells.
CELL_CHUNK = 250_000


def vetoing_cells(prepared: "PreparedColumns", column: "np.ndarray", partner: "np.ndarray",
                  first: "np.ndarray", second: "np.ndarray",
                  report: "Callable[[float, str], None] | None" = None
                  ) -> tuple["np.ndarray", list[str], list[str]]:
    """Which checked cells veto, and with which words.

    Cell i compares the first row's value in column[i] with the second row's in partner[i]
    (int arrays of one length; rows as ints). Returns (vetoing: bool per cell, word_a, word_b:
    the disagreeing word of each side, one per vetoing cell in cell order), the words
    vetoes.disagreeing_words would name for that cell. `report(done 0–1, text)` hears progress.
    """
    import numpy as np

    from datatools.tools.vetoes import disagreeing_words

    def say(done: float) -> None:
        if report is not None:
            report(done, f"checking households ({len(column):,} pairs)")

    say(0.0)
    # Cheapest first, and each step only on the cells still vetoing, as the one-by-one check
    # stops at the first side without a disagreeing word.
    found_a, words_a = _unlike_per_cell(prepared, column, first, partner, second)
    live = np.flatnonzero(words_a.lengths[found_a] > 0)
    say(0.3)
    word_a = _unmoved_word(prepared, words_a, found_a[live], second[live], partner[live])
    live, word_a = live[word_a >= 0], word_a[word_a >= 0]
    say(0.5)
    found_b, words_b = _unlike_per_cell(prepared, partner[live], second[live], column[live],
                                        first[live])
    has_b = words_b.lengths[found_b] > 0
    one_sided = np.zeros(len(column), dtype=bool)   # a disagreeing word on the first side only
    one_sided[live[~has_b]] = True
    live, word_a, found_b = live[has_b], word_a[has_b], found_b[has_b]
    say(0.8)
    word_b = _unmoved_word(prepared, words_b, found_b, first[live], column[live])
    one_sided[live[word_b < 0]] = True
    live, word_a, word_b = live[word_b >= 0], word_a[word_b >= 0], word_b[word_b >= 0]
    vetoing = np.zeros(len(column), dtype=bool)
    vetoing[live] = True
    found = dict(zip(live.tolist(), zip([words_a.vocabulary[w] for w in word_a.tolist()],
                                        [words_b.vocabulary[w] for w in word_b.tolist()])))
    # Where only the first row disagrees, disagreeing_words has more to try (half a swap:
    # the second row's given name is the first's surname): it is asked, pair by pair.
    unlike: dict[int, tuple[str, ...]] = {}
    for cell in np.flatnonzero(one_sided).tolist():
        words = disagreeing_words(prepared, int(column[cell]), int(first[cell]),
                                  int(second[cell]), int(partner[cell]), unlike)
        if words:
            vetoing[cell] = True
            found[cell] = words
    say(1.0)
    cells = np.flatnonzero(vetoing).tolist()
    return vetoing, [found[c][0] for c in cells], [found[c][1] for c in cells]


class _FoundWords:
    """Word lists as ids: list k holds vocabulary ids words[starts[k]:starts[k] + lengths[k]]."""

    def __init__(self) -> None:
        from array import array

        self.vocabulary: list[str] = []
        self._ids: dict[str, int] = {}
        # Machine integers, not lists of Python ints: millions of lists at 200,000 rows.
        self._words = array("q")
        self._starts = array("q")
        self._lengths = array("q")

    def add(self, words: "list[str] | tuple[str, ...]") -> int:
        self._starts.append(len(self._words))
        self._lengths.append(len(words))
        for word in words:
            if word not in self._ids:
                self._ids[word] = len(self.vocabulary)
                self.vocabulary.append(word)
            self._words.append(self._ids[word])
        return len(self._starts) - 1

    def freeze(self) -> None:
        import numpy as np

        self.words = np.frombuffer(self._words, dtype=np.int64).copy()
        self.starts = np.frombuffer(self._starts, dtype=np.int64).copy()
        self.lengths = np.frombuffer(self._lengths, dtype=np.int64).copy()
        del self._words, self._starts, self._lengths, self._ids


def _unlike_per_cell(prepared: "PreparedColumns", column: "np.ndarray", row: "np.ndarray",
                     other_column: "np.ndarray", other: "np.ndarray"
                     ) -> tuple["np.ndarray", _FoundWords]:
    """Per cell, the id of its list of unlike words (vetoes._unlike_words), worked out once per
    distinct pair of values (the values' ranks identify them)."""
    import numpy as np

    from datatools.tools.vetoes import _unlike_words

    found = np.zeros(len(column), dtype=np.int64)
    lists = _FoundWords()
    values = np.int64(prepared.rows + 1)
    columns = len(prepared.ranks)
    combo = column.astype(np.int64) * columns + other_column
    for key in np.unique(combo).tolist():
        c, oc = divmod(key, columns)
        cells = np.flatnonzero(combo == key)
        rows, others = row[cells], other[cells]
        key = (prepared.ranks[c][rows].astype(np.int64) * values
               + prepared.ranks[oc][others].astype(np.int64))
        _, where, inverse = np.unique(key, return_index=True, return_inverse=True)
        # the distinct pairs' values taken at once, not a str a look-up
        texts = prepared.text[c][rows[where]].tolist()
        cores = texts if prepared.core[c] is None else prepared.core[c][rows[where]].tolist()
        ids = np.fromiter((lists.add(_unlike_words(prepared, c, value, core, other_value))
                           for value, core, other_value in zip(
                               texts, cores, prepared.text[oc][others[where]].tolist())),
                          dtype=np.int64, count=len(where))
        found[cells] = ids[inverse.ravel()]
    lists.freeze()
    return found, lists


def _unmoved_word(prepared: "PreparedColumns", lists: _FoundWords, found: "np.ndarray",
                  other: "np.ndarray", skip: "np.ndarray") -> "np.ndarray":
    """Per cell, the vocabulary id of the first word of its list `found` that no word of row
    `other`'s columns other than `skip` nearly equals (fuzz.ratio MOVED_RESEMBLES or more), or
    -1 when every word has such a look-alike."""
    import numpy as np

    result = np.full(len(found), -1, dtype=np.int64)
    for start in range(0, len(found), CELL_CHUNK):
        part = slice(start, start + CELL_CHUNK)
        result[part] = _unmoved_chunk(prepared, lists, found[part], other[part], skip[part])
    return result


def _unmoved_chunk(prepared: "PreparedColumns", lists: _FoundWords, found: "np.ndarray",
                   other: "np.ndarray", skip: "np.ndarray") -> "np.ndarray":
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from rapidfuzz import fuzz, process

    from datatools.tools.similarity import MOVED_RESEMBLES

    # One entry per (cell, word of its list), in list order.
    counts = lists.lengths[found]
    cell = np.repeat(np.arange(len(found)), counts)
    offset = np.arange(len(cell)) - np.repeat(np.cumsum(counts) - counts, counts)
    word = lists.words[np.repeat(lists.starts[found], counts) + offset]
    vocabulary = np.asarray(lists.vocabulary, dtype=object)
    word_length = np.fromiter(map(len, lists.vocabulary), dtype=np.int64,
                              count=len(lists.vocabulary))
    alike = np.zeros(len(cell), dtype=bool)
    for c, texts in enumerate(prepared.text):
        entries = np.flatnonzero(skip[cell] != c)
        entries = entries[prepared.ranks[c][other[cell[entries]]] > 0]
        if not len(entries):
            continue
        split = pc.utf8_split_whitespace(pa.array(texts[other[cell[entries]]], type=pa.string()))
        per_value = pc.list_value_length(split).to_numpy(zero_copy_only=False).astype(np.int64)
        owner = np.repeat(entries, per_value)
        theirs = pc.list_flatten(split)
        length = pc.utf8_length(theirs).to_numpy(zero_copy_only=False).astype(np.int64)
        mine = word[owner]
        # fuzz.ratio = 100 × (1 − indel distance / total length), and the distance is at least
        # the difference in length: lengths this far apart cannot reach the bar.
        total = length + word_length[mine]
        near = (length > 0) & (np.abs(length - word_length[mine]) * 100
                               <= (100 - MOVED_RESEMBLES) * total)
        near &= ~alike[owner]
        if not near.any():
            continue
        picked = np.flatnonzero(near)
        scores = process.cpdist(vocabulary[mine[picked]].tolist(),
                                theirs.take(pa.array(picked)).to_pylist(),
                                scorer=fuzz.ratio, score_cutoff=MOVED_RESEMBLES)
        alike[owner[picked[scores > 0]]] = True   # below the cutoff cpdist gives 0
    # The first entry of each cell without a look-alike.
    free = np.flatnonzero(~alike)
    first = free[np.r_[True, cell[free][1:] != cell[free][:-1]]] if len(free) else free
    result = np.full(len(found), -1, dtype=np.int64)
    result[cell[first]] = word[first]
    return result
