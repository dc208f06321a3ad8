"""Recipes: the import settings and the tool steps of a run, with the review's decisions keyed
by stable row keys, saved as versioned JSON and replayed on next month's file
(datatools/tools/recipe_replay.py runs them).

    {"recipe": 1,
     "import": {"encoding": "cp1252", "delimiter": ";", "header": true, "sheet": null, "notes": []},
     "steps": [{"tool": "clean", "options": {...}},
               {"tool": "dedupe", "options": {"columns": [...], "threshold": 54}, "key": "Kundennr",
                "review": {"keep": "most-complete", "default": "same", "fill_empty": false,
                           "merge_report": true},
                "decisions": [{"rows": ["K-1", "K-7"], "decision": "different"}, ...]},
               {"tool": "match", "options": {"on": [...], "right_on": [...]}, "key": "Kundennr",
                "right_key": "Nr", "import": {...the second file's settings...},
                "review": {"include_possible": false},
                "decisions": [{"rows": ["K-1"], "right": "C-9", "decision": "different"},
                              {"rows": ["K-4"], "right": "C-2", "decision": "same"}]},
               {"tool": "compare", "options": {"key": ["Kundennr"]}, "import": {...}}]}

The table a step leaves is the next step's input; match and compare also read a second file
(`datatools run RECIPE FILE --with OTHER`, one --with per such step, read as the step's
`import` says). A row key is the value of the step's `key` column (`right_key` for match's
second file), or — without one — `h:` and a hash of the row's cells as they enter the step (a
row whose content changed is then another row). Never a row number: rows move between exports.
A recipe never holds the data: only column names, option values and the keys of the rows a
decision was about. Unknown fields are refused, by name.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datatools.errors import BadOption

if TYPE_CHECKING:
    import pandas as pd

VERSION = 1
STEP_TOOLS = ("clean", "dedupe", "match", "compare")   # the tools whose output is a table
TWO_FILE_TOOLS = ("match", "compare")                    # they also read a second file (--with)
REVIEWED_TOOLS = ("dedupe", "match")                     # their steps carry review decisions
IMPORT_FIELDS = ("encoding", "delimiter", "header", "sheet", "notes", "header_row")
STEP_FIELDS = ("tool", "options", "key", "right_key", "import", "review", "decisions")
REVIEW_FIELDS = ("keep", "default", "fill_empty", "merge_report", "include_possible")
DECISION_FIELDS = ("rows", "right", "decision", "keep", "values", "split")
_FIRST_FILE_OPTIONS = ("columns", "on")     # column options naming the first file's columns
# (compare's `key` names the second, newer file's columns: compare_tables pairs by new names)


def _bad(message: str, code: str = "bad_recipe", **params: Any) -> BadOption:
    return BadOption(message, code=code, params={k: str(v) for k, v in params.items()})


def _names(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _parts(name: str) -> list[str]:
    """A match column `A + B` (match.paired_column) names both A and B."""
    from datatools.tools.match import JOIN

    return [p.strip() for p in name.split(JOIN)] if JOIN in name else [name]


@dataclass
class Step:
    """One tool step: its options (registry names), the key column that names rows (and for
    match the second file's, `right_key`), how a second file is read (`import_settings`), and
    for dedupe and match the review's settings and its decisions (each about rows named by key)."""

    tool: str
    options: dict[str, Any] = field(default_factory=dict)
    key: str | None = None
    review: dict[str, Any] = field(default_factory=dict)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    right_key: str | None = None
    import_settings: dict[str, Any] = field(default_factory=dict)

    def columns(self) -> list[str]:
        """Every column name the step refers to in the table it runs on, in order."""
        names: list[str] = []
        for name in _FIRST_FILE_OPTIONS:
            names += [part for value in _names(self.options.get(name)) for part in _parts(value)]
        names += list((self.options.get("rules") or {}).keys())
        if self.key:
            names.append(self.key)
        for decision in self.decisions:
            names += list((decision.get("values") or {}).keys())
        return list(dict.fromkeys(names))

    def other_columns(self) -> list[str]:
        """The columns the step names in its second file (match's right side, compare's new
        file); none for a one-file step."""
        if self.tool == "match":
            names = _names(self.options.get("right_on")) or _names(self.options.get("on"))
            names = [part for value in names for part in _parts(value)]
            return list(dict.fromkeys(names + ([self.right_key] if self.right_key else [])))
        if self.tool == "compare":
            return _names(self.options.get("key"))
        return []

    def renamed(self, mapping: dict[str, str]) -> "Step":
        """The step with column names mapped (old → new), in both files."""
        from datatools.tools.match import JOIN

        def one(name: str) -> str:
            return JOIN.join(mapping.get(p, p) for p in _parts(name))

        options = dict(self.options)
        for name in (*_FIRST_FILE_OPTIONS, "right_on", "key"):
            value = options.get(name)
            if isinstance(value, str):
                options[name] = one(value)
            elif isinstance(value, list):
                options[name] = [one(v) for v in value]
        if options.get("rules"):
            options["rules"] = {one(c): r for c, r in options["rules"].items()}
        decisions = [{**d, "values": {one(c): k for c, k in d["values"].items()}} if d.get("values") else d
                     for d in self.decisions]
        return Step(self.tool, options, one(self.key) if self.key else None, dict(self.review), decisions,
                    one(self.right_key) if self.right_key else None, dict(self.import_settings))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tool": self.tool, "options": self.options}
        if self.tool in REVIEWED_TOOLS:
            data["key"] = self.key
        if self.tool == "match":
            data["right_key"] = self.right_key
        if self.tool in TWO_FILE_TOOLS:
            data["import"] = self.import_settings
        if self.tool in REVIEWED_TOOLS:
            data.update(review=self.review, decisions=self.decisions)
        return data


@dataclass
class Recipe:
    """Import settings (how step 0 reads the file) and the tool steps, in order."""

    import_settings: dict[str, Any] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    def columns(self) -> list[str]:
        return list(dict.fromkeys(c for step in self.steps for c in step.columns()))

    def two_file_steps(self) -> list[tuple[int, Step]]:
        """(number from 1, step) of each step that reads a second file, in order."""
        return [(n, s) for n, s in enumerate(self.steps, start=1) if s.tool in TWO_FILE_TOOLS]

    def to_json(self) -> dict[str, Any]:
        return {"recipe": VERSION, "import": self.import_settings, "steps": [s.to_json() for s in self.steps]}

    def write(self, path: "str | Path", *, force: bool = False, inputs: tuple[Path, ...] = ()) -> Path:
        """Save as UTF-8 JSON through the guarded writer (never over an input)."""
        from datatools.safe_write import write_file

        target = Path(path)
        write_file(target, json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n",
                   inputs=list(inputs), force=force)
        return target

    @classmethod
    def from_json(cls, data: Any) -> "Recipe":
        """A recipe checked once: BadOption `bad_recipe` naming the unknown field, the wrong
        version, an unknown tool or a malformed decision."""
        if not isinstance(data, dict):
            raise _bad("A recipe is a JSON object.")
        _known(data, ("recipe", "import", "steps"), "the recipe")
        if data.get("recipe") != VERSION:
            raise _bad(f"This recipe is version {data.get('recipe')!r}; this DataTools reads version {VERSION}.",
                       version=data.get("recipe"))
        settings = _import(data.get("import"), "the import settings")
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            raise _bad("A recipe needs at least one step.")
        return cls(settings, [_step(k, s) for k, s in enumerate(steps, start=1)])

    @classmethod
    def read(cls, path: "str | Path") -> "Recipe":
        """BadOption `bad_recipe` for a file that is missing, not JSON or not a recipe."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise _bad(f"Cannot read the recipe {path}: {exc.strerror or exc}.", file=path) from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise _bad(f"{path} is not a recipe: {exc}.", file=path) from None
        return cls.from_json(data)


def _known(data: dict, fields: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise _bad(f"{where[0].upper()}{where[1:]} has a field this DataTools does not know: "
                   f"{', '.join(unknown)}.", field=", ".join(unknown))


def _import(settings: Any, where: str) -> dict[str, Any]:
    settings = settings or {}
    if not isinstance(settings, dict):
        raise _bad(f"{where[0].upper()}{where[1:]} must be an object.")
    _known(settings, IMPORT_FIELDS, where)
    row = settings.get("header_row")
    if row is not None and (isinstance(row, bool) or not isinstance(row, int) or row < 1):
        raise _bad(f"{where[0].upper()}{where[1:]}: the header row must be a line number from 1.")
    return dict(settings)


def _step(number: int, data: Any) -> Step:
    from datatools import registry
    from datatools.tools.review import DECISIONS, DIFFERENT, SAME

    if not isinstance(data, dict):
        raise _bad(f"Step {number} must be an object.")
    _known(data, STEP_FIELDS, f"step {number}")
    tool = data.get("tool")
    if tool not in STEP_TOOLS:
        raise _bad(f"Step {number}: a recipe replays {', '.join(STEP_TOOLS)}, not {tool!r}.", tool=tool)
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise _bad(f"Step {number}: the options must be an object.")
    known = {o.name for o in registry.TOOLS[tool].options}
    _known(options, tuple(known), f"step {number}'s options")
    review = data.get("review") or {}
    if not isinstance(review, dict):
        raise _bad(f"Step {number}: the review must be an object.")
    _known(review, REVIEW_FIELDS, f"step {number}'s review")
    decisions = data.get("decisions") or []
    if not isinstance(decisions, list):
        raise _bad(f"Step {number}: the decisions must be a list.")
    for decision in decisions:
        if not isinstance(decision, dict):
            raise _bad(f"Step {number}: each decision must be an object.")
        _known(decision, DECISION_FIELDS, f"a decision of step {number}")
        rows = decision.get("rows")
        if not isinstance(rows, list) or not all(isinstance(k, str) for k in rows) \
                or decision.get("decision") not in DECISIONS:
            raise _bad(f"Step {number}: a decision needs its rows' keys and one of {', '.join(DECISIONS)}.")
        if tool == "match" and (decision["decision"] not in (SAME, DIFFERENT) or len(rows) != 1
                                or not isinstance(decision.get("right"), str)):
            raise _bad(f"Step {number}: a match decision takes a match back or accepts a possible "
                       "one: one left row's key, the right row's key and the decision different "
                       "or same.")
    for name in ("key", "right_key"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise _bad(f"Step {number}: the {name.replace('_', ' ')} must be a column name.")
    return Step(tool, dict(options), data.get("key") or None, dict(review), list(decisions),
                data.get("right_key") or None, _import(data.get("import"), f"step {number}'s import settings"))


def import_settings(read_options: dict[str, Any], table) -> dict[str, Any]:
    """How an input was read, as a recipe's step 0 (or a second file's `import`): the encoding,
    delimiter and sheet the user chose in `read_options` (None: detected again on the next
    file), the header choice, and the reader's notes (what it detected, what it noticed) from
    `table` (a `datatools.io` table)."""
    detected = [f"read as {table.encoding}" if table.encoding else "",
                f"delimiter {table.delimiter!r}" if table.delimiter else "",
                f"sheet {table.sheet}" if getattr(table, "sheet", None) else ""]
    return {"encoding": read_options.get("encoding"), "delimiter": read_options.get("delimiter"),
            "header": read_options.get("header", True) is not False, "sheet": read_options.get("sheet"),
            **({"header_row": read_options["header_row"]} if read_options.get("header_row") else {}),
            "notes": [", ".join(d for d in detected if d), *(str(w) for w in table.warnings)]}


def step_options(options: dict[str, Any], *leave_out: str) -> dict[str, Any]:
    """A run's checked options as a recipe step holds them: unset ones and `leave_out` (options
    that are not the step's: clean's plan, dedupe's keep, which its review holds) left out."""
    return {k: v for k, v in options.items() if v is not None and k not in leave_out}


def read_options(settings: dict[str, Any]) -> dict[str, Any]:
    """A recipe's import settings as `read_table`'s keyword arguments."""
    return {"encoding": settings.get("encoding") or None, "delimiter": settings.get("delimiter") or None,
            "header": settings.get("header", True) is not False, "sheet": settings.get("sheet"),
            "header_row": settings.get("header_row")}


# ---------------------------------------------------------------------------- row keys


def row_keys(frame: "pd.DataFrame", key: str | None = None) -> list[str]:
    """Each row's stable key: its `key` column's value (trimmed), or `h:` and the first 16 hex
    digits of a BLAKE2b hash of its cells (one linear pass)."""
    if key is not None:
        return [str(v).strip() for v in frame[key].tolist()]
    return ["h:" + hashlib.blake2b("\x1f".join(map(str, row)).encode("utf-8"), digest_size=8).hexdigest()
            for row in frame.itertuples(index=False, name=None)]


# Words in a column's name that say it holds identifiers (compared case-folded, as whole words
# of the name split at anything but letters and digits).
KEY_NAME_WORDS = frozenset({"id", "key", "no", "nr", "nº", "num", "number", "code", "nummer",
                            "kundennr", "numero", "número", "sku", "ref", "reference"})


def key_column(frame: "pd.DataFrame", columns: list[str]) -> str | None:
    """The column of `columns` that names each row: filled in every row, no two rows alike, no
    white space in any value, and every value holding a digit or an @ (a customer number such
    as K-1001 or an e-mail, not a city that happens to be unique in a short list). A column
    whose name says it holds identifiers (`KEY_NAME_WORDS`: `id`, `Kundennr`, `member_no`)
    is preferred, then the first such column in order; None if none is."""
    import re

    def names_rows(column: str) -> bool:
        values = frame[column].astype(str)
        return bool(values.ne("").all() and values.is_unique
                    and not values.str.contains(r"\s", regex=True).any()
                    and values.str.contains(r"[0-9@]", regex=True).all())

    named = [c for c in columns if set(re.split(r"[^\w]+|_", str(c).casefold())) & KEY_NAME_WORDS]
    for column in [*named, *(c for c in columns if c not in named)]:
        if names_rows(column):
            return column
    return None


# ---------------------------------------------------------------------------- columns


def check_columns(recipe: Recipe, header: list[str], mapping: dict[str, str],
                  others: list[tuple[str, list[str]]] = ()) -> Recipe:
    """The recipe with `mapping` (old → new) applied, every column it names checked against the
    file's `header` and, for each step with a second file, against that file's (`others`:
    (name, header) per such step, in order; none: not checked). BadOption
    `recipe_columns_missing` naming the missing columns (and what the file has) when one is
    neither in the file nor mapped; `bad_map` for a mapping to a column no file has."""
    headers = {c for _, h in others for c in h} | set(header)
    wrong = sorted(new for new in mapping.values() if new not in headers)
    if wrong:
        raise _bad(f"--map names {', '.join(wrong)}, which the file does not have.", code="bad_map",
                   columns=", ".join(wrong))
    mapped = Recipe(recipe.import_settings, [s.renamed(mapping) for s in recipe.steps])
    _missing([c for c in mapped.columns() if c not in header], "this file", header)
    for (name, other), (_, step) in zip(others, mapped.two_file_steps()):
        _missing([c for c in step.other_columns() if c not in other], name, other)
    return mapped


def _missing(missing: list[str], where: str, header: list[str]) -> None:
    if missing:
        raise _bad(f"The recipe uses columns {where} does not have: {', '.join(missing)}. "
                   f"Map each to one of the file's columns with --map OLD=NEW "
                   f"(the file has: {', '.join(header)}).", code="recipe_columns_missing",
                   columns=", ".join(missing), header=", ".join(header), file=where)
