"""Street types of Spanish, Portuguese, Italian, Turkish, Polish and French addresses, each spelling one key.

The forms are those of libpostal's dictionaries (github.com/openvenues/libpostal,
resources/dictionaries/{es,pt,it,tr,pl}/street_types.txt: one street type a line, its
written-out form first, then its abbreviations), as normalize_text leaves them (accents and dots
gone, `p.za` → `pza`), and Turkish `Mah.` (Mahallesi, a quarter) and `Bulv.` (Bulvarı), which
libpostal does not list but Turkish addresses write (DECISIONS 387). Only the types of person and company addresses are taken, and no
abbreviation of one letter (`v` for via, `r` for rua, `c` for calle): a lone letter is a name's
initial far more often. `C/`, Spanish calle, is kept: normalize_text reads its slash first.

French types (libpostal's fr/street_types.txt, and `fg`/`fbg` for faubourg from La Poste's list
of the AFNOR NF Z 10-011 abbreviations, which libpostal lacks): `r`/`r.` (rue), `all.` (allée)
and `ch.` (chemin) are a name's initial or an English word as often, and `bd` a Blu-ray
player's (Abt-Buy's `Sharp Aquos BD-HP21U`), so they are read as a street type only right
after a house number and before the street's name (`9 R. Garibaldi`, `12 bis all. des Pins`:
FRENCH_AFTER_NUMBER); there a lone `r` was read as a flat's letter
(house_numbers.address_marks) and kept one person's two rows apart (trial D, DECISIONS 468).
`chem` is taken for chemin, as customers write it (libpostal gives it to cheminement).
"""

from __future__ import annotations

# key: the spellings that read as it (the key is one of them or an English/German short form
# already in normalize.ABBREVIATIONS, so "avenida" and "avenue" are one word).
STREET_TYPES = {
    # es
    "calle": ("cl", "cll"),
    "ave": ("avenida", "avd", "avda"),  # es and pt; `av` is already `ave`; not pt `ava`: Ava
    "paseo": ("pso", "pseo"),     # `Pº`: WRITTEN_BEFORE_FOLDING; not `po`, the Italian river
    "carretera": ("ctra",),
    "travesia": ("trva", "trvsia"),
    # pt
    "rua": (),
    "travessa": ("trav", "trv"),               # not `tv`: a television far more often
    "praca": ("pca",),
    # it
    "via": (),
    "pl": ("plaza", "plza", "pza", "plac", "piazza", "pzza"),  # es, pl, it; `place` is `pl`
    "corso": ("cso",),
    "viale": ("vle",),
    "vicolo": ("vlo",),
    # tr
    "cad": ("cadde", "caddesi"),               # not `cd`: a compact disc far more often
    "sok": ("sokak", "sokagi", "sk"),
    "bulvari": ("bulvar", "blv", "bulv"),       # `Bulv.`: not in libpostal (DECISIONS 387)
    "mah": ("mahalle", "mahallesi"),           # a quarter, `Mah.`: not in libpostal either
    # pl
    "ul": ("ulica",),                          # not `aleja`/`al`: Aleja and Al, given names
    # fr (module docstring; `boulevard` is `blvd`, `avenue`/`av` `ave`, `place` `pl` already)
    "blvd": ("boul", "boulv", "bld", "bvd"),   # `bd` after a house number only: Blu-ray `BD-HP21U`
    "impasse": ("imp",),
    "chemin": ("chem",),
    "route": ("rte",),
    "faubourg": ("fg", "fbg"),
}

# A house number (digits, a letter or `bis`/`ter` glued or apart, a comma) and the French
# type's short form after it, before the street's name (`d'Alsace` too): RE2, lower-cased text.
_HOUSE = r"(\d\pL{0,6}[\s,]+(?:(?:bis|ter|quater)[\s,]+)?)"
FRENCH_AFTER_NUMBER = (
    (_HOUSE + r"r(?:\.\s*|\s+)(\pL[\pL'’])", r"\1rue \2", (" r", ",r", "\tr", "\nr")),
    (_HOUSE + r"bd(?:\.\s*|\s+)(\pL[\pL'’])", r"\1blvd \2", (" bd", ",bd", "\tbd", "\nbd")),
    (_HOUSE + r"all\.\s*(\pL[\pL'’])", r"\1allee \2", ("all.",)),
    (_HOUSE + r"ch\.\s*(\pL[\pL'’])", r"\1chemin \2", ("ch.",)),
)

# The Spanish `Pº` (paseo, `P.º` too), before NFKD reads its º as an `o`: as `po` it was the
# Italian river of `Via Po` and the `P.O.` of `P.O. Box`, shown back as `paseo` among a pair's
# rare words (trial E, DECISIONS 492). RE2 on the text as written, with the plain substrings
# one of which its every match holds (normalize._replace_regex).
WRITTEN_BEFORE_FOLDING = (
    (r"(^|[^\pL\d])[pP]\.?\s*º", r"\1paseo ", ("º",)),
)

# The Spanish `C/` (calle), Italian `C.so` (corso) and `P.za` (piazza), which punctuation would split into lone
# letters, and the French short forms after a house number: RE2 patterns on the lower-cased
# text, before punctuation is taken out.
# Each with the plain substrings one of which its every match holds (normalize._replace_regex).
WRITTEN_BEFORE_PUNCTUATION = (
    (r"(^|[^\pL\d])c\s*/\s*(\pL\pL)", r"\1calle \2", ("/",)),  # not `c/o`, care of
    (r"(^|[^\pL\d])c\.so\b", r"\1corso", ("c.so",)),
    (r"(^|[^\pL\d])p\.z?za\b", r"\1pl", ("p.",)),
) + FRENCH_AFTER_NUMBER + (
    # A Japanese block number written out (`4丁目15番19号`, `15番地`) is the one written with
    # hyphens (`4-15-19`): the characters after each number mark its place, not a flat.
    (r"(\d)\s*丁目\s*", r"\1-", ("丁目",)),
    (r"(\d)\s*番地?\s*", r"\1-", ("番",)),
    (r"(\d)\s*号", r"\1", ("号",)),
)


def short_forms() -> dict[str, str]:
    """Each spelling of a street type (normalised text) → its key (STREET_TYPES)."""
    return {spelling: key for key, spellings in STREET_TYPES.items() for spelling in spellings}
