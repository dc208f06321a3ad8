"""The annotated outputs of dedupe and match on every set bench/linkage_sets.py scores, one CSV
each, and their md5: run it from two checkouts and compare the lines to see that a change
leaves every group, score, certainty and reason as it was.

    .venv-bench/bin/python bench/linkage_outputs.py OUT_FOLDER [SET,SET,...]

Runs this checkout's datatools (the folder above bench/). Dedupe: customers DE and US (`ROWS`,
default 20,000), the catalogue on title and vendor and on the title alone, FEBRL 1–3; match
(at defaults and with `include_possible`): customers DE and US, FEBRL 4, Abt-Buy, legal forms.
SETS names some of them (customers-de, customers-us, catalogue, catalogue-title, febrl1 …
febrl3, match-de, match-us, febrl4, abt-buy, legal-forms). Prints `set md5 rows` a line.
FEBRL comes from the peers' environment, as in linkage_sets.py.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def main(argv: list[str]) -> int:
    import linkage_sets as sets
    from synthetic.catalogue import COLUMNS as CATALOGUE_COLUMNS, catalogue
    from synthetic.customers import COLUMNS, customer_match, customers

    from datatools.tools.dedupe import find_duplicates
    from datatools.tools.match import match_tables

    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    only = set(argv[1].split(",")) if len(argv) > 1 else None
    rows = int(os.environ.get("ROWS", "20000"))

    def wanted(key: str) -> bool:
        return only is None or key in only

    def save(name: str, frame) -> None:
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        print(name, hashlib.md5(path.read_bytes()).hexdigest(), len(frame), flush=True)

    def matched(name: str, left, right, columns) -> None:
        save(name, match_tables(left, right, columns).frame)
        save(f"{name}-possible", match_tables(left, right, columns, include_possible=True).frame)

    for country in ("de", "us"):
        if wanted(f"customers-{country}"):
            save(f"customers-{country}", find_duplicates(customers(country, rows)[0], COLUMNS).frame)
    for key, columns in (("catalogue", CATALOGUE_COLUMNS), ("catalogue-title", ["title"])):
        if wanted(key):
            save(key, find_duplicates(catalogue()[0], columns).frame)
    for name in ("febrl1", "febrl2", "febrl3"):
        if wanted(name):
            frame, columns, _ = sets.febrl_set(name)
            save(name, find_duplicates(frame, columns).frame)
    for country in ("de", "us"):
        if wanted(f"match-{country}"):
            left, right, _ = customer_match(country, rows)
            matched(f"match-{country}", left, right, COLUMNS)
    for key, make in (("febrl4", sets.febrl4), ("abt-buy", sets.abt_buy),
                      ("legal-forms", sets.legal_forms)):
        if wanted(key):
            left, right, columns, _ = make()
            matched(key, left, right, columns)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
