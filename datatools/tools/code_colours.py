"""Two codes of one product that differ only in how the colour is lettered (issue 30, DECISIONS
378): `NNSD667SS`/`NNSD667S`, `DDW1805WH`/`DDW1805W`, `WFW8300SWH`/`WFW8300SW`, `RM705BK`
against `RM705` in a title that says `black`. A shop writes the maker's model number and adds
its own colour letters (Abt: `WH`, `BK`, `SS`); the maker's number often ends in its own colour
letter already. Read by match_codes.py, where such a pair of code partners would otherwise be
two codes agreeing only in part (certainty.codes_differ) and stay possible.

What stays a variant (DECISIONS 314, 397): a model with letters added that name a colour the
other title does not state (`DVPFX820P`, the pink one, against `DVPFX820`, sold in black), two
colours (`SB`/`SW`), letters that name no colour (`D300BODY`/`D300`, `EL1000B`/`EL1000A`), and
a code a digit apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns

# The letters makers and shops put after a model number for its colour (Abt, Buy, Panasonic,
# Whirlpool, LG, Yamaha, Nikon, Olympus in Abt-Buy's titles), with the colour each may stand
# for. `s` is silver or stainless steel, `bl` black (Yamaha) or blue (Sony): such a suffix
# counts only where a title names the colour it is read as.
COLOUR_LETTERS = {
    "black": ("b", "bk", "blk", "bl"),
    "white": ("w", "wh", "wht"),
    "silver": ("s", "sl", "sil", "slv"),
    "stainless": ("s", "ss"),
    "grey": ("g", "gy", "gr", "gry"),
    "pink": ("p", "pk", "pnk"),
    "red": ("r", "rd"),
    "blue": ("bl", "l", "li", "blu"),
}
_READINGS: dict[str, set[str]] = {}
for _colour, _letters in COLOUR_LETTERS.items():
    for _suffix in _letters:
        _READINGS.setdefault(_suffix, set()).add(_colour)


def colour_letters_only(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray"
                        ) -> "np.ndarray":
    """Per pair (x[k], y[k]) of rows of `prepared`: do the two rows' codes (identifiers.row_codes)
    agree but for their colour letters? Every code of one row is held by the other (as
    identifiers.code_relation reads it: one to three neighbouring words run together), or
    is the other's code with other colour letters (colour_suffixes_agree), and at least one is
    read so; the other row's codes not so accounted for resemble none of the first's (a
    distributor's number beside the maker's: `LI42B` against `LI-42B … 202034`). A bool array;
    False where a row holds no code."""
    import numpy as np

    from datatools.tools.identifiers import row_codes

    found = row_codes(prepared)
    codes = found.of_rows()
    result = np.zeros(len(x), dtype=bool)
    read: dict[int, tuple[str, set[str]]] = {}

    def of(row: int) -> tuple[str, set[str]]:
        if row not in read:
            text = " ".join(prepared.text[c][row] or "" for c in found.columns)
            read[row] = (text, _runs(text))
        return read[row]

    for k, (one, other) in enumerate(zip(np.asarray(x).tolist(), np.asarray(y).tolist())):
        if one not in codes or other not in codes:
            continue
        (text_one, runs_one), (text_other, runs_other) = of(one), of(other)
        texts, runs = [text_one, text_other], [runs_one, runs_other]
        result[k] = (_accounted(codes[one], codes[other], runs[0], runs[1], texts)
                     or _accounted(codes[other], codes[one], runs[1], runs[0], texts[::-1]))
    return result


def colour_added(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): does a code of one row add to a code the other row holds
    (identifiers.code_relation's reading: one to three neighbouring words run together)
    trailing letters that read as a colour its own title names, where the other title names
    no colour? `DVPFX820P` in `Sony DVP-FX820 Pink …` against `Sony DVP-FX820 Portable DVD
    Player - DVPFX820`: the pink one of a model sold in several colours, another article
    (DECISIONS 397). A bool array; False where a row holds no code."""
    import numpy as np

    from datatools.tools.identifiers import row_codes

    found = row_codes(prepared)
    codes = found.of_rows()
    result = np.zeros(len(x), dtype=bool)
    for k, (one, other) in enumerate(zip(np.asarray(x).tolist(), np.asarray(y).tolist())):
        texts = [" ".join(prepared.text[c][row] or "" for c in found.columns) for row in (one, other)]
        for mine, theirs in ((0, 1), (1, 0)):
            row = (one, other)[mine]
            if row not in codes or _colours_named(texts[theirs]):
                continue
            named, runs = _colours_named(texts[mine]), _runs(texts[theirs])
            for code in codes[row]:
                stem, letters = _split(code)
                # The added letters may follow letters of the model's own (`ss550p` + `bk`).
                result[k] |= bool(stem) and code not in runs and any(
                    code[:len(code) - cut] in runs and _READINGS.get(code[len(code) - cut:], set()) & named
                    for cut in range(1, len(letters) + 1))
    return result


def colour_named(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): does one row write the other's model number with letters added
    that read as the one colour the other title names (COLOUR_LETTERS), every code of it held
    by the other row so or as it is (one to three neighbouring words run together), its own
    title naming no other colour (colours.colours_differ), and the other row's codes not so
    held resembling none of its own (code_colours._resemble)? `SD990ISB` in `Canon PowerShot
    Black … - SD990ISB` against `Canon PowerShot SD990 IS … - Black - 2669B001`, `DMCTZ5S`
    against `Panasonic Lumix DMC-TZ5 Digital Camera - Silver`: the maker's colour letter on
    the one title, the colour in words on the other (issue 30, DECISIONS 565). Not `SX110ISB`
    against `SX110 IS … - Silver`, nor a bare title naming no colour (colour_added's case).
    A bool array; False where neither row holds a code."""
    import numpy as np

    from datatools.tools.colours import colours_differ
    from datatools.tools.identifiers import row_codes

    found = row_codes(prepared)
    codes = found.of_rows()
    result = np.zeros(len(x), dtype=bool)
    for k, (one, other) in enumerate(zip(np.asarray(x).tolist(), np.asarray(y).tolist())):
        texts = [" ".join(prepared.text[c][row] or "" for c in found.columns) for row in (one, other)]
        if colours_differ(texts[0], texts[1]):
            continue
        for mine, theirs in ((0, 1), (1, 0)):
            row = (one, other)[mine]
            named = _colours_named(texts[theirs])
            if row in codes and named and _lettered_in(codes[row], codes.get((one, other)[theirs], []),
                                                        _runs(texts[mine]), _runs(texts[theirs]), named):
                result[k] = True
                break
    return result


def _lettered_in(mine: list[str], theirs: list[str], my_runs: set[str], their_runs: set[str],
                 named: set[str]) -> bool:
    """Is each of `mine` in `their_runs`, or a run of them with trailing letters that read as a
    colour of `named` (one at least so), and does each of `theirs` not in `my_runs` nor inside
    a run so read resemble none of `mine`?"""
    held = []
    for code in mine:
        if code in their_runs:
            continue
        letters = _split(code)[1]
        stems = [code[:len(code) - cut] for cut in range(1, len(letters) + 1)
                 if code[:len(code) - cut] in their_runs
                 and _READINGS.get(code[len(code) - cut:], set()) & named]
        if not stems:
            return False
        held += stems
    rest = [code for code in theirs if code not in my_runs and not any(code in run for run in held)]
    return bool(held) and not any(_resemble(code, own) for code in rest for own in mine)


def _accounted(mine: list[str], theirs: list[str], my_runs: set[str], their_runs: set[str],
               texts: list[str]) -> bool:
    """Are all of `mine` held by the other row or its colour-lettered equal (one at least the
    latter), and do the other row's remaining codes, those not part of what was so read
    (`sd377s` of `nn sd377s`), resemble none of mine? `texts`: my title, then the other's."""
    matched = []
    for code in mine:
        if code in their_runs:
            continue
        found = [run for run in their_runs if colour_suffixes_agree(code, run, texts)]
        if not found:
            return False
        matched += found
    if not matched:
        return False
    rest = [code for code in theirs if code not in my_runs
            and not any(code in run for run in matched)
            and not any(colour_suffixes_agree(code, run, texts[::-1]) for run in my_runs)]
    return not any(_resemble(code, own) for code in rest for own in mine)


def colour_suffixes_agree(one: str, other: str, texts: "list[str]") -> bool:
    """Are two normalised codes one model with its colour lettered two ways? Their stems (the
    code without its trailing letters, still holding a digit) are equal and their trailing
    letters, whole or after the letters both share (`swh`/`sw` → `wh`/`w`, the last shared
    letter kept; `isg`/`is` → `g`/``), read as one colour (COLOUR_LETTERS): both lettered (`ss`/`s`), or one bare where the bare
    row's title names the colour (`rm705bk`/`rm705`, `… black …`). A suffix of two readings
    (`s`, `bl`) counts only for a colour one of the `texts` (the titles holding `one`, then
    `other`) names."""
    if one == other:
        return False
    stem, mine = _split(one)
    if not stem or _split(other)[0] != stem:
        return False
    theirs = _split(other)[1]
    readings = [(mine, theirs)]
    shared = 0
    while shared < min(len(mine), len(theirs)) and mine[shared] == theirs[shared]:
        shared += 1
    if shared:
        readings += [(mine[shared - 1:], theirs[shared - 1:]), (mine[shared:], theirs[shared:])]
    named = [_colours_named(text) for text in texts]
    for first, second in readings:
        if first and second:
            if any(_stated(colour, first, second, named[0] | named[1])
                   for colour in _READINGS.get(first, set()) & _READINGS.get(second, set())):
                return True
        elif first or second:
            bare = named[1] if first else named[0]
            if any(colour in bare for colour in _READINGS.get(first or second, set())):
                return True
    return False


def _stated(colour: str, first: str, second: str, named: set[str]) -> bool:
    """A colour both suffixes read as counts unless one of them reads as another colour too and
    neither title names this one."""
    return colour in named or (len(_READINGS[first]) == 1 and len(_READINGS[second]) == 1)


def _split(code: str) -> tuple[str, str]:
    """A code's stem and its trailing letters (`nnsd667ss` → `nnsd667`, `ss`); no stem where the
    code without them holds no letter and too few digits to be a code on its own."""
    from datatools.tools.identifiers import is_code

    stem = code.rstrip("abcdefghijklmnopqrstuvwxyz")
    if not stem or not (is_code(stem) or (stem[0].isalpha() and len(stem) >= 3)):
        return "", ""
    return stem, code[len(stem):]


def _runs(text: str) -> set[str]:
    """One to three neighbouring words of a normalised text run together (`nn c994s` →
    `nnc994s`), as identifiers.code_relation reads a code held by a row."""
    words = text.split()
    return {"".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}


def _colours_named(text: str) -> set[str]:
    """The colour a normalised title names (`stainless` for stainless steel, one language's
    word for another's: colours.SAME_COLOUR), as a set of one; empty where it names none or
    several (`cli 221 color ink 4 pack black cyan magenta yellow`: no one colour)."""
    from datatools.tools.colours import COLOURS, SAME_COLOUR

    named = {SAME_COLOUR.get(word, word) for word in text.split() if word in COLOURS}
    named = {"grey" if colour == "gray" else colour for colour in named}
    if "stainless" in text.split():
        named = {"stainless"} if named <= {"silver"} else named | {"stainless"}
    return named if len(named) == 1 else set()


def _resemble(one: str, other: str) -> bool:
    """Could two codes be one model's two versions: one holds the other, their stems are equal,
    or they are a keying error or two apart (Levenshtein, rapidfuzz)?"""
    from rapidfuzz.distance import Levenshtein

    return (one in other or other in one or _split(one)[0] == _split(other)[0] != ""
            or Levenshtein.distance(one, other) <= 2)
