"""The legal form ending a firm's name (`Rossi S.r.l.` → `srl`, `GmbH & Co. KG` → `gmbhcokg`),
and two firms told apart by theirs (`Perez SARL`/`Perez SAS`: DECISIONS 466). Read by
similarity.prepare_columns for every name column and asked by party_names.parties_differ,
match_certainty, parted_rows and group_conflicts."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.similarity import PreparedColumns


# Legal forms written for one another (a one-member SAS or SL is a SASU or SLU), folded.
SAME_LEGAL_FORM = {"sasu": "sas", "slu": "sl", "srls": "srl"}
# Words joining the parts of one legal form (`GmbH & Co. KG`, `GmbH u. Co. KG`).
_FORM_JOINERS = frozenset({"and", "und", "u"})


@functools.lru_cache(maxsize=1)
def _known_legal_forms() -> frozenset[str]:
    """Every legal form (words.legal_form_words' one-word terms, cleanco's and ours) written as
    one word without spaces (`sp z oo` → `spzoo`, `gmbh co kg` → `gmbhcokg`)."""
    from datatools.tools.words import _legal_terms

    return frozenset("".join(word for word in parts if word not in _FORM_JOINERS)
                     for parts in _legal_terms())


def legal_form(value: str) -> str:
    """The legal form ending a firm's name (normalised text) as one word, "" when none: the
    run of legal-form words, their parts and single letters ending a value of two words or
    more, written on (dotted initials that normalize_text left apart read as one: `S.p.A.` →
    `sp a` → `spa`, `S.r.l.` → `srl`), when that is a known form (_known_legal_forms), a `Co.`
    before it aside (`Co., Ltd.` is `ltd`)."""
    from datatools.tools.words import legal_form_parts, legal_form_words

    words = value.split()
    if len(words) < 2:
        return ""
    members = legal_form_words() | legal_form_parts() | _FORM_JOINERS
    start = len(words)
    while start > 1 and (words[start - 1] in members or len(words[start - 1]) == 1):
        start -= 1
    form = "".join(word for word in words[start:] if word not in _FORM_JOINERS)
    known = _known_legal_forms()
    if form not in known and form.startswith("co") and form[2:] in known:
        form = form[2:]
    if form not in known or form == "co":
        return ""
    return SAME_LEGAL_FORM.get(form, form)


def legal_forms_differ(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray",
                       column_scores: "np.ndarray") -> "np.ndarray":
    """Per pair (x[k], y[k]): in a column of names (_party_columns), do both values end in a
    legal form and the two forms differ (legal_form: `Rossi S.r.l.`/`Rossi S.p.A.`, `GmbH`/
    `AG`, `SARL`/`SAS`, `Ltd`/`LLP`)? Two legal forms are two firms (a limited company and a
    joint-stock one of one family's name), whatever the words before them; the short and the
    spelled-out form of one (`GmbH`/`Gesellschaft mit beschränkter Haftung`) are one form
    already (normalize.LEGAL_FORMS). An identifier column agreeing exactly (100 in
    `column_scores`) vouches for the pair (a firm converted from GmbH to AG keeps its VAT ID).
    A bool array."""
    import numpy as np

    from datatools.tools.party_names import _party_columns

    result = np.zeros(len(x), dtype=bool)
    for column in _party_columns(prepared):
        forms = prepared.forms[column] if column < len(prepared.forms) else {}
        if not forms:
            continue
        ranks = prepared.ranks[column]
        for k in np.flatnonzero(~result).tolist():
            one, other = forms.get(int(ranks[x[k]]), ""), forms.get(int(ranks[y[k]]), "")
            result[k] = bool(one and other and one != other)
    for column, identifier in enumerate(prepared.identifier):
        if identifier:
            result &= column_scores[:, column] != 100
    return result
