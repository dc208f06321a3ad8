"""The portal as `licensed serve` runs it, on one process and on two: a request in each
language ends with a mail in that language in the spool, forms issued by one process are
accepted by the other, and the limits hold across both (issue 25, items 4 and 5)."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from tests.daemon.harness import http
from tests.daemon.served import serve

WORDS = {"en": "(sent again)", "de": "(erneut gesendet)", "es": "(enviada de nuevo)",
         "fr": "(renvoyée)"}


def ask(url: str, address: str, lang: str) -> int:
    """GET the form and POST it, as a browser does: two connections, so with two processes
    the form and its answer often come from different ones."""
    answer = http("GET", f"{url}/portal?lang={lang}")
    token = re.search(r'name="csrf" value="([^"]+)"', answer.body.decode()).group(1)
    cookie = answer.headers["Set-Cookie"].split(";", 1)[0]
    body = urllib.parse.urlencode({"csrf": token, "lang": lang, "email": address}).encode()
    return http("POST", f"{url}/portal", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}).status


@pytest.mark.parametrize("database_url, processes", [("sqlite", 1), ("postgres", 1),
                                                      ("postgres", 2)],
                         indirect=["database_url"])
def test_portal_requests_are_mailed_in_their_language_and_limited_across_processes(
        tmp_path, database_url, processes):
    served = serve(tmp_path, database_url, processes=processes)
    try:
        for lang in WORDS:
            minted = served.admin("POST", "/internal/mint", {
                "name": f"Buyer {lang}", "email": f"buyer-{lang}@example.com", "tier": "pro"})
            assert minted.status == 201, minted.body
        served.wait_for_mails(4)  # the four licenses' own mails
        statuses = [ask(served.url, f"buyer-{lang}@example.com", lang) for lang in WORDS]
        assert statuses == [200] * 4
        mails = served.wait_for_mails(8)
        resent = {m["To"].addresses[0].addr_spec: m["Subject"] for m in mails
                  if m["Subject"].endswith(tuple(WORDS.values()))}
        assert {address: subject.endswith(WORDS[address[6:8]])
                for address, subject in resent.items()} == {
            f"buyer-{lang}@example.com": True for lang in WORDS}
        # The same address twice more (its limit is 3 an hour), then a fourth time: refused.
        assert [ask(served.url, "buyer-en@example.com", "en") for _ in range(3)] == [200, 200, 429]
        # The client has asked 7 times; its limit is 10 in ten minutes, whichever process asks.
        others = [ask(served.url, f"nobody{n}@example.com", "en") for n in range(6)]
        assert others == [200, 200, 200, 429, 429, 429]
        assert len(served.wait_for_mails(10)) == 10  # buyer-en's two more; no one else's
    finally:
        log = served.stop()
    assert served.process.returncode == 0, log[-3000:]
    assert "nobody" not in log and "buyer-" not in log
