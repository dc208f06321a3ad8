"""Column names that say a column holds a state-issued identifier (a person's or a firm's).

A Brazilian shop's `CPF` (`013.710.406-56`, or 11 bare digits) and `CEP` (`01310-100`) look
like phone numbers: profile typed both "phone" and `clean --phones --phone-region BR` rewrote
the CPF as `+551371040656`, its leading zero lost (trial J). A column named for an identifier
or a postcode (house_numbers.names_postcode) is never a phone column: profile types it "code",
`clean --phones` leaves it alone (both engines: tools/clean.py, large/clean_figures.py).

Words are matched on column_kinds.column_name_words (case, accents and punctuation folded:
`fødselsnummer` → fodselsnummer, `R.G.` → rg): PREFIXES at a word's start, EXACT as whole
words (`rg`, `sin`, `dni` are parts of other words), PHRASES as consecutive words. A Japanese,
Chinese or Korean name reads as the Latin word cjk_headers gives it (`マイナンバー`, `個人番号`
→ mynumber, `주민등록번호` → rrn, `身份证` → idcard). Sources: Wikipedia, "National
identification number" (each country's number and its name), and the OECD's "Tax
Identification Numbers (TINs)" country sheets for which tax numbers are given to people only.

PERSONAL_* are numbers a state gives one person only (twins and spouses each have their own);
households.OWN_NUMBER_WORDS reads them so: an exact match on one vouches for a pair. COMPANY_*
are numbers given to firms, or to firms and people alike (Brazil's CNPJ, Italy's partita IVA and
codice fiscale, Mexico's RFC, Chile's RUT, Argentina's CUIT, Spain's NIF, India's PAN, Australia's
tax file number): identifiers, not phones, but shared by a firm's staff, so they vouch for no one.
Sweden's `Tfn` is short for telefon, so a bare `TFN` is not read as a tax file number.
"""

from __future__ import annotations

PERSONAL_PREFIXES = (
    "cpf", "curp", "cuil", "cedula", "pesel", "personnummer", "personnr", "fodselsnummer",
    "henkilotunnus", "aadhaar", "aadhar", "nric", "insee", "ssn", "bsn", "burgerservice", "ahv",
    "sozialvers", "svnr", "steueridentifikation", "mynumber", "rrn", "idcard")
PERSONAL_EXACT = frozenset({"rg", "dni", "nie", "nir", "cpr", "hetu", "pps", "nino", "sin",
                            "idnr"})
PERSONAL_PHRASES = (("national", "insurance"), ("social", "security"), ("securite", "sociale"),
                    ("seguridad", "social"), ("steuer", "id"), ("personal", "public"),
                    ("identity", "card"), ("id", "card"))
COMPANY_PREFIXES = ("cnpj", "cuit", "partitaiva", "codicefiscale")
COMPANY_EXACT = frozenset({"rfc", "rut", "nif", "pan"})
COMPANY_PHRASES = (("partita", "iva"), ("codice", "fiscale"), ("tax", "file"),
                   ("tax", "identification"))


def _says(name: str, prefixes: tuple[str, ...], exact: frozenset,
          phrases: tuple[tuple[str, str], ...]) -> bool:
    from datatools.tools.column_kinds import column_name_words

    words = column_name_words(name)
    return (any(word.startswith(prefixes) for word in words) or bool(exact.intersection(words))
            or any(pair in phrases for pair in zip(words, words[1:])))


def names_personal_number(name: str) -> bool:
    """Does a column's name say it holds a number a state gives one person (PERSONAL_*: `CPF`,
    `SSN`, `PESEL`, `DNI`, `Personnummer`, `National Insurance No`, `マイナンバー`)?"""
    return _says(name, PERSONAL_PREFIXES, PERSONAL_EXACT, PERSONAL_PHRASES)


def names_identifier(name: str) -> bool:
    """Does a column's name say it holds a state-issued identifier of a person or a firm
    (names_personal_number, or COMPANY_*: `CNPJ`, `Partita IVA`, `RFC`, `CUIT`)?"""
    return (names_personal_number(name)
            or _says(name, COMPANY_PREFIXES, COMPANY_EXACT, COMPANY_PHRASES))


def names_no_phone(name: str) -> bool:
    """Is a column, by its name, never a phone column however its values look: named for an
    identifier (names_identifier) or a postcode (house_numbers.names_postcode)?"""
    from datatools.tools.column_kinds import PHONE_WORDS, name_says
    from datatools.tools.house_numbers import names_postcode

    # Turkish `Cep telefonu` is a mobile phone, `CEP` alone a Brazilian postcode.
    return names_identifier(name) or (names_postcode(name) and not name_says(name, PHONE_WORDS))
