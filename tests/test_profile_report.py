"""`datatools profile FILE -o report.html`: one self-contained page whose figures are the profile's.

Run through the real command line (a child process). The page is parsed back with the standard
library's HTML parser and every figure compared with what `datatools profile --json` says;
values from the file that look like markup must come back as the same text, never as elements.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from datatools import i18n

ENGLISH = i18n.load_catalog("en")
NASTY = ["<script>alert(1)</script>", "&amp;", 'say "hi"', "it's", "<b>bold</b>"]


def datatools(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datatools", *argv], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def customers(tmp_path) -> Path:
    """40 rows: ids, zip codes with leading zeros, a half-empty column, cells that look like HTML,
    one with spaces at its ends (a suspicious finding whose example is markup)."""
    rows = ["id,zip,<i>note</i>,city"]
    for n in range(1, 41):
        note = NASTY[n % len(NASTY)] if n % 2 else ""
        city = " <script>x</script> " if n == 7 else ["Köln", "Berlin", "Paris"][n % 3]
        rows.append(f'{n},{n:05d},"{note.replace(chr(34), chr(34) * 2)}",{city}')
    path = tmp_path / "kunden <&> 'x'.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


class Page(HTMLParser):
    """What a reader of the page sees: elements by tag, the overview's rows, each column's card."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.h1 = ""
        self.overview: list[list[str]] = []
        self.cards: list[dict] = []
        self._stack: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._table = ""
        self._text: list[str] | None = None
        self._term = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        classes = dict(attrs).get("class") or ""
        if tag == "table":
            self._table = classes
        elif tag == "section" and "column" in classes:
            self.cards.append({"name": "", "facts": {}, "top": [], "findings": []})
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th", "h1", "h2", "dt", "dd", "p") and self._stack[-1:] != ["svg"]:
            self._text = []
        self._stack.append(tag)

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop() != tag:
            pass
        text = "".join(self._text).strip() if self._text is not None else None
        if tag in ("td", "th") and self._row is not None and text is not None:
            self._row.append(text)
        elif tag == "tr" and self._row:
            if self._table == "overview" and self._stack[-1:] == ["tbody"]:
                self.overview.append(self._row)
            elif self._table == "top" and self._stack[-1:] == ["tbody"]:
                self.cards[-1]["top"].append(self._row)
            self._row = None
        elif tag == "h1":
            self.h1 = text
        elif tag == "h2" and self.cards and not self.cards[-1]["name"] and "section" in self._stack:
            self.cards[-1]["name"] = text
        elif tag == "dt" and self.cards:
            self._term = text
        elif tag == "dd" and self.cards and "section" in self._stack:
            self.cards[-1]["facts"][self._term] = text
        elif tag == "p" and self.cards and "section" in self._stack and text:
            self.cards[-1]["findings"].append(text)
        if tag in ("td", "th", "h1", "h2", "dt", "dd", "p"):
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_html_report_shows_the_profiles_figures_for_every_column(customers, tmp_path):
    report = tmp_path / "report.html"
    run = datatools("profile", str(customers), "-o", str(report), "-q")
    assert run.returncode == 0, run.stderr
    profile = json.loads(datatools("profile", str(customers), "--json").stdout)
    page = parse(report)
    assert page.h1 == ENGLISH["profile_report.title"].replace("{file}", customers.name)
    rows = profile["rows"]
    assert [row[0] for row in page.overview] == [c["name"] for c in profile["columns"]]
    for row, column, card in zip(page.overview, profile["columns"], page.cards):
        name, kind, share, distinct, smallest, largest = row
        assert kind == ENGLISH[f"type.{column['type']}"]
        assert share == f"{round(100 * column['filled'] / rows)}%"
        # (the parser strips the cells' ends; the page keeps them, white-space: pre-wrap)
        assert (number(distinct), smallest, largest) == (column["distinct"], column["minimum"].strip(),
                                                         column["maximum"].strip())
        assert card["name"] == column["name"]
        filled = ENGLISH["profile.filled"].replace("{filled}", str(column["filled"])).replace("{total}", str(rows))
        assert card["facts"][ENGLISH["profile_report.filled"]].startswith(filled)
        shown_top = [(v.strip(), n) for v, n in column["top_values"][:10]]
        assert [(value, number(count)) for value, count, _bar in card["top"]] == shown_top
        findings = [ENGLISH["profile.suspicious"].replace("{count}", str(n)).replace(
            "{kind}", ENGLISH[f"suspicious.{kind}"]).replace("{example}", column["examples"][kind])
            for kind, n in column["suspicious"].items()]
        assert card["findings"] == findings
    assert {"zip": "code", "id": "integer"} == {c["name"]: c["type"] for c in profile["columns"][:2]}


def test_values_that_look_like_markup_are_shown_as_text_never_as_elements(customers, tmp_path):
    report = tmp_path / "report.html"
    assert datatools("profile", str(customers), "-o", str(report), "-q").returncode == 0
    raw = report.read_text(encoding="utf-8")
    page = parse(report)
    # The page's own elements only: no script, no <b> or <i> from the cells or the column name.
    assert {"script", "b", "i", "iframe", "img"} & set(page.tags) == set()
    assert "<script" not in raw and "<b>" not in raw and "<i>" not in raw
    note = next(card for card in page.cards if card["name"] == "<i>note</i>")
    assert {value for value, _, _ in note["top"]} >= set(NASTY)
    city = next(card for card in page.cards if card["name"] == "city")
    assert any("“ <script>x</script> ”" in finding for finding in city["findings"])
    assert customers.name in page.h1          # the file's own name, with its < & > and quote
    # Self-contained: nothing is loaded from anywhere.
    assert not [value for name, value in page.attributes if name in ("src", "href")]
    assert "url(" not in raw and "@import" not in raw


def test_the_reports_format_comes_from_the_name_or_format_and_a_wrong_pair_writes_nothing(customers, tmp_path):
    page = tmp_path / "page.htm"
    assert datatools("profile", str(customers), "-o", str(page), "-q").returncode == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    named = tmp_path / "report-without-extension"
    assert datatools("profile", str(customers), "-o", str(named), "--format", "html", "-q").returncode == 0
    assert named.read_bytes() == page.read_bytes()
    workbook = tmp_path / "profile.xlsx"
    assert datatools("profile", str(customers), "-o", str(workbook), "-q").returncode == 0
    sheet = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Sheet1").to_python()
    assert [row[0] for row in sheet] == ["column", "id", "zip", "<i>note</i>", "city"]
    as_json = tmp_path / "profile.json"
    assert datatools("profile", str(customers), "-o", str(as_json), "-q").returncode == 0
    printed = json.loads(datatools("profile", str(customers), "--json").stdout)
    assert json.loads(as_json.read_text(encoding="utf-8")) == {k: printed[k] for k in ("rows", "sample_size", "columns")}
    for argv, says in ((["-o", str(tmp_path / "a.xlsx"), "--format", "html"], "names a xlsx file"),
                       (["-o", str(tmp_path / "a.txt")], "cannot tell the report's format"),
                       (["--format", "html"], "--format needs -o")):
        run = datatools("profile", str(customers), *argv)
        assert (run.returncode, says in run.stderr) == (2, True), run.stderr
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "a.txt").exists()
    again = datatools("profile", str(customers), "-o", str(page), "-q")
    assert again.returncode != 0 and "exists" in again.stderr
    before = customers.read_bytes()
    over_input = datatools("profile", str(customers), "-o", str(customers), "--format", "html", "--force")
    assert over_input.returncode != 0 and customers.read_bytes() == before


def test_the_report_is_written_in_the_language_asked_for_and_numbers_grouped_its_way(customers):
    from datatools.tools.profile_report import ReportSource, profile_html
    from datatools.tools.profile import profile_table
    from datatools.io import read_table

    profile = json.loads(json.dumps(profile_table(read_table(customers).frame).to_dict(), default=str))
    profile["rows"] = 12_345                  # the grouping shows on a number of that size
    german = i18n.load_catalog("de")
    html = profile_html(profile, ReportSource(customers.name, "utf-8", ","), "de")
    assert '<html lang="de">' in html
    assert f"<th scope=\"col\">{german['profile_report.column']}</th>" in html
    assert f"<dt>{german['report.rows']}</dt><dd>12.345</dd>" in html
    assert german["delimiter.comma"] in html and german["type.code"] in html
    for kind in {k for column in profile["columns"] for k in column["suspicious"]}:
        assert german[f"suspicious.{kind}"] in html and kind.replace("_", " ") not in html
    assert any(column["suspicious"] for column in profile["columns"])


def test_the_readers_notes_are_in_the_reports_language_with_their_plurals(tmp_path):
    """A reader's note with a count (`{count, plural, …}` in the catalog) reads as a sentence."""
    from datatools.io import read_table
    from datatools.tools.profile import profile_table
    from datatools.tools.profile_report import ReportSource, profile_html

    ragged = tmp_path / "kurz.csv"
    ragged.write_text("id,name,city\n1,Anna\n2,Bo\n3,Cy,Rom\n", encoding="utf-8")
    table = read_table(ragged)
    profile = json.loads(json.dumps(profile_table(table.frame).to_dict(), default=str))
    html = profile_html(profile, ReportSource(ragged.name, "utf-8", ",", table.warnings), "de")
    assert "2 Zeilen haben weniger als 3 Zellen und wurden mit leeren Zellen aufgefüllt (Zeile 2, 3)." in html
    assert "plural" not in html
