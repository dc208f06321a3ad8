"""Which row of a duplicate group --keep most-complete (and the window's review) keeps."""

import pandas as pd

from datatools.app.review import DuplicateReview, GroupFilter
from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster
from datatools.tools.keep_policy import policy_kept

COLUMNS = ["nome", "cognome", "indirizzo", "citta", "telefono"]
CUSTOMERS = [
    # Each damaged copy comes first in the file and is as filled-in as its clean original.
    ("Carmela", "Mraino", "Via Massarenti, 191", "Bologna", "051 623910"),      # surname typo
    ("Carmela", "Marino", "Via Massarenti, 191", "Bologna", "051 623910"),
    ("Rossi", "Giuseppe", "Via Emilia, 40", "Imola", "0542 31877"),             # names swapped
    ("Giuseppe", "Rossi", "Via Emilia, 40", "Imola", "0542 31877"),
    ("Luca", "Fontana", "Via Roma", "Modena", "059 224411"),                    # no house number
    ("Luca", "Fontana", "V. Roma, 12", "Modena", "059 224411"),
    # Other customers, so that Marino and Rossi are surnames and Giuseppe a given name here.
    ("Anna", "Marino", "Via Saragozza, 8", "Bologna", "051 331207"),
    ("Paolo", "Marino", "Corso Italia, 3", "Ferrara", "0532 90211"),
    ("Giuseppe", "Bianchi", "Via Cavour, 77", "Parma", "0521 66310"),
    ("Giuseppe", "Conti", "Viale Europa, 5", "Rimini", "0541 77120"),
    ("Sara", "Rossi", "Via Mazzini, 19", "Cento", "051 902233"),
    ("Marco", "Rossi", "Via Verdi, 2", "Budrio", "051 800411"),
]


def test_most_complete_keeps_the_common_spelling_the_names_in_place_and_the_house_number():
    """Among equally filled rows the clean original is kept, not the copy listed first: the
    surname spelled as elsewhere in the column, the given name and surname in their own
    columns, the street with its house number (issue 30: the window and --keep kept the first
    of them, `Carmela Mraino`, and dropped `Carmela Marino`)."""
    found = find_duplicates(pd.DataFrame(CUSTOMERS, columns=COLUMNS, dtype=object), COLUMNS)
    assert [c.rows for c in found.clusters] == [[0, 1], [2, 3], [4, 5]]
    kept = keep_one_per_cluster(found, "most-complete", include_possible=True)
    assert kept.frame.values.tolist()[:3] == [
        ["Carmela", "Marino", "Via Massarenti, 191", "Bologna", "051 623910"],
        ["Giuseppe", "Rossi", "Via Emilia, 40", "Imola", "0542 31877"],
        ["Luca", "Fontana", "V. Roma, 12", "Modena", "059 224411"]]
    assert kept.merges[["kept_row", "dropped_rows"]].values.tolist() == [["2", "1"], ["4", "3"],
                                                                         ["6", "5"]]
    # The window asks for one page of groups at a time, and its Keep mark is on the same rows.
    assert policy_kept(found, "most-complete", found.clusters[1:2]) == {found.clusters[1].id: 3}
    page = DuplicateReview(found, keep="most-complete").page(GroupFilter(), sort="file")
    assert [[row["number"] for row in group["rows"] if row["kept"]] for group in page["groups"]] == [
        [2], [4], [6]]
    # More filled-in cells still come first: a phone number is not dropped for a spelling.
    fuller = [row if k != 0 else row[:4] + ("051 623910 / 333 1234567",) for k, row in enumerate(CUSTOMERS)]
    fuller[1] = fuller[1][:4] + ("",)
    found = find_duplicates(pd.DataFrame(fuller, columns=COLUMNS, dtype=object), COLUMNS)
    assert policy_kept(found, "most-complete", found.clusters[:1]) == {found.clusters[0].id: 0}
