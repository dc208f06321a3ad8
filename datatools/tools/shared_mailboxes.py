"""A shared e-mail address as evidence about two rows' names (issue 30): a family's mailbox
(`familie.koch@web.de`) vouches for no one, one person's own (`frida.mayer62@`) vouches for
her name keyed a letter wrong (`Freda`). Asked by households.names_two_people for pairs whose
names read as two people while an identifier agrees (DECISIONS 360, 385, 450, 490)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Iterator

    import numpy as np

    from datatools.tools.similarity import PreparedColumns


def mailbox_of_both(prepared: "PreparedColumns", x: int, y: int, given: list[int]) -> bool:
    """Do rows x and y share an e-mail (PreparedColumns.exact_only, agreeing exactly) named
    after a given name both rows hold in a name column (a given-name or surname column), of
    three letters or more? `logan.gibson9@aol.com` on `Logan Gibson` and on `Gtbsno Logan`
    (columns swapped, the surname garbled) is one person's mailbox; `familie.koch@web.de` on
    `Jan` and `Peter Koch`, or `jan.koch@` on both, names neither or one (DECISIONS 360)."""
    text = prepared.text
    return any(str(text[c][row]) in shared and len(str(text[c][row])) >= 3
               for _, shared in shared_mailboxes(prepared, x, y, given)
               for c in given for row in (x, y))


def shared_mailboxes(prepared: "PreparedColumns", x: int, y: int,
                      given: list[int]) -> "Iterator[tuple[str, set[str]]]":
    """For each e-mail (PreparedColumns.exact_only) rows x and y share exactly: its words
    (emails.mailbox_words, digits left out), single-spaced between two spaces, and the names a name column (`given`
    or a surname column) holds on both rows that it names (named_in)."""
    import re

    from datatools.tools.emails import mailbox_words
    from datatools.tools.households import _names_surname

    names = given + [c for c, name in enumerate(prepared.names) if _names_surname(name)]
    text = prepared.text
    held = [{str(text[c][row]) for c in names} for row in (x, y)]
    for column, mail in enumerate(prepared.exact_only or []):
        value = str(text[column][x])
        if mail and value and value == str(text[column][y]):
            words = " " + " ".join(re.sub(r"[0-9]", " ", mailbox_words(value)).split()) + " "
            yield words, {name for name in held[0] & held[1] if named_in(name, words)}


def fold_shared_mailboxes(prepared: "PreparedColumns", x: "np.ndarray", y: "np.ndarray") -> None:
    """Fold at once the e-mails (PreparedColumns.exact_only) each pair of rows (x[k], y[k]), int
    arrays of one length, shares exactly, for shared_mailboxes to read about those pairs next
    (emails.mailbox_words_of: one normalize_text call, not one per address)."""
    from datatools.tools.emails import mailbox_words_of

    addresses: list[str] = []
    for column, mail in enumerate(prepared.exact_only or []):
        if mail and len(x):
            shared = prepared.text[column].equal_filled(x, y)
            addresses += map(str, prepared.text[column][x[shared]].tolist())
    if addresses:
        mailbox_words_of(addresses)


def named_in(name: str, mailbox: str) -> bool:
    """Does a mailbox (its folded words between two spaces: `" degliesposti luca tiscali it "`)
    name a folded name: as its words in a row, or as one word of them joined? A surname of two
    words (`Degli Esposti`, `De Luca`, `van der Berg`) is written joined in a mailbox
    (`degliesposti.luca@tiscali.it`) or apart (`luca.degli.esposti@`; trial E, issue 30,
    DECISIONS 490)."""
    return bool(name.strip()) and (f" {name} " in mailbox
                                   or f" {name.replace(' ', '')} " in mailbox)


def mailbox_names_one(prepared: "PreparedColumns", x: int, y: int, given: list[int],
                       swaps: "dict[int, tuple[int, int]]", pair: int) -> bool:
    """Do rows x and y share a person's own mailbox (PreparedColumns.exact_only, agreeing
    exactly) whose name holds a name both rows hold (their surname) and one row's given name
    (three letters or more), while the other row's given name (crossed where `swaps` says for
    pair `pair`) is that name with one keying error (_keying_errors), or two where it is no name
    in common use (given_names.known_given_names: `Dargaga` on `dragana.feldmann76@`), not its male or female
    form (gendered_pair) and not a name the lists give the other sex
    (given_name_pairs._given_sexes)? `frida.mayer62@t-online.de` on `Frida Mayer` and on
    `Freda Mayer`: the mailbox is Frida's, and `Freda` is her name keyed with one letter wrong,
    though both are names in common use (DECISIONS 385, 450). `jan.koch@` on `Jan` and `Jon
    Koch` reads so too; on `Jan` and `Peter`, `paul.koch@` on `Paul` and `Paula`, and
    `familie.koch@` on anyone stay two people (mailbox_of_both)."""
    from datatools.tools.certainty import _keying_errors, gendered_pair
    from datatools.tools.given_names import known_given_names
    from datatools.tools.swaps import partner_column

    known = known_given_names()
    text = prepared.text
    for words, shared in shared_mailboxes(prepared, x, y, given):
        if not shared:
            continue
        for name in given:
            left = str(text[name][x])
            right = str(text[partner_column(swaps, pair, name)][y])
            for own, other in ((left, right), (right, left)):
                if (named_in(own, words) and own not in shared and len(own) >= 3 and own != other
                        and _keying_errors(own, other) <= 1 + (other not in known)
                        and not gendered_pair(own, other) and not other_sex(own, other)):
                    return True
    return False


def other_sex(left: str, right: str) -> bool:
    """Do the given-name lists give two folded given names only one sex each, not the same
    (`mira` f, `mika` m)? A couple shares one partner's mailbox; siblings of one sex a letter
    apart sharing one's own mailbox are rarer than that letter keyed wrong."""
    from datatools.tools.given_name_pairs import _given_sexes

    sexes = _given_sexes()
    return {sexes.get(left), sexes.get(right)} == {"m", "f"}
