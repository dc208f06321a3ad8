"""Named SQL queries from sql/*.sql files: `-- name: x :one|:many|:scalar|:exec [-> Record]`.

A query that returns rows (`:one`, `:many`) names the record it returns (licensed/records.py);
`:scalar` and `:exec` name none.

The SQL lives in `sql/` at the top of the repository; the wheel installs it as package data,
`licensed/sql/` (setup.py maps it), read through importlib.resources. The portable files sit in
`sql/queries/`; a file in `sql/queries/pg/` or `sql/queries/sqlite/` replaces a query of the
same name for that dialect only. `:param` placeholders are translated
to the driver's style here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Mapping

from licensed.errors import ConfigError
from licensed.records import RECORDS

def sql_root() -> Traversable:
    """Where the SQL is: licensed/sql/ of an installed wheel, else sql/ of the checkout that
    holds this package (tests, `make run`, an editable install)."""
    packaged = files("licensed") / "sql"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "sql"


# The one place SQL text lives (DECISIONS 65).
SQL_ROOT: Traversable = sql_root()
DIALECTS = ("pg", "sqlite")
KINDS = ("one", "many", "scalar", "exec")
ROW_KINDS = ("one", "many")

_HEADER_RE = re.compile(r"--\s*name:\s*(\w+)\s*(?::(\w+))?\s*(?:->\s*(\w+))?\s*$")
# `:name` but not PostgreSQL's `::type` cast.
_PARAM_RE = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class QueryFileError(ConfigError):
    """A query file that cannot be loaded (a broken install); the message names file and line."""

    code = "query_file"


@dataclass(frozen=True)
class Query:
    name: str
    kind: str
    sql: str          # in the driver's parameter style
    params: frozenset[str]
    origin: str       # file:line, for error messages
    record: str | None = None  # the licensed.records class of each row (:one, :many)


def _translate(sql: str, dialect: str) -> str:
    if dialect == "pg":
        # psycopg's pyformat style: literal percent signs must be doubled first.
        return _PARAM_RE.sub(r"%(\1)s", sql.replace("%", "%%"))
    return sql  # sqlite3 understands :name natively


def sql_files(folder: Traversable) -> list[Traversable]:
    """The `.sql` files directly in `folder`, by name; none when there is no such folder."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)


def parse_query_file(path: Traversable, dialect: str) -> list[Query]:
    """Split one file into its named queries; raises QueryFileError on a malformed header."""
    queries: list[Query] = []
    current: tuple[str, str, int, str | None] | None = None
    body: list[str] = []

    def finish() -> None:
        if current is None:
            return
        name, kind, line, record = current
        text = "\n".join(body).strip().rstrip(";").strip()
        if not text:
            raise QueryFileError(f"{path}:{line}: query {name} has no SQL")
        queries.append(Query(
            name=name, kind=kind, sql=_translate(text, dialect),
            params=frozenset(_PARAM_RE.findall(text)), origin=f"{path}:{line}", record=record,
        ))

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = raw.strip()
        header = _HEADER_RE.fullmatch(stripped)
        if stripped.startswith("--") and "name:" in stripped and not header:
            raise QueryFileError(f"{path}:{number}: malformed query header {stripped!r}")
        if header:
            finish()
            kind = header.group(2) or ""
            if kind not in KINDS:
                raise QueryFileError(
                    f"{path}:{number}: query {header.group(1)} needs a kind, one of "
                    + ", ".join(":" + k for k in KINDS)
                )
            record = header.group(3)
            if kind in ROW_KINDS and record not in RECORDS:
                raise QueryFileError(
                    f"{path}:{number}: query {header.group(1)} returns rows; end its header with "
                    f"the record they become, one of: -> {', '.join(sorted(RECORDS))}"
                )
            if kind not in ROW_KINDS and record is not None:
                raise QueryFileError(
                    f"{path}:{number}: query {header.group(1)} is :{kind}; it returns no record"
                )
            current, body = (header.group(1), kind, number, record), []
        elif stripped.startswith("--") or current is None:
            if current is None and stripped and not stripped.startswith("--"):
                raise QueryFileError(f"{path}:{number}: SQL before the first -- name: header")
        else:
            body.append(raw)
    finish()
    return queries


def _collect(paths: list[Traversable], dialect: str) -> dict[str, Query]:
    found: dict[str, Query] = {}
    for path in paths:
        for query in parse_query_file(path, dialect):
            if query.name in found:
                raise QueryFileError(
                    f"{query.origin}: duplicate query name {query.name} "
                    f"(first defined at {found[query.name].origin})"
                )
            found[query.name] = query
    return found


def load_queries(dialect: str, root: Traversable = SQL_ROOT / "queries") -> Mapping[str, Query]:
    """All queries for `dialect`: the portable ones, with that dialect's variants replacing them."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}")
    portable = _collect(sql_files(root), dialect)
    variants = _collect(sql_files(root / dialect), dialect)
    for other in DIALECTS:
        # Checking the other dialect's files too means a broken variant fails every run.
        if other != dialect:
            _collect(sql_files(root / other), other)
    return {**portable, **variants}
