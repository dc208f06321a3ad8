"""What each column of a file holds, read from its name alone, for the window's proposal of
which column of the second file a column of the first is compared with (datatools/ui/tool.js):
`Miasto` ↔ `Miejscowość` (both towns), `Kod` ↔ `Kod pocztowy`, `E-mail` ↔ `Adres e-mail`.

The engine reads the same names for its own rules (party_names.name_column_roles, households.
SURNAME_WORDS, house_numbers.names_postcode, column_kinds.PHONE_WORDS and names_address,
uncompared_ids.BIRTH_WORDS); this module adds the words for towns and e-mail addresses, which
only the proposal needs. A proposal is only a choice shown in the form: the user changes it freely.
"""

from __future__ import annotations

from collections.abc import Sequence

# A column whose name holds a word starting so holds towns or e-mail addresses (the app's
# languages, Dutch, Portuguese and Polish: `Wohnort`, `Localidad`, `Woonplaats`, `Miejscowość`;
# `Courriel`, `Correo`); streets are the engine's own reading (column_kinds.names_address).
TOWN_WORDS = ("city", "town", "stadt", "ort", "wohnort", "gemeinde", "ville", "commune",
              "localite", "ciudad", "localidad", "poblacion", "municipio", "citta", "comune",
              "localita", "plaats", "woonplaats", "cidade", "miasto", "miejscowosc")
EMAIL_WORDS = ("email", "mail", "courriel", "correo", "posta")


def column_roles(columns: Sequence[str]) -> dict[str, str]:
    """Each of `columns` whose name says what it holds → one of `whole`, `given`, `family`
    (people's names, party_names.name_column_roles), `postcode`, `phone`, `email`, `birth`,
    `town`, `street`; a column naming none, or two (`Adresse E-Mail`), is left out. The first
    role found in that order wins for a postcode or a phone named beside an address
    (`Kod pocztowy`, `Telefon domowy`)."""
    from datatools.tools.column_kinds import PHONE_WORDS, name_says, names_address
    from datatools.tools.house_numbers import names_postcode
    from datatools.tools.party_names import name_column_roles
    from datatools.tools.uncompared_ids import BIRTH_WORDS

    people = name_column_roles(list(columns))
    roles: dict[str, str] = {}
    for column in columns:
        named = [role for role in ("whole", "given", "family") if column in people[role]]
        if names_postcode(column):
            named.append("postcode")
        elif name_says(column, PHONE_WORDS):
            named.append("phone")
        elif name_says(column, BIRTH_WORDS):
            named.append("birth")
        else:
            named += [role for role, words in (("email", EMAIL_WORDS), ("town", TOWN_WORDS))
                      if name_says(column, words)]
            named += ["street"] if names_address(column) else []
        if len(named) == 1:
            roles[column] = named[0]
    return roles
