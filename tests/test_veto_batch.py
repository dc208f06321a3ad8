"""The bulk veto check (veto_batch.py) answers as the one-pair check (vetoes.disagreeing_words)."""

import numpy as np
import pandas as pd

from datatools.tools.candidates import candidate_pairs
from datatools.tools.similarity import prepare_columns, score_pairs
from datatools.tools.swaps import partner_column, unswap
from datatools.tools.vetoes import disagreeing_words, find_vetoes
from test_linkage import COLUMNS, customer_list, person


def one_by_one(prepared, a, b, column_scores, candidates, scores, swaps):
    """find_vetoes as a loop over pairs and columns (the check before veto_batch)."""
    from datatools.tools.identifiers import AGREE, code_relation
    from datatools.tools.similarity import MISSING, VETO_CHECK_BELOW, Veto

    codes = code_relation(prepared, a[candidates], b[candidates])
    vetoes = {}
    for i, k in enumerate(candidates.tolist()):
        if codes is not None and codes[0][i] == AGREE:
            continue
        for column, allowed in enumerate(prepared.can_veto):
            value = column_scores[k, column]
            if not allowed or value >= VETO_CHECK_BELOW or value == MISSING:
                continue
            if any(column_scores[k, c] == 100 for c, known in enumerate(prepared.identifier) if known):
                break
            found = disagreeing_words(prepared, column, int(a[k]), int(b[k]),
                                      partner_column(swaps, k, column))
            if found:
                vetoes[k] = Veto(column, found[0], found[1], float(scores[k]))
                break
    return vetoes


def test_the_bulk_check_vetoes_the_pairs_and_names_the_words_the_one_pair_check_does():
    rows, _ = customer_list()
    rows += [person("Gisela", "Wendland", "Mühlweg 3", "10115", "Berlin", "030 4412345"),
             person("Wendland", "Gisela", "Mühlweg 3", "10115", "Berlin", "030 4412345"),
             person("Frank", "Ostermann", "Ulmenweg 7", "34117", "Kassel", "0561 7781234"),
             person("Lukas", "Ostermann", "Ulmenweg 7", "34117", "Kassel", "0561 7781234"),
             # half a swap: the second row's given name is the first row's surname
             person("Emilia", "Keil", "Ahornweg 5", "34117", "Kassel", "0561 3334444"),
             person("Keil", "Jonathan", "Ahornweg 5", "34117", "Kassel", "0561 3334444"),
             # a given name typed into the street column as well: it is not a disagreement
             person("Marta", "Quandt", "Marta Quandt Gasse 1", "34117", "Kassel"),
             person("Greta", "Quandt", "Marta Quandt Gasse 1", "34117", "Kassel")]
    table = pd.DataFrame(rows, columns=COLUMNS, dtype=object).fillna("")
    prepared = prepare_columns(COLUMNS, [table[c] for c in COLUMNS])
    a, b = candidate_pairs(prepared)
    scored = score_pairs(prepared, a, b)
    column_scores = scored.columns.copy()
    swaps = unswap(prepared, a, b, column_scores)
    assert swaps, "the table has a swapped pair"
    candidates = np.arange(len(a))
    scores = np.linspace(0, 100, len(a))
    found = find_vetoes(prepared, a, b, column_scores, candidates, scores, swaps)
    expected = one_by_one(prepared, a, b, column_scores, candidates, scores, swaps)
    assert len(expected) > 100
    assert found == expected
    assert list(found) == sorted(found)        # in the order of the candidates


def test_a_run_counts_the_pairs_compared_once_and_never_restarts_the_count():
    import re

    from datatools.progress import Progress
    from datatools.tools.dedupe import find_duplicates
    from test_linkage import with_cases

    table, _ = with_cases([])
    heard: list[str] = []
    result = find_duplicates(table, COLUMNS, progress=Progress(lambda done, what: heard.append(what)))
    assert result.clusters
    counts = [(int(done.replace(",", "")), int(total.replace(",", "")))
              for what in heard
              for done, total in re.findall(r"compared ([\d,]+) of ([\d,]+) pairs", what)]
    assert counts and len({total for _, total in counts}) == 1, counts
    assert [done for done, _ in counts] == sorted(done for done, _ in counts)
    assert "explaining matches" in heard


def test_the_count_of_pairs_compared_never_restarts_on_a_table_of_a_million_pairs():
    """Beyond one scoring chunk (250,000 pairs) the count went back to the start for every
    column: the window's counter ran 0 → 1 M eight times. One count over all columns now."""
    import re

    import pandas as pd

    from datatools.progress import Progress
    from datatools.tools.dedupe import find_duplicates
    from tests.large_inputs import people_rows

    rows = people_rows(6_000)
    table = pd.DataFrame(rows[1:], columns=rows[0])
    heard: list[str] = []
    result = find_duplicates(table, rows[0], progress=Progress(lambda done, what: heard.append(what)))
    counts = [(int(done.replace(",", "")), int(total.replace(",", "")))
              for what in heard
              for done, total in re.findall(r"compared ([\d,]+) of ([\d,]+) pairs", what)]
    assert result.report.pairs_compared > 250_000
    assert {total for _, total in counts} == {result.report.pairs_compared}
    assert [done for done, _ in counts] == sorted(done for done, _ in counts)
    assert counts[-1][0] == result.report.pairs_compared
