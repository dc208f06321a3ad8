"""A profile as a file a person opens: one self-contained HTML page, or a sheet with a row per column.

The page needs nothing but a browser: no network, no script, its style inline, its bars inline
SVG, and it prints on A4 (one column's card never split across pages). Every value that came
from the user's file — column names, top values, extremes, examples, the file's name, the
reader's notes — goes through `html.escape`, so a cell holding `<script>` is shown, never run.
The labels come from the UI's catalogs (datatools/i18n), so the desktop writes the report in the
language of its window and the CLI in English.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from datatools import i18n
from datatools.version import __version__

if TYPE_CHECKING:
    import pandas as pd

TOP_VALUES = 10            # bars per column, as many as the text report shows
BAR_WIDTH = 240            # px of the longest bar
# Thousands separators as each catalog's language writes numbers (CLDR); fr uses a narrow space.
_GROUPING = {"en": ",", "de": ".", "es": ".", "fr": "\u202f"}
_DELIMITER_KEYS = {",": "delimiter.comma", ";": "delimiter.semicolon", "\t": "delimiter.tab",
                   "|": "delimiter.pipe"}

# The catalog keys the report reads (tests/desktop/test_i18n.py counts them as used), besides
# the ones the UI's profile view shares with it (profile.*, type.*, report.*, delimiter.*).
CATALOG_KEYS = ("profile_report.title", "profile_report.file", "profile_report.separator",
                "profile_report.sample", "profile_report.notes", "profile_report.column",
                "profile_report.filled", "profile_report.length", "profile_report.characters",
                "profile_report.value", "profile_report.count", "profile_report.made_by")

_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { font-size: 1.2rem; margin: 0 0 .4rem; }
dl.file { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
dt { color: #57606a; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { background: #f3f5f7; } .n { text-align: right; font-variant-numeric: tabular-nums; }
tbody th { background: none; } caption { text-align: left; font-weight: 600; padding: .3rem 0; }
table.top { width: auto; min-width: 60%; }
section.column { border: 1px solid #d0d7de; border-radius: 6px; padding: .8rem 1rem; margin: 0 0 1rem;
                 break-inside: avoid; page-break-inside: avoid; }
.notes li, .finding { color: #8a4b00; } .value { overflow-wrap: anywhere; white-space: pre-wrap; }
svg rect.bar { fill: #2f6fb3; } svg rect.rest { fill: #e1e6eb; }
footer { color: #57606a; font-size: .85rem; margin-top: 2rem; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } a { color: inherit; }
               * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


@dataclass(frozen=True)
class ReportSource:
    """The file a profile describes, as the report names it.

    `encoding` and `delimiter` are "" for a spreadsheet; `warnings` are the reader's notes
    (a `sep=` line, mixed encodings…): `str`, or `datatools.notices.Notice` to be translated.
    """

    name: str
    encoding: str = ""
    delimiter: str = ""
    warnings: list[str] = field(default_factory=list)


def encoding_label(encoding: str, bom: bool = False) -> str:
    """An encoding as the save choice names it: "utf-8 + BOM", "cp1252"; ASCII is "utf-8".

    `encoding` is a Python codec name ("utf-8-sig" means UTF-8 with a byte order mark).
    """
    name = codecs.lookup(encoding).name
    if name in ("ascii", "utf-8-sig"):
        bom, name = bom or name == "utf-8-sig", "utf-8"
    return f"{name} + BOM" if bom else name


def profile_html(profile: dict[str, Any], source: ReportSource, language: str = "en") -> str:
    """The whole HTML document for `profile` (`Profile.to_dict()`'s shape: rows, sample_size, columns).

    `language` is one of `i18n.LANGUAGES` (anything else is English). Returns text to be
    written as UTF-8 (the page says so in its `<meta charset>`).
    """
    words = _Words(language)
    rows = int(profile["rows"])
    title = words("profile_report.title", file=source.name)
    facts = [(words("profile_report.file"), source.name)]
    if source.encoding:
        facts.append((words("report.encoding"), source.encoding))
    if source.delimiter:
        key = _DELIMITER_KEYS.get(source.delimiter, "delimiter.other")
        facts.append((words("profile_report.separator"), words(key, char=source.delimiter)))
    facts += [(words("report.rows"), words.number(rows)),
              (words("report.columns"), words.number(len(profile["columns"])))]
    parts = [f'<!DOCTYPE html>\n<html lang="{escape(words.language)}">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n",
             f"<header>\n<h1>{escape(title)}</h1>\n<dl class=\"file\">\n",
             *(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>\n" for k, v in facts), "</dl>\n"]
    sample = int(profile.get("sample_size") or rows)
    if sample < rows:
        parts.append(f"<p>{escape(words('profile_report.sample', sample=words.number(sample)))}</p>\n")
    if source.warnings:
        parts.append(f"<h2>{escape(words('profile_report.notes'))}</h2>\n<ul class=\"notes\">\n"
                     + "".join(f"<li>{escape(_note(w, source.name, words))}</li>\n" for w in source.warnings)
                     + "</ul>\n")
    parts.append("</header>\n<main>\n")
    parts.append(_overview(profile["columns"], rows, words))
    parts += [_column(column, rows, words) for column in profile["columns"]]
    parts.append(f"</main>\n<footer>{escape(words('profile_report.made_by', version=__version__))}"
                 "</footer>\n</body>\n</html>\n")
    return "".join(parts)


def profile_sheet(profile: dict[str, Any]) -> "pd.DataFrame":
    """A profile as a spreadsheet: one row per column with its type, fill, range and top values."""
    import pandas as pd

    rows = [{"column": c["name"], "type": c["type"], "filled": c["filled"], "of rows": profile["rows"],
             "distinct": c["distinct"], "minimum": c.get("minimum") or "", "maximum": c.get("maximum") or "",
             "shortest": c.get("min_length", ""), "longest": c.get("max_length", ""),
             "top values": "; ".join(f"{v} ({n})" for v, n in c.get("top_values") or []),
             "suspicious": "; ".join(f"{k}: {n}" for k, n in (c.get("suspicious") or {}).items())}
            for c in profile["columns"]]
    return pd.DataFrame(rows, dtype=object).astype(str)


class _Words:
    """The catalog of one language: labels with their {placeholders} filled, numbers grouped."""

    def __init__(self, language: str):
        self.language = language if language in i18n.LANGUAGES else i18n.FALLBACK
        self._catalog = i18n.load_catalog(self.language)

    def __call__(self, key: str, **params: Any) -> str:
        text = self._catalog.get(key) or i18n.load_catalog(i18n.FALLBACK)[key]
        # One pass: a value holding "{count}" (a file named so) is not filled in again.
        return i18n.fill(text, params, self.language, number=self.number)

    def has(self, key: str) -> bool:
        return key in self._catalog

    def number(self, value: int) -> str:
        return f"{value:,}".replace(",", _GROUPING[self.language])

    def share(self, part: int, whole: int) -> str:
        percent = round(100 * part / whole) if whole else 0
        return f"{percent}\u00a0%" if self.language != "en" else f"{percent}%"

    def finding(self, kind: str) -> str:
        """A suspicious-value kind of the profile (`edge_spaces`) in words."""
        key = f"suspicious.{kind}"
        return self(key) if self.has(key) else kind.replace("_", " ")

    def kind(self, column_type: str) -> str:
        key = f"type.{column_type}"
        return self(key) if self.has(key) else column_type.replace("_", " ")


def _note(warning: str, file_name: str, words: _Words) -> str:
    """A reader's note in the report's language when the catalog has its `notice.<code>`
    (DECISIONS 128), else as written; without the `file: ` prefix the desktop gives it, since
    the whole page is about that file."""
    code = getattr(warning, "code", None)
    if code and words.has(f"notice.{code}"):
        return words(f"notice.{code}", **getattr(warning, "params", {}))
    text = str(warning)
    return text[len(file_name) + 2:] if text.startswith(f"{file_name}: ") else text


def _bar(part: int, whole: int, label: str, width: int = BAR_WIDTH) -> str:
    """An inline SVG bar: `part` of `whole` filled; `label` (already plain text) for screen readers."""
    filled = round(width * part / whole) if whole else 0
    return (f'<svg width="{width}" height="12" viewBox="0 0 {width} 12" role="img" '
            f'aria-label="{escape(label)}"><rect class="rest" width="{width}" height="12" rx="2"/>'
            f'<rect class="bar" width="{filled}" height="12" rx="2"/></svg>')


def _overview(columns: list[dict[str, Any]], rows: int, words: _Words) -> str:
    head = [words("profile_report.column"), words("profile.type"), words("profile_report.filled"),
            words("profile.distinct"), words("profile.minimum"), words("profile.maximum")]
    body = []
    for column in columns:
        filled = int(column["filled"])
        fill_text = words("profile.filled", filled=words.number(filled), total=words.number(rows))
        body.append(
            f'<tr><th scope="row" class="value">{escape(str(column["name"]))}</th>'
            f"<td>{escape(words.kind(column['type']))}</td>"
            f'<td class="n">{escape(words.share(filled, rows))} {_bar(filled, rows, fill_text, 80)}</td>'
            f'<td class="n">{escape(words.number(int(column["distinct"])))}</td>'
            f'<td class="value">{escape(str(column.get("minimum") or ""))}</td>'
            f'<td class="value">{escape(str(column.get("maximum") or ""))}</td></tr>\n')
    return (f"<h2>{escape(words('profile.columns'))}</h2>\n<table class=\"overview\">\n<thead><tr>"
            + "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
            + "</tr></thead>\n<tbody>\n" + "".join(body) + "</tbody>\n</table>\n")


def _column(column: dict[str, Any], rows: int, words: _Words) -> str:
    filled = int(column["filled"])
    fill_text = words("profile.filled", filled=words.number(filled), total=words.number(rows))
    facts = [(words("profile.type"), words.kind(column["type"])),
             (words("profile_report.filled"), f"{fill_text} ({words.share(filled, rows)})"),
             (words("profile.distinct"), words.number(int(column["distinct"]))),
             (words("profile.minimum"), str(column.get("minimum") or "")),
             (words("profile.maximum"), str(column.get("maximum") or ""))]
    if filled:
        facts.append((words("profile_report.length"),
                      words("profile_report.characters", shortest=column.get("min_length", ""),
                            longest=column.get("max_length", ""))))
    parts = [f'<section class="column">\n<h2 class="value">{escape(str(column["name"]))}</h2>\n',
             f"<p>{_bar(filled, rows, fill_text)}</p>\n<dl class=\"file\">\n",
             *(f'<dt>{escape(k)}</dt><dd class="value">{escape(v)}</dd>\n' for k, v in facts), "</dl>\n"]
    top = [(str(v), int(n)) for v, n in (column.get("top_values") or [])[:TOP_VALUES]]
    if top:
        most = max(n for _, n in top)
        parts.append(f"<table class=\"top\">\n<caption>{escape(words('profile.top_values'))}</caption>\n"
                     f"<thead><tr><th scope=\"col\">{escape(words('profile_report.value'))}</th>"
                     f"<th scope=\"col\" class=\"n\">{escape(words('profile_report.count'))}</th><th></th></tr></thead>\n<tbody>\n")
        for value, count in top:      # filled values only: the engine counts no empty cell
            parts.append(f'<tr><td class="value">{escape(value)}</td>'
                         f'<td class="n">{escape(words.number(count))}</td>'
                         f"<td>{_bar(count, most, f'{value}: {count}')}</td></tr>\n")
        parts.append("</tbody>\n</table>\n")
    examples = column.get("examples") or {}
    for kind, count in (column.get("suspicious") or {}).items():
        text = words("profile.suspicious", count=words.number(int(count)), kind=words.finding(kind),
                     example=examples.get(kind, ""))
        parts.append(f'<p class="finding">{escape(text)}</p>\n')
    parts.append("</section>\n")
    return "".join(parts)
