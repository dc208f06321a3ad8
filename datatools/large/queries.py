"""Named DuckDB queries from datatools/large/sql/*.sql: `-- name: x`, `$param` values, `{c}` columns.

Values are always `$name` parameters. The one thing a parameter cannot be is a column, so a
query may hold `{c}` (and `{c2}`) slots, filled only with working-copy names `c0`, `c1`, …
(checked here); a user's column name never reaches SQL text. A `-- per column` query is an
expression list the caller repeats once per column, so one scan computes every column's sums.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import Iterable

_HEADER = re.compile(r"--\s*name:\s*(\w+)\s*$")
_STORED = re.compile(r"^c\d+$")


@lru_cache(maxsize=1)
def queries() -> dict[str, str]:
    """Every named query in the package's sql folder; ValueError on a duplicate name."""
    found: dict[str, str] = {}
    for path in sorted(files("datatools.large") .joinpath("sql").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".sql"):
            continue
        name, body = None, []
        for line in path.read_text(encoding="utf-8").splitlines() + ["-- name: _end"]:
            header = _HEADER.match(line.strip())
            if header:
                if name is not None:
                    if name in found:
                        raise ValueError(f"{path.name}: duplicate query name {name}")
                    found[name] = "\n".join(body).strip()
                name, body = header.group(1), []
            elif name is not None and not line.strip().startswith("--"):
                body.append(line)
    found.pop("_end", None)
    return found


def sql(name: str, **columns: str) -> str:
    """Query `name` with its `{slot}`s filled by working-copy column names (ValueError otherwise)."""
    for value in columns.values():
        if not _STORED.match(value):
            raise ValueError(f"not a working-copy column: {value!r}")
    return queries()[name].format(**columns)


def per_column(name: str, columns: Iterable[str]) -> str:
    """The expression list of query `name` once per column, each result named `<c>_<alias>`."""
    return ",\n".join(sql(name, c=c) for c in columns)


def select_per_column(name: str, piece: str, columns: Iterable[str]) -> str:
    """Query `name`, whose one `{slot}` takes the expression list of query `piece` repeated for
    each working-copy column (`per_column`): e.g. every column's estimates in one SELECT."""
    template = queries()[name]
    slots = re.findall(r"\{(\w+)\}", template)
    if len(slots) != 1:
        raise ValueError(f"query {name} must have exactly one slot, not {slots}")
    return template.format(**{slots[0]: per_column(piece, columns)})


def compose(name: str, **fragments: str) -> str:
    """Query `name` with `{slot}`s filled by SQL fragments that were themselves made by `sql`
    (or are `wc`/`wc2` or working-copy names joined by commas): ValueError otherwise."""
    for value in fragments.values():
        parts = [p.strip() for p in value.replace(" AND ", ",").split(",")]
        if not all(_STORED.match(p) or p in ("wc", "wc2") or _EQUAL.match(p) or _VISIBLE.match(p)
                   or _OF.match(p) or _VISIBLE_EQUAL.match(p)
                   for p in parts):
            raise ValueError(f"not a fragment of named queries: {value!r}")
    return queries()[name].format(**fragments)


_EQUAL = re.compile(r"^o\.c\d+ = n\.c\d+$")
_VISIBLE = re.compile(r"^visible\((c\d+)\) AS \1$")
_OF = re.compile(r"^visible\(c\d+\)$")     # visible_of
_VISIBLE_EQUAL = re.compile(r"^visible\(o\.(c\d+)\) = visible\(n\.\1\)$")
