"""The buyer's re-delivery portal: plain HTML without JavaScript, one answer for every address,
rate limits per address and per client, a CSRF-safe form, mail only to the stored address."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from licensed.message import HERE
from tests.daemon.harness import LiveDaemon, Response, gumroad_sale, http

CATALOGS = HERE / "i18n"


def form(live: LiveDaemon, lang: str = "") -> tuple[str, str, Response]:
    """GET /portal: (csrf token, cookie header, response)."""
    answer = http("GET", live.url + "/portal" + (f"?lang={lang}" if lang else ""))
    token = re.search(r'name="csrf" value="([^"]+)"', answer.body.decode()).group(1)
    cookie = answer.headers["Set-Cookie"].split(";", 1)[0]
    return token, cookie, answer


def ask(live: LiveDaemon, email: str, *, lang: str = "en", token: str | None = None,
        cookie: str | None = None) -> Response:
    """POST the form as a browser would (every request here comes from one client)."""
    if token is None or cookie is None:
        token, cookie, _ = form(live)
    body = urllib.parse.urlencode({"csrf": token, "lang": lang, "email": email}).encode()
    return http("POST", live.url + "/portal", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})


def test_the_form_is_plain_html_with_a_csrf_field_and_no_script(live):
    token, cookie, answer = form(live)
    page = answer.body.decode()
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<form method="post" action="/portal">' in page and "<script" not in page
    assert 'type="email" id="email" name="email"' in page and '<label for="email">' in page
    assert "samesite=strict" in answer.headers["Set-Cookie"].lower() and "HttpOnly" in answer.headers["Set-Cookie"]
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert token and cookie.startswith("portal_nonce=")


def test_known_and_unknown_addresses_get_byte_identical_answers(live):
    live.ping(gumroad_sale("PORTAL-1"))
    known = ask(live, "zoe@example.com")
    unknown = ask(live, "nobody@example.com")
    assert (known.status, known.headers["Content-Type"]) == (unknown.status, unknown.headers["Content-Type"])
    assert known.status == 200 and known.body == unknown.body
    assert b"Check your inbox" in known.body and b"support@example.com" in known.body


def test_mail_goes_only_to_the_address_on_record(mailing, postmark):
    mailing.ping(gumroad_sale("PORTAL-2"))
    mailing.ping(gumroad_sale("PORTAL-3", email="zoe@example.com"))
    mailing.ping(gumroad_sale("PORTAL-4", email="other@example.com"))
    mailing.ping(gumroad_sale("PORTAL-5"))
    mailing.ping(gumroad_sale("PORTAL-5", refunded="true"))  # revoked: never re-sent
    mailing.daemon.worker.run_once()
    postmark.accepted.clear()
    assert ask(mailing, "ZOE@Example.COM").status == 200
    assert mailing.daemon.portal.run_pending() == 1
    assert mailing.daemon.worker.run_once().sent == 2
    assert sorted(m["To"] for m in postmark.accepted) == ["Zoë Ångström-Müller <zoe@example.com>"] * 2
    assert {m["Metadata"]["lid"] for m in postmark.accepted} == {
        mailing.license_for("PORTAL-2")["lid"], mailing.license_for("PORTAL-3")["lid"]}
    assert all("(sent again)" in m["Subject"] for m in postmark.accepted)


def test_an_address_that_cannot_add_a_recipient_is_refused_with_the_form_again(live):
    answer = ask(live, "zoe@example.com, thief@example.net")
    assert answer.status == 400
    assert b"That is not an email address" in answer.body
    assert b'value="zoe@example.com, thief@example.net"' in answer.body
    assert live.daemon.portal.run_pending() == 0


def test_a_form_without_its_cookie_or_with_a_forged_token_is_refused(live):
    token, cookie, _ = form(live)
    cross_site = ask(live, "zoe@example.com", token=token, cookie="portal_nonce=someone-elses")
    forged = ask(live, "zoe@example.com", token="1795600000.00ff", cookie=cookie)
    assert [cross_site.status, forged.status] == [403, 403]
    assert b"This form has expired" in forged.body
    assert live.daemon.portal.run_pending() == 0


def test_the_limit_per_address_trips_for_every_address_alike(live):
    live.ping(gumroad_sale("PORTAL-6"))
    for email in ("zoe@example.com", "nobody@example.com"):
        statuses = [ask(live, email).status for _ in range(4)]  # 8 in all: under the client's 10
        assert statuses == [200, 200, 200, 429]
    assert live.daemon.portal.run_pending() == 6


def test_the_limit_per_client_trips(live):
    statuses = [ask(live, f"buyer{n}@example.com").status for n in range(11)]
    assert statuses == [200] * 10 + [429]
    assert b"Too many requests" in ask(live, "x@example.com").body


def test_a_suppressed_address_gets_the_same_answer_and_nothing_is_queued(live):
    live.ping(gumroad_sale("PORTAL-7"))
    with live.daemon.db.transaction() as tx:
        tx.exec("insert_suppression", email="zoe@example.com", bounce_type="HardBounce",
                message_id=None, detail=None, now=live.clock())
    assert ask(live, "zoe@example.com").body == ask(live, "nobody@example.com").body
    live.daemon.portal.run_pending()
    rows = live.admin("GET", "/internal/outbox?status=pending").json()["outbox"]
    assert [row["purpose"] for row in rows] == ["license"]  # the sale's own mail only


@pytest.mark.parametrize("lang, words", [("de", "Meine Lizenzen senden"),
                                         ("es", "Enviar mis licencias"),
                                         ("fr", "Envoyer mes licences")])
def test_each_language_comes_from_its_catalog(live, lang, words):
    _, _, answer = form(live, lang)
    assert f'<html lang="{lang}">'.encode() in answer.body and words.encode() in answer.body
    accepted = http("GET", live.url + "/portal", headers={"Accept-Language": f"{lang}-XX,en;q=0.5"})
    assert words.encode() in accepted.body
    assert f'<html lang="{lang}">'.encode() in ask(live, "a@example.com", lang=lang).body


def test_every_catalog_has_the_english_keys_and_placeholders():
    english = json.loads((CATALOGS / "en.json").read_text(encoding="utf-8"))
    for path in sorted(CATALOGS.glob("*.json")):
        other = json.loads(path.read_text(encoding="utf-8"))
        assert set(other) == set(english), path.name
        for key, text in english.items():
            assert set(re.findall(r"\{\w+\}", other[key])) == set(re.findall(r"\{\w+\}", text)), (
                path.name, key)


def test_the_form_works_in_chromium_with_javascript_off(live, browser):
    live.ping(gumroad_sale("PORTAL-8"))
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(live.url + "/portal")
        assert page.locator("h1").inner_text() == "Recevoir à nouveau votre licence DataTools"
        page.get_by_label("Adresse e-mail").fill("zoe@example.com")
        page.get_by_role("button", name="Envoyer mes licences").click()
        page.wait_for_load_state()
        assert page.locator("h2").inner_text() == "Consultez votre boîte de réception"
    finally:
        context.close()
    assert live.daemon.portal.run_pending() == 1


def test_a_support_address_that_is_not_one_address_stops_the_daemon_with_one_line():
    from licensed.errors import ConfigError
    from licensed.settings import load_settings

    with pytest.raises(ConfigError) as caught:
        load_settings("/dev/null", {"LICENSED_PORTAL_SUPPORT_EMAIL": "help@example.com, x@y.z"})
    assert caught.value.message == (
        "[portal] support_email must be one plain address, not 'help@example.com, x@y.z'")


def test_a_limit_window_starts_again_once_its_length_has_passed(live):
    from datetime import timedelta

    from licensed.portal import SharedLimits

    limit = SharedLimits(live.daemon.db, "test", 2, 60.0, key=b"k" * 32)
    now = live.clock()
    assert [limit.allow("a", now), limit.allow("a", now), limit.allow("a", now)] == [True, True, False]
    assert limit.allow("b", now) is True  # another key has its own window
    assert limit.allow("a", now + timedelta(seconds=60)) is True
