"""E-mail addresses as the mailbox they reach: sub-address tags and Gmail's dots taken out.

`jp.vanderberg+boutique@orange.fr` reaches the mailbox of `jp.vanderberg@orange.fr` (a
sub-address, RFC 5233: the part of the local part after `+`), and Gmail delivers
`m.j.garcia@gmail.com` and `mjgarcia@googlemail.com` to one account (it ignores dots in the
local part, and googlemail.com is gmail.com). Two spellings of one mailbox are one person's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# RE2 patterns on the raw cells; case does not matter in a domain.
_TAG = r"^(\s*[^@+\s]+)\+[^@\s]*@"
_GMAIL = r"(?i)@(?:gmail|googlemail)\.com\s*$"


def mailboxes(values: "pa.Array") -> "pa.Array":
    """Each e-mail address (a pyarrow string array, nulls kept) as its mailbox: the `+tag` of
    any domain's local part dropped (RFC 5233), and for gmail.com and googlemail.com the dots of
    the local part too, the domain then written gmail.com. Other text passes unchanged."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.replace_substring_regex(values, _TAG, r"\1@")
    gmail = np.asarray(pc.fill_null(pc.match_substring_regex(values, _GMAIL), False), dtype=bool)
    if not gmail.any():
        return values
    folded = []
    for address in pc.filter(values, pa.array(gmail)).to_pylist():
        local = address.strip().rsplit("@", 1)[0]
        folded.append(local.replace(".", "") + "@gmail.com")
    return pc.replace_with_mask(values, pa.array(gmail), pa.array(folded, type=pa.string()))


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
