"""Which row `--keep most-complete` keeps: the share of merged groups whose kept row is the
original, on FEBRL 1–3 (record ids `rec-N-org` against `rec-N-dup-K`; bench/linkage_sets.py)
and on the Spanish trial's customer list (tests/data/spanish_customers/clientes.csv, two
surnames each; which rows are damaged copies: bench/spanish_damage.py).

    PYTHONPATH=. .venv-bench/bin/python bench/kept_originals.py [febrl1 febrl2 febrl3 spanish]

Groups as a default run finds them (find_duplicates at defaults; FEBRL's ten columns, the
Spanish list's seven); only the certain groups are merged, as `--keep` does. Prints, per set,
the merged groups, those that hold the original (FEBRL: the `-org` record; Spanish: a row with
no damage), and how many of those keep it; for the Spanish list also how many keep a row with a
second surname left out where another row of the group has it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from linkage_sets import febrl_set  # noqa: E402
from spanish_damage import SURNAME, damaged  # noqa: E402

from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster  # noqa: E402

SPANISH = HERE.parent / "tests" / "data" / "spanish_customers" / "clientes.csv"
SPANISH_COLUMNS = ["nombre", "apellidos", "direccion", "codigo_postal", "ciudad", "telefono",
                   "email"]


def merged_groups(frame, columns) -> list[list[int]]:
    """Each merged group's rows (0-based), its kept row first."""
    kept = keep_one_per_cluster(find_duplicates(frame, columns), "most-complete")
    return [[int(kept_row) - 1] + [int(r) - 1 for r in dropped.split()]
            for kept_row, dropped in zip(kept.merges["kept_row"], kept.merges["dropped_rows"])]


def kept_originals(name: str) -> str:
    """One line of figures for FEBRL set `name`."""
    frame, columns, _ = febrl_set(name)
    groups = merged_groups(frame, columns)
    ids = frame["rec_id"].tolist()
    holding = [rows for rows in groups if any(ids[r].endswith("-org") for r in rows)]
    good = sum(ids[rows[0]].endswith("-org") for rows in holding)
    return (f"{name}: {len(groups)} merged groups, {len(holding)} hold the original, "
            f"{good} keep it ({good / max(1, len(holding)):.3f})")


def kept_spanish() -> str:
    """One line of figures for the Spanish trial's list (module docstring)."""
    from datatools.io.tables import read_table

    frame = read_table(SPANISH).frame
    cells = frame.values.tolist()
    groups = merged_groups(frame, SPANISH_COLUMNS)
    clean = [[r for r in rows if not damaged(cells[r], [cells[o] for o in rows if o != r])]
             for rows in groups]
    holding = [(rows, found) for rows, found in zip(groups, clean) if found]
    good = sum(rows[0] in found for rows, found in holding)
    short = sum(len(cells[rows[0]][SURNAME].split()) < max(len(cells[r][SURNAME].split())
                                                          for r in rows) for rows in groups)
    return (f"spanish: {len(groups)} merged groups, {len(holding)} hold a clean row, {good} keep "
            f"one ({good / max(1, len(holding)):.3f}); {short} keep fewer surnames than another "
            "row holds")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["febrl1", "febrl2", "febrl3", "spanish"]:
        print(kept_spanish() if name == "spanish" else kept_originals(name), flush=True)
