"""Two code partners whose model numbers agree, one title adding a number of its own (issue 30,
DECISIONS 431): `Canon PGI-5BK Black Ink Tank Cartridge - PGI5BK` against `Canon PGI-5BK Black
Ink Cartridge - 0628B002` (the maker's catalogue number beside the model), `Netgear Wireless
Access Point - WG102` against `… WG102 … - WG102NA` (a region's letters, the bare model named
too). identifiers.code_relation reads such codes as agreeing only in part, and certainty.
codes_differ keeps a pair so read possible (DECISIONS 314: a model with letters added is a
variant); match_codes.py asks here before refusing a code partner on that ground.

What this rule leaves a variant: a code of one row that resembles the other's model
(code_colours._resemble: holds it, the same stem, two keying errors apart) where that other row
does not name the bare model itself (`PM1327BK` against `PM1327`, `JFS516NA` against `JFS516`,
`DVPFX820P` against `DVPFX820`), and codes held in part inside a longer word only. Of those,
match_codes._variants takes for one product the letters added that name no colour their own
title states while the other title names none (code_colours.colour_added, DECISIONS 543:
`JFS516NA`, not `PM1327BK` in a title saying black).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns


def extra_codes_only(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray"
                     ) -> "np.ndarray":
    """Per pair (x[k], y[k]) of rows of `prepared`: does one row hold every code of the other
    (identifiers.row_codes; held as one to three neighbouring words run together, as
    code_relation reads it), its own further codes each resembling none of the other's, or
    resembling only a code it names itself too (module docstring)? A bool array; False where
    a row holds no code."""
    import numpy as np

    from datatools.tools.code_colours import _runs
    from datatools.tools.identifiers import row_codes

    found = row_codes(prepared)
    codes = found.of_rows()
    runs: dict[int, set[str]] = {}

    def runs_of(row: int) -> set[str]:
        if row not in runs:
            runs[row] = _runs(" ".join(prepared.text[c][row] or "" for c in found.columns))
        return runs[row]

    result = np.zeros(len(x), dtype=bool)
    for k, (one, other) in enumerate(zip(np.asarray(x).tolist(), np.asarray(y).tolist())):
        if one in codes and other in codes:
            result[k] = (_held_with_extras(codes[one], codes[other], runs_of(one), runs_of(other))
                         or _held_with_extras(codes[other], codes[one], runs_of(other),
                                              runs_of(one)))
    return result


def _held_with_extras(mine: list[str], theirs: list[str], my_runs: set[str],
                      their_runs: set[str]) -> bool:
    """Are all of `mine` held by the other row (`their_runs`), and does each of the other row's
    codes that I do not hold resemble none of mine, unless the other row names that one of
    mine as a code of its own too (`wg102na` beside `wg102`)?"""
    from datatools.tools.code_colours import _resemble

    if not all(code in their_runs for code in mine):
        return False
    rest = [code for code in theirs if code not in my_runs]
    return all(own in theirs for code in rest for own in mine if _resemble(code, own))
