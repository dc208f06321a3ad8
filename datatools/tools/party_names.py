"""Do two values of a name column name two parties: a full name's given name, a firm's own words?

certainty.py reads given names only in a column whose name says so (`Vorname`), one name a
value. A column of whole names (`Name`: `Paula Bauer`; a match's `Kunde`, `Vorname + Nachname`)
put a household's `Paul` and `Paula` at 95 beside one address, certain, and the given-name
rules never looked (a trial at defaults: 17 couples merged in 2,518 rows, DECISIONS 312). Here
the one word of each value that the other lacks, its other words the same (`Paula Bauer`/
`Paul Bauer`, `Weiß, Stefan`/`Stefanie Weiß`), is read as the given name by certainty's rules.

On a small table a name or company column whose values share a word while each holds a word of
its own that is no spelling of the other's (`Autohaus Becker Nord`/`Süd`, `Zahnarztpraxis`/
`Tierarztpraxis Dr. Klein`) keeps the pair possible too, as match does on a small table
(match_certainty._other_words) and as the word veto does below VETO_CHECK_BELOW (DECISIONS 313).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import weakref
    from typing import Sequence

    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# A column whose name holds a word starting so holds the names of people (folded as
# similarity.column_name_words folds them: `Kundenname` → kundenname, `Empfänger` → empfanger) ...
# Dutch `naam`, `klant`, `klantnaam`, `ontvanger`, `eigenaar`; French `destinataire`, `titulaire`,
# `membre`, `adherent`; Italian `contatto`, `destinatario`, `titolare`, `membro`; Spanish
# `contacto`, `titular`, `miembro`; Portuguese `contato`, `pessoa` (`nome`, `nombre`, `cliente`
# start with `nom` and `client`): a whole-name column not read as one put housemates of one
# surname and address together as certain (trial C, DECISIONS 439).
PERSON_WORDS = ("name", "fullname", "kunde", "kundin", "customer", "client", "person", "kontakt",
                "contact", "ansprechpartner", "inhaber", "owner", "empfanger", "recipient",
                "patient", "mitglied", "member", "nom", "naam", "klant", "ontvanger", "eigenaar",
                "destinata", "titulaire", "titolare", "titular", "membre", "membro", "miembro",
                "adherent", "contatto", "contacto", "contato", "pessoa")
# ... and one whose name holds a word starting so holds the names of firms (German, English,
# French, Italian, Spanish: `Firma`, `Company`, `Société`, `entreprise`, `azienda`, `empresa`),
COMPANY_WORDS = ("firm", "company", "unternehmen", "business", "organisation", "organization",
                 "lieferant", "supplier", "vendor", "handler", "dealer", "praxis", "kanzlei",
                 "societe", "societa", "sociedad", "entreprise", "fournisseur", "azienda",
                 "ditta", "impresa", "fornitore", "empresa", "proveedor")
# ... as does one holding one of these words followed by a word starting so (`raison_sociale`,
# `Ragione sociale`, `razón social`: alone, `raison` is a reason).
COMPANY_PHRASES = (("raison", "social"), ("ragione", "social"), ("razon", "social"))
# A column whose name says so holds people's whole names (PERSON_WORDS) unless a word says it
# holds only surnames (whose typos make other surnames: `Meier`/`Meyer`) or firms
# (`Nom de l'entreprise`).
NOT_WHOLE_NAMES = ("nachname", "familienname", "zuname", "surname", "last", "family") + COMPANY_WORDS


def names_firms(name: str) -> bool:
    """Does a column's name say it holds firms' names (COMPANY_WORDS, COMPANY_PHRASES), its
    words folded as similarity.column_name_words folds them (case, accents, underscores)?"""
    from datatools.tools.similarity import column_name_words

    words = column_name_words(name)
    return (any(word.startswith(COMPANY_WORDS) for word in words)
            or any(first == word and following.startswith(second)
                   for first, second in COMPANY_PHRASES
                   for word, following in zip(words, words[1:])))


def _names_people(name: str) -> bool:
    """Does a column's name say it holds people's whole names (`Name`, `Kunde`, `full_name`,
    `naam`), not surnames alone (households.SURNAME_WORDS: `Nachname`, `nom de famille`)?"""
    from datatools.tools.households import _names_surname
    from datatools.tools.similarity import column_name_words

    words = column_name_words(name)
    return (any(word.startswith(PERSON_WORDS) for word in words)
            and not any(word.startswith(NOT_WHOLE_NAMES) for word in words)
            and not _names_surname(name) and not names_firms(name))


# Common surnames that cleanco's table holds as legal forms (words.legal_form_words): Dutch
# `Vos`, the 15th commonest Dutch surname (32,954 bearers, Meertens Instituut, Nederlandse
# Familienamenbank), and `Koop`, of the 1,500 commonest German ones (rank 1,462, bench/data/
# names/de_surnames.csv). No other surname of bench/data's German and US lists is one.
SURNAMES_NOT_LEGAL = frozenset({"vos", "koop"})


def names_never_legal(name: str) -> frozenset[str]:
    """The words a column of this name holds as people's names, never as a legal form
    (words.weigh_words): in a column named for whole names (_names_people: `naam`, `Kunde`)
    or given names (`Vorname`), the given names in common use (given_names.txt) that are also
    legal forms in cleanco's table (`Sem`, `Sia`, `Teo`), and in those and in one named for
    surnames (households.SURNAME_WORDS: `achternaam`), the common surnames SURNAMES_NOT_LEGAL.
    Read as one, `de Jong Sem` lost its given name, `de jong` against `Thomas de Jong` named no
    second given name, and the housemates were grouped certain (a Dutch trial, DECISIONS 458);
    `Thomas Vos` read `thomas`, one with `Thomas Bos` at his address (464). Elsewhere: none."""
    from datatools.tools.given_names import known_given_names
    from datatools.tools.households import _names_surname
    from datatools.tools.similarity import _names_given_name

    if _names_people(name) or _names_given_name(name):
        return known_given_names() | SURNAMES_NOT_LEGAL
    if _names_surname(name):
        return SURNAMES_NOT_LEGAL
    return frozenset()


def name_column_roles(columns: "Sequence[str]") -> dict[str, list[str]]:
    """Which of `columns` the engine reads as whole names (_names_people: `naam`, `Kunde`,
    `Name`, not `first_name`), as given names alone and as surnames alone (households.
    SURNAME_WORDS), by their names: {"whole": [...], "given": [...], "family": [...]}, each in
    the order of `columns`. The window proposes its pairings from these (datatools/ui/tool.js)."""
    from datatools.tools.households import _names_surname
    from datatools.tools.similarity import _names_given_name

    return {"whole": [c for c in columns
                      if _names_people(c) and not _names_given_name(c) and not _names_number(c)],
            "given": [c for c in columns if _names_given_name(c) and not _names_surname(c)],
            "family": [c for c in columns if _names_surname(c) and not _names_given_name(c)]}


# A column's name that says it holds a number or a code (`Kundennummer`, `customer_id`,
# `Kunden-Nr.`, `顧客番号`) names no one's name, whatever person it is the number of.
NUMBER_WORDS = frozenset({"id", "nr", "no", "num", "number", "nummer", "code", "nummern"})


def _names_number(name: str) -> bool:
    """Does a column's name say it holds a number or a code (NUMBER_WORDS, or a word ending
    in `nummer` or `number`: `Kundennummer`)?"""
    from datatools.tools.similarity import column_name_words

    return any(word in NUMBER_WORDS or word.endswith(("nummer", "number"))
               for word in column_name_words(name))


def whole_name_partner(name: str, columns: "Sequence[str]") -> "str | None":
    """For a column named for whole names (_names_people: `naam`, `Kunde`, `Name`), the first
    of `columns` named for given names and the first named for surnames (name_column_roles)
    joined as match reads two columns as one (`voornaam + achternaam`); None for another
    column, or when `columns` lack either."""
    from datatools.tools.match import JOIN

    if not name_column_roles([name])["whole"]:
        return None
    roles = name_column_roles(columns)
    given, family = roles["given"], roles["family"]
    return f"{given[0]}{JOIN}{family[0]}" if given and family else None


def _whole_name_columns(prepared: "PreparedColumns") -> list[int]:
    """The compared columns holding whole names: named so (_names_people), or named for given
    names (`Vorname + Nachname`) with no surname column compared beside them, with values of
    several words (prepared.core is not None). Beside a surname column a given-name column
    holds given names (FEBRL's `given_name`, a few values of two words), which
    certainty._other_given_name reads, given name and surname swapped included."""
    from datatools.tools.households import _names_surname
    from datatools.tools.similarity import _names_given_name

    surnames = any(_names_surname(name) for name in prepared.names)
    return [column for column, name in enumerate(prepared.names)
            if prepared.core[column] is not None and not prepared.identifier[column]
            and (_names_people(name) or _names_given_name(name))
            and not (surnames and _names_given_name(name))]


def _party_columns(prepared: "PreparedColumns") -> list[int]:
    """The compared columns holding names of people or firms, by their names (`Name`,
    `Firma`, `Nachname`, `Kunde`, `Lieferant`)."""
    from datatools.tools.similarity import _names_given_name, column_name_words

    found = []
    for column, name in enumerate(prepared.names):
        words = column_name_words(name)
        if not prepared.identifier[column] and (
                _names_given_name(name) or any("name" in word for word in words)
                or any(word.startswith(PERSON_WORDS) for word in words) or names_firms(name)):
            found.append(column)
    return found


def given_word(left: str, right: str) -> "tuple[str, str, bool] | None":
    """Two whole names (normalised text) that agree on every word but one on each side, in
    any order: those two words, and whether one of them is its value's first word (where a
    given name stands unless the surname is written first). None for any other pair."""
    one, other = left.split(), right.split()
    if len(one) != len(other) or len(one) < 2:
        return None
    own_one = [word for word in one if word not in other]
    own_other = [word for word in other if word not in one]
    if len(own_one) != 1 or len(own_other) != 1:
        return None
    rest_one, rest_other = list(one), list(other)
    rest_one.remove(own_one[0])
    rest_other.remove(own_other[0])
    if sorted(rest_one) != sorted(rest_other):
        return None
    return own_one[0], own_other[0], one[0] == own_one[0] or other[0] == own_other[0]


def compound_given_words(left: str, right: str) -> "tuple[str, list[str]] | None":
    """Two whole names (normalised text) alike but for their first words, one given name
    standing first on one side and a compound given name of two words on the other (`daniel
    rodriguez vidal`/`maria carmen rodriguez vidal`): the one word and the two, neither side
    holding a word of the other's. None for any other pair (`jose`/`jose antonio` share a word:
    a compound name shortened, as Spaniards write it)."""
    one, other = left.split(), right.split()
    if len(one) > len(other):
        one, other = other, one
    if len(one) < 2 or len(other) != len(one) + 1 or one[1:] != other[2:]:
        return None
    word, words = one[0], other[:2]
    return None if word in words else (word, words)


def whole_name_differs(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                       vouched: bool = False) -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): in a column of whole
    names (_whole_name_columns), do the words in which the two values differ (given_word) read
    as two given names by certainty's rules (DECISIONS 262, 269, 288)? A bool array.

    A male and female form (certainty.gendered_pair: `Paul`/`Paula`, `Stefan`/`Stefanie`) is
    two names wherever the word stands. Where it is a value's first word (a given name, unless
    the surname is written first) the two words are also two names when each is the first word
    of certainty.ESTABLISHED_GIVEN rows or more or both are names in common use
    (given_names.two_known_names: `Mira`/`Mika`, DECISIONS 385), or, scoring below
    certainty.GIVEN_NAME_FROM, when they are more keying errors apart than a typo makes (`Hans`/
    `Hannah`); elsewhere the word may be a surname, whose typos make other surnames (`Meier`/
    `Meyer`), so there the words are two surnames (`Claudia Weber`/`Claudia Bauer` on one firm's
    mailbox, trial t7b, DECISIONS 361) only when _two_surnames says so; an initial (`J.`) is no
    name. Two whole names sharing no word nor a spelling of one (_nothing_shared: `Frank
    Becker`/`Peter Klein`) are two people. `vouched` (an identifier agrees: households.
    _typo_apart): first words each held by ESTABLISHED_GIVEN rows are no longer two names by
    that alone, since a typo other rows repeat (`Anttoine`/`Antoine` on one e-mail, a customer
    keyed twice) is one (DECISIONS 467)."""
    import numpy as np
    from rapidfuzz import fuzz

    from datatools.tools.certainty import (ESTABLISHED_GIVEN, GIVEN_NAME_FROM, LONG_GIVEN_NAME,
                                           _keying_errors, gendered_pair)
    from datatools.tools.cjk_names import han_names_differ
    from datatools.tools.given_names import two_known_names

    def two_given(one: str, other: str) -> bool:
        """Two first words read as two given names (the docstring's rules; `held`: the
        column's first words, counted on the first call for a column)."""
        nonlocal held
        if gendered_pair(one, other):
            return True
        if min(len(one), len(other)) < 2:
            return False    # an initial (`J. Muller`/`Jane Muller`)
        if held is None:
            held = _first_words(prepared, column)
        allowed = 1 + (max(len(one), len(other)) >= LONG_GIVEN_NAME)
        return ((not vouched and min(held.get(one, 0), held.get(other, 0)) >= ESTABLISHED_GIVEN)
                or two_known_names(one, other)
                or (fuzz.ratio(one, other) < GIVEN_NAME_FROM and _keying_errors(one, other) > allowed))

    # Each column of whole names has its say (`氏名` and its reading `フリガナ`): two names in
    # either are two people.
    result = np.zeros(len(x), dtype=bool)
    for column in _whole_name_columns(prepared):
        text = prepared.text[column]
        held = None
        for k in range(len(x)):
            left, right = _unsaluted(str(text[x[k]])), _unsaluted(str(text[y[k]]))
            # Names in Chinese characters are one only when written alike (cjk_names).
            han = han_names_differ(left, right)
            if han is not None:
                result[k] |= han
                continue
            found = None if left == right else given_word(left, right)
            if found is None:
                # A given name against a compound one (`Daniel`/`María Carmen`, the rest one
                # surname or two): two people when the one word reads as another name than
                # each word of the two (trial F: a man's order went to a woman at his address).
                compound = None if left == right else compound_given_words(left, right)
                if compound is not None:
                    word, words = compound
                    result[k] |= all(two_given(word, w) for w in words)
                    continue
                result[k] |= left != right and _nothing_shared(left, right)
                continue
            one, other, first = found
            if first or gendered_pair(one, other):
                result[k] |= two_given(one, other)
            elif min(len(one), len(other)) >= 2:      # an initial is no surname either
                result[k] |= _two_surnames(one, other)
    return result


# Salutations before a whole name (folded), which name no one.
SALUTATIONS = frozenset({"herr", "frau", "hr", "fr", "mr", "mrs", "ms", "miss", "mme"})


def _unsaluted(name: str) -> str:
    """A whole name (folded) without its salutations (`herr julia wagner` → `julia wagner`)."""
    return " ".join(word for word in name.split() if word not in SALUTATIONS)


def _nothing_shared(left: str, right: str) -> bool:
    """Do two whole names (folded) share no word nor a spelling of one (match_certainty.
    _spelling: a typo, an initial's letter, an abbreviation), salutations and STOP_WORDS
    aside (`Frank Becker`/`Peter Klein` on one firm's mailbox, trial t7b)? Salutations are
    gone already (_unsaluted)."""
    from datatools.tools.match_certainty import _spelling

    one = [word for word in left.split() if word not in STOP_WORDS]
    other = [word for word in right.split() if word not in STOP_WORDS]
    return bool(one and other) and not set(one) & set(other) and not _spelling(one, other)


def _two_surnames(one: str, other: str) -> bool:
    """Are two words standing after a whole name's first word (folded) two surnames: neither
    a legal form or STOP_WORDS word (`Müller GmbH`/`Müller AG` in a `Name` column), nor a
    spelling of the other (match_certainty._spelling: a typo, `Meier`/`Meyer`, an
    abbreviation, one inside the other)? A double surname (`Kowalska-Nowak`/`Kowalska`) holds
    a word more, so given_word never offers it."""
    from datatools.tools.match_certainty import _spelling
    from datatools.tools.words import legal_form_words

    ignored = legal_form_words() | STOP_WORDS
    return (one not in ignored and other not in ignored and one not in other
            and other not in one and not _spelling([one], [other]))


# _first_words' answers, per column's ranks array (by id, with a weak reference to tell a
# reused id): a large dedupe asks again for each batch of groups it explains.
_FIRST_WORDS: dict[int, tuple["weakref.ref", dict[str, int]]] = {}


def _first_words(prepared: "PreparedColumns", column: int) -> dict[str, int]:
    """How many rows' values in `column` start with each word (one pass over the rows, one
    Python step per distinct value; kept while the column lives)."""
    import weakref

    ranks = prepared.ranks[column]
    kept = _FIRST_WORDS.get(id(ranks))
    if kept is not None and kept[0]() is ranks:
        return kept[1]
    held = _count_first_words(prepared, column)
    for key in [key for key, (ref, _) in _FIRST_WORDS.items() if ref() is None]:
        del _FIRST_WORDS[key]
    _FIRST_WORDS[id(ranks)] = (weakref.ref(ranks), held)
    return held


def _count_first_words(prepared: "PreparedColumns", column: int) -> dict[str, int]:
    """_first_words, counted."""
    import numpy as np

    ranks = prepared.ranks[column]
    counts = np.bincount(ranks)
    first_row = np.zeros(len(counts), dtype=np.int64)
    first_row[ranks[::-1]] = np.arange(len(ranks) - 1, -1, -1)
    held: dict[str, int] = {}
    text = prepared.text[column]
    for rank in np.flatnonzero(counts[1:]).tolist():
        words = str(text[first_row[rank + 1]]).split()
        if words:
            held[words[0]] = held.get(words[0], 0) + int(counts[rank + 1])
    return held


# Words that name no party on their own (folded): joiners, articles, prepositions and a title,
# so `Müller und Partner`/`Müller & Partner` or `The Lakes Hotel`/`Lakes Hotel` are one firm.
STOP_WORDS = frozenset({"und", "and", "the", "der", "die", "das", "den", "dem", "von", "vom",
                        "of", "for", "fur", "zu", "zum", "zur", "am", "an", "im", "in", "bei",
                        "et", "de", "du", "des", "la", "le", "les", "dr", "prof"})


def _company_columns(prepared: "PreparedColumns") -> list[int]:
    """The compared columns holding firms' names, by their names (names_firms: `Firma`,
    `Lieferant`, `Supplier`, `company_name`, `raison_sociale`)."""
    return [column for column, name in enumerate(prepared.names)
            if not prepared.identifier[column] and names_firms(name)]


def extra_firm_word(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                    column_scores: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): in a company column
    (_company_columns) does one name hold the other's words and a distinctive word more
    (`Würth Elektronik eiSos GmbH & Co. KG` against `Würth Elektronik GmbH & Co. KG`: a sister
    company, another VAT ID)? A distinctive word has two letters or more (match_certainty.
    MIN_LETTERS) and is no legal form (words.legal_form_words), no STOP_WORDS word, and no
    typo, abbreviation or joined form of one of the other name's words (match_certainty.
    _spelling: `Masch.`/`Maschinenbau`). An identifier column agreeing exactly (100 in
    `column_scores`) vouches for the pair. A bool array; a usability trial (repro6b)."""
    import numpy as np

    from datatools.tools.match_certainty import _spelling, _words
    from datatools.tools.words import legal_form_words

    ignored = legal_form_words() | STOP_WORDS
    result = np.zeros(len(x), dtype=bool)
    for column in _company_columns(prepared):
        text = prepared.text[column]
        for k in np.flatnonzero(~result).tolist():
            left, right = str(text[x[k]]), str(text[y[k]])
            if left == right:
                continue
            one = {w for w in left.split() if w not in ignored}
            other = {w for w in right.split() if w not in ignored}
            if not one & other or (one - other and other - one):
                continue    # nothing shared, or words of its own on both sides (_other_words)
            extra = _words((one - other) | (other - one))
            shorter = sorted(other if one - other else one)
            result[k] = bool(extra) and not _spelling(extra, shorter)
    for column, identifier in enumerate(prepared.identifier):
        if identifier:
            result &= column_scores[:, column] != 100
    return result


def parties_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                   column_scores: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) on a small table (no model): do its names read as two parties?
    Two given names in a whole name (whole_name_differs), or a name or company column
    (_party_columns) whose values share a word while each holds a word of its own, of two
    letters or more, no legal form and no spelling, abbreviation or joined form of the other's
    (match_certainty._other_words): `Autohaus Becker Nord`/`Süd`, `Zahnarztpraxis`/
    `Tierarztpraxis Dr. Klein`; or a company column whose one name holds the other's words and
    a distinctive word more (extra_firm_word). An identifier agreeing exactly vouches for the
    last two, a shared model number for the second. `column_scores` as score_columns gives (pairs × columns+1). A bool array."""
    from datatools.tools.legal_forms import legal_forms_differ
    from datatools.tools.match_certainty import _other_words

    return (whole_name_differs(prepared, x, y) | extra_firm_word(prepared, x, y, column_scores)
            | legal_forms_differ(prepared, x, y, column_scores)
            | _other_words(prepared, x, y, column_scores, _party_columns(prepared)))
