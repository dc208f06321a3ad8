"""The window in German and in French, in real Chromium: the readers' warnings and the errors a
user can provoke appear in that language, name the file and the column, and no English sentence
(the English notice text, the engine's message or the English catalog entry) reaches the screen."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURES
from datatools import i18n
from test_desktop_tool_ui import choose_files

CASES = FIXTURES.parents[1] / "data" / "field_cases"
LANGUAGES = ["de", "fr"]


def render(language: str, key: str, **params) -> str:
    """The catalog's text for `key` as the UI fills it in (plurals for the small whole numbers
    used here: French counts 0 and 1 as `one`, the others only 1)."""
    text = i18n.load_catalog(language)[key]
    singular = (0, 1) if language == "fr" else (1,)
    while (match := re.search(r"\{(\w+), plural,", text)) is not None:
        depth, end = 0, match.start()
        for end in range(match.start(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        count = int(params[match.group(1)])
        branches = dict(i18n.plurals(text[match.start():end + 1])[0][1])
        chosen = branches.get(f"={count}") or branches["one" if count in singular else "other"]
        text = text[:match.start()] + chosen.replace("#", str(count)) + text[end + 1:]
    return re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), m.group(0))), text)


@pytest.fixture(params=LANGUAGES)
def language_page(request, page, client, keys):
    client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    page.reload()
    page.wait_for_selector("body[data-ready]")
    page.select_option("#language", request.param)
    page.wait_for_selector(f"html[lang={request.param}]", state="attached")
    return page, request.param


def run(page) -> None:
    page.click("#run")
    page.wait_for_selector("#result-area:not([hidden]), #run-error:not([hidden])")


def notices(page, where: str) -> list[str]:
    return page.locator(f"{where} .notice").all_inner_texts()


def home(page) -> None:
    page.click("#tool-back")
    page.wait_for_selector("#tool-profile")


def assert_in_language(shown: str, language: str, key: str, english_message: str, **params) -> None:
    assert shown == render(language, key, **params)
    assert english_message not in shown
    assert shown != render("en", key, **params)


def test_the_readers_warnings_speak_the_users_language(language_page, tmp_path):
    page, language = language_page
    mixed = tmp_path / "kunden.csv"
    shutil.copyfile(CASES / "utf8_one_cp1252_line.csv", mixed)
    params = {"count": 1, "encodings": "cp1252", "lines": "3"}

    choose_files(page, "profile", [mixed])
    assert_in_language(notices(page, "#input-0")[0], language, "notice.mixed_lines",
                       "Not all lines are UTF-8", **params)
    run(page)
    assert notices(page, "#result-extra")[0] == "kunden.csv: " + render(language, "notice.mixed_lines", **params)
    home(page)

    choose_files(page, "encoding", [mixed])
    run(page)
    shown = notices(page, "#result-extra")[0]
    assert shown == "kunden.csv: " + render(language, "notice.mixed_lines_converted", **params)
    assert "not all lines were UTF-8" not in shown
    home(page)

    export = tmp_path / "export.csv"
    shutil.copyfile(CASES / "excel_sep_line.csv", export)
    choose_files(page, "dedupe", [export])
    assert_in_language(notices(page, "#input-0")[0], language, "notice.sep_line",
                       "Excel's delimiter directive", delimiter=";")
    home(page)

    book = tmp_path / "rechnung.xlsx"
    shutil.copyfile(CASES / "formulas_no_cached_values.xlsx", book)
    choose_files(page, "clean", [book])
    preview = notices(page, "#input-0")[0]
    assert_in_language(preview, language, "notice.formulas_without_results", "hold no saved result",
                       count=1, columns="total", cells="total (C2)")
    assert "total (C2)" in preview
    run(page)
    assert "rechnung.xlsx: " + preview in notices(page, "#result-extra")
    taken = tmp_path / "rechnung-sauber.xlsx"
    taken.write_bytes(b"keep me")
    page.fill("#save-path", str(taken))
    page.click("#save")
    page.wait_for_selector("#save-error:not([hidden])")
    assert_in_language(page.locator("#save-error").inner_text(), language, "error.output_exists",
                       "already exists", file=taken.name)
    assert taken.read_bytes() == b"keep me"


def run_error(page) -> str:
    assert page.locator("#result-area").is_hidden()
    return page.locator("#run-error").inner_text()


def test_errors_a_user_can_cause_name_the_file_and_column_in_the_users_language(language_page, tmp_path):
    page, language = language_page
    # A column ticked in the window, then removed from the file in the spreadsheet program.
    customers = tmp_path / "kunden.csv"
    customers.write_text("id,name,email\n1,Anna,anna@example.com\n2,Ana,ana@example.com\n", encoding="utf-8")
    choose_files(page, "dedupe", [customers])
    page.check("#option-columns input[value='email']")
    customers.write_text("id,name\n1,Anna\n2,Ana\n", encoding="utf-8")
    run(page)
    shown = run_error(page)
    assert_in_language(shown, language, "error.column_not_in_file", "has no column named",
                       file="kunden.csv", columns="email")
    assert "kunden.csv" in shown and "email" in shown

    # A synonym table with one column.
    synonyms = tmp_path / "synonyme.csv"
    synonyms.write_text("from\nGmbH\n", encoding="utf-8")
    page.uncheck("#option-columns input[value='email']")
    page.check("#option-columns input[value='name']")
    page.fill("#option-synonyms", str(synonyms))
    run(page)
    assert_in_language(run_error(page), language, "error.synonym_columns", "needs two columns (from, to)",
                       file="synonyme.csv")
    page.fill("#option-synonyms", str(tmp_path / "verschoben.csv"))      # moved away meanwhile
    run(page)
    assert_in_language(run_error(page), language, "error.cannot_open", "No such file or directory",
                       file="verschoben.csv")
    home(page)

    # "Each row of the second table once" with several matches per row.
    choose_files(page, "match", [FIXTURES / "orders.csv", FIXTURES / "customers.csv"])
    page.check("#option-on input[value='customer']")
    page.select_option("#pair-0", "name")
    page.fill("#option-top", "3")
    page.check("#option-unique")
    run(page)
    assert_in_language(run_error(page), language, "error.unique_with_top", "--unique")
    home(page)

    # A workbook given to the encoding tool, and a character the chosen encoding cannot hold.
    book = tmp_path / "rechnung.xlsx"
    shutil.copyfile(CASES / "formulas_no_cached_values.xlsx", book)
    choose_files(page, "encoding", [book])
    run(page)
    assert_in_language(run_error(page), language, "error.spreadsheet_not_text", "is a spreadsheet, not a text file",
                       file="rechnung.xlsx")
    japanese = tmp_path / "kunden-jp.csv"
    shutil.copyfile(CASES / "ja_sjis_short.csv", japanese)
    page.fill("#path-0", str(japanese))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#input-0 .preview table >> text=山田")
    page.select_option("#option-target", "cp1252")
    run(page)
    shown = run_error(page)
    assert_in_language(shown, language, "error.cannot_encode", "choose --to utf-8",
                       line=1, file="kunden-jp.csv", character="顧", encoding="cp1252")
    assert "--" not in shown


def test_counts_choose_their_singular_in_every_language(page, desktop):
    """`{n, plural, …}` through Intl.PluralRules in Chromium: 1 row, 2 rows, French 0 as one,
    and the number written as the language writes it."""
    expected = {
        "en": ["a.csv: 0 of 0 rows", "a.csv: 1 of 1 row", "a.csv: 2 of 2 rows", "a.csv: 1,500 of 1,500 rows"],
        "de": ["a.csv: 0 von 0 Zeilen", "a.csv: 1 von 1 Zeile", "a.csv: 2 von 2 Zeilen", "a.csv: 1.500 von 1.500 Zeilen"],
        "es": ["a.csv: 0 de 0 filas", "a.csv: 1 de 1 fila", "a.csv: 2 de 2 filas", "a.csv: 1500 de 1500 filas"],
        "fr": ["a.csv : 0 ligne sur 0", "a.csv : 1 ligne sur 1", "a.csv : 2 lignes sur 2",
               "a.csv : 1\u202f500 lignes sur 1\u202f500"],
    }
    for language in i18n.LANGUAGES:
        page.select_option("#language", language)
        page.wait_for_selector(f"html[lang={language}]", state="attached")
        shown = page.evaluate("""async () => {
            const { t } = await import("/ui/i18n.js");
            return [0, 1, 2, 1500].map((n) => t("result.trial_rows", { file: "a.csv", used: n, total: n }));
        }""")
        assert shown == expected[language]


def test_the_result_caption_says_first_rows_of_a_total_or_that_all_rows_are_shown(page, desktop):
    expected = {
        "en": ["First 200 rows of 50,000", "First row of 3", "The only row", "All 2 rows"],
        "de": ["Erste 200 Zeilen von 50.000", "Erste Zeile von 3", "Die einzige Zeile", "Alle 2 Zeilen"],
    }
    for language, texts in expected.items():
        page.select_option("#language", language)
        page.wait_for_selector(f"html[lang={language}]", state="attached")
        shown = page.evaluate("""async () => {
            const { t } = await import("/ui/i18n.js");
            return [t("result.caption", { shown: 200, total: 50000 }), t("result.caption", { shown: 1, total: 3 }),
                    t("result.caption_all", { total: 1 }), t("result.caption_all", { total: 2 })];
        }""")
        assert shown == texts
