"""What a compared column holds, read from its name and from its values.

A column's name may say it holds given names (`Vorname`, `prénom`) or phone numbers (`Tel.`,
`Handy`), in the languages of the app (column_name_words, name_says); its values may be long
numbers (an ID, a date of birth: _holds_identifiers), words (_holds_words) or words with numbers
beside them (a street and its house number: _numbers_in_words). similarity.prepare_columns reads
each compared column so; households.py, identifiers.py and party_names.py ask the same of a
column's name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Column names that mark given names (a word starting with one of these).
GIVEN_NAME_WORDS = ("first", "given", "forename", "christian", "vorname", "rufname", "prenom",
                    "prénom", "nombre", "nome", "voornaam", "imie", "imię")
# An identifier column (an ID, a date of birth, a phone) holds long numbers: at least this many
# digits, and digits for at least IDENTIFIER_DIGIT_SHARE of the characters, in nearly all rows.
IDENTIFIER_DIGITS = 6
IDENTIFIER_DIGIT_SHARE = 0.8
IDENTIFIER_ROW_SHARE = 0.9
# Column names that mark phone numbers (a word starting with one of these), in the languages
# of the app: a shared landline is a household's, not one person's. `tel` covers `Telefone`,
# `telemóvel`, `telefoon`; `cell` `cellulare`; Portuguese `celular`, `fone`; Dutch `mobiel`,
# `gsm`; Polish `komórka`; Finnish `puhelin`, `matkapuhelin`; Swiss `Natel`; `WhatsApp`.
# Japanese, Chinese and Korean names read so through cjk_headers (`携帯`, `手机`, `휴대폰`).
# profile types a column by its values, but never one named for an identifier or a postcode
# "phone" (id_headers.names_no_phone); tests/test_id_headers.py checks the two agree.
PHONE_WORDS = ("phone", "telephone", "tel", "fax", "mobil", "handy", "cell", "festnetz",
               "telefon", "telefono", "portable", "movil", "celular", "fone", "mobiel", "gsm",
               "komorka", "puhelin", "matkapuhelin", "natel", "whatsapp")
# A column whose filled rows are at least this share without letters (dates, phones, amounts)
# is scored on whole values only.
WORDLESS_ROW_SHARE = 0.9
# Column names that mark addresses (a word starting with one of these, as name_says reads
# it; `str`, `rue`, `via`, `rua` and `ul` as whole words), in the languages of the app.
ADDRESS_WORDS = ("street", "strasse", "strase", "address", "adress", "addr", "adres",
                 "anschrift", "calle", "direcc", "domicil", "indirizz", "endere", "morada",
                 "logradouro", "ulica", "sokak", "cadde", "straat")
ADDRESS_EXACT = frozenset({"str", "rue", "via", "rua", "ul"})
# A column whose name says neither reads as addresses when at least this share of its filled
# rows holds a street type (STREET_TYPE_WORDS): 0.81–1.0 of the streets of FEBRL and the
# customer lists of bench/linkage_sets.py, 0.38 of a column of firms with their streets
# (tests/test_matching_kinds.py), 0.05 of Abt-Buy's product titles (`Court`, `Plaza`), none
# of their names, towns or postcodes.
ADDRESS_ROW_SHARE = 0.3
# A street type as written, in the languages of street_types.py and normalize.ABBREVIATIONS,
# or a German or Dutch street name's type written on (`Hauptstraße`, `Kirchweg`, `Kerkstraat`):
# RE2, case-insensitive, on the values as written. Not `Drive`, `Way`, `Close` or `Ring`,
# words of product titles (`Hard Drive`, `2-Way`), nor `Dr`, a title of people's names.
STREET_TYPE_WORDS = (
    r"(?i)(^|[^\pL])(street|st|road|rd|avenue|ave|av|lane|ln|court|ct|place|pl|"
    r"boulevard|blvd|bd|highway|hwy|square|sq|crescent|cres|terrace|tce|circuit|"
    r"calle|c/|avenida|avda|paseo|plaza|carretera|ctra|rua|travessa|praça|praca|via|viale|"
    r"piazza|corso|vicolo|rue|chemin|impasse|allée|allee|route|ulica|ul|aleja|sokak|sok|cadde|"
    r"caddesi|mahalle|mah|straat|laan|weg|gasse|platz|str|straße|strasse)(\.|[^\pL]|$)"
    r"|\pL(straße|strasse|str\.|str\b|weg\b|gasse\b|platz\b|allee\b|straat\b|laan\b)")


@functools.lru_cache(maxsize=256)
def column_name_words(name: str) -> tuple[str, ...]:
    """A column name's words as normalise_text folds them (`Prénom_1` → prenom, 1), and as
    written, only case, accents and punctuation folded (`Company` is `co` to normalize_text,
    whose abbreviations would hide it from a list naming `company`; `l'entreprise` is
    `lentreprise` there and `l`, `entreprise` here), kept per name: each normalize_text call
    runs a dozen regular-expression passes."""
    from datatools.tools.normalize import _LATIN_FOLD, normalize_text

    spaced = str(name).replace("_", " ")
    folded = normalize_text([spaced]).to_pylist()[0].split()
    plain = "".join(char for char in unicodedata.normalize("NFKD", spaced)
                    if not unicodedata.combining(char)).lower().translate(_LATIN_FOLD)
    written = [word for word in re.split(r"[^\w]+", plain) if word and word not in folded]
    # A name in Japanese, Chinese or Korean (`電話番号`, `お名前`) also holds the Latin words of
    # what it names (cjk_headers.header_words: phone, name), which the rules look for.
    from datatools.tools.cjk_headers import header_words

    latin = [word for word in header_words(name) if word not in folded and word not in written]
    return tuple(folded + written + latin)


def name_says(name: str, words: tuple[str, ...]) -> bool:
    """Does a column's name hold a word (column_name_words) starting with one of `words`
    (folded the same way: `Kundenname` says `kunde`, `Variant SKU` says `sku`)?"""
    return any(word.startswith(words) for word in column_name_words(name))


def _names_given_name(name: str) -> bool:
    """Does the column's name say it holds given names (`first`, `Vorname`, `prénom` …)?"""
    return name_says(name, tuple(column_name_words(" ".join(GIVEN_NAME_WORDS))))


def _names_phone(name: str) -> bool:
    """Does the column's name say it holds phone numbers? A landline is shared by everyone in a
    household, so agreeing on it does not make two people one (unlike an ID or an e-mail)."""
    return name_says(name, PHONE_WORDS)


def names_address(name: str) -> bool:
    """Does a column's name say it holds addresses (ADDRESS_WORDS, ADDRESS_EXACT: `street`,
    `Straße`, `Adresse`, `Ulica`, `address_1`)? By the name alone: reads_as_address also asks
    the values, and leaves out an e-mail address's column."""
    return name_says(name, ADDRESS_WORDS) or bool(ADDRESS_EXACT.intersection(column_name_words(name)))


def reads_as_address(name: str, distinct, counts: "np.ndarray") -> bool:
    """Does a column hold addresses: its name says so (ADDRESS_WORDS, ADDRESS_EXACT: `street`,
    `Straße`, `Adresse`, `address_1`, not an e-mail address), or ADDRESS_ROW_SHARE of its
    filled rows hold a street type (STREET_TYPE_WORDS)? `distinct`: the column's distinct
    values as written (a string array), `counts` the rows holding each. Street types fold and
    flats are read only there (normalize_text's `streets`, house_numbers.flats_differ): a
    product title's `CL-51` or `KX 2050` names a model, not a street or a flat (DECISIONS 511)."""
    import numpy as np
    import pyarrow.compute as pc

    if name_says(name, ("mail",)):
        return False
    if names_address(name):
        return True
    filled = np.asarray(pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(distinct), ""), False),
                        dtype=bool)
    typed = np.asarray(pc.fill_null(pc.match_substring_regex(distinct, STREET_TYPE_WORDS), False),
                       dtype=bool)
    rows = counts[filled].sum()
    return bool(rows) and counts[typed & filled].sum() >= ADDRESS_ROW_SHARE * rows


def _holds_identifiers(distinct, counts: "np.ndarray") -> bool:
    """Do nearly all filled rows hold a long number (an ID, a date of birth, a phone)?"""
    import numpy as np
    import pyarrow.compute as pc

    digits = np.asarray(pc.count_substring_regex(distinct, r"\d"), dtype=np.int64)
    characters = np.asarray(pc.utf8_length(pc.replace_substring(distinct, " ", "")), dtype=np.int64)
    numbers = (digits >= IDENTIFIER_DIGITS) & (digits >= IDENTIFIER_DIGIT_SHARE * characters)
    filled = counts[characters > 0].sum()
    return bool(filled) and counts[numbers].sum() >= IDENTIFIER_ROW_SHARE * filled


def _holds_words(distinct, counts: "np.ndarray") -> bool:
    """Do more than WORDLESS_ROW_SHARE of the filled rows hold a letter? Dates, phones and
    amounts are several "words" of digits, but rare-word scoring means nothing for them."""
    import numpy as np
    import pyarrow.compute as pc

    letters = np.asarray(pc.match_substring_regex(distinct, r"\pL"), dtype=bool)
    filled = counts[np.asarray(pc.not_equal(distinct, ""), dtype=bool)].sum()
    return bool(filled) and counts[letters].sum() > (1 - WORDLESS_ROW_SHARE) * filled


def _numbers_in_words(distinct, counts: "np.ndarray", indices: "np.ndarray",
                      flats: bool = True) -> "np.ndarray | None":
    """Each row's numbers (all digit runs joined) as a rank, 0 for none, in a column where most
    filled rows hold both letters and digits (a street with its house number); else None.
    With `flats` (a column read as addresses) a flat's marks count too (house_numbers.flat_marks:
    `12a` is not `12b`)."""
    import numpy as np
    import pyarrow.compute as pc

    from datatools.tools.house_numbers import flat_marks
    from datatools.tools.normalize import dense_ranks

    letters = np.asarray(pc.match_substring_regex(distinct, r"\pL"), dtype=bool)
    digits = np.asarray(pc.match_substring_regex(distinct, r"\d"), dtype=bool)
    filled = counts[np.asarray(pc.not_equal(distinct, ""), dtype=bool)].sum()
    if not filled or counts[letters & digits].sum() < 0.5 * filled:
        return None
    only_digits = pc.replace_substring_regex(distinct, r"[^\d ]+", "")
    only_digits = pc.utf8_trim_whitespace(pc.replace_substring_regex(only_digits, " +", " "))
    if flats:
        only_digits = flat_marks(distinct, only_digits)
    ranks = np.where(np.asarray(pc.equal(only_digits, ""), dtype=bool), 0,
                     dense_ranks(only_digits)).astype(np.int32)
    return ranks[indices]
