"""The license email names the re-delivery portal (DECISIONS 427): `licensed serve` as the
operator runs it, its `[portal] url` set in the environment, mail spooled to .eml files; the
first mail and the portal's re-sent ones, in each language the mail is written in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from licensed.errors import ConfigError
from licensed.settings import load_settings
from tests.daemon.served import serve
from tests.daemon.test_served_portal import WORDS, ask

PORTAL = "https://licenses.shop.example/portal"
SUPPORT = "help@shop.example"
CATALOGS = Path(__file__).resolve().parents[2] / "licensed" / "i18n"


def lost_paragraph(text: str, lang: str) -> str:
    """The paragraph under the mail's "Lost this email?" heading, in the mail's language."""
    heading = json.loads((CATALOGS / f"{lang}.json").read_text("utf-8"))["license_email.resend_heading"]
    return text.split(heading + "\n\n", 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_license_email_gives_the_portal_address_in_its_language(tmp_path, database_url):
    served = serve(tmp_path, database_url, environ={"LICENSED_PORTAL_URL": PORTAL,
                                                     "LICENSED_PORTAL_SUPPORT_EMAIL": SUPPORT})
    try:
        for lang in WORDS:
            minted = served.admin("POST", "/internal/mint", {
                "name": f"Buyer {lang}", "email": f"buyer-{lang}@example.com", "tier": "pro"})
            assert minted.status == 201, minted.body
        first = served.wait_for_mails(4)
        assert [ask(served.url, f"buyer-{lang}@example.com", lang) for lang in WORDS] == [200] * 4
        mails = served.wait_for_mails(8)
    finally:
        log = served.stop()
    assert served.process.returncode == 0, log[-3000:]

    (english_mail,) = [m for m in first if m["To"].addresses[0].addr_spec == "buyer-en@example.com"]
    english = english_mail.get_body(("plain",)).get_content()
    assert lost_paragraph(english, "en") == (
        f"Open {PORTAL}?lang=en, enter buyer-en@example.com and we send every license bought "
        f"with that address again, to that address. Nothing arrives within an hour? Write to "
        f"{SUPPORT} from buyer-en@example.com. Keep this email: the license is all you need to "
        f"reinstall.")
    resent = {m["To"].addresses[0].addr_spec[6:8]: m for m in mails
              if m["Subject"].endswith(tuple(WORDS.values()))}
    assert sorted(resent) == sorted(WORDS)
    for lang, mail in resent.items():
        assert mail["Subject"].endswith(WORDS[lang])
        paragraph = lost_paragraph(mail.get_body(("plain",)).get_content(), lang)
        assert f"{PORTAL}?lang={lang}" in paragraph and SUPPORT in paragraph, (lang, paragraph)
        assert f"buyer-{lang}@example.com" in paragraph
        assert "licenses@example.com" not in paragraph
        page = mail.get_body(("html",)).get_content()
        assert f'<a href="{PORTAL}?lang={lang}">{PORTAL}?lang={lang}</a>' in page, lang


@pytest.mark.parametrize("url", ["license.example.com/portal", "ftp://example.com/portal",
                                 "https://example.com/portal?x=1", "https:///portal",
                                 'https://example.com/"><script>'])
def test_a_portal_url_that_is_not_one_is_refused_at_start(url):
    with pytest.raises(ConfigError, match=r"\[portal\] url must be the portal's address"):
        load_settings(None, {"LICENSED_PORTAL_URL": url})
