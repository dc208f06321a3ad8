"""Turn cell text into comparable keys: case, accents, letters, punctuation, spacing, abbreviations.

Everything runs as vectorised pyarrow compute kernels, because a million rows times a handful of
columns must normalise in a few seconds; a Python loop over the cells would take a minute.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Mapping, Sequence

from datatools.tools import cjk_names, street_types

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Spelled-out words and their usual abbreviations, reduced to one spelling so "12 Main Street" and
# "12 main st." compare equal. Only words common in person and company addresses and company
# names: a longer list starts rewriting real names.
ABBREVIATIONS = {
    # `St`/`Ste` are also Saint/Sainte (German Sankt) in place and street names
    # (`93200 St-Denis`, `12 r. St Denis`): one key with street, which no address writes for
    # a saint (a French customer's two rows were kept apart by `saint` vs `st`, DECISIONS 485).
    "st": ("street", "saint", "sankt"),
    "ste": ("sainte",),
    "str": ("strasse", "strase"),
    "rd": ("road",),
    "ave": ("avenue", "av"),
    "dr": ("drive",),
    "ln": ("lane",),
    "ct": ("court",),
    "pl": ("place",),
    "blvd": ("boulevard",),
    "hwy": ("highway",),
    "sq": ("square",),
    "cres": ("crescent",),
    "tce": ("terrace",),
    "apt": ("apartment",),
    "n": ("north",),
    "s": ("south",),
    "e": ("east",),
    "w": ("west",),
    "inc": ("incorporated",),
    "ltd": ("limited",),
    "corp": ("corporation",),
    "co": ("company",),
    "intl": ("international",),
}
_PLAIN_SHORT_FORM = {long: short for short, longs in ABBREVIATIONS.items() for long in longs}
# ... and in a column read as addresses (column_kinds.reads_as_address), the street types of
# street_types.py too: elsewhere `Canon CL-51` kept its model number, not `canon calle 51`.
_SHORT_FORM = {**_PLAIN_SHORT_FORM, **street_types.short_forms()}
# Spelled-out legal forms and their short forms, as normalised text (accents and dots gone), so
# "Gesellschaft mit beschränkter Haftung" is "gmbh" before anything is compared. The short forms
# are those of cleanco's table of business entity terms, which then weigh nothing (words.py).
LEGAL_FORMS = {
    "gesellschaft mit beschrankter haftung": "gmbh",
    "unternehmergesellschaft haftungsbeschrankt": "ug",
    "unternehmergesellschaft haftungsbeschraenkt": "ug",
    "ug haftungsbeschrankt": "ug",      # `UG (haftungsbeschränkt)`, the form's legal spelling
    "ug haftungsbeschraenkt": "ug",
    "gmbh und co kg": "gmbh co kg",
    "gmbh and co kg": "gmbh co kg",
    "aktiengesellschaft": "ag",
    "kommanditgesellschaft auf aktien": "kgaa",
    "kommanditgesellschaft": "kg",
    "offene handelsgesellschaft": "ohg",
    "gesellschaft burgerlichen rechts": "gbr",
    "eingetragener verein": "ev",
    "eingetragene genossenschaft": "eg",
    "eingetragener kaufmann": "ek",
    "societe a responsabilite limitee": "sarl",
    "sa rl": "sarl",                    # `S.à r.l.`, Luxembourg's and Switzerland's spelling
    "societe par actions simplifiee": "sas",
    "societe anonyme": "sa",
    "besloten vennootschap": "bv",
    "naamloze vennootschap": "nv",
    "sociedad de responsabilidad limitada": "srl",
    "sociedad limitada": "sl",
    "sociedad anonima": "sa",
    "societa a responsabilita limitata": "srl",
    "societa per azioni": "spa",
    "spolka z ograniczona odpowiedzialnoscia": "sp z oo",
    "spolka akcyjna": "sa",
    "public limited company": "plc",
    "limited liability company": "llc",
    "limited liability partnership": "llp",
    "limited partnership": "lp",
    "aktiebolag": "ab",
    "osakeyhtio": "oy",
    "aksjeselskap": "as",
    "aktieselskab": "as",
}


def normalize_text(values: Sequence[str] | "np.ndarray",
                   synonyms: Mapping[str, str] | None = None, streets: bool = True) -> "pa.Array":
    """Lower-case, accent-free, punctuation-free, single-spaced text with abbreviations unified.

    Latin letters without a Unicode decomposition are folded too (`ø`→`o`, `đ`→`d`, `ł`→`l`,
    `ß`→`ss`, `æ`→`ae`, `þ`→`th`, `ı`→`i`); letters of other scripts survive ("Москва" stays
    "москва"); dotted initials join (`S.A.`→`sa`); empty and missing cells become "".
    `synonyms` maps normalised words or phrases to the normalised text that replaces them.
    `streets` False (a column not read as addresses: column_kinds.reads_as_address) leaves the
    street types alone (street_types.py's `cl` → `calle`, `C/`, `12 r.`, `Pº`; German
    `-straße` → `-str` and mistyped types): a product title's `Canon CL-51` keeps its model
    number (DECISIONS 511). ABBREVIATIONS apply either way.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values, type=pa.string(), from_pandas=True)
    text = pc.fill_null(text, "")
    # Characters with no width (zero-width space, word joiner, BOM, soft hyphen) join, so a key
    # pasted with one equals the key without (datatools/tools/invisible.py).
    text = pc.replace_substring_regex(text, r"\p{Cf}+", "")
    text = pc.replace_substring_regex(text, "&", " and ")
    for pattern, replacement, needs in street_types.WRITTEN_BEFORE_FOLDING if streets else ():
        text = _replace_regex(text, pattern, replacement, needs)
    text = pc.utf8_normalize(text, "NFKD")
    # Accents go; kana's voiced marks stay (`ズ` is not `ス`: `スズキ` is Suzuki, `ススキ` is
    # Susuki) and join their kana again, half-width ones too (`ｽﾞ` is `ズ`).
    text = pc.replace_substring_regex(text, r"[^\P{Mn}\x{3099}\x{309A}]+", "")
    text = cjk_names.compose_kana(text)
    text = pc.utf8_lower(text)
    text = _fold_latin_letters(text)
    # Dotted initials join ("s.a." → "sa", "u.s.a." → "usa"), so legal forms are one word:
    # a run of four, then three, then two, so `s.r.l.` is `srl` (pairwise it was `sr l`).
    for run in (4, 3, 2, 2):
        text = _replace_regex(text, r"\b" + r"\.".join([r"(\pL)"] * run) + r"\b",
                              "".join(f"\\{k}" for k in range(1, run + 1)), (".",))
    text = _numbers(text)
    for pattern, replacement, needs in street_types.WRITTEN_BEFORE_PUNCTUATION if streets else ():
        text = _replace_regex(text, pattern, replacement, needs)
    # An apostrophe joins ("O'Neil" is "oneil"); every other non-alphanumeric run separates
    # (but a number's decimal point, held as _DECIMAL until then).
    text = pc.replace_substring_regex(text, r"['’`´]", "")
    text = pc.replace_substring_regex(text, r"[^\p{L}\p{N}\x{E000}]+", " ")
    text = pc.replace_substring(text, _DECIMAL, ".")
    text = pc.utf8_trim_whitespace(text)
    if streets:
        # German compound street names fold their street type as the short form does:
        # "Hauptstraße" (→ "hauptstrasse") and "Hauptstr." are both "hauptstr".
        text = _replace_regex(text, r"(\pL)(?:strasse|strase)\b", r"\1str", ("stras",))
        # ... also with the house number written on (`Kirchstraße7`), and with one keying
        # error in the street type (`Poststrase`, `Talstasse`, `Ringstrvasse`:
        # _street_type_typos). One pass over the distinct words does both, then the usual
        # abbreviations.
        text = _replace_regex(text, r"(\pL)(?:strasse|strase)(\d)", r"\1str \2", ("stras",))
    # A Dutch or German surname's particles written on read as written apart: `Vanderberg` is
    # `van der berg`, `Vonderheide` `von der heide` (a user's CRM and shop spelt one name both ways).
    text = _replace_regex(text, r"\b(van|von)(der|den|dem)(\pL{3,})\b", r"\1 \2 \3", ("van", "von"))
    text = _fold_words(text, _short_form if streets else _plain_short_form)
    text = _replace_phrases(text, LEGAL_FORMS)
    if synonyms:
        text = _replace_synonyms(text, synonyms)
    return text



def _holds(text: "pa.Array", needs: Sequence[str]) -> bool:
    """Does a value of `text` contain one of the plain substrings `needs`?"""
    import pyarrow.compute as pc

    return any(pc.any(pc.match_substring(text, need)).as_py() for need in needs)


def _replace_regex(text: "pa.Array", pattern: str, replacement: str, needs: Sequence[str]
                   ) -> "pa.Array":
    """pc.replace_substring_regex, skipped when no value holds one of `needs`, plain substrings
    of which every match of `pattern` holds one (so skipping changes no value). RE2 compiles a
    pattern of Unicode classes on every call, whatever the number of values: the dotted
    initials' four-letter pattern took about 5 ms, a column name's normalize_text 30 ms in all
    (DECISIONS 413); a plain substring search of a column costs less."""
    import pyarrow.compute as pc

    if not _holds(text, needs):
        return text
    return pc.replace_substring_regex(text, pattern, replacement)


# A decimal point while punctuation is taken out: a character of Unicode's private use area.
_DECIMAL = "\ue000"


def _numbers(text: "pa.Array") -> "pa.Array":
    """Numbers as one spelling (DECISIONS 265). Digits split two times or more by the same
    separator join (four or more: _long_runs_joined), as all numbers did before (a date, a part number, grouped thousands:
    `12.03.1980` → `12031980`, `1EG0.052.00` → `1eg005200`). A number that starts a word
    (after a space, a sign or a bracket, not after a letter or a separator) is a quantity:
    its thousands separator (`.` or `,` before three digits that end it) joins (`1,250` →
    `1250`), and its one `.` or `,` left is a decimal point, kept as one (_DECIMAL) without the
    zeros ending its fraction (`4.0` → `4`, `1,250.00` → `1250`, `1.250,50` → `1250.5`), so
    `4.0 cu ft` equals `4 cu ft` and never `40 cu ft`. Digits glued to letters join as before
    (`v1.5` → `v15`, `9UEA.017.00` → `9uea 01700`). RE2 regexes, each a linear pass."""
    import pyarrow.compute as pc

    text = pc.replace_substring(text, _DECIMAL, " ")
    if not _holds(text, (".", ",")):     # every pattern below needs one (or _DECIMAL, set by one)
        return text
    text = _long_runs_joined(text)
    for mark in (r"\.", ","):
        text = pc.replace_substring_regex(text, rf"(\d){mark}(\d+){mark}(\d+){mark}(\d)", r"\1\2\3\4")
        text = pc.replace_substring_regex(text, rf"(\d){mark}(\d+){mark}(\d)", r"\1\2\3")
    start = r"(^|[^\pL\d.,])(\d+)"       # a number that starts a word
    text = pc.replace_substring_regex(text, start + r"[.,](\d\d\d)(\D|$)", r"\1\2\3\4")
    text = pc.replace_substring_regex(text, start + r"[.,](\d)", "\\1\\2" + _DECIMAL + "\\3")
    for _ in range(2):  # any other separator between digits joins: "v1.5", "a.1.2"
        text = pc.replace_substring_regex(text, r"(\d)[.,](\d)", r"\1\2")
    text = pc.replace_substring_regex(text, "(\\d" + _DECIMAL + r"\d*?)0+(\D|$)", r"\1\2")
    return pc.replace_substring_regex(text, "(\\d)" + _DECIMAL + r"(\D|$)", r"\1\2")


def _long_runs_joined(text: "pa.Array") -> "pa.Array":
    """Digits split four times or more by one separator join whole (a French phone number
    `04.78.19.68.78` → `0478196878`, as `04 78 19 68 78` reads once spaces go): the patterns of
    _numbers join two or three separators, and the one left over read as a decimal point
    (`04781968.78`), so the two ways of writing one line scored 64, not 100 (trial D,
    DECISIONS 469). Python runs only on the values holding such a run."""
    import re

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    for mark in (".", ","):
        run = rf"\d+(?:\{mark}\d+){{4,}}"
        held = np.asarray(pc.fill_null(pc.match_substring_regex(text, run), False), dtype=bool)
        if held.any():
            joined = [re.sub(run, lambda found: found.group().replace(mark, ""), value)
                      for value in pc.filter(text, pa.array(held)).to_pylist()]
            text = pc.replace_with_mask(text, pa.array(held), pa.array(joined, pa.string()))
    return text


class _LatinFold(dict):
    """str.translate table, filled on first sight of each character: Latin letters that NFKD
    leaves alone get anyascii's transliteration, every other character maps to itself."""

    def __missing__(self, code: int) -> int | str:
        from anyascii import anyascii

        char = chr(code)
        folded: int | str = code
        if unicodedata.name(char, "").startswith("LATIN "):
            folded = anyascii(char).lower() or code
        self[code] = folded
        return folded


_LATIN_FOLD = _LatinFold()
# ... and a Chinese character's old or variant form written as the form in use (`髙` → `高`),
# in the same pass.
_LATIN_FOLD.update(str.maketrans(cjk_names.VARIANTS))


def _fold_latin_letters(text: "pa.Array") -> "pa.Array":
    """Transliterate the Latin letters without decomposition, and write old forms of Chinese
    characters new (cjk_names.VARIANTS), in the values that have any non-ASCII character."""
    return changed_where(text, r"[^\x00-\x7f]",
                         lambda values: [value.translate(_LATIN_FOLD) for value in values])


def changed_where(text: "pa.Array", pattern: str, change) -> "pa.Array":
    """`text` (a pyarrow string array) with `change` (a list of str → a list of str of one
    length) applied to the values matching `pattern` (RE2), the others untouched: one scan of
    `text`, Python only on the values that match."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    held = np.asarray(pc.fill_null(pc.match_substring_regex(text, pattern), False), dtype=bool)
    if not held.any():
        return text
    changed = change(pc.filter(text, pa.array(held)).to_pylist())
    return pc.replace_with_mask(text, pa.array(held), pa.array(changed, pa.string()))


# A German street name's written-out type: a word ending in one keying error from it (Damerau's
# insertion, deletion, substitution or transposition) after STREET_STEM letters reads as `-str`.
STREET_TYPE = "strasse"
STREET_STEM = 2


def _street_type_typo(word: str) -> str:
    """`word` with a mistyped written-out street type folded to `str` (`talstasse` → `talstr`,
    `bahnhofztrasse` → `bahnhofstr`, `brunnenstrass` → `brunnenstr`), else `word` itself.

    The ending must be one keying error from STREET_TYPE (OSA distance) and end as it does, in
    `s` or `e`, after at least STREET_STEM letters: a surname `Hochstrasser` or a `Terrasse`
    stay as they are. A mistyped street type made a true pair's street `ringstrvasse 94`
    against `ringstr 94` (street score 63), so typos there counted as another street."""
    from rapidfuzz.distance import OSA

    if len(word) < STREET_STEM + len(STREET_TYPE) - 1 or word[-1] not in "se":
        return word
    for length in (7, 8, 6):
        stem, ending = word[:-length], word[-length:]
        if (len(stem) >= STREET_STEM and stem.isalpha() and ending != STREET_TYPE
                and OSA.distance(ending, STREET_TYPE, score_cutoff=1) <= 1):
            return stem + "str"
    return word


# Written-out street types a keying error in which still reads as the type (`booulevard` is
# `blvd`): those of TYPED_STREET_TYPE letters or more (ABBREVIATIONS' street types,
# street_types.STREET_TYPES), but `strasse` (its own rule above keeps the surname `Strasser`),
# `terrace` (`Terrance`, a given name in bench/data/names) and `carretera` (`Carretero`, a
# surname). No word of bench/data/names is one keying error from those kept; a shorter type
# has near twins that are words (`street`/`Streit`, `chemin`/`Cherin`, `avenue`/`avenge`).
TYPED_STREET_TYPE = 7
_STREET_KEYS = ("st", "rd", "ave", "dr", "ln", "ct", "pl", "blvd", "hwy", "sq", "cres", "tce")
_TYPED_TYPES: dict[str, list[tuple[str, str]]] = {}   # first two letters → (written out, key)
for _key, _spellings in [*((key, ABBREVIATIONS[key]) for key in _STREET_KEYS),
                         *street_types.STREET_TYPES.items()]:
    for _spelling in (_key, *_spellings):
        if (len(_spelling) >= TYPED_STREET_TYPE
                and _spelling not in ("strasse", "terrace", "carretera")):
            _TYPED_TYPES.setdefault(_spelling[:2], []).append((_spelling, _key))


def _typed_street_type(word: str) -> str:
    """The key of the written-out street type (_TYPED_TYPES) `word` is one keying error from
    (OSA distance: `booulevard`, `boulevrad`, `faubour` → `blvd`, `blvd`, `faubourg`), its first
    two letters kept (a dictionary lookup spares most words the distance), else `word`. A
    typo in a street type vetoed two rows alike but for it (trial D: `booulevard` vs `bd`,
    DECISIONS 470)."""
    near = [(spelling, key) for spelling, key in _TYPED_TYPES.get(word[:2], ())
            if abs(len(spelling) - len(word)) <= 1]
    if not near:
        return word
    from rapidfuzz.distance import OSA

    found = {key for spelling, key in near if OSA.distance(word, spelling, score_cutoff=1) <= 1}
    return found.pop() if len(found) == 1 else word


def _short_form(word: str) -> str:
    """A word's one spelling: a mistyped street type folded (_street_type_typo,
    _typed_street_type), then the abbreviation of a spelled-out word (ABBREVIATIONS)."""
    if len(word) >= STREET_STEM + len(STREET_TYPE) - 1 and word[-1] in "se":
        word = _street_type_typo(word)
    if word in _SHORT_FORM:
        return _SHORT_FORM[word]
    if word[:2] in _TYPED_TYPES and len(word) >= TYPED_STREET_TYPE - 1:
        return _typed_street_type(word)
    return word


def _plain_short_form(word: str) -> str:
    """A word's one spelling outside addresses: the abbreviation of a spelled-out word
    (ABBREVIATIONS) only."""
    return _PLAIN_SHORT_FORM.get(word, word)


def _fold_words(text: "pa.Array", fold) -> "pa.Array":
    """Each distinct word passed through `fold` (a word → its replacement) once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = pc.utf8_split_whitespace(text)
    flat = pc.dictionary_encode(pc.list_flatten(words))
    spelled = flat.dictionary.to_pylist()
    replaced = [fold(word) for word in spelled]
    if replaced == spelled:
        return text
    new_words = pc.take(pa.array(replaced, type=pa.string()), flat.indices)
    rebuilt = pa.ListArray.from_arrays(words.offsets, new_words)
    return pc.utf8_trim_whitespace(pc.fill_null(pc.binary_join(rebuilt, " "), ""))


def _replace_words(text: "pa.Array", table: Mapping[str, str]) -> "pa.Array":
    """Replace whole words found in `table`, looking each distinct word up once."""
    return _fold_words(text, lambda word: table.get(word, word))


def _replace_phrases(text: "pa.Array", phrases: Mapping[str, str]) -> "pa.Array":
    """Replace whole-word phrases, longest first, in only the values that hold one (one regex
    pass over all values finds them)."""
    import re

    import numpy as np
    import pyarrow.compute as pc

    pattern = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    hit = np.asarray(pc.fill_null(pc.match_substring_regex(text, rf"(^| )({pattern})( |$)"),
                                  False), dtype=bool)
    if not hit.any():
        return text
    import pyarrow as pa

    part = pc.filter(text, pa.array(hit))
    for phrase in sorted(phrases, key=len, reverse=True):
        part = pc.replace_substring_regex(part, rf"(^| ){re.escape(phrase)}( |$)",
                                          rf"\1{phrases[phrase]}\2")
    return pc.replace_with_mask(text, pa.array(hit), part)


def _replace_synonyms(text: "pa.Array", synonyms: Mapping[str, str]) -> "pa.Array":
    """Single words through the word table; phrases of several words as whole-word regexes."""
    import re

    import pyarrow.compute as pc

    text = _replace_words(text, {k: v for k, v in synonyms.items() if " " not in k})
    # Longest phrases first, so "new york city" wins over "new york".
    for phrase in sorted((k for k in synonyms if " " in k), key=len, reverse=True):
        text = pc.replace_substring_regex(text, rf"(^| ){re.escape(phrase)}( |$)",
                                          rf"\1{synonyms[phrase]}\2")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(text, "  +", " "))


def dense_ranks(text: "pa.Array") -> "np.ndarray":
    """Each value's position in sorted order of the distinct values (equal text, equal rank)."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.rank(text, sort_keys="ascending", tiebreaker="dense"), dtype=np.int64)
