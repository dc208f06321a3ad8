"""A licensed window on a fresh server, for the review tests: open it, choose files and columns, run."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from conftest import TODAY, open_app
from datatools.app.server import start_server
from datatools.app.settings import BUILTIN_KEYRING, AppSettings


@contextmanager
def served_window(chromium, keys, folder: Path):
    """(tab, server) of a Chromium tab on a new server with a Pro license (English, the tests'
    today); fails the test if the page threw a JavaScript error."""
    settings = AppSettings(home=folder / "home", keyrings=(BUILTIN_KEYRING, keys.keyring),
                           os_language="en", today=lambda: TODAY)
    running = start_server(settings)
    context, tab = open_app(chromium, running.url)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.evaluate("""async (blob) => { await fetch('/api/license', {method: 'POST',
            headers: {'X-DataTools-Token': sessionStorage.getItem('datatools-token'),
                      'Content-Type': 'application/json'}, body: JSON.stringify({blob})}); }""",
                     keys.mint(tier="pro"))
        tab.reload()
        tab.wait_for_selector("body[data-ready]")
        yield tab, running
    finally:
        context.close()
        running.stop()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@contextmanager
def licensed_window(chromium, keys, folder: Path):
    """`served_window`'s tab alone."""
    with served_window(chromium, keys, folder) as (tab, _):
        yield tab


def run_tool(tab, tool: str, paths: list[Path], option: str, columns: list[str], shown: str) -> None:
    """Choose `tool`, its files and `columns` in the option `option`, press Run and wait for
    `shown` (the review's first entry)."""
    tab.click(f"#tool-{tool}")
    for index, path in enumerate(paths):
        tab.fill(f"#path-{index}", str(path))
        tab.press(f"#path-{index}", "Enter")
        tab.wait_for_selector(f"#input-{index} .preview")
    for column in columns:
        tab.check(f"#option-{option} input[value='{column}']")
    tab.click("#run")
    tab.wait_for_selector(shown, timeout=120_000)


LANGUAGES = ("en", "de", "es", "fr")


def reasons_in_languages(tab, texts: list[str]) -> list[str]:
    """Each of `texts` (reasons as the engine writes them, in English) as the page's
    `reasonText` shows it in each of the window's languages: [en texts…, de texts…, es…, fr…]."""
    return tab.evaluate("""async ([languages, texts]) => {
        const { reasonText } = await import("/ui/reasons.js");
        const { loadLanguage } = await import("/ui/i18n.js");
        const out = [];
        for (const language of languages) {
          await loadLanguage(language);
          for (const text of texts) out.push(reasonText(text));
        }
        return out;
    }""", [list(LANGUAGES), texts])


def save(tab, target: Path) -> None:
    """Save to `target` and wait for the message; fails with the error shown."""
    tab.fill("#save-path", str(target))
    tab.click("#save")
    tab.wait_for_selector("#save-message:not([hidden]), #save-error:not([hidden])", timeout=60_000)
    assert tab.locator("#save-error").is_hidden(), tab.locator("#save-error").inner_text()


def write_csv(path: Path, header: list[str], rows) -> Path:
    """A UTF-8 CSV of `header` and `rows`, written with the csv module; `path`."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
