"""A column of whole names paired with a given-name column and a surname column by its values.

Portuguese, Spanish and Italian call both a whole name and a given name `Nome`/`Nombre`: a
shop's sign-up sheet held `Nome` = `Maria Silva` while its customer list held `nome` = `Maria`
beside `sobrenome` = `Silva`, and the window paired `Nome ↔ nome` by the name alone (trial J).
split_name_partner reads the values: when the left column's values mostly hold two words or
more, the right's column of that name, named for given or whole names, mostly one, and the
right has a surname column
(party_names.name_column_roles: `sobrenome`, `Nachname`, `last_name`), the pairing is the
two read as one, `nome + sobrenome` (match.JOIN). The window proposes it (datatools/ui/tool.js,
from each preview's `word_shapes`); `match --on Nome` without `--right-on` names it in its error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# "Mostly": more than this share of a column's filled values.
MOSTLY = 0.5


def word_shapes(frame: "pd.DataFrame") -> dict[str, list[str]]:
    """The columns of `frame` whose filled values mostly (MOSTLY) hold two words or more
    (`several`: `Maria Silva`) and those mostly holding one (`single`: `Maria`), in column
    order; a column without a filled value is in neither. Words are split on white space."""
    shapes: dict[str, list[str]] = {"several": [], "single": []}
    for name in frame.columns:
        values = frame[name].astype(str).str.strip()
        values = values[values != ""]
        if not len(values):
            continue
        several = float((values.str.split().str.len() >= 2).mean())
        if several > MOSTLY:
            shapes["several"].append(str(name))
        elif 1 - several > MOSTLY:
            shapes["single"].append(str(name))
    return shapes


def _plain(name: str) -> str:
    """A column's name without case, spaces or punctuation (the window's `plain`)."""
    return "".join(char for char in str(name).lower() if char.isalnum())


def split_name_partner(name: str, left_shapes: dict[str, list[str]], right: Sequence[str],
                       right_shapes: dict[str, list[str]]) -> "str | None":
    """For a left column `name` of mostly several words (left_shapes, word_shapes), the right
    column of the same name (case and punctuation aside), named for given or whole names
    (party_names.name_column_roles) and holding mostly one word, joined with the right's first
    surname column (`nome + sobrenome`); None when any of that is missing."""
    from datatools.tools.match import JOIN
    from datatools.tools.party_names import name_column_roles

    if name not in left_shapes.get("several", []):
        return None
    same = [column for column in right if _plain(column) == _plain(name)]
    roles = name_column_roles(list(right))
    if (len(same) != 1 or same[0] not in right_shapes.get("single", [])
            or same[0] not in roles["given"] + roles["whole"]):
        return None                       # a town, a street: not a name split in two
    family = [column for column in roles["family"] if column != same[0]]
    return f"{same[0]}{JOIN}{family[0]}" if family else None
