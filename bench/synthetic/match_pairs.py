"""Two generated people tables to match: the right one holds corrupted copies of most left rows.

The left table is `people.generate`'s people without duplicates; the right table holds a
FEBRL-style corrupted copy of `share` of them plus a fifth as many unrelated people, shuffled.
"""

from __future__ import annotations

import random

import pandas as pd

from synthetic.people import COLUMNS, _corrupt, generate


def match_pair(rows: int, *, share: float = 0.8, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(left, right): `rows` left rows; right = copies of `share` of them + rows // 5 others."""
    table, _ = generate(rows + rows // 5, duplicate_share=0.0, seed=seed)
    left = table.iloc[:rows].reset_index(drop=True)
    rng = random.Random(seed)
    copies = [_corrupt(rng, row) for row in left.sample(frac=share, random_state=seed).to_dict("records")]
    right = pd.concat([pd.DataFrame(copies, columns=COLUMNS), table.iloc[rows:]], ignore_index=True)
    return left, right.sample(frac=1, random_state=seed + 1).reset_index(drop=True)
