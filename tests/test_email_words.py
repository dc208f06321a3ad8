"""E-mail addresses read at once, not one by one (issue 30's 50,000-row window, DECISIONS 546):
the words of the mailboxes a run checks are folded in one normalize_text call, and two
addresses one but for punctuation are found per distinct address; the answers are those of
one address at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from datatools.progress import silent
from datatools.tools import emails, normalize
from datatools.tools.ranked import RankedText
from datatools.tools.shared_mailboxes import fold_shared_mailboxes, shared_mailboxes
from datatools.tools.similarity import prepare_columns

ADDRESSES = ["frida.müller0@web.de", "J.P.VanDerBerg+shop@orange.fr", "familie.koch@web.de",
             "straße.12@gmx.de", "", "anna_nowak@o2.pl", "frida.müller0@web.de"]


def test_addresses_folded_together_have_the_words_each_has_alone():
    alone = {address: str(normalize.normalize_text([address])[0]) for address in ADDRESSES}
    assert emails.mailbox_words_of(ADDRESSES) == alone
    assert alone["frida.müller0@web.de"] == "frida muller0 web de"
    assert [emails.mailbox_words(address) for address in ADDRESSES] == [alone[a] for a in ADDRESSES]


def test_the_mailboxes_of_many_pairs_are_folded_in_one_call(monkeypatch):
    frame = pd.DataFrame({
        "first": ["Jan", "Peter", "Frida", "Freda", "Anna", "Anne"],
        "last": ["Koch", "Koch", "Mayer", "Mayer", "Nowak", "Nowak"],
        "email": ["familie.koch@web.de", "familie.koch@web.de", "frida.mayer62@t-online.de",
                  "frida.mayer62@t-online.de", "anna.nowak@o2.pl", "anna.nowak@o2.pl"]})
    prepared = prepare_columns(list(frame.columns), [frame[c] for c in frame.columns], silent())
    emails._mailbox_words.clear()
    calls = []
    real = normalize.normalize_text
    monkeypatch.setattr(normalize, "normalize_text", lambda values, *a, **k: (
        calls.append(list(values)), real(values, *a, **k))[1])
    x, y = np.array([0, 2, 4]), np.array([1, 3, 5])
    fold_shared_mailboxes(prepared, x, y)
    assert len(calls) == 1 and sorted(calls[0]) == sorted(
        {str(prepared.text[2][row]) for row in (0, 2, 4)})
    words = [next(shared_mailboxes(prepared, int(a), int(b), [0]))[0] for a, b in zip(x, y)]
    assert len(calls) == 1     # the pairs' mailboxes were folded already
    assert words == [" familie koch web de ", " frida mayer t online de ", " anna nowak o pl "]


def test_addresses_one_but_for_punctuation_are_found_whether_kept_in_arrow_or_not():
    values = ["", "anna.nowak@o2.pl", "anna_nowak@o2.pl", "annanowak@o2.pl",
              "anna.nowak1@o2.pl", None]
    ranks = np.array([1, 2, 3, 4, 5, 0, 1], dtype=np.int64)
    x, y = np.array([0, 0, 1, 0, 4, 5]), np.array([1, 2, 2, 3, 0, 4])
    expected = [True, True, True, False, False, False]
    for kept in (np.array(values, dtype=object), pa.array(values, pa.string())):
        assert emails.punctuation_apart(RankedText(kept, ranks), x, y).tolist() == expected
