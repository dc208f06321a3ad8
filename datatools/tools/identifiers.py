"""Identifiers and codes two rows hold: agreeing they say "one thing", disagreeing "two things".

Two kinds of value name a thing rather than describe it:

- an identifier column (similarity.PreparedColumns.identifier): long numbers (an EAN/GTIN, a
  customer number, a date of birth), e-mail addresses, or, in a column named for product codes
  (model, SKU, EAN, article …), one code per cell (`SM-G991B`);
- codes inside descriptive text (a product title): words of CODE_LETTERS or more mixing letters
  and digits (not a quantity such as `128gb`) or numbers of CODE_DIGITS or more, in columns whose
  values hold CODE_WORDS words or more on average (a postcode or a house number is no code).

Two rows *disagree* on an identifier column when both hold a value and the values differ by
more than one typo (an edit or two neighbours swapped, rapidfuzz's OSA distance); an e-mail
differs at all (`anna.meyer1@` and `anna.meyer2@` are two people). On codes they *differ* when
both hold codes and no code of either is found in the other's text, as one to three
neighbouring words run together or inside a word (`GS116NA` is found in `GS 116NA`, `FS105` in
`FS105NA`; `G991B` is not `G996B`: one letter of a model number is another model). They
*agree* when a rare code (held by at most MAX_CODE_ROWS rows: a shared `1080i` says little) of
each is found in the other and no code only one of them holds extends a shared one; found one
way only, or with such a variant left (`dvpfx820li`, the blue one, beside `dvpfx820`), they
agree *partly*. A row holding no code of its own agrees with one whose every code it writes in
parts (`E-2430` is `e 2430`, its `2430` too short to be a code) or, for a short series prefix
before five digits or more, as the number alone (`23292` for `AV23292`), unless one of the two
names a pack of several (DECISIONS 477); else the code is held by *one side* only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns, Veto

CODE_LETTERS = 4
# ... or a number of this many digits or more (an article number: `0101093600`, `848001`).
CODE_DIGITS = 6
# A column's codes count only where its values hold this many words on average: titles and
# descriptions, not a street with its house number or a postcode.
CODE_WORDS = 3.0
# A code held by more rows than this is no key and no evidence of one thing (`500gb`, `1080p`).
MAX_CODE_ROWS = 20
# A code written in parts (`010-10723-00`, `MB13-AQU-SEE-V2`) is a candidate key joined from up
# to this many neighbouring words: parts holding a digit of at most SPLIT_PART characters,
# letters only of at most SPLIT_LETTERS (`2 pack 1500` and `garmin 010` make no key).
SPLIT_PARTS = 4
SPLIT_PART = 5
SPLIT_LETTERS = 3
# A code of a short series prefix and a number of this many digits or more (`AV23292`) is
# held by a row writing the number alone (`GE Pre-Amplifier for Stereo Turntable - 23292`).
BARE_DIGITS = 5
_BARE = re.compile(rf"[a-z]{{1,{SPLIT_LETTERS}}}(\d{{{BARE_DIGITS},}})")
# Edits (OSA distance) an identifier may differ by and still be one typo away.
IDENTIFIER_TYPOS = 1
_CODE = re.compile(r"^(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]+$")
# A number and a unit (or an ordinal) says how much, not which model.
_QUANTITY = re.compile(r"^\d+(?:gb|mb|tb|kb|mp|mm|cm|km|hz|khz|mhz|ghz|w|kw|v|mah|ah|in|ft|lb|lbs|"
                       r"kg|ml|p|x|k|oz|pc|pcs|pk|ch|rpm|db|st|nd|rd|th|min|gbps|mbps)$")
# Code relations of a pair, as levels of the model's `codes` comparison (linkage_model):
# each row's rare code is in the other's text; only one way round (`dvpfx820` is in
# `dvpfx820li`, the blue variant, but not the reverse); none found; no codes (or only common
# ones) on either row; codes on one row only (read as NONE by the model).
AGREE, PARTIAL, DIFFER, NONE, ONE_SIDED = 0, 2, 3, 4, 5


Disagreement = tuple[int, str, str]      # (column, value or code of a, of b)


@dataclass
class RowCodes:
    """The codes of a table's rows: code ids sorted with the rows holding them, each pair once."""

    ids: "np.ndarray"          # int64 code id per (code, row)
    holders: "np.ndarray"      # int64 row per (code, row)
    texts: "np.ndarray"        # object array: code id → the code
    key_ids: "np.ndarray"      # the same for candidate keys: codes, codes split by a space
    key_holders: "np.ndarray"  # (`ps lx350h` → `pslx350h`) and codes without a letter suffix
    columns: list[int]         # the descriptive columns the codes come from

    def of_rows(self) -> dict[int, list[str]]:
        """Row → its codes (rows holding none are absent)."""
        found: dict[int, list[str]] = {}
        for code, row in zip(self.ids.tolist(), self.holders.tolist()):
            found.setdefault(row, []).append(self.texts[code])
        return found


def is_code(word: str) -> bool:
    """Is a normalised word a code: CODE_LETTERS or more characters, letters and digits mixed,
    and not a quantity (`128gb`, `1080p`, `500w`: a number and a unit)?"""
    if word.isdigit():
        return len(word) >= CODE_DIGITS
    return (len(word) >= CODE_LETTERS and _CODE.match(word) is not None
            and _QUANTITY.match(word) is None)


def code_columns(prepared: "PreparedColumns") -> list[int]:
    """The descriptive columns: not identifiers, e-mails or phones, CODE_WORDS words a value or
    more. A phone's digits are no product code (`612345678` against `34 612 345 678`, one line
    held as a code by one row only, kept a pair below certain): a column named for phones
    (similarity._names_phone) is scored by pair_scores.phone_lines (DECISIONS 353, 364)."""
    import numpy as np

    from datatools.tools.similarity import _names_phone

    chosen = []
    for column, text in enumerate(prepared.text):
        if ((prepared.exact_only and prepared.exact_only[column]) or prepared.identifier[column]
                or _names_phone(prepared.names[column])):
            continue
        words = prepared.words[column]
        if not getattr(words, "multiword", False):
            continue
        filled = text[text != ""]
        if len(filled) and np.mean([value.count(" ") + 1 for value in filled[:5000]]) >= CODE_WORDS:
            chosen.append(column)
    return chosen


def row_codes(prepared: "PreparedColumns") -> RowCodes:
    """The codes of every row (worked out once per PreparedColumns, kept on it)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if prepared.codes is not None:
        return prepared.codes
    columns = code_columns(prepared)
    code_rows, code_words, key_rows, key_words = [], [], [], []
    for column in columns:
        encoded = pc.dictionary_encode(pa.array(prepared.text[column], type=pa.string()))
        indices = np.asarray(encoded.indices, dtype=np.int64)
        per_value = [_codes_and_keys(value) for value in encoded.dictionary.to_pylist()]
        rows_of = _rows_by_value(indices)
        for value, (codes, keys) in enumerate(per_value):
            if codes or keys:
                rows = rows_of.get(value)
                if rows is None:
                    continue
                for word in codes:
                    code_rows.append(rows)
                    code_words.extend([word] * len(rows))
                for word in keys:
                    key_rows.append(rows)
                    key_words.extend([word] * len(rows))
    every = sorted(set(code_words) | set(key_words))
    number = {word: k for k, word in enumerate(every)}
    texts = np.array(every, dtype=object)
    ids, holders = _distinct_pairs(code_words, code_rows, number, prepared.rows)
    key_ids, key_holders = _distinct_pairs(key_words, key_rows, number, prepared.rows)
    prepared.codes = RowCodes(ids, holders, texts, key_ids, key_holders, columns)
    return prepared.codes


def _rows_by_value(indices: "np.ndarray") -> dict[int, "np.ndarray"]:
    import numpy as np

    order = np.argsort(indices, kind="stable")
    values, starts = np.unique(indices[order], return_index=True)
    ends = np.r_[starts[1:], len(order)]
    return {int(v): order[s:e] for v, s, e in zip(values.tolist(), starts.tolist(), ends.tolist())}


def _distinct_pairs(words: list[str], rows: list["np.ndarray"], number: dict[str, int],
                    row_count: int) -> tuple["np.ndarray", "np.ndarray"]:
    import numpy as np

    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ids = np.fromiter((number[w] for w in words), dtype=np.int64, count=len(words))
    keys = np.unique(ids * row_count + np.concatenate(rows).astype(np.int64))
    return keys // row_count, keys % row_count


def _codes_and_keys(value: str) -> tuple[list[str], list[str]]:
    """A value's codes, and its candidate keys: the codes, two neighbouring words that make a
    code together (`ps lx350h`), three or four short neighbouring words that make one, the
    first and the last holding a digit (a code written with hyphens: `010 10723 00` →
    `0101072300`, `mb13 aqu see v2` → `mb13aquseev2`), and each code without a trailing letter
    suffix (`el6985b` → `el6985`, a colour or region variant) when that is still a code."""
    words = value.split()
    codes = [word for word in words if is_code(word)]
    keys = set(codes)
    for left, right in zip(words, words[1:]):
        if (left.isalpha() or right.isalpha()) and is_code(left + right):
            keys.add(left + right)
    for start in range(len(words) - 2):
        if not _digit_part(words[start]):
            continue
        for end in range(start + 1, min(start + SPLIT_PARTS, len(words))):
            word = words[end]
            if _digit_part(word):
                if end - start >= 2 and is_code(joined := "".join(words[start:end + 1])):
                    keys.add(joined)
            elif not (len(word) <= SPLIT_LETTERS and word.isalpha()):
                break
    for code in list(keys):
        stem = code.rstrip("abcdefghijklmnopqrstuvwxyz")
        if stem != code and is_code(stem):
            keys.add(stem)
    return codes, sorted(keys)


def _digit_part(word: str) -> bool:
    """A part of a code written in parts holding a digit: letters and digits, SPLIT_PART
    characters at most."""
    return len(word) <= SPLIT_PART and word.isalnum() and not word.isalpha()


def code_relation(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray"
                  ) -> "tuple[np.ndarray, dict[int, tuple[str, str]]] | None":
    """Per pair AGREE, PARTIAL, DIFFER, ONE_SIDED or NONE on codes (None when no row holds a
    code), and for the pairs that differ one code of each row (for the explanation)."""
    import numpy as np

    from datatools.tools.series_prefixes import extends_shared, prefixes_differ

    found = row_codes(prepared)
    if not len(found.ids):
        return None
    held = np.bincount(found.ids, minlength=len(found.texts))
    codes = found.of_rows()
    has = np.zeros(prepared.rows, dtype=bool)
    has[found.holders] = True
    relation = np.full(len(a), NONE, dtype=np.uint8)
    relation[has[a] != has[b]] = ONE_SIDED
    differing: dict[int, tuple[str, str]] = {}
    spelled: dict[int, tuple[set[str], list[str]]] = {}

    def holds(row: int, code: str) -> bool:
        """Does the row's text hold `code`: as one to SPLIT_PARTS neighbouring words run
        together (`ps lx350h`), or inside one word (`fs105` in `fs105na`, `lx350h` in
        `pslx350h`)?"""
        runs, words = spelling(row)
        return code in runs or any(code in word for word in words)

    def spelling(row: int) -> tuple[set[str], list[str]]:
        """The row's words, and its runs of one to SPLIT_PARTS of them run together, as a
        candidate key is joined (`mb13 clr see v2` holds `mb13clrseev2`, DECISIONS 512)."""
        if row not in spelled:
            words = " ".join(prepared.text[c][row] for c in found.columns).split()
            runs = {"".join(words[i:i + n]) for n in range(1, SPLIT_PARTS + 1)
                    for i in range(len(words) - n + 1)}
            spelled[row] = (runs, words)
        return spelled[row]

    def in_parts(row: int, code: str) -> bool:
        """Does the row write `code` as two to SPLIT_PARTS neighbouring words run together, or
        its number alone where that is long (`23292` for `av23292`: BARE_DIGITS)?"""
        runs, words = spelling(row)
        bare = _BARE.fullmatch(code)
        return (code in runs and code not in words) or (bare is not None and bare[1] in words)

    rare = {code for code, count in zip(found.texts.tolist(), held.tolist())
            if count <= MAX_CODE_ROWS}
    for k in np.flatnonzero(has[a] & has[b]).tolist():
        x, y = int(a[k]), int(b[k])
        there = [code for code in codes[x] if holds(y, code)]
        back = [code for code in codes[y] if holds(x, code)]
        prefixed = (prefixes_differ(spelled[x][1], spelled[y][1], there + back)
                    if there or back else None)
        if prefixed:
            relation[k] = DIFFER
            differing[k] = prefixed
        elif not there and not back:
            relation[k] = DIFFER
            differing[k] = (codes[x][0], codes[y][0])
        elif (any(code in rare for code in there) and any(code in rare for code in back)
              and not extends_shared(codes[x], there + back) and not extends_shared(codes[y], there + back)):
            relation[k] = AGREE
        elif any(code in rare for code in there + back):
            relation[k] = PARTIAL
    # A row whose model number is written in parts holds no code of its own (`E-2430` is `e
    # 2430`: `2430` is too short to be one) but a candidate key (`e2430`): where the other row
    # writes that code whole, the two agree — unless one title names a pack of several
    # (`PG40BK` against `PG-40-BK-TWIN`, DECISIONS 381, 477).
    from datatools.tools.packs import packs_differ

    keyed = np.zeros(prepared.rows, dtype=bool)
    keyed[found.key_holders] = True
    for k in np.flatnonzero((relation == ONE_SIDED) & keyed[a] & keyed[b]).tolist():
        x, y = (int(a[k]), int(b[k])) if has[a[k]] else (int(b[k]), int(a[k]))
        if (any(code in rare for code in codes[x]) and all(in_parts(y, code) for code in codes[x])
                and not packs_differ(" ".join(spelling(x)[1]), " ".join(spelling(y)[1]))):
            relation[k] = AGREE
    return relation, differing


def identifier_disagreements(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                             column_scores: "np.ndarray", candidates: "np.ndarray"
                             ) -> "tuple[dict[int, Disagreement], dict[int, Disagreement]]":
    """Among `candidates` (indices into a, b): pair → (column, value a, value b) of the first
    identifier column both rows fill and disagree on; and pair → (the first descriptive column,
    a code of each row) of the pairs whose codes differ."""
    import numpy as np
    from rapidfuzz.distance import OSA

    from datatools.tools import pairwise
    from datatools.tools.similarity import MISSING

    found: dict[int, Disagreement] = {}
    coded: dict[int, Disagreement] = {}
    if not len(candidates):
        return found, coded
    for column, known in enumerate(prepared.identifier):
        if not known:
            continue
        scores = column_scores[candidates, column]
        todo = candidates[(scores != MISSING) & (scores != 100)]
        if not len(todo):
            continue
        text = prepared.text[column]
        left, right = text[a[todo]], text[b[todo]]
        if prepared.exact_only and prepared.exact_only[column]:
            differ = left != right
        else:
            differ = pairwise.cpdist(left, right, scorer=OSA.distance) > IDENTIFIER_TYPOS
        for k in todo[np.asarray(differ, dtype=bool)].tolist():
            found.setdefault(k, (column, str(text[a[k]]), str(text[b[k]])))
    codes = code_relation(prepared, a[candidates], b[candidates])
    if codes is not None:
        relation, differing = codes
        column = row_codes(prepared).columns[0]
        for position, (code_a, code_b) in differing.items():
            coded[int(candidates[position])] = (column, code_a, code_b)
    return found, coded


# Column names that say "product or article code" (a word starting with one of these): such a
# column of codes is an identifier. Postcodes mix letters and digits too (`SW1A 1AA`, `1234 AB`)
# and are shared by a household, so the values alone do not decide.
CODE_COLUMN_WORDS = ("model", "modell", "sku", "ean", "gtin", "upc", "isbn", "mpn", "article",
                     "artikel", "item", "part", "product", "produkt", "serial", "serie")
CODE_ROW_SHARE = 0.9


def holds_named_codes(name: str, distinct, counts: "np.ndarray") -> bool:
    """Does a column named for product codes (CODE_COLUMN_WORDS) hold a code (spaces removed:
    `SM-G991B` → `smg991b`) in CODE_ROW_SHARE of its filled rows? `distinct` are its normalised
    values, `counts` the rows holding each."""
    import numpy as np

    from datatools.tools.similarity import column_name_words

    if not any(word.startswith(CODE_COLUMN_WORDS) for word in column_name_words(name)):
        return False
    values = distinct.to_pylist()
    filled = np.array([bool(value) for value in values])
    coded = np.array([is_code(value.replace(" ", "")) for value in values])
    counts = counts[:len(values)]
    total = counts[filled].sum()
    return bool(total) and counts[coded].sum() >= CODE_ROW_SHARE * total


# Where scores decide (no learned model), a pair whose rare codes agree both ways scores at
# least linkage_model.CERTAIN_SCORE, whatever its words score: on Abt-Buy such pairs are the
# same product 99 times in 100 (bench/linkage_sets.py), while their titles often score 0–70
# (`Panasonic Digital Camera Battery - CGAS007A1B` / `Panasonic CGA-S007A/1B Lithium Ion
# Digital Camera Battery`: 10). A floor of 20 on the words' score left 76 such true pairs
# unmatched and kept out no wrong one.


def weigh_identifiers(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                      column_scores: "np.ndarray", scores: "np.ndarray", veto_from: float
                      ) -> "dict[int, Veto]":
    """Where scores decide, change `scores` in place: a pair whose rare codes agree both ways
    scores at least CERTAIN_SCORE; a pair whose code is found one way only, or
    held by one row only, or that disagrees on an identifier column, scores below it (for review:
    an ID mistyped or replaced, a variant, a family). Returns as vetoes the pairs scoring
    `veto_from` or more whose codes differ (identifier_disagreements)."""
    import numpy as np

    from datatools.tools.linkage_model import CERTAIN_SCORE
    from datatools.tools.similarity import Veto

    below = np.nextafter(np.float32(CERTAIN_SCORE - 0.5), 0)   # shown rounded: 74
    codes = code_relation(prepared, a, b)
    if codes is not None:
        lift = np.flatnonzero(codes[0] == AGREE)
        lift = lift[~_colours_differ(prepared, a[lift], b[lift])]
        scores[lift] = np.maximum(scores[lift], CERTAIN_SCORE)
        cap = (codes[0] == PARTIAL) | (codes[0] == ONE_SIDED)
        scores[cap] = np.minimum(scores[cap], below)
    found, coded = identifier_disagreements(prepared, a, b, column_scores,
                                            np.flatnonzero(scores >= veto_from))
    if found:
        capped = np.fromiter(found, dtype=np.int64, count=len(found))
        scores[capped] = np.minimum(scores[capped], below)
    for k, lines in _other_lines(prepared, a, b, column_scores,
                                 np.flatnonzero(scores >= veto_from)).items():
        coded.setdefault(k, lines)
    return {k: Veto(column, left, right, float(scores[k]))
            for k, (column, left, right) in coded.items()}


def _colours_differ(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray") -> "np.ndarray":
    """Per pair: do the two rows' texts name two colours in a code column (colours.colours_differ:
    `Silver … DSCW120` against `DSC-W120 … Pink - DSCW120/P`)? Their agreeing code is the model,
    not the article (DECISIONS 381)."""
    import numpy as np

    from datatools.tools.colours import colours_differ

    found = row_codes(prepared)
    return np.fromiter((any(colours_differ(prepared.text[c][x] or "", prepared.text[c][y] or "")
                            for c in found.columns)
                        for x, y in zip(a.tolist(), b.tolist())), dtype=bool, count=len(a))


def _other_lines(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                 column_scores: "np.ndarray", candidates: "np.ndarray"
                 ) -> "dict[int, Disagreement]":
    """Among `candidates` (indices into a, b): pair → (column, value a, value b) of the first
    phone column (similarity._names_phone) whose two numbers are two lines
    (pair_scores.phone_lines 0, scored 0). Such a pair is vetoed where scores decide, as codes
    that differ are: the digits of a phone were read as codes until DECISIONS 364, and
    `0204 806874`/`0204 806875` were two lines by that rule."""
    from datatools.tools.pair_scores import phone_lines
    from datatools.tools.similarity import _names_phone

    found: dict[int, Disagreement] = {}
    for column, name in enumerate(prepared.names):
        if not _names_phone(name) or not len(candidates):
            continue
        todo = candidates[column_scores[candidates, column] == 0]
        if not len(todo):
            continue
        for k in todo[phone_lines(prepared, column, a[todo], b[todo]) == 0].tolist():
            found.setdefault(k, (column, str(prepared.text[column][a[k]]),
                                 str(prepared.text[column][b[k]])))
    return found
