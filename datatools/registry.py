"""The one list of data tools: each tool's inputs, options, defaults, tier, engine and entry points.

Read by the CLI (`datatools/commands/*.py` build their options from it), the desktop's job
adapters and tier table (`datatools/app/`) and the UI (through `GET /api/state`). Defaults are
not written here: each option takes the default of the engine parameter of the same name (the
tool's `defaults_from` callable), so the engine defines every default once. Cheap to import:
engine modules load only when a default, a choice list or the engine itself is asked for.

Adding a tool = one `Tool` entry below + an engine module in `datatools/tools/` + a command
module in `datatools/commands/` + an adapter in `datatools/app/tool_jobs.py` (docs/TECHNICAL.md).
"""

from __future__ import annotations

import codecs
import importlib
import inspect
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from datatools.errors import BadOption

# Option kinds: how a value is given and checked (the UI draws one control per kind).
FLAG, CHOICE, NUMBER, INTEGER, COLUMNS, COLUMN, ENCODING, REGION, FILE, RULES = (
    "flag", "choice", "number", "integer", "columns", "column", "encoding", "region", "file", "rules")


def resolve(dotted: str) -> Any:
    """The object a dotted name points at: `package.module.Name[.attribute]` (imported now).
    Looked up each time (imports are cached by Python): a module attribute replaced later is
    what the next call gets, never a stale object."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError as exc:
            if exc.name and dotted.startswith(exc.name):
                continue      # not a module: an attribute of a shorter prefix
            raise             # a module that exists failed to import: say so
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise LookupError(f"nothing is named {dotted}")


@dataclass(frozen=True)
class Option:
    """One setting of a tool, as the engine names it (the desktop's JSON uses the same name)."""

    name: str
    kind: str
    label: str                     # i18n catalog key (the UI's label)
    help: str                      # the CLI's --help text
    flag: str | None = None        # the CLI option; None: not on the command line
    invert: bool = False           # the flag switches the option off (--keep-whitespace: trim=False)
    choices_from: str | None = None          # dotted engine name of the allowed values
    choice_labels: tuple[str, ...] = ()      # i18n keys, one per allowed value
    suggestions: tuple[tuple[str, str], ...] = ()   # values the UI lists: (value, i18n key)
    empty_label: str | None = None           # i18n key of "leave as it is" (no value given)
    minimum: float | None = None
    maximum: float | None = None
    input: int = 0                 # column options: whose columns (0 = first input)
    required: bool = False
    desktop: bool = True           # shown in the desktop's options form
    engine_default: bool = True    # False: an optional step; default None = not taken
    desktop_default: str | None = None   # the window's choice where it differs from the engine's

    def choices(self) -> tuple[str, ...]:
        return tuple(resolve(self.choices_from)) if self.choices_from else ()

    def check(self, value: Any) -> Any:
        """`value` as the engine wants it, or BadOption (code `bad_<name>`, the value in params)."""
        if value is None or (value == "" and self.kind != FLAG):
            return None
        if self.kind == FLAG:
            return bool(value) and value != "false"
        if self.kind == CHOICE:
            if value not in self.choices():
                raise BadOption(f"{self.name} must be one of {', '.join(self.choices())}, not {value!r}.",
                                code="bad_choice", params={"option": self.name, "value": str(value)})
            return value
        if self.kind in (NUMBER, INTEGER):
            return self._number(value)
        if self.kind == ENCODING:
            return check_codec(value)
        if self.kind == REGION:
            from datatools.tools.phones import check_region

            return check_region(value)
        if self.kind == COLUMNS:
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise BadOption(f"{self.name} must be a list of column names.", code="bad_columns")
            names = [n.strip() for text in names for n in text.split(",")] if isinstance(value, str) \
                else [n.strip() for n in names]
            return [n for n in names if n] or None
        if self.kind == COLUMN:
            if isinstance(value, list):     # as checked once already (a recipe holds the list)
                return [str(v).strip() for v in value if str(v).strip()] or None
            return [str(value).strip()] if str(value).strip() else None
        if self.kind == RULES:
            # Per-column rules: the desktop sends {column: {rule: value}}, the command line one
            # NAME:rule=value text per --column (datatools/tools/clean_rules.py reads both).
            from datatools.tools import clean_rules

            return clean_rules.parse_column_rule(value) if isinstance(value, str) \
                else clean_rules.check_rules(value) or None
        if self.kind == FILE:
            if not isinstance(value, str) or not value.strip():
                raise BadOption(f"{self.name} must be a file path.", code="bad_file",
                                params={"option": self.name})
            return str(Path(value.strip()).expanduser())
        return value

    def _number(self, value: Any) -> float | int:
        kind = int if self.kind == INTEGER else float
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise BadOption(f"'{value}' is not a {'whole number' if kind is int else 'number'}.",
                            code=f"bad_{self.name}", params={"value": str(value)}) from None
        low = -float("inf") if self.minimum is None else self.minimum
        high = float("inf") if self.maximum is None else self.maximum
        if not low <= number <= high:
            span = f"between {low:g} and {high:g}" if self.maximum is not None else f"at least {low:g}"
            raise BadOption(f"The {self.name.replace('_', ' ')} must be {span}, not {number:g}.",
                            code=f"bad_{self.name}", params={"value": str(value)})
        return number


@dataclass(frozen=True)
class Tool:
    """One data tool: what it reads, its options, who may use it, and where its code lives."""

    name: str
    inputs: tuple[str, ...]        # i18n keys of its input files, one per file
    reads: str                     # "table" (read with the reading options) or "file" (raw bytes)
    tier: str                      # the lowest tier that opens it: "basic" or "pro"
    engine: str                    # dotted name of the engine function
    command: str                   # the CLI module (`datatools/commands/<tool>.py`)
    adapter: str                   # the desktop's job adapter
    defaults_from: str | None = None   # the callable whose parameter defaults are the options'
    options: tuple[Option, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        """The i18n key of the tool's name (`.summary` and `.help` sit beside it)."""
        return f"tool.{self.name}.title"

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)

    def default(self, name: str) -> Any:
        """The engine's default for option `name` (None for a step that is off by default)."""
        return option_default(self.name, name)

    def check_options(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The desktop's options, checked and completed with the engine defaults; BadOption."""
        return {o.name: (self.default(o.name) if raw.get(o.name) in (None, "") and o.kind != FLAG
                         else o.check(raw.get(o.name, self.default(o.name))))
                for o in self.options}

    def to_json(self) -> dict[str, Any]:
        """What the UI draws: inputs, and each option with its default (`form`: in the form)."""
        from datatools.tools.recipe import STEP_TOOLS

        return {"title": self.title, "inputs": list(self.inputs), "tier": self.tier,
                "recipe": self.name in STEP_TOOLS,      # a recipe can replay it
                "options": [_option_json(self, o) for o in self.options]}


@cache
def option_default(tool: str, name: str) -> Any:
    spec = TOOLS[tool]
    option = spec.option(name)
    if not option.engine_default or spec.defaults_from is None:
        return None
    default = inspect.signature(resolve(spec.defaults_from)).parameters[name].default
    return None if default is inspect.Parameter.empty else default   # a required option


def desktop_choices(tool: str, name: str) -> tuple[str, ...]:
    """A choice option's values as the window offers them: its desktop default first, then the
    others in registry order, then "all" (take no choice: for keep, every row is saved)."""
    option = TOOLS[tool].option(name)
    first = option.desktop_default or option.choices()[0]
    return (first, *(c for c in option.choices() if c != first), "all")


def _option_json(tool: Tool, option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"name": option.name, "kind": option.kind, "label": option.label,
                            "default": tool.default(option.name), "required": option.required,
                            "form": option.desktop}
    if option.kind == CHOICE:
        data["choices"] = [list(pair) for pair in zip(option.choices(), option.choice_labels)]
    if option.empty_label:
        data["empty"] = option.empty_label
    if option.suggestions:
        data["choices"] = [list(pair) for pair in option.suggestions]
    if option.kind == REGION:   # every region the command line takes, as codes: the window names them
        from datatools.tools.phones import supported_regions

        data["regions"] = supported_regions()
    if option.kind in (COLUMN, COLUMNS):
        data["input"] = option.input
    for bound in ("minimum", "maximum"):
        if getattr(option, bound) is not None:
            data[bound] = getattr(option, bound)
    return data


# --------------------------------------------------------------------------- reading options


# Text codecs Python knows that are not how a file's characters are stored: domain-name and
# escape-sequence codecs. (rot13, base64, hex, zip… are not text encodings at all.)
NOT_FILE_ENCODINGS = ("idna", "punycode", "undefined", "unicode_escape", "raw_unicode_escape")


# What a wrong encoding name is answered with: the names closest to it (a typo: `utf8x`,
# `cp1205`), else the code pages spreadsheet exports are most often in (Unicode, Central and
# Western European Windows, ISO Latin-1).
COMMON_ENCODINGS = ("utf-8", "utf-16", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255",
                    "cp1256", "cp1257", "cp1258", "latin-1", "iso-8859-2", "iso-8859-15", "cp437",
                    "cp850", "cp852", "mac-roman", "shift_jis", "gb18030", "big5", "euc-kr", "koi8-r")
DEFAULT_SUGGESTIONS = ("utf-8", "cp1250", "cp1252", "latin-1")


def encoding_suggestions(name: str) -> list[str]:
    """Up to four encoding names to offer instead of `name`: the closest by spelling
    (difflib's ratio ≥ 0.6 against COMMON_ENCODINGS, case and `_`/`-` ignored), else
    DEFAULT_SUGGESTIONS."""
    import difflib

    def folded(text: str) -> str:
        return text.lower().replace("_", "-")

    close = difflib.get_close_matches(folded(name), [folded(e) for e in COMMON_ENCODINGS], n=4, cutoff=0.6)
    return close or list(DEFAULT_SUGGESTIONS)


def _or_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_codec(name: Any) -> str:
    """A character encoding Python knows, as given; BadOption `bad_encoding` otherwise (params
    `value` and `suggestions`, encoding_suggestions joined by ", "), also for codecs that
    transform bytes (`rot13`, `base64`) or names (`idna`) rather than store text."""
    suggestions = encoding_suggestions(str(name))
    params = {"value": str(name), "suggestions": ", ".join(suggestions)}
    try:
        info = codecs.lookup(str(name))
    except (LookupError, ValueError):
        raise BadOption(f"Unknown encoding {name!r}; try {_or_list(suggestions)}.",
                        code="bad_encoding", params=params) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_FILE_ENCODINGS:
        raise BadOption(f"{name!r} is not a character encoding for text files; try "
                        f"{_or_list(list(DEFAULT_SUGGESTIONS))}.", code="bad_encoding",
                        params={"value": str(name), "suggestions": ", ".join(DEFAULT_SUGGESTIONS)})
    return str(name)


def check_delimiter(text: Any) -> str:
    """One field separator character (`\\t`, `tab` mean a tab); BadOption `bad_delimiter`."""
    value = "\t" if text in ("\\t", "tab", "TAB") else str(text)
    if len(value) != 1 or value in ('"', "\r", "\n", "\0"):
        raise BadOption(f"The delimiter must be one character (such as , ; | or tab), not {text!r}.",
                        code="bad_delimiter", params={"value": str(text)})
    return value


def _thresholds() -> Option:
    return Option("threshold", NUMBER, "option.threshold", minimum=0, maximum=100,
                  flag="--threshold", help="lowest score (0–100) counted as the same thing")


def _synonyms() -> Option:
    # The engine takes the table read from this file (tools/synonyms.py); the edges read it.
    return Option("synonyms", FILE, "option.synonyms", flag="--synonyms",
                  help="a table of words to read as others: two columns from,to (Bob,Robert), "
                       "the first row naming them")


TOOLS: dict[str, Tool] = {tool.name: tool for tool in (
    Tool("encoding", ("input.file",), "file", "basic",
         engine="datatools.tools.encoding.fix_encoding", command="datatools.commands.encoding",
         adapter="datatools.app.tool_jobs.run_encoding",
         defaults_from="datatools.tools.encoding.fix_encoding", options=(
             Option("source_encoding", ENCODING, "preview.encoding", flag="--from", desktop=False,
                    help="the input's encoding (default: detected)"),
             Option("target", ENCODING, "encoding.target", flag="--to", empty_label="encoding.utf8_auto",
                    help="the output's encoding (default: UTF-8, starting with a byte order mark "
                         "when OUT is a .csv or .tsv, so Excel reads it; utf-8 writes no mark, "
                         "utf-8-sig always one)", suggestions=(
                        ("utf-8-sig", "encoding.utf8bom"), ("utf-8", "encoding.utf8"),
                        ("cp1252", "encoding.cp1252"), ("cp1250", "encoding.cp1250"))),
             Option("repair_mojibake", FLAG, "encoding.repair", flag="--repair-mojibake",
                    help="also turn UTF-8 misread as cp1252 back into text (Ã© → é)"))),
    Tool("clean", ("input.file",), "table", "basic",
         engine="datatools.tools.clean.clean_table", command="datatools.commands.clean",
         adapter="datatools.app.tool_jobs.run_clean",
         defaults_from="datatools.tools.clean.CleanOptions", options=(
             Option("columns", COLUMNS, "clean.columns", flag="--columns", desktop=False,
                    help="clean only these columns, comma-separated (default: all)"),
             Option("trim", FLAG, "clean.trim", flag="--keep-whitespace", invert=True,
                    help="do not trim or collapse spaces"),
             Option("invisible", FLAG, "clean.invisible", flag="--keep-invisible", invert=True,
                    help="keep non-breaking spaces and zero-width characters"),
             Option("empty_values", FLAG, "clean.empty_values", flag="--keep-empty-markers",
                    invert=True, help='keep "N/A", "null", "-" … instead of emptying them'),
             Option("unicode_nfc", FLAG, "clean.unicode_nfc", flag="--keep-unicode", invert=True,
                    help="do not normalise to NFC"),
             Option("half_width", FLAG, "clean.half_width", flag="--half-width",
                    help="normalise widths: full-width letters, digits, signs and spaces "
                         "(ＡＢＣ１２３＠, U+3000) to ordinary ones, half-width katakana to "
                         "full-width (ｶﾀｶﾅ → カタカナ, ｶﾞ → ガ)"),
             Option("case", CHOICE, "clean.case", flag="--case", choices_from="datatools.tools.clean.CASES",
                    choice_labels=("clean.case_lower", "clean.case_upper", "clean.case_title"),
                    empty_label="clean.case_keep",
                    help="change the letters' case"),
             Option("dates", CHOICE, "clean.dates", flag="--dates",
                    choices_from="datatools.tools.clean.DATE_ORDERS",
                    choice_labels=("clean.dates_auto", "clean.dates_day_first", "clean.dates_month_first"),
                    empty_label="clean.leave",
                    help="read date columns and rewrite them consistently (auto: decide the day "
                         "and month order per column)"),
             Option("numbers", CHOICE, "clean.numbers", flag="--numbers",
                    choices_from="datatools.tools.clean.NUMBER_STYLES",
                    choice_labels=("clean.numbers_auto", "clean.numbers_point", "clean.numbers_comma"),
                    empty_label="clean.leave",
                    help="read number columns and rewrite them consistently; the choice names "
                         "the input's decimal mark, auto decides per column"),
             Option("number_format", CHOICE, "clean.number_format", flag="--number-format",
                    choices_from="datatools.tools.clean.NUMBER_FORMATS",
                    choice_labels=("clean.number_format_as_input", "clean.number_format_point",
                                   "clean.number_format_comma"),
                    help="how --numbers writes them: as-input keeps each column's decimal mark "
                         "and grouping (1.234,5), point writes 1234.5, comma 1234,5"),
             Option("date_format", CHOICE, "clean.date_format", flag="--date-format",
                    choices_from="datatools.tools.clean.DATE_FORMATS",
                    choice_labels=("clean.date_format_as_input", "clean.date_format_iso"),
                    help="how --dates writes them: as-input keeps each column's layout "
                         "(13.02.2024), iso writes 2024-02-13"),
             Option("phones", FLAG, "clean.phones", flag="--phones",
                    help="phone numbers to one form (E.164 +442079460018 unless --phone-format); numbers that cannot be read stay "
                         "and are reported"),
             Option("phone_region", REGION, "clean.phone_region", flag="--phone-region",
                    empty_label="clean.phone_region_none",
                    help="country of the phone numbers written without a country code "
                         "(two letters: GB, DE, US …)"),
             Option("phone_format", CHOICE, "clean.phone_format", flag="--phone-format",
                    choices_from="datatools.tools.clean.PHONE_FORMATS",
                    choice_labels=("clean.phone_format_e164", "clean.phone_format_national",
                                   "clean.phone_format_international"),
                    help="how --phones writes them: e164 +819088229328 (for scripts and phone "
                         "systems; Excel reads it as a number and drops the +), national "
                         "090-8822-9328, international +81 90-8822-9328"),
             Option("emails", FLAG, "clean.emails", flag="--emails",
                    help="e-mail addresses to lower case"),
             Option("rules", RULES, "clean.rules", flag="--column",
                    help="give one column its own rules, NAME:rule=value,… (repeatable): "
                         "case=title/lower/upper/keep, dates=auto/day-first/month-first/leave, "
                         "numbers=auto/point/comma/leave, phone_region=GB, and on/off for phones, "
                         "emails, trim, invisible, empty_values, unicode_nfc; a column's own rules "
                         "win over the options above, which skip columns they do not fit "
                         "(no case change on codes, postcodes, ids, e-mails or numbers)"),
             Option("plan", FLAG, "clean.plan", flag="--plan", desktop=False, engine_default=False,
                    help="show what each column holds, the rules it gets and a before → after "
                         "sample of each, from up to 2,000 rows; write nothing"))),
    Tool("profile", ("input.file",), "table", "basic",
         engine="datatools.tools.profile.profile_table", command="datatools.commands.profile",
         adapter="datatools.app.tool_jobs.run_profile"),
    Tool("compare", ("input.old", "input.new"), "table", "basic",
         engine="datatools.tools.compare.compare_tables", command="datatools.commands.compare",
         adapter="datatools.app.tool_jobs.run_compare",
         defaults_from="datatools.tools.compare.compare_tables", options=(
             Option("key", COLUMN, "compare.key", flag="--key", empty_label="compare.key_none",
                    help="columns that identify a row, comma-separated (default: inferred)"),
             Option("changed_only", FLAG, "compare.changed_only", flag="--changed-only",
                    help="leave unchanged rows out of the diff file (the counts still count them)"))),
    Tool("dedupe", ("input.file",), "table", "pro",
         engine="datatools.tools.dedupe.find_duplicates", command="datatools.commands.dedupe",
         adapter="datatools.app.tool_jobs.run_dedupe",
         defaults_from="datatools.tools.dedupe.find_duplicates", options=(
             Option("columns", COLUMNS, "dedupe.columns", flag="--columns", required=True,
                    help="columns to compare, comma-separated"),
             _thresholds(),
             Option("keep", CHOICE, "dedupe.keep", flag="--keep", desktop=False, engine_default=False,
                    choices_from="datatools.tools.dedupe.KEEP_POLICIES",
                    choice_labels=("dedupe.keep_first", "dedupe.keep_most_complete"),
                    desktop_default="most-complete",   # the window's review merges to this row
                    help="write one row per group to OUT instead of the annotated table"),
             _synonyms())),
    Tool("match", ("input.left", "input.right"), "table", "pro",
         engine="datatools.tools.match.match_tables", command="datatools.commands.match",
         adapter="datatools.app.tool_jobs.run_match",
         defaults_from="datatools.tools.match.match_tables", options=(
             Option("on", COLUMNS, "match.on", flag="--on", required=True,
                    help="LEFT columns to compare, comma-separated"),
             Option("right_on", COLUMNS, "match.right_on", flag="--right-on", input=1,
                    help="the matching RIGHT columns, in the same order (default: --on)"),
             _thresholds(),
             Option("top", INTEGER, "match.top", flag="--top", minimum=1,
                    help="list up to K candidates per LEFT row (adds match_rank)"),
             Option("unique", FLAG, "match.unique", flag="--unique",
                    help="one-to-one: each RIGHT row matches at most one LEFT row"),
             _synonyms())),
)}

# Each tier opens the tools marked with it and those of the tiers before it.
TIERS = ("basic", "pro", "team")


def tools_for_tier(tier: str) -> tuple[str, ...]:
    """The tools a tier opens, in registry order; unknown tiers open nothing here."""
    if tier not in TIERS:
        return ()
    opened = TIERS[:TIERS.index(tier) + 1]
    return tuple(name for name, tool in TOOLS.items() if tool.tier in opened)
