"""A synonym table for dedupe and match: words or phrases to read as another (`Bob` → `Robert`).

Like Power Query's transformation table: two columns, from → to, read with the same reader as
every input (encoding and delimiter detected; the first row names the columns). Both sides are normalised as cell text is,
so `Ltd.` and `LTD` are one entry, and the replacement applies to whole words only.
"""

from __future__ import annotations

import os
from typing import Iterable, Mapping

from datatools.errors import BadInput


def normalize_synonyms(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Normalised from → to, from (from, to) pairs; an empty `to` removes the word.

    Raises BadInput for an empty `from`, and for a `from` given twice with different `to`s.
    """
    from datatools.tools.normalize import normalize_text

    pairs = list(pairs)
    if not pairs:
        return {}
    sources = normalize_text([source for source, _ in pairs]).to_pylist()
    targets = normalize_text([target for _, target in pairs]).to_pylist()
    table: dict[str, str] = {}
    for number, (source, target, raw) in enumerate(zip(sources, targets, pairs), start=1):
        if not source:
            raise BadInput(f"Synonym {number} ({raw[0]!r} → {raw[1]!r}) has nothing to replace.",
                           code="synonym_empty", params={"number": str(number), "target": str(raw[1])})
        if table.get(source, target) != target:
            raise BadInput(f"Synonym {number}: {raw[0]!r} is already replaced by "
                           f"{table[source]!r}; give each word one replacement.", code="synonym_twice",
                           params={"number": str(number), "word": str(raw[0]), "other": table[source]})
        if source != target:
            table[source] = target
    return table


def read_synonyms(path: str | os.PathLike[str]) -> dict[str, str]:
    """The normalised synonym table of a file whose first two columns are from and to.

    The first row names the columns (as in every input table) and is not an entry.

    Raises BadInput when the file cannot be read, has fewer than two columns, or has a bad entry.
    """
    from datatools.io import read_table

    table = read_table(path)
    frame = table.frame
    if frame.shape[1] < 2:
        raise BadInput(f"The synonym file {path} needs two columns (from, to); it has "
                       f"{frame.shape[1]}.", code="synonym_columns", params={"file": os.path.basename(path)})
    return normalize_synonyms(zip(frame.iloc[:, 0].tolist(), frame.iloc[:, 1].tolist()))


def synonyms_option(value: str | os.PathLike[str] | Mapping[str, str] | None) -> dict[str, str] | None:
    """A synonyms option as the engine takes it: a file path, a ready table, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, Mapping):
        return dict(value)
    return read_synonyms(value)
