"""The UI in real Chromium against the real local server: activation, language, the trial."""

from __future__ import annotations

import json

from conftest import FIXTURES


def test_home_shows_every_tool_and_the_trial_terms(page, screenshot):
    names = page.locator(".tool-name").all_inner_texts()
    assert names == ["Fix text encoding", "Clean up columns", "Look inside a file",
                     "Compare two versions", "Find duplicates", "Match two tables"]
    assert page.locator("#trial-text").inner_text() == (
        "Trial version: every tool works, on the first 1,000 rows of each file. "
        "Enter your license to use whole files.")
    # The token left the address bar once read: a screenshot or a shared link does not leak it.
    assert "token" not in page.url
    screenshot(page, "desktop-home")


def test_activate_with_a_good_license(page, keys, settings, screenshot):
    blob = keys.mint(updates_until="2027-11-23")
    page.click("#trial-activate")
    screenshot(page, "desktop-activation")
    # Pasted as a mail client would show it: quoted and broken over lines.
    page.fill("#license-blob", "\n".join("> " + blob[i:i + 60] for i in range(0, len(blob), 60)))
    page.click("#license-activate")
    page.wait_for_selector("#license-ok:not([hidden])")
    assert page.locator("#license-ok").inner_text() == "Thank you, Zoë Müller: DataTools is activated."
    status = page.locator("#license-status").inner_text()
    for expected in ("Licensed to Zoë Müller", "zoe@example.com", "Pro", "3", "November 23, 2027",
                     "no end date", "L-0001"):
        assert expected in status
    assert page.locator("#trial-banner").is_hidden()
    assert page.locator("#go-license").inner_text() == "License: Pro"
    assert json.loads((settings.home / "license.json").read_text())["blob"] == blob
    screenshot(page, "desktop-activated")


def test_tampered_license_shows_why_and_stays_in_the_trial(page, keys, settings, screenshot):
    blob = keys.mint()
    payload, signature = blob.split(".")
    tampered = payload[:20] + ("x" if payload[20] != "x" else "y") + payload[21:] + "." + signature
    page.click("#go-license")
    page.fill("#license-blob", tampered)
    page.click("#license-activate")
    page.wait_for_selector("#license-error:not([hidden])")
    assert page.locator("#license-error").inner_text() in (
        "This license does not match its signature: it was changed after it was issued, or copied "
        "incompletely. Copy it again from your license email.",
        "This license text is damaged: part of it is missing or changed. Copy the whole block from "
        "your license email again, from DTLIC2: to the end.")
    assert page.locator("#trial-banner").is_visible()
    assert not (settings.home / "license.json").exists()
    screenshot(page, "desktop-activation-error")


def test_expired_license_message_names_the_date_in_the_users_language(page, keys):
    page.select_option("#language", "de")
    page.wait_for_selector("html[lang=de]", state="attached")
    page.click("#go-license")
    page.fill("#license-blob", keys.mint(expires="2026-01-31"))
    page.click("#license-activate")
    page.wait_for_selector("#license-error:not([hidden])")
    assert page.locator("#license-error").inner_text() == "Diese Lizenz ist am 31. Januar 2026 abgelaufen."


def test_empty_paste_is_caught_next_to_the_box(page):
    page.click("#go-license")
    page.click("#license-activate")
    assert page.locator("#license-error").inner_text() == "Paste your license into the box first."
    assert page.evaluate("document.activeElement.id") == "license-blob"


def test_language_switch_translates_the_page_and_is_remembered(page, desktop, screenshot):
    expected = {"de": "Was möchten Sie tun?", "es": "¿Qué desea hacer?", "fr": "Que voulez-vous faire ?",
                "en": "What would you like to do?"}
    for language, title in expected.items():
        page.select_option("#language", language)
        page.wait_for_selector(f"html[lang={language}]", state="attached")
        assert page.locator("#home-title").inner_text() == title
        if language == "de":
            assert page.locator("#tool-dedupe .tool-name").inner_text() == "Dubletten finden"
            screenshot(page, "desktop-home-de")
    page.select_option("#language", "fr")
    page.wait_for_selector("html[lang=fr]", state="attached")
    page.goto(desktop.base_url + "/")          # reload: the token is kept for this tab
    page.wait_for_selector("body[data-ready]")
    assert page.locator("#home-title").inner_text() == "Que voulez-vous faire ?"


def test_page_without_the_token_says_it_is_not_connected(chromium, desktop):
    context = chromium.new_context()
    tab = context.new_page()
    tab.goto(desktop.base_url + "/")
    tab.wait_for_selector("#fatal:not([hidden])")
    assert tab.locator("#fatal").inner_text() == (
        "Missing or wrong access token. Open DataTools from its own window or link.")
    context.close()


def test_keyboard_reaches_every_tool_and_the_license_screen(page):
    page.focus("#go-home")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id"))
    assert {"go-license", "language", "tool-encoding", "tool-match"} <= set(seen)
    page.focus("#tool-profile")
    page.keyboard.press("Enter")
    assert page.locator("#tool-title").is_visible()
    assert page.evaluate("document.activeElement.id") == "tool-title"


def test_readable_at_200_percent_zoom(chromium, desktop, screenshot):
    # 200 % zoom of a 1280×800 window is a 640×400 CSS viewport at device scale 2.
    context = chromium.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    tab = context.new_page()
    tab.goto(desktop.url)
    tab.wait_for_selector("body[data-ready]")
    sideways = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert tab.evaluate(sideways) <= 0, "the home screen scrolls sideways at 200 % zoom"
    screenshot(tab, "desktop-home-zoom200")
    tab.click("#tool-match")
    tab.fill("#path-0", str(FIXTURES / "orders.csv"))
    tab.press("#path-0", "Enter")
    tab.wait_for_selector("#input-0 .preview")
    assert tab.evaluate(sideways) <= 0, "a tool screen scrolls sideways at 200 % zoom"
    screenshot(tab, "desktop-tool-zoom200")
    context.close()
