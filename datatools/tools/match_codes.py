"""A code two rows alone share in match (issue 30, DECISIONS 380, 401): a left row and a right
row that share a rare code key (identifiers.row_codes: a model number, one written in parts),
where the left row shares a key with no other right row and the right row with no other left
row, are one product unless they are variants (another capacity, colour, size, letters added
to the model). Such a pair is the left row's certain match, whatever its score or a veto on an
ordinary word says; a variant still decides. Used by tools/match.py and large/match.py: the
first finds each row's code partner, the second which of a batch's pairs are one
(`code_partner_pairs`, kept whatever their score), the third makes them the rows' matches
(`mark_code_partners`, after match_mutual.mark_mutual).

On Abt-Buy (title, defaults; bench/linkage_sets.py) 542 such pairs, every one a true pair; with
half the right partners removed none is wrong (DECISIONS 380). Where rows share a key with
others too, the one pair of both whose codes agree is partners as well (381); two codes that
differ only in how a colour is lettered are no variant (378: `NNSD667SS`/`NNSD667S`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PairScores, PreparedColumns

from datatools.tools.identifiers import row_codes
# A pack of several on one side only (`Canon PG-40 Twin Pack Black Ink Cartridge` against
# `Canon Black Ink Cartridge - PG40BK`, one cartridge): two articles however their codes agree
# (DECISIONS 381; packs.py reads which values name one, 576).
from datatools.tools.packs import packs_differ


def code_partners(prepared: "PreparedColumns", left_count: int, certain_from: float
                  ) -> "np.ndarray | None":
    """Per row of the stacked tables (left rows first): its code partner's row, or -1. None
    where the rule does not apply: with --threshold (`certain_from` 0), or where a compared
    column is no descriptive text (identifiers.code_columns: names, addresses, identifiers).

    A pair is partners when its rows share a rare key with no other row (DECISIONS 401), or,
    where they share keys with other rows too, when it is the one pair of both rows whose
    codes agree both ways (identifiers.code_relation) or differ only in how a colour is
    lettered (code_colours.colour_letters_only): `NNSN667BK` with `NNSN667B`, not with
    `NNSN667W`, all three holding the key `nnsn667` (DECISIONS 381), or where one writes the
    other's model number with a colour's letters the other title names (code_colours.
    colour_named: `DMCTZ5S` with `DMC-TZ5 … Silver`, DECISIONS 565), a pair whose titles name
    two colours being none of these (566); then, of the rows still
    without a partner, the one pair of both that alone holds a key (no third row does) and
    whose codes agree one way (PARTIAL): `FS105` with `FS105NA`, both titles also holding
    `5port` as others do (DECISIONS 544). match_codes._variants still decides each pair."""
    import numpy as np

    from datatools.tools.candidates import code_pairs
    from datatools.tools.code_colours import colour_letters_only, colour_named
    from datatools.tools.identifiers import (AGREE, DIFFER, ONE_SIDED, PARTIAL, _colours_differ,
                                             code_columns, code_relation)

    if not certain_from > 0 or not prepared.rows or len(code_columns(prepared)) < len(prepared.names):
        return None
    side = np.arange(prepared.rows) >= left_count
    a, b = code_pairs(prepared, side)       # distinct left × right pairs sharing a rare key
    partner = np.full(prepared.rows, -1, dtype=np.int64)
    if not len(a):
        return partner
    left, right = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    alone = ((np.bincount(left, minlength=prepared.rows)[left] == 1)
             & (np.bincount(right, minlength=prepared.rows)[right] == 1))
    partner[left[alone]] = right[alone]
    partner[right[alone]] = left[alone]
    left, right = left[~alone], right[~alone]
    if len(left):
        relation = code_relation(prepared, left, right)
        agree = (relation[0] == AGREE) if relation is not None else np.zeros(len(left), bool)
        others = (np.flatnonzero((relation[0] == PARTIAL) | (relation[0] == DIFFER))
                  if relation is not None else np.empty(0, np.int64))
        agree[others[colour_letters_only(prepared, left[others], right[others])]] = True
        # A model number with a colour's letters the other title names in words (DECISIONS 565).
        lettered = (np.flatnonzero(~agree & ((relation[0] == PARTIAL) | (relation[0] == ONE_SIDED)))
                    if relation is not None else np.empty(0, np.int64))
        agree[lettered[colour_named(prepared, left[lettered], right[lettered])]] = True
        # Two colours named (`Silver … SD1100IS` against `… SD1100 IS … Melody Pink`): no
        # partners, and no rival of the pair whose colours agree (DECISIONS 566).
        both = np.flatnonzero(agree)
        agree[both[_colours_differ(prepared, left[both], right[both])]] = False
        partial = (relation[0] == PARTIAL) if relation is not None else np.zeros(len(left), bool)
        rest = partial & ~agree & _private(prepared, left, right)
        _pair_once(partner, left[agree], right[agree])
        # Rows left without a partner: the one pair of both that alone holds a key, its codes
        # agreeing one way (`FS105` against `FS105NA`, both holding `5port` too, DECISIONS 544).
        rest &= (partner[left] < 0) & (partner[right] < 0)
        _pair_once(partner, left[rest], right[rest])
    return partner


def _pair_once(partner: "np.ndarray", left: "np.ndarray", right: "np.ndarray") -> None:
    """Make partners (in `partner`, per stacked row) of each pair (left[k], right[k]) that is the
    only one of its left row and of its right row."""
    import numpy as np

    one = ((np.bincount(left, minlength=len(partner))[left] == 1)
           & (np.bincount(right, minlength=len(partner))[right] == 1))
    partner[left[one]] = right[one]
    partner[right[one]] = left[one]


def _private(prepared: "PreparedColumns", left: "np.ndarray", right: "np.ndarray") -> "np.ndarray":
    """Per pair (left[k], right[k]): do the two rows share a code key (identifiers.row_codes)
    that no other row holds?"""
    import numpy as np

    found = row_codes(prepared)
    ids, holders = found.key_ids, found.key_holders
    count = np.bincount(ids, minlength=len(found.texts))
    two = count[ids] == 2
    order = np.lexsort((holders[two], ids[two]))
    pairs = holders[two][order].reshape(-1, 2)       # each such key's two rows, the lower first
    held = set((pairs[:, 0] * prepared.rows + pairs[:, 1]).tolist())
    return np.fromiter(((int(x) * prepared.rows + int(y)) in held for x, y in zip(left, right)),
                       dtype=bool, count=len(left))


def code_partner_pairs(prepared: "PreparedColumns", a: "np.ndarray", b: "np.ndarray",
                       scored: "PairScores", partner: "np.ndarray | None") -> "np.ndarray":
    """Which pairs (a[k], b[k]) of `scored` are code partners that are no variants (a bool
    array). Such a pair vetoed on an ordinary word gets back its score before the veto
    (scored.score changed in place); one told apart by a variant check stays as it is."""
    import numpy as np

    found = np.zeros(len(a), dtype=bool)
    if partner is None or not len(a) or scored.probability is not None:
        return found
    pairs = np.flatnonzero(partner[a] == b)
    if not len(pairs):
        return found
    pairs = pairs[~_variants(prepared, a[pairs], b[pairs])]
    found[pairs] = True
    for k in pairs.tolist():
        veto = scored.vetoes.get(k)
        if veto is not None:
            scored.score[k] = veto.score
    return found


def _variants(prepared, x, y) -> "np.ndarray":
    """Per pair: two variants or codes that differ or agree only in part (certainty.codes_differ:
    `DVPFX820P`/`DVPFX820`, a model with letters added, DECISIONS 314) — unless the codes differ
    only in how one colour is lettered (code_colours.colour_letters_only: `NNSD667SS`/`NNSD667S`,
    DECISIONS 378), agree but for a number one title adds (code_extras.extra_codes_only:
    `PGI5BK`/`PGI-5BK … 0628B002`, DECISIONS 431), or agree one way only where the letters one
    code adds read as no colour its own title names while the other title names none
    (code_colours.colour_added: `JFS516NA`/`JFS516`, `DTT420WH`/`DTT420` are one product,
    `DVPFX820P` in a title saying pink against `DVPFX820` is not; DECISIONS 543) —, or two
    colours or quantities in any compared column
    (colours.colours_differ, variants.quantities_differ: `Black`/`Silver`, `8GB`/`16GB`,
    whatever the column is named), or a pack of several on one side only (`twin pack`, `2 pack`)."""
    import numpy as np

    from datatools.tools.certainty import codes_differ
    from datatools.tools.code_colours import colour_added, colour_letters_only
    from datatools.tools.code_extras import extra_codes_only
    from datatools.tools.colours import colours_differ
    from datatools.tools.identifiers import PARTIAL, code_relation
    from datatools.tools.variants import quantities_differ, variants_differ

    differ = codes_differ(prepared, x, y)
    told = np.flatnonzero(differ)
    if len(told):
        told = told[~variants_differ(prepared, x[told], y[told], numbers_weighed=True)]
        same = colour_letters_only(prepared, x[told], y[told])
        # Codes agreeing in part only by a number of one title's own (DECISIONS 431), or by
        # letters one shop adds that name no colour its title states and the other's lacks (543).
        relation = code_relation(prepared, x[told], y[told])
        partial = (relation[0] == PARTIAL) if relation is not None else np.zeros(len(told), bool)
        one, other = x[told[partial]], y[told[partial]]
        same[partial] |= extra_codes_only(prepared, one, other) | ~colour_added(prepared, one, other)
        differ[told[same]] = False
    for k in np.flatnonzero(~differ).tolist():
        for text in prepared.text:
            left, right = text[int(x[k])] or "", text[int(y[k])] or ""
            if left and right and (colours_differ(left, right) or quantities_differ(left, right)
                                   or packs_differ(left, right)):
                differ[k] = True
                break
    return differ


def mark_code_partners(prepared: "PreparedColumns", a, b, scored: "PairScores", keep, chosen,
                       found: "np.ndarray", left_count: int, top: int, unique: bool,
                       limit: float, certain_from: float) -> None:
    """Make each code partner pair (`found`, per pair of `keep`) its left row's first match
    and certain, unless that row's first match is another certain pair (or, with `unique`,
    its right row is another left row's match); then it is listed only where it scores
    `limit` or more. `chosen` (as match._best_pairs gives over the pairs `keep` of a, b, up to
    `top` per row) is changed in place; scored.coded gets each such pair's reason (`_reasons`:
    the shared key and why it decides), for its match_reason, in place of a mutual lead
    (scored.mutual); scored.differs is cleared for it."""
    import numpy as np

    from datatools.tools.match import _certain

    keep = np.asarray(keep, dtype=np.int64)
    coded = np.flatnonzero(found)
    if not len(coded):
        return
    taken = {m[0] for matches in chosen for m in matches} if unique else set()
    marked: dict[int, int] = {}
    for k in coded.tolist():
        pair = int(keep[k])
        row, other = int(a[pair]), int(b[pair]) - left_count
        matches = chosen[row]
        rest = [m for m in matches if m[2] != k]
        if ((rest and matches[0][2] != k and _certain(scored, int(keep[matches[0][2]]), certain_from))
                or (unique and len(rest) == len(matches) and other in taken)):
            if float(scored.strength[pair]) < limit:
                chosen[row] = rest
            continue
        chosen[row] = ([(other, float(scored.strength[pair]), k)] + rest)[:top]
        taken.add(other)
        if scored.differs is not None:
            scored.differs[pair] = False
        if scored.mutual:       # the shared code says more than the lead (match_mutual)
            scored.mutual.pop(pair, None)
        marked[pair] = int(b[pair])
    first = np.fromiter((int(a[p]) for p in marked), np.int64, len(marked))
    second = np.fromiter(marked.values(), np.int64, len(marked))
    scored.coded = dict(zip(marked, _reasons(prepared, first, second)))


def _reasons(prepared, first: "np.ndarray", second: "np.ndarray") -> list[str]:
    """Per code partner pair, the start of its match_reason: `the same model number GS116NA,
    held by no other row` (DECISIONS 401), `…, its colour lettered two ways` (378), `…, agreeing
    in no other pair` where other rows hold the key too (381), `…, its added letters the colour
    the other title names` (`SD990ISB` against `SD990 IS … Black`: code_colours.colour_named,
    DECISIONS 565)."""
    import numpy as np

    from datatools.tools.code_colours import colour_letters_only, colour_named

    found = row_codes(prepared)
    held = np.bincount(found.key_ids, minlength=len(found.texts)) if len(found.key_ids) else None
    colour = colour_letters_only(prepared, first, second)
    named = np.zeros(len(first), dtype=bool)
    named[~colour] = colour_named(prepared, first[~colour], second[~colour])
    out = []
    for key, lettered, said in zip(_shared_keys(prepared, first, second), colour.tolist(),
                                   named.tolist()):
        text = f"the same model number {key.upper()}"
        text += ", its colour lettered two ways" if lettered else ""
        text += ", its added letters the colour the other title names" if said else ""
        alone = held is None or not key or held[int(np.searchsorted(found.texts, key))] <= 2
        out.append(text + (", held by no other row" if alone else ", agreeing in no other pair"))
    return out


def _shared_keys(prepared, first: "np.ndarray", second: "np.ndarray") -> list[str]:
    """Per pair: the code key rows first[k] and second[k] share (identifiers.row_codes), a code
    of its own first (`tu1500rd` rather than `tunertu1500rd`, two words joined), then the longest."""
    import numpy as np

    found = row_codes(prepared)

    def by_row(ids, holders):
        order = np.argsort(holders, kind="stable")
        holders, ids = holders[order], ids[order]
        return lambda row: ids[np.searchsorted(holders, row):np.searchsorted(holders, row, side="right")]

    keys, codes = by_row(found.key_ids, found.key_holders), by_row(found.ids, found.holders)
    out = []
    for x, y in zip(first.tolist(), second.tolist()):
        shared = np.intersect1d(keys(x), keys(y))
        own = np.isin(shared, np.union1d(codes(x), codes(y)))
        ranked = sorted(zip(own.tolist(), (len(found.texts[k]) for k in shared.tolist()), shared.tolist()))
        out.append(str(found.texts[ranked[-1][2]]) if ranked else "")
    return out
