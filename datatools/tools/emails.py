"""E-mail addresses that reach one mailbox (sub-address tags, Gmail's dots) read as one.

`jp.vanderberg+boutique@orange.fr` reaches the mailbox of `jp.vanderberg@orange.fr` (a
sub-address, RFC 5233: the part of the local part after `+`), and Gmail delivers
`m.j.garcia@gmail.com` and `mjgarcia@googlemail.com` to one account (it ignores dots in the
local part, and googlemail.com is gmail.com: Google's help, "Dots don't matter in Gmail
addresses", https://support.google.com/mail/answer/7436150). Two spellings of one mailbox are
one person's. Punctuation is folded for Gmail alone, whose folding its provider documents;
at any other domain an address is compared as written but for case (mailbox_text): `anna_nowak@o2.pl` and
`anna.nowak@o2.pl` are two mailboxes (trial G, DECISIONS 518).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterable

    import numpy as np
    import pyarrow as pa

    from datatools.tools.ranked import RankedText
# RE2 patterns on the raw cells; case does not matter in a domain.
_TAG = r"^(\s*[^@+\s]+)\+[^@\s]*@"
_GMAIL = r"(?i)@(?:gmail|googlemail)\.com\s*$"


def mailboxes(values: "pa.Array") -> "pa.Array":
    """The distinct e-mail addresses of a column (a pyarrow string array, nulls kept), those that
    reach one mailbox written as the first of them; the others unchanged, so an address whose
    mailbox no other spelling reaches is compared as it was. One mailbox: the same address once
    the `+tag` of its local part is dropped (any domain, RFC 5233), and for gmail.com and
    googlemail.com the dots of the local part too and the domain read as gmail.com."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = pc.utf8_lower(pc.utf8_trim_whitespace(pc.replace_substring_regex(values, _TAG, r"\1@")))
    gmail = np.asarray(pc.fill_null(pc.match_substring_regex(keys, _GMAIL), False), dtype=bool)
    if gmail.any():
        folded = [key.rsplit("@", 1)[0].replace(".", "") + "@gmail.com"
                  for key in pc.filter(keys, pa.array(gmail)).to_pylist()]
        keys = pc.replace_with_mask(keys, pa.array(gmail), pa.array(folded, type=pa.string()))
    mailbox = np.asarray(pc.fill_null(pc.dictionary_encode(keys).indices, -1))
    _, first = np.unique(mailbox, return_index=True)
    written_as = np.empty(int(mailbox.max(initial=-1)) + 2, dtype=np.int64)
    written_as[mailbox[first] + 1] = first
    return values.take(pa.array(written_as[mailbox + 1]))


def mailbox_text(values: "pa.Array") -> "pa.Array":
    """The compared text of e-mail addresses (a pyarrow string array, nulls kept): compatibility-
    folded (NFKC), lower-case, without invisible characters and surrounding white space, and
    with every other character kept. Punctuation is part of an address: outside Gmail (whose
    dots mailboxes() folds) `anna.nowak@o2.pl`, `anna_nowak@o2.pl` and `annanowak@o2.pl` are
    three mailboxes, which normalize.normalize_text (punctuation read as a space) would make
    one (trial G, issue 30, DECISIONS 518)."""
    import pyarrow.compute as pc

    text = pc.utf8_normalize(values, "NFKC")
    text = pc.replace_substring_regex(text, r"\p{Cf}+", "")
    return pc.utf8_trim_whitespace(pc.utf8_lower(text))


# Addresses whose words mailbox_words keeps (then it starts over).
MAILBOX_WORDS_KEPT = 4096
_mailbox_words: dict[str, str] = {}


def mailbox_words(address: str) -> str:
    """An address's words as normalize.normalize_text folds text (`frida.müller0@web.de` is
    `frida muller0 web de`): what a mailbox says about the names it is named after."""
    return mailbox_words_of([address])[address]


def mailbox_words_of(addresses: "Iterable[str]") -> dict[str, str]:
    """{address: mailbox_words(address)} for each of `addresses` (str), those not yet known
    folded in one normalize_text call. Its RE2 patterns are compiled on each call whatever the
    number of values (about 26 ms): one call per address cost the 50,000-row window run about
    1.4 CPU s for 52 shared mailboxes (issue 30, DECISIONS 546). normalize_text folds each
    value on its own, so the words are the same either way."""
    from datatools.tools.normalize import normalize_text

    # Read into a dict of this call's own: another job's thread may start the kept ones over.
    found = {address: _mailbox_words.get(address) for address in addresses}
    missing = [address for address, words in found.items() if words is None]
    if missing:
        found.update(zip(missing, map(str, normalize_text(missing).to_pylist())))
        if len(_mailbox_words) + len(missing) > MAILBOX_WORDS_KEPT:
            _mailbox_words.clear()
        _mailbox_words.update((address, found[address]) for address in missing)
    return found


def punctuation_apart(text: "RankedText", x: "np.ndarray", y: "np.ndarray") -> "np.ndarray":
    """Per pair of rows (x[k], y[k]) (int arrays of one length) holding unequal e-mail texts
    (mailbox_text) in `text`: are they one text once the punctuation of both is dropped
    (`anna.nowak@` and `anna_nowak@`, `annanowak@`)? Such addresses are two mailboxes, not one
    keyed with a typo: a bool array. Each distinct value of the rows is looked at once (the
    pairs of 50,000 German customers whose e-mails differ hold 22,000 rows in 137,000 pairs,
    DECISIONS 546), not each pair's two texts."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from datatools.tools.ranked import distinct_ranks

    if not len(x):
        return np.zeros(0, dtype=bool)
    distinct, position = distinct_ranks(np.concatenate([text.ranks[x], text.ranks[y]]))
    values = (pa.array(text.values[distinct], pa.string()) if isinstance(text.values, np.ndarray)
              else text.values.take(pa.array(distinct)))
    bare = pc.replace_substring_regex(values, r"[^\p{L}\p{N}]+", "")
    # equal codes are equal texts; a missing value (-1) equals nothing
    codes = np.asarray(pc.fill_null(pc.dictionary_encode(bare).indices, -1), dtype=np.int64)
    left, right = codes[position[:len(x)]], codes[position[len(x):]]
    return (left == right) & (left >= 0)


def holds_emails(raw: "pa.Array", counts: "np.ndarray", share: float) -> bool:
    """Do at least `share` (0 to 1) of the filled rows hold an e-mail address (an identifier of
    one person)? `raw` holds a column's distinct cells, `counts` their rows (missing cells past
    its end are not counted; as many as `raw`)."""
    import numpy as np
    import pyarrow.compute as pc

    mails = np.asarray(pc.fill_null(pc.match_substring_regex(raw, r"^\s*[^@\s]+@[^@\s]+\.\w+\s*$"),
                                    False), dtype=bool)
    filled = np.asarray(pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(raw), ""), False),
                        dtype=bool)
    counts = counts[:len(raw)]
    return bool(counts[filled].sum()) and counts[mails].sum() >= share * counts[filled].sum()
