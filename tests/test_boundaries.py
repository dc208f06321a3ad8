"""The architecture's boundaries, held by reading every module's imports and strings (ast).

Rules (each violation is reported as `file:line: rule`):
  engine-alone    datatools/ never imports licensed
  codec-only      licensed/ imports nothing of datatools but the license codec (CODEC_MODULES)
  engine-no-ui    datatools/io and datatools/tools never import datatools.commands, .app, .cli, .ui
  sources-parse   licensed/sources/ never import storage (db, queries, drivers) or HTTP
  sql-in-sql      outside tests/, no SQL keyword in a Python string (docstrings are prose)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The license codec, its key files, and the revocation list's codec (the signer signs those
# lists); tests/test_license_codec.py holds each to the standard library and the codec.
CODEC_MODULES = {"datatools.license", "datatools.license_keys", "datatools.revocations"}
ENGINE_NO = ("datatools.commands", "datatools.app", "datatools.cli", "datatools.ui")
SOURCES_NO = ("licensed.db", "licensed.queries", "licensed.migrate", "sqlite3", "psycopg",
              "psycopg_pool", "bottle", "waitress", "urllib.request", "urllib.error", "http",
              "requests")
SQL_RE = re.compile(r"\bSELECT\b.*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|"
                    r"\bDELETE\s+FROM\b|\bCREATE\s+TABLE\b|\bPRAGMA\b|\bBEGIN\b|\bCOMMIT\b|"
                    r"\bROLLBACK\b", re.S)


def under(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def imported(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """(line, name) for every import; `from a import b` yields a.b (relative ones resolved)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def violations(path: str, source: str) -> list[str]:
    """Every broken rule in one file, given its path relative to the repository."""
    tree = ast.parse(source, path)
    module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    found = []
    for line, name in imported(tree, package):
        rule = None
        if under(module, "datatools") and under(name, "licensed"):
            rule = "engine-alone: datatools/ imports licensed"
        elif (under(module, "licensed") and under(name, "datatools")
              and not under(name, *CODEC_MODULES)):
            rule = f"codec-only: licensed/ imports {name}, not the license codec"
        elif under(module, "datatools.io", "datatools.tools") and under(name, *ENGINE_NO):
            rule = f"engine-no-ui: the engine imports {name}"
        elif under(module, "licensed.sources") and under(name, *SOURCES_NO):
            rule = f"sources-parse: an adapter imports {name} (storage or HTTP)"
        if rule:
            found.append(f"{path}:{line}: {rule}")
    if not path.startswith("tests/"):
        skip = docstrings(tree)
        found += [f"{path}:{node.lineno}: sql-in-sql: SQL text in a Python string"
                  for node in ast.walk(tree) if isinstance(node, ast.Constant)
                  and isinstance(node.value, str) and id(node) not in skip
                  and SQL_RE.search(node.value)]
    return found


def python_files() -> list[Path]:
    files = [p for top in ("datatools", "licensed", "bench", "tests") for p in (ROOT / top).rglob("*.py")]
    return files + [p for p in (ROOT / "bin").iterdir()
                    if p.is_file() and p.read_bytes().startswith(b"#!/usr/bin/env python")]


def test_the_repository_keeps_its_boundaries():
    found = [v for path in python_files()
             for v in violations(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("path, source, rule", [
    ("datatools/app/x.py", "from licensed.db import open_database\n", "engine-alone"),
    ("datatools/x.py", "import licensed\n", "engine-alone"),
    ("licensed/x.py", "from datatools.io import read_table\n", "codec-only"),
    ("licensed/x.py", "from datatools import cli\n", "codec-only"),
    ("datatools/io/x.py", "from datatools.commands.base import run\n", "engine-no-ui"),
    ("datatools/tools/x.py", "from ..app import server\n", "engine-no-ui"),
    ("licensed/sources/x.py", "from licensed.db import Transaction\n", "sources-parse"),
    ("licensed/sources/x.py", "import urllib.request\n", "sources-parse"),
    ("licensed/sources/x.py", "from .. import queries\n", "sources-parse"),
    ("licensed/x.py", 'q = "SELECT id FROM licenses"\n', "sql-in-sql"),
    ("bin/x", 'cursor.execute(f"INSERT INTO t VALUES ({n})")\n', "sql-in-sql"),
    ("licensed/x.py", 'conn.execute("PRAGMA foreign_keys=ON")\n', "sql-in-sql"),
    ("licensed/x.py", 'conn.execute("ROLLBACK")\n', "sql-in-sql"),
])
def test_each_rule_fires_on_a_bad_snippet(path, source, rule):
    (found,) = violations(path, source)
    assert found.startswith(f"{path}:1: {rule}:")


@pytest.mark.parametrize("path, source", [
    ("licensed/x.py", "from datatools import license as codec\n"),
    ("licensed/x.py", "from datatools.license_keys import generate_key\n"),
    ("datatools/tools/x.py", "from datatools.io import read_table\n"),
    ("licensed/sources/x.py", "from licensed.events import SaleEvent\n"),
    ("licensed/x.py", 'def f():\n    """Runs BEGIN … COMMIT around the block."""\n'),
    ("tests/x.py", 'cursor.execute("UPDATE webhook_events SET outcome = 1")\n'),
])
def test_what_the_rules_allow(path, source):
    assert violations(path, source) == []
