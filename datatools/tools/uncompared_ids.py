"""A date of birth the run does not compare still tells two people apart (a usability trial,
repro6b: fathers and sons of one name at one address merged certain, their dates of birth in an
uncompared column). dedupe reads the uncompared columns named for a date of birth and keeps a
pair whose rows hold two such dates more than one keying error apart possible.

So do a product's vendor, brand, colour, size or article code (issue 30: a catalogue deduped on
its title alone merged `Premium Fleece Vest - Olive / XS` of two vendors certain): two rows
whose uncompared such column holds two values (folded, one keying error allowed in a value of
TYPO_LETTERS or more) stay possible — when that column is no row number, i.e. some value of it
is held by two rows or more (a column of one code per row tells no pair from another)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np

# A column whose name (folded: similarity.column_name_words) holds a word starting so holds
# dates of birth.
BIRTH_WORDS = ("geburtsdatum", "geburtstag", "birth", "dob", "birthday", "birthdate",
               "geboren", "naissance", "geboorte", "nascita", "nacimiento", "nascimento",
               "fodelse", "fodsel")
# Uncompared columns named so (a word starting so) hold what tells two products apart: the
# vendor or brand, a colour, a size, a model or article reference (`Modèle`, `Modello`,
# `Référence`); and colours.ARTICLE_CODE_WORDS (`SKU`, `EAN`).
ATTRIBUTE_WORDS = ("vendor", "brand", "marke", "hersteller", "manufacturer", "marque", "marca",
                   "merk", "colour", "color", "farbe", "couleur", "kleur", "size", "grosse",
                   "groesse", "taille", "talla", "maat", "model", "modele", "modello", "modelo",
                   "reference", "referenz", "riferimento", "referencia")
# A value this long may hold one keying error and still be one value (`Kesler Home`); shorter
# ones (`S`/`M`, `XL`/`XXL`) are equal or two.
TYPO_LETTERS = 4


@dataclass
class Uncompared:
    """The uncompared columns that tell two rows apart: dates of birth (digits_of each) and
    attributes (attribute_columns, attribute_values each), object arrays a row each, and
    their columns' names (`birth_names`, `attribute_names`, in the same order)."""
    births: "list[np.ndarray]" = field(default_factory=list)
    attributes: "list[np.ndarray]" = field(default_factory=list)
    birth_names: list[str] = field(default_factory=list)
    attribute_names: list[str] = field(default_factory=list)

    def differ(self, x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
        """Per pair (x[k], y[k]): do its rows' dates of birth (births_differ) or attributes
        (attributes_differ) differ? A bool array."""
        return births_differ(self.births, x, y) | attributes_differ(self.attributes, x, y)

    def differing(self, x: "np.ndarray", y: "np.ndarray") -> list[list[str]]:
        """Per pair (x[k], y[k]): the names of the columns that tell its rows apart (as
        differ reads them), dates of birth first, in the table's order; [] where none does."""
        import numpy as np

        found: list[list[str]] = [[] for _ in range(len(x))]
        for name, digits in zip(self.birth_names, self.births):
            for k in np.flatnonzero(births_differ([digits], x, y)).tolist():
                found[k].append(name)
        for name, folded in zip(self.attribute_names, self.attributes):
            for k in np.flatnonzero(attributes_differ([folded], x, y)).tolist():
                found[k].append(name)
        return found


def uncompared_columns(table, names: Sequence[str], compared: Sequence[str]) -> Uncompared:
    """What the columns `names` not in `compared` say (Uncompared): those named for a date of
    birth (birth_columns) and the attributes (attribute_columns). `table[name]` gives a
    column's cells (a DataFrame, or large.dedupe's column reader)."""
    births = birth_columns(names, compared)
    attributes = [(name, values) for name, values in
                  ((name, attribute_values(table[name])) for name in attribute_columns(names, compared))
                  if values is not None]
    return Uncompared([digits_of(table[name]) for name in births],
                      [values for _, values in attributes], births,
                      [name for name, _ in attributes])


def attribute_columns(names: Sequence[str], compared: Sequence[str]) -> list[str]:
    """The columns of `names` not in `compared` whose names say they hold a vendor, brand,
    colour, size (ATTRIBUTE_WORDS) or article code (colours.ARTICLE_CODE_WORDS)."""
    from datatools.tools.colours import ARTICLE_CODE_WORDS
    from datatools.tools.similarity import name_says

    return [name for name in names if name not in compared
            and name_says(name, ATTRIBUTE_WORDS + ARTICLE_CODE_WORDS)]


def attribute_values(values) -> "np.ndarray | None":
    """A column's cells folded (lower case, spaces collapsed; empty where missing), an object
    array; None when no filled value is held by two rows (a row number: no evidence)."""
    import numpy as np

    folded = np.array([" ".join(str(v).casefold().split()) if v is not None and v == v else ""
                       for v in values], dtype=object)
    filled = folded[folded != ""]
    return folded if len(np.unique(filled)) < len(filled) else None


def attributes_differ(attributes: "list[np.ndarray]", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): does some column of `attributes` (attribute_values each) hold two
    values, both filled, more than one keying error apart, unequal when either is shorter
    than TYPO_LETTERS (`S`/`M`), or unequal in their digits (`DDF482`/`DDF485`, `Chambord
    1928-16`/`1923-16`: a model or article code a digit apart is another model, never a typo;
    DECISIONS 397)? A bool array."""
    import numpy as np

    from datatools.tools.certainty import _keying_errors

    result = np.zeros(len(x), dtype=bool)
    for folded in attributes:
        left, right = folded[x], folded[y]
        for k in np.flatnonzero((left != right) & (left != "") & (right != "")).tolist():
            one, other = str(left[k]), str(right[k])
            result[k] |= (min(len(one), len(other)) < TYPO_LETTERS
                          or _keying_errors(one, other) > 1
                          or _digits(one) != _digits(other))
    return result


def _digits(value: str) -> str:
    """A value's digits, in order (`ddf482` → `482`)."""
    return "".join(char for char in value if char.isdigit())


def birth_columns(names: Sequence[str], compared: Sequence[str]) -> list[str]:
    """The columns of `names` not in `compared` whose names say they hold dates of birth
    (BIRTH_WORDS: `Geburtsdatum`, `date_of_birth`, `DOB`)."""
    from datatools.tools.similarity import column_name_words

    return [name for name in names if name not in compared
            and any(word.startswith(BIRTH_WORDS) for word in column_name_words(name))]


def digits_of(values) -> "np.ndarray":
    """A column's cells (a pandas Series or a sequence) as their digits only (`09.10.1967` →
    `09101967`), an object array; empty where a cell holds no digit."""
    import numpy as np

    return np.array(["".join(c for c in str(v) if c.isdigit()) if v is not None and v == v
                     else "" for v in values], dtype=object)


def births_differ(births: "list[np.ndarray]", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]) (row numbers, int arrays of one length): does some column of
    `births` (digits_of each) hold two dates both filled and more than one keying error apart
    (certainty._keying_errors: `16031956`/`16031965` is one typo, `09101967`/`12031995` two
    people)? A bool array."""
    import numpy as np

    from datatools.tools.certainty import _keying_errors

    result = np.zeros(len(x), dtype=bool)
    for digits in births:
        left, right = digits[x], digits[y]
        for k in np.flatnonzero((left != right) & (left != "") & (right != "")).tolist():
            result[k] |= _keying_errors(str(left[k]), str(right[k])) > 1
    return result
