"""Per-column cleaning rules: what a column holds, which rules fit it, and a careful title case.

`clean_table` (datatools/tools/clean.py) gives each column its own rule set: the file-wide
options, restricted by the column's detected kind (case never touches codes, numbers, dates,
e-mails or phones), then the rules the user set for that column, which always win. The kinds are
the profile's (datatools/tools/profile.py) with one addition: a text column whose values carry
digits but no words (`LS2 9HQ`, `C-00123`, `SKU-4471-BLK`), or whose name says it holds codes,
is a `code` column too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, Iterable

from datatools.errors import BadOption
from datatools.tools.stacked import SHORT_ROWS

if TYPE_CHECKING:
    import pandas as pd

SAMPLE = 2000            # values looked at to decide a column's kind (the profile's sample size)
CODE_SHARE = 0.8         # a text column is a code column when this share of its values are codes
# Column names that say "identifier": customer_id, Kundennummer, PLZ, postcode, SKU, IBAN …
CODE_NAMES = re.compile(r"(?i)(?:^|[\s_\-.])(?:id|ids|code|codes|sku|ean|gtin|isbn|iban|bic|ref|"
                        r"zip|plz|nr|no)(?:$|[\s_\-.])|postcode|postal|zipcode|nummer|number|kennung")
# Kinds whose cells are not words: case changes there only when the user sets it for the column.
NOT_WORDS = frozenset({"code", "integer", "decimal", "date", "datetime", "email", "phone",
                       "boolean", "empty"})

# The options a column may override, with the values each takes ("keep"/"leave" = do nothing).
FLAG_RULES = ("trim", "invisible", "empty_values", "unicode_nfc", "phones", "emails")
OFF_WORDS = {"case": "keep", "dates": "leave", "numbers": "leave"}


@dataclass(frozen=True)
class ColumnRules:
    """The rules one column is cleaned with (the same names as `CleanOptions`' options)."""

    trim: bool = True
    invisible: bool = True
    empty_values: bool = True
    unicode_nfc: bool = True
    case: str | None = None
    dates: str | None = None
    numbers: str | None = None
    phones: bool = False
    phone_region: str | None = None
    emails: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


RULE_NAMES = tuple(f.name for f in fields(ColumnRules))


def rules_for(kind: str, file_wide: ColumnRules, own: dict[str, Any]) -> tuple[ColumnRules, dict[str, str]]:
    """A column's rules and the file-wide rules its kind held back (rule → reason code).

    `own` are the rules the user set for this column (already checked): they win, even where
    the kind would hold a rule back. Reasons: `not_words` (case on codes, numbers, dates…),
    `codes` (numbers on a code column, whose zeros and separators are part of the code).
    """
    held: dict[str, str] = {}
    rules = file_wide
    if file_wide.case and kind in NOT_WORDS and "case" not in own:
        rules, held["case"] = replace(rules, case=None), "not_words"
    if file_wide.numbers and kind == "code" and "numbers" not in own:
        rules, held["numbers"] = replace(rules, numbers=None), "codes"
    return replace(rules, **own), held


def check_rules(rules: Any, options: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Per-column rules as the engine wants them: column → {rule: value}; BadOption otherwise.

    Accepts the desktop's JSON (`{"postcode": {"case": "keep"}}`) with values as `ColumnRules`
    takes them, or "keep"/"leave" for no change and "on"/"off" for the switches. Errors name the
    column and the rule (code `bad_column_rule`, params column, option, value).
    """
    from datatools.tools.clean import CASES, DATE_ORDERS, NUMBER_STYLES

    if rules in (None, ""):
        return {}
    if not isinstance(rules, dict):
        raise BadOption("Column rules must map each column to its rules.", code="bad_column_rules")
    choices = {"case": CASES, "dates": DATE_ORDERS, "numbers": NUMBER_STYLES}
    checked: dict[str, dict[str, Any]] = {}
    for column, given in rules.items():
        if not isinstance(given, dict):
            raise BadOption(f"Column {column!r}: its rules must be name=value pairs.",
                            code="bad_column_rules", params={"column": str(column)})
        own: dict[str, Any] = {}
        for name, value in given.items():
            own[name] = _rule_value(str(column), name, value, choices)
        checked[str(column)] = own
    return checked


def _rule_value(column: str, name: str, value: Any, choices: dict[str, tuple[str, ...]]) -> Any:
    def refuse(allowed: str) -> BadOption:
        return BadOption(f"Column {column!r}: {name} must be {allowed}, not {value!r}.",
                         code="bad_column_rule", params={"column": column, "option": name,
                                                          "value": str(value)})

    if name in choices:
        if value in (None, "", OFF_WORDS[name]):
            return None
        if value not in choices[name]:
            raise refuse("one of " + ", ".join((*choices[name], OFF_WORDS[name])))
        return value
    if name in FLAG_RULES:
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("on", "yes", "true", "1"):
            return True
        if str(value).lower() in ("off", "no", "false", "0"):
            return False
        raise refuse("on or off")
    if name == "phone_region":
        from datatools.tools.phones import check_region

        return check_region(value) if value not in (None, "") else None
    raise BadOption(f"Column {column!r}: there is no rule {name!r}; the rules are "
                    + ", ".join(RULE_NAMES) + ".", code="bad_column_rule",
                    params={"column": column, "option": name, "value": str(value)})


def parse_column_rule(text: str) -> dict[str, dict[str, Any]]:
    """One `--column NAME:rule=value,rule=value` of the command line, checked.

    The name is everything before the last colon (names may hold colons, values never do).
    """
    name, colon, pairs = text.rpartition(":")
    if not colon or not name.strip() or not pairs.strip():
        raise BadOption(f"--column needs NAME:rule=value (such as postcode:case=keep), not {text!r}.",
                        code="bad_column_rules", params={"column": name.strip()})
    given: dict[str, str] = {}
    for pair in pairs.split(","):
        rule, equals, value = pair.partition("=")
        if not equals or not rule.strip():
            raise BadOption(f"Column {name.strip()!r}: {pair.strip()!r} is not rule=value "
                            "(such as case=title).", code="bad_column_rule",
                            params={"column": name.strip(), "option": rule.strip(), "value": value})
        given[rule.strip()] = value.strip()
    return check_rules({name.strip(): given})


# --------------------------------------------------------------------------- what a column holds


def column_kind(name: str, values: "pd.Series") -> tuple[str, str]:
    """The kind of a text column (the profile's types, plus `code`) and one typical value.

    `values` are the column's cells after the tidy steps ("" for empty). Looks at up to
    `SAMPLE` filled values spread evenly over the column, like the profile does.
    """
    # A short column is read as a list: pandas' fixed cost per call would outweigh its cells.
    if len(values) <= SHORT_ROWS:
        return kind_of_cells(name, values.tolist())
    filled = values[values != ""]
    step = max(len(filled) // SAMPLE, 1)
    return _kind_of_sample(name, filled.iloc[::step].head(SAMPLE).tolist(), {})


def kind_of_cells(name: str, cells: list[str],
                  memo: dict[str, tuple[str, bool]] | None = None) -> tuple[str, str]:
    """`column_kind` of a short column given as its list of cells; `memo` (value → its type and
    whether it reads as a code) carries what was found from column to column of one table."""
    filled = [v for v in cells if v != ""]
    step = max(len(filled) // SAMPLE, 1)
    return _kind_of_sample(name, filled[::step][:SAMPLE], {} if memo is None else memo)


def _kind_of_sample(name: str, sample: list[str], memo: dict[str, tuple[str, bool]]) -> tuple[str, str]:
    """The kind and a typical value of a column from its sample of filled values."""
    from datatools.tools.profile import _kind, _main_type, _tally

    if not sample:
        return "empty", ""

    def read(value: str) -> tuple[str, bool]:
        found = memo.get(value)
        if found is None:
            found = memo[value] = (_kind(value), _is_code(value) or bool(_SHORT_CAPITALS.match(value)))
        return found

    kind = _main_type(dict(_tally(lambda v: read(v)[0], sample).most_common()), len(sample))
    if kind in ("integer", "decimal") and any(len(v) > 1 and v[0] == "0" and v[1].isdigit() for v in sample):
        kind = "code"          # digits with leading zeros (the profile's rule), also 012.345
    if kind in ("text", "mixed"):
        codes = [v for v in sample if read(v)[1]]        # each distinct value read once
        if len(codes) >= CODE_SHARE * len(sample) or (CODE_NAMES.search(name) and "@" not in sample[0]
                                                      and not _has_words(sample)):
            return "code", (codes or sample)[0]
    return kind, sample[0]


_WORD = re.compile(r"^[^\W\d_]{3,}$")
_SHORT_CAPITALS = re.compile(r"^[A-Z]{2,3}$")     # GB, USA, NRW: country and region codes


def _is_code(value: str) -> bool:
    """A value with a digit and no word of three or more letters in lower case: LS2 9HQ, C-00123."""
    if not any(c.isdigit() for c in value):
        return False
    return not any(_WORD.match(part) and not part.isupper() for part in re.split(r"[\s\-_/.]+", value))


def _has_words(sample: list[str]) -> bool:
    """Most values hold a word written in small letters (names, not identifiers)."""
    worded = sum(1 for v in sample if any(_WORD.match(p) and not p.isupper() for p in v.split()))
    return worded >= CODE_SHARE * len(sample)


# --------------------------------------------------------------------------- title case

# Legal forms and their usual spelling (checked upper-cased): ACME GMBH → Acme GmbH. The second
# set are also ordinary words ("as", "co"), so they count only at the end or written in capitals.
LEGAL_FORMS = {form.upper().replace(".", ""): form for form in (
    "GmbH", "mbH", "AG", "KG", "KGaA", "OHG", "UG", "GbR", "e.V.", "e.K.", "Ltd", "LLC", "LLP",
    "PLC", "Inc", "Corp", "SARL", "SAS", "SpA", "Srl", "BV", "NV", "ApS", "Oy")}
WORDLIKE_FORMS = {form.upper(): form for form in ("Co", "SE", "SA", "SL", "AB", "AS", "eG", "KK")}
# Name particles written in small letters inside a name: Jan van der Berg, Ludwig van Beethoven.
PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le",
                       "la", "zu", "ten", "ter", "y", "of", "and", "und", "et"})
# Small words inside place names (Frankfurt am Main, Mülheim an der Ruhr, Freiburg im Breisgau,
# Rothenburg ob der Tauber, Bad Homburg vor der Höhe, Châlons-en-Champagne): small only between
# two words, so a name that ends in one ("Nguyen An") keeps its capital.
PLACE_PARTICLES = frozenset({"am", "an", "im", "ob", "vor", "bei", "zum", "zur", "des", "auf",
                             "in", "upon", "on", "sur", "sous", "en", "aan", "op"})
# Abbreviations without a vowel that are written as words, a capital and small letters (Dr
# Müller, Main St, John Smith Jr), so the rule that keeps BBC and KPMG does not keep them. The
# second set only before another word (Mr Smith, Mt Everest, Mc Donalds): last in a value, MS
# and MT are more likely US state codes ("JACKSON MS").
WORD_ABBREVIATIONS = frozenset({"DR", "ST", "JR", "SR"})
LEADING_ABBREVIATIONS = frozenset({"MR", "MRS", "MS", "MT", "MC"})
# Abbreviations written in small letters wherever they stand: c/o ("care of", the postal usage).
SMALL_ABBREVIATIONS = frozenset({"c/o"})
# German generational suffixes after a name, written small with their dot (Duden: "Thomas Müller
# jun.", "sen."): small wherever they follow a word. Without the dot "Jun" is a given name.
SMALL_WITH_DOT = frozenset({"jun", "sen"})
_TOKEN = re.compile(r"(\s+)")
_APOSTROPHES = "'’"
_OPENING = "([{\"„“«‹‚‘"     # brackets and opening quotes before a word (not @, #: handles)


_VOWELS = frozenset("AEIOUYÄÖÜÀÁÂÉÈÊËÍÌÎÏÓÒÔÚÙÛÅÆØ")
# Roman numerals from 2 to 39 (II … XXXIX), as regnal and part numbers are written after a
# word: Henry VIII, John Smith III, Rocky IV, Part II. Larger ones use L, C, D, M and spell
# words (MIX, LIV, DIM), so they are left to the other rules; so are XI and VI, which are also
# given names and surnames (Wang Xi, Nguyen Vi).
ROMAN_NUMERALS = frozenset(
    tens + ones for tens in ("", "X", "XX", "XXX")
    for ones in ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
) - {"", "I", "V", "X", "XI", "VI"}


def known_acronyms(values: Iterable[str]) -> frozenset[str]:
    """Words of 2–4 capitals that the column itself writes as capitals beside small letters
    ("IBM" in "IBM Deutschland GmbH"): kept as capitals in its all-capitals values too, so
    "IBM UK" stays when the column shows IBM is a name. Linear in the values' length."""
    found: set[str] = set()
    for value in values:
        if any(c.islower() for c in value):
            found.update(w for w in _TOKEN.split(value)
                         if 2 <= len(w) <= 4 and w.isalpha() and w.isupper())
    return frozenset(found)


def title_case(value: str, acronyms: frozenset[str] = frozenset()) -> str:
    """`value` with each word capitalised, leaving alone what title case would damage.

    Kept as written: tokens with a digit (LS2 9HQ, 2b), tokens that already mix capitals
    inside (GmbH, McDonald, iPhone), short capitals in a value that is not all capitals (IBM,
    HSBC, AG in "IBM Deutschland GmbH"), capitals without a vowel, which no word is (BBC, BMW,
    KPMG; but not the abbreviations Dr, St, Jr, Sr, nor Mr, Mrs, Ms, Mt, Mc before a word: they
    are words), `acronyms` (see `known_acronyms`) and words already capitalised ("Van Der
    Berg"). Written small: c/o ("care of", as the postal services write it) and, after a word,
    the German generational suffixes jun. and sen. (with their dot). Changed: words in
    all small or ALL capital letters — with legal forms in their usual spelling (GMBH → GmbH),
    name particles small inside a name (van, de, von), Mc names (MCDONALD → McDonald, MC
    DONALDS → Mc Donalds), O' and D' names (o'neil → O'Neil) and both halves of hyphenated or
    slashed names (smith-jones → Smith-Jones, müller/schmidt → Müller/Schmidt).
    """
    shouting = not any(c.islower() for c in value)
    parts = _TOKEN.split(value)
    words = [i for i, p in enumerate(parts) if p and not p.isspace()]
    for position, index in enumerate(words):
        token = parts[index]
        if token in acronyms:
            continue
        parts[index] = _title_token(token, shouting, first=position == 0,
                                    last=position == len(words) - 1, acronyms=acronyms)
    return "".join(parts)


def _title_token(token: str, shouting: bool, first: bool, last: bool,
                 acronyms: frozenset[str] = frozenset()) -> str:
    if any(c.isdigit() for c in token):
        return token
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return token
    core = token.rstrip(".,;")
    trail = token[len(core):]
    key = core.upper().replace(".", "")
    legal = LEGAL_FORMS.get(key) or (WORDLIKE_FORMS.get(key) if last or token.isupper() else None)
    if legal and not first:
        return legal + (trail[1:] if legal.endswith(".") else trail)    # CO. → Co., E.V. → e.V.
    if core.lower() in SMALL_ABBREVIATIONS:
        return core.lower() + trail
    if not first and trail.startswith(".") and core.lower() in SMALL_WITH_DOT:
        return core.lower() + trail     # Thomas sen., ANDREAS SCHMIDT JUN. → Andreas Schmidt jun.
    lower, upper = any(c.islower() for c in letters), any(c.isupper() for c in letters)
    if lower and upper:
        return token            # GmbH, McDonald, Anna: written with care already
    if upper and not shouting and len(letters) <= 4:
        return token            # an acronym in a value that has small letters: IBM, HSBC
    if upper and "&" in token:
        return token            # AT&T, H&M, P&G
    if not first and key in ROMAN_NUMERALS:
        return core.upper() + trail     # Henry VIII, Louis xiv → Louis XIV
    word = key in WORD_ABBREVIATIONS or (key in LEADING_ABBREVIATIONS and not last)
    if upper and len(letters) >= 2 and not _VOWELS.intersection(letters) and not word:
        return token            # BBC, BMW, KPMG: no word is written without a vowel
    if not first and token.lower() in PARTICLES:
        return token.lower()
    if not first and not last and token.lower() in PLACE_PARTICLES:
        return token.lower()
    halves = token.split("-")
    return "-".join("/".join(_title_half(half, 0 < k < len(halves) - 1, acronyms) for half in part.split("/"))
                    for k, part in enumerate(halves))


def _title_half(word: str, inner: bool, acronyms: frozenset[str]) -> str:
    """One half of a hyphenated or slashed word: an acronym by the whole words' rules (the
    column's `acronyms`, capitals without a vowel that are not Dr, St, …) stays (BMW-Händler);
    a particle between two halves is small (Aix-la-Chapelle, Châlons-en-Champagne); any other
    half is capitalised."""
    letters = [c for c in word if c.isalpha()]
    key = word.upper()
    if word in acronyms or (word.isupper() and len(letters) >= 2 and not _VOWELS.intersection(letters)
                            and key not in WORD_ABBREVIATIONS and key not in LEADING_ABBREVIATIONS):
        return word
    if inner and (word.lower() in PARTICLES or word.lower() in PLACE_PARTICLES):
        return word.lower()
    return _capitalise(word)


def _capitalise(word: str) -> str:
    opening = len(word) - len(word.lstrip(_OPENING))
    if opening and opening < len(word):     # "(saale)" → "(Saale)", "„müller“" → "„Müller“"
        return word[:opening] + _capitalise(word[opening:])
    low = word.lower()
    if len(low) > 2 and low[1] in _APOSTROPHES and low[0].isalpha():
        return low[0].upper() + low[1] + low[2:].capitalize()    # O'Neil, D'Angelo
    if low.startswith("mc") and len(low) > 3 and low[2].isalpha():
        return "Mc" + low[2:].capitalize()                       # McDonald, McLeod
    return low.capitalize()
