"""What tells two members of one household apart, and which identifiers vouch for one person.

Issue 30: two people at one address are never merged by default. A trial (repro7) found two
household shapes the given-name rules (certainty.py) let through as certain:

- twins: one surname, address and date of birth, different given names (`Javier`/`Carmen
  Sánchez`, born 1999-12-23). A learned run took the shared date of birth for an identifier
  agreeing and called 53 such pairs certain. A date of birth names no one person when the
  given names differ; only a person's own number (a customer or social security number)
  agreeing exactly or one keying error apart vouches for two given names (own_numbers,
  own_number_vouches).
- a family's or a firm's shared mailbox (`familie.meyer@web.de`, `einkauf@firma.de`) or a
  firm's VAT ID (trial t7b): `Jan`/`Peter Koch` on one e-mail were merged certain (190 wrong
  certain groups in 1,268 rows). Like a date of birth, such an identifier vouches only for
  given names a typo apart (DECISIONS 360).
- a couple whose surname has a male and a female form (`K. Kowalski`/`K. Kowalska`,
  `Novák`/`Nováková`, `Kazlauskas`/`Kazlauskienė`, `Bērziņš`/`Bērziņa`): the forms differ
  by an ending only and scored 88, certain on an initial. Such a pair is two people unless its
  given names agree in full (surname_forms_differ).
- an initial against a given name (`A. Lee` beside `Ann Lee` at one address): `A.` may be
  `Alan` of the same household as well as `Ann`, so an initial alone makes no pair certain
  (initial_only), though it keeps the pair grouped as possible (DECISIONS 383).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# A column whose name (folded: similarity.column_name_words) holds a word starting so holds
# surnames, in the languages whose surnames have a male and a female form too.
# Dutch `achternaam`/`familienaam`, Italian `cognome`, Portuguese `sobrenome`/`apelido`, French
# `nom de famille` (its word `famille`), Scandinavian, Finnish and Turkish ones too: a surname
# column not read as one leaves the given-name column beside it read as whole names, and a
# given name and surname typed into each other's columns as two people (issue 30, DECISIONS 417).
SURNAME_WORDS = ("last", "surname", "family", "nachname", "familienname", "zuname", "nazwisk",
                 "prijmeni", "pavarde", "uzvard", "apellido", "famille", "achternaam",
                 "familienaam", "geslachtsnaam", "cognome", "sobrenome", "apelido", "efternamn",
                 "efternavn", "etternavn", "sukunimi", "soyad")
# A surname's male and female endings (folded as normalize_text folds them: `á` is `a`,
# `ė` is `e`, `š` is `s`), each after a stem of _STEM letters or more: Polish -ski/-ska,
# -cki/-cka, -dzki/-dzka; Czech and Slovak -ský/-ská, -ová after a consonant (`Novák`/
# `Nováková`), for a final -a (`Svoboda`/`Svobodová`) or -ek (`Hájek`/`Hájková`); Lithuanian
# -as, -is, -ys, -us against a wife's -ienė and a daughter's -aitė, -ytė, -utė, -iūtė;
# Latvian -s/-a (`Bērziņš`/`Bērziņa`, `Ozols`/`Ozola`) and -is/-e; Russian and Bulgarian
# -ov/-ova, -ev/-eva, -in/-ina (Wikipedia, "Slavic names", "Lithuanian name", "Latvian name").
SURNAME_FORMS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"), ("sky", "ska"),
                 ("cky", "cka"), ("", "ova"), ("a", "ova"), ("ek", "kova"),
                 ("as", "iene"), ("is", "iene"), ("ys", "iene"), ("us", "iene"),
                 ("as", "aite"), ("is", "yte"), ("ys", "yte"), ("us", "ute"), ("us", "iute"),
                 ("s", "a"), ("is", "e"), ("ov", "ova"), ("ev", "eva"), ("in", "ina"))
_STEM = 3
# A column whose name holds a word starting so holds a person's own number (folded, as
# similarity.column_name_words folds: `Kundennummer` → kundennummer, `Mitglieds-Nr.` →
# mitglieds nr): a customer, client, member, account, patient or insurance number, or a
# number a state gives one person (a social security number, FEBRL's `soc_sec_id`; a passport
# or identity card; and every number id_headers.names_personal_number reads: `SSN`, `AHV`,
# `BSN`, `PESEL`, `CPF`, `DNI`, `Personnummer` …): twins and spouses each have their own. A bank
# account is not one: a couple shares it; nor a firm's tax number (`CNPJ`, `USt-IdNr.`).
OWN_NUMBER_WORDS = ("kunde", "customer", "cust", "client", "kdnr", "klant", "member", "mitglied",
                    "patient", "versichert", "loyalty", "soc", "passport", "reisepass", "ausweis")


def _names_surname(name: str) -> bool:
    """Does a column's name say it holds surnames (`last`, `Nachname`, `nazwisko`)?"""
    from datatools.tools.similarity import name_says

    return name_says(name, SURNAME_WORDS)


def surname_forms(left: str, right: str) -> bool:
    """Are two folded surnames one surname's male and female forms (SURNAME_FORMS:
    `kowalski`/`kowalska`, `novak`/`novakova`, `kazlauskas`/`kazlauskiene`)?"""
    for male, female in SURNAME_FORMS:
        for one, other in ((left, right), (right, left)):
            stem = one[:len(one) - len(male)] if male else one
            if one.endswith(male) and len(stem) >= _STEM and other == stem + female:
                return True
    return False


def own_numbers(prepared: "PreparedColumns") -> list[int]:
    """The compared identifier columns (PreparedColumns.identifier) named for a person's own
    number (OWN_NUMBER_WORDS: `Kundennummer`, `customer_id`, `Mitglieds-Nr.`), no e-mail
    (PreparedColumns.exact_only) and no phone (similarity.PHONE_WORDS): the identifiers that
    vouch for two given names (DECISIONS 360). An e-mail, a phone, a VAT ID or a date of birth
    is shared by a family, a firm's staff or twins."""
    from datatools.tools.id_headers import names_personal_number
    from datatools.tools.similarity import PHONE_WORDS, name_says

    def own(name: str) -> bool:
        return (names_personal_number(name) or (name_says(name, OWN_NUMBER_WORDS)
                                                and not name_says(name, ("vat", "ust", "steuer"))))

    mail = prepared.exact_only or [False] * len(prepared.names)
    return [column for column, identifier in enumerate(prepared.identifier)
            if identifier and not mail[column] and own(prepared.names[column])
            and not name_says(prepared.names[column], PHONE_WORDS + ("mail",))]


def own_number_vouches(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): does a person's own
    number (own_numbers) agree, both filled, exactly or within one keying error
    (certainty.one_typo: a transposition anywhere, or one error that leaves the last two
    characters alone)? A bool array. Numbers given out in turn (twins' `2493383`/`2493384`, a
    family's customer numbers) differ in their last characters and do not vouch; one person's
    number keyed twice with a typo does (FEBRL's duplicates: `2493383`/`2439383`, DECISIONS 376)."""
    import numpy as np

    from datatools.tools.certainty import one_typo

    result = np.zeros(len(x), dtype=bool)
    for column in own_numbers(prepared):
        text = prepared.text[column]
        result |= text.equal_filled(x, y)
        left, right = text[x], text[y]
        for k in np.flatnonzero(~result & (left != "") & (right != "")).tolist():
            result[k] = one_typo(str(left[k]), str(right[k]))
    return result


def surname_forms_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): do its surnames read as a
    male and a female form (surname_forms) while its given names do not agree in full? A bool
    array. The surnames are a surname column's values (_names_surname) or, in a column of whole
    names (party_names._whole_name_columns), the one word each value holds the other lacks
    (party_names.given_word); the given names agree in full when the given-name columns
    (similarity._names_given_name) hold one name of two letters or more on both rows, or when
    the whole names' other words hold one. An initial (`K.`) or an empty given name is not
    enough: `K. Kowalski` and `K. Kowalska` at one address are a couple. A person's own number
    agreeing (own_number_vouches) vouches for the pair."""
    import numpy as np

    from datatools.tools.party_names import _whole_name_columns, given_word
    from datatools.tools.similarity import _names_given_name

    result = np.zeros(len(x), dtype=bool)
    text = prepared.text
    surnames = [c for c, name in enumerate(prepared.names) if _names_surname(name)]
    given = [c for c, name in enumerate(prepared.names) if _names_given_name(name)]
    for column in surnames:
        left, right = text[column][x], text[column][y]
        for k in _same_stem(left, right).tolist():
            if surname_forms(str(left[k]), str(right[k])):
                result[k] = not any(_full_name(str(text[c][x[k]]), str(text[c][y[k]]))
                                    for c in given)
    for column in _whole_name_columns(prepared):
        if column in surnames or column in given:
            continue
        left, right = text[column][x], text[column][y]
        for k in np.flatnonzero(left != right).tolist():
            found = given_word(str(left[k]), str(right[k]))
            if found is not None and surname_forms(found[0], found[1]):
                rest = set(str(left[k]).split()) - {found[0]}
                result[k] = not any(len(word) >= 2 for word in rest)
    flagged = np.flatnonzero(result)
    result[flagged] = ~own_number_vouches(prepared, x[flagged], y[flagged])
    return result


def _same_stem(left: "np.ndarray", right: "np.ndarray") -> "np.ndarray":
    """The pairs (positions) of two surnames (str arrays of one length) that differ and begin
    with the same _STEM letters: only they can be one surname's two forms (surname_forms:
    both are a stem of _STEM letters or more and an ending), so only they are looked at one
    by one, not every pair of two surnames."""
    import numpy as np

    text = np.dtypes.StringDType()
    left, right = left.astype(text), right.astype(text)
    return np.flatnonzero((left != right) & (np.strings.slice(left, 0, _STEM)
                                             == np.strings.slice(right, 0, _STEM)))


def initial_only(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): does an initial stand for
    a given name on one side only — one letter against a name of two letters or more that
    starts with it, in a given-name column (similarity._names_given_name) or as the one word
    two whole names differ in, standing first (party_names.given_word: `a lee`/`ann lee`, not
    the middle initial of `thomas m miller`/`thomas michael miller`) — with no person's
    own number (own_numbers) agreeing exactly? A bool array. Such a pair is never certain:
    the initial is as likely a household's other member (`Alan`) as the same person; it is no
    conflict either, so it stays grouped, possible (DECISIONS 383)."""
    import numpy as np

    from datatools.tools.party_names import _whole_name_columns, given_word
    from datatools.tools.similarity import _names_given_name

    result = np.zeros(len(x), dtype=bool)
    text = prepared.text
    given = [c for c, name in enumerate(prepared.names) if _names_given_name(name)]
    for column in given:
        left, right = text[column][x], text[column][y]
        for k in np.flatnonzero(left != right).tolist():
            result[k] |= _initial_of(str(left[k]), str(right[k]))
    for column in _whole_name_columns(prepared):
        if column in given:
            continue
        left, right = text[column][x], text[column][y]
        for k in np.flatnonzero(left != right).tolist():
            found = given_word(str(left[k]), str(right[k]))
            # Only where the word stands first, as a given name does: a middle name cut to its
            # initial (`thomas m miller`/`thomas michael miller`) is one person's (DECISIONS 363).
            result[k] |= found is not None and found[2] and _initial_of(found[0], found[1])
    for column in own_numbers(prepared):
        result &= ~text[column].equal_filled(x, y)
    return result


def _initial_of(left: str, right: str) -> bool:
    """Is one of two given names (folded) an initial (one letter) of the other, which has two
    letters or more?"""
    short, long = sorted((left.replace(" ", ""), right.replace(" ", "")), key=len)
    return len(short) == 1 and len(long) >= 2 and long[0] == short


def own_number_agrees(prepared: "PreparedColumns", x: int, y: int) -> bool:
    """Does a person's own number (own_numbers) agree exactly, both filled, on rows x and y?"""
    import numpy as np

    rows = np.array([x]), np.array([y])
    return any(bool(prepared.text[column].equal_filled(*rows)[0]) for column in own_numbers(prepared))


def _full_name(left: str, right: str) -> bool:
    """Do two given names (folded) agree in full: one name, of two letters or more?"""
    return left == right and len(left.replace(" ", "")) >= 2


def names_two_people(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                     column_scores: "np.ndarray",
                     swaps: "dict[int, tuple[int, int]] | None" = None) -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): do its names read as two
    people — given names that read as two names (certainty._other_given_name; inside whole
    names, party_names.whole_name_differs) or a surname's male and female forms without one
    given name in full (surname_forms_differ) — with no person's own number (a customer or
    social security number) agreeing, exactly or one keying error apart (own_number_vouches)? Any other identifier agreeing (an e-mail, a VAT ID,
    a date of birth) vouches only for given names a typo apart (_typo_apart): a family's
    mailbox, a firm's VAT ID and twins' date of birth are shared (DECISIONS 360). A bool array.

    Applied to a learned model's certain pairs (DECISIONS 262, 352): EM weighs a given name at
    "is similar" (70-87) as evidence for a match, so two members of one household whose names
    are a letter or two apart (`Mira`/`Mika`, `Liona`/`Felina`, `Lara`/`Laura` held by rows
    of their own) reached 99.9 % on their shared surname, address and phone; twins on their
    date of birth too. Such a pair stays possible, for a person to review (issue 30:
    households are never merged by default). `column_scores` is score_columns' output for the
    pairs (pairs x columns+1, uint8). `swaps` (PairScores.swaps of these very pairs, by pair
    index): the pairs a model's scoring already compared crossed, `column_scores` rescored so
    (linkage_model.apply_model); None: found here (swaps.unswap). Unswapped scores hide a swap
    from unswap, so without them `Jansen, Bram` against `Bram, Jansen` read as the given names
    `jansen`/`bram`, two people (issue 30, DECISIONS 417)."""
    import numpy as np

    from datatools.tools.certainty import _other_given_name
    from datatools.tools.party_names import whole_name_differs
    from datatools.tools.shared_mailboxes import (fold_shared_mailboxes, mailbox_names_one,
                                                  mailbox_of_both)
    from datatools.tools.similarity import _names_given_name
    from datatools.tools.swaps import unswap

    given = [c for c, name in enumerate(prepared.names) if _names_given_name(name)]
    # Given names inside whole names: `Paula Bauer`/`Paul Bauer` (DECISIONS 312).
    result = whole_name_differs(prepared, x, y) | surname_forms_differ(prepared, x, y)
    if len(x) == 0 or not (given or result.any()):
        return result
    unswapped = column_scores.copy()
    if swaps is None:
        swaps = unswap(prepared, x, y, unswapped)
    # A pair whose given-name column is read crossed with another (`Jansen | Bram` against
    # `Bram | Jansen`, its surname column under a name not known as one) is not read straight
    # as two whole names, which share no word: its given names are compared crossed below.
    from datatools.tools.party_names import _whole_name_columns

    whole = set(_whole_name_columns(prepared)) & set(given)
    crossed = np.array([k for k, pair in swaps.items() if whole & set(pair)], dtype=np.int64)
    if len(crossed):
        result[crossed] = surname_forms_differ(prepared, x[crossed], y[crossed])
    for column in given:
        result |= _other_given_name(prepared, x, y, unswapped, swaps, column)
    result |= _crossed_given_names(prepared, x, y, unswapped, swaps, given)
    own = own_numbers(prepared)
    flagged = np.flatnonzero(result)
    result[flagged] = ~own_number_vouches(prepared, x[flagged], y[flagged])
    # Another identifier agreeing vouches for given names a typo apart (`Jana`/`Jnaa`, a typo
    # other rows repeat), not for two names (`Javier`/`Carmen`: twins; `Jan`/`Peter` on
    # `familie.koch@web.de`; two buyers on one firm's VAT ID).
    born = np.zeros(len(x), dtype=bool)
    for column, identifier in enumerate(prepared.identifier):
        if identifier and column not in own:
            born |= unswapped[:, column] == 100
    vouching = np.flatnonzero(result & born)
    fold_shared_mailboxes(prepared, x[vouching], y[vouching])
    for k in vouching.tolist():
        result[k] = not (_typo_apart(prepared, int(x[k]), int(y[k]), given, swaps, k)
                         or mailbox_of_both(prepared, int(x[k]), int(y[k]), given)
                         or mailbox_names_one(prepared, int(x[k]), int(y[k]), given, swaps, k))
    return result


def _crossed_given_names(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                         unswapped: "np.ndarray", swaps: "dict[int, tuple[int, int]]",
                         given: list[int]) -> "np.ndarray":
    """Per pair: of a pair read with a given-name column crossed (`swaps`), do the given names
    the other way round read as two names (certainty._other_given_name on the partner column:
    `Jansen | Bram` against `Anna | Jansen` holds `bram` and `anna`)? The straight reading
    compares only the first row's given-name column with its partner. A bool array."""
    import numpy as np

    from datatools.tools.certainty import _other_given_name

    result = np.zeros(len(x), dtype=bool)
    for column in given:
        for partner in {j if i == column else i for i, j in swaps.values() if column in (i, j)}:
            picked = np.array([k for k, pair in swaps.items() if set(pair) == {column, partner}],
                              dtype=np.int64)
            local = {n: swaps[k] for n, k in enumerate(picked.tolist())}
            result[picked] |= _other_given_name(prepared, x[picked], y[picked],
                                                unswapped[picked], local, partner)
    return result


def _cut_short(prepared: "PreparedColumns", left: str, right: str, left_cell: tuple[int, int],
               right_cell: tuple[int, int]) -> bool:
    """Is one of two folded given names (`left` in the cell (column, row) `left_cell`, `right`
    in `right_cell`) a listed name with its last letter dropped (last_letter_dropped), the
    shorter one held by fewer than vetoes.ESTABLISHED_ROWS rows of its column? A list holding
    it in more has it as a name of its own (`Petr` beside `Petra` in a Czech list)."""
    import numpy as np

    from datatools.tools.vetoes import ESTABLISHED_ROWS

    if not last_letter_dropped(left, right):
        return False
    column, row = left_cell if len(left) < len(right) else right_cell
    ranks = prepared.ranks[column]
    return int(np.count_nonzero(ranks == ranks[row])) < ESTABLISHED_ROWS


def last_letter_dropped(left: str, right: str) -> bool:
    """Is one of two folded given names the other with its last letter dropped, the longer a
    name the given-name lists hold (given_names.known_given_names) and the shorter none they
    hold (nor given_name_pairs._given_sexes)? `kayla`/`kayl`: gendered_pair reads `kayl` + `a`
    as a male and a female form (`Paul`/`Paula`), but no list knows a man called Kayl; the
    last letter was not keyed (FEBRL4: two people keyed again so, each beside their date of
    birth, DECISIONS 474). `paul`/`paula`, `jan`/`jana`: both listed, two names still."""
    from datatools.tools.given_name_pairs import _given_sexes
    from datatools.tools.given_names import known_given_names

    short, long = sorted((left, right), key=len)
    known = known_given_names()
    return (len(long) == len(short) + 1 and long.startswith(short) and long in known
            and short not in known and short not in _given_sexes())


def _typo_apart(prepared: "PreparedColumns", x: int, y: int, given: list[int],
                swaps: "dict[int, tuple[int, int]]", pair: int) -> bool:
    """Are rows x and y one person's as far as their names say, but for typos: every given
    name (`given` columns, crossed where `swaps` says for pair `pair`) equal or within the
    keying errors a typo makes (certainty.LONG_GIVEN_NAME), no male and female form
    (certainty.gendered_pair) nor two names in common use (given_names.two_known_names:
    `Mira`/`Mika`, twins on one date of birth), and no surname's male and female forms or two given names in a
    whole name (surname_forms_differ, party_names.whole_name_differs, a typo other rows repeat
    read as one name there too: `Anttoine FAURE`/`Antoine Faure`, DECISIONS 467)? A listed name
    with its last letter dropped into no name (`Kayla`/`Kayl`: _cut_short) is a typo, not a
    male form."""
    import numpy as np

    from datatools.tools.certainty import LONG_GIVEN_NAME, _keying_errors, gendered_pair
    from datatools.tools.given_names import two_known_names
    from datatools.tools.party_names import whole_name_differs
    from datatools.tools.swaps import partner_column

    for column in given:
        other = partner_column(swaps, pair, column)
        left = str(prepared.text[column][x])
        right = str(prepared.text[other][y])
        allowed = 1 + (max(len(left), len(right)) >= LONG_GIVEN_NAME)
        gendered = gendered_pair(left, right) and not _cut_short(prepared, left, right,
                                                                 (column, x), (other, y))
        if left != right and (_keying_errors(left, right) > allowed or gendered
                              or two_known_names(left, right)):
            return False
    rows = np.array([x]), np.array([y])
    return not (surname_forms_differ(prepared, *rows)
                | whole_name_differs(prepared, *rows, vouched=True))[0]
