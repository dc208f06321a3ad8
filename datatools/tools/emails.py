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

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

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


@lru_cache(maxsize=4096)
def mailbox_words(address: str) -> str:
    """An address's words as normalize.normalize_text folds text (`frida.müller0@web.de` is
    `frida muller0 web de`): what a mailbox says about the names it is named after."""
    from datatools.tools.normalize import normalize_text

    return str(normalize_text([address])[0])


def punctuation_apart(left: "np.ndarray", right: "np.ndarray") -> "np.ndarray":
    """Per pair of unequal e-mail texts (mailbox_text; object arrays of str of one length): are
    they one text once the punctuation of both is dropped (`anna.nowak@` and `anna_nowak@`,
    `annanowak@`)? Such addresses are two mailboxes, not one keyed with a typo: a bool array."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(left):
        return np.zeros(0, dtype=bool)
    bare = [pc.replace_substring_regex(pa.array(side, type=pa.string()), r"[^\p{L}\p{N}]+", "")
            for side in (left, right)]
    return np.asarray(pc.fill_null(pc.equal(*bare), False), dtype=bool)


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
