"""GET/POST /portal: the buyer's re-delivery form, plain server-rendered HTML without JavaScript."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import lru_cache
from string import Template
from urllib.parse import parse_qsl, quote

import bottle

from licensed.message import HERE, catalog
from licensed.portal import (ADDRESS_LIMIT, CLIENT_LIMIT, LANGUAGES, CsrfGuard, SharedLimits,
                             portal_key)
from licensed.routes import read_body
from licensed.sources import valid_email

COOKIE = "portal_nonce"
MAX_FORM = 4096


@lru_cache(maxsize=None)
def page_template() -> Template:
    return Template((HERE / "templates" / "portal.html").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def page_headers() -> dict[str, str]:
    """The headers of every portal page: nothing from elsewhere, no framing, no script at all,
    and no style but the page's own <style> block, allowed by its SHA-256 (CSP level 2), so an
    injected <style> or style attribute is refused. This is the page's only Content-Security-
    Policy: the nginx site adds its own only to answers that carry none (DECISIONS 443)."""
    style = re.search(r"<style>(.*?)</style>", page_template().template, re.S)
    if style is None:
        raise RuntimeError("licensed/templates/portal.html has no <style> block")
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode("utf-8")).digest()).decode()
    return {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": f"default-src 'none'; style-src 'sha256-{digest}'; "
                                   "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def chosen_language(explicit: str | None) -> str:
    """`?lang=` / the form's `lang` when it is one we have, else the best Accept-Language."""
    if explicit in LANGUAGES:
        return explicit
    for part in bottle.request.get_header("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def client_address() -> str:
    """The buyer's address. Behind nginx this is the client's own: waitress takes it from
    nginx's X-Forwarded-For, believed from 127.0.0.1 only (SETUP-LICENSE-SERVER.md, nginx)."""
    return bottle.request.environ.get("REMOTE_ADDR") or ""


def render(lang: str, content: str, status: int = 200) -> bottle.HTTPResponse:
    words = catalog(lang)
    links = " ".join(f'<a href="/portal?lang={code}" hreflang="{code}" lang="{code}">'
                     f'{code.upper()}</a>' for code in LANGUAGES)
    body = page_template().substitute(
        lang=lang, title=html.escape(words["portal.title"]), content=content,
        language=html.escape(words["portal.language"]), languages=links)
    return bottle.HTTPResponse(body=body.encode("utf-8"), status=status, headers=dict(page_headers()))


def form_html(lang: str, token: str, problem: str | None = None, email: str = "") -> str:
    words = catalog(lang)
    note = f'<p class="problem" role="alert">{html.escape(problem)}</p>' if problem else ""
    return (f'<p>{html.escape(words["portal.intro"])}</p>{note}'
            f'<form method="post" action="/portal">'
            f'<input type="hidden" name="csrf" value="{html.escape(token)}">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<label for="email">{html.escape(words["portal.email_label"])}</label>'
            f'<input type="email" id="email" name="email" required autocomplete="email" '
            f'maxlength="254" value="{html.escape(email)}">'
            f'<button type="submit">{html.escape(words["portal.submit"])}</button></form>')


def sent_html(lang: str, support: str) -> str:
    """The one answer to every accepted request: it names neither the address nor a result."""
    words = catalog(lang)
    link = f'<a href="mailto:{quote(support, safe="@")}">{html.escape(support)}</a>'
    return (f'<h2>{html.escape(words["portal.sent_title"])}</h2>'
            f'<p>{html.escape(words["portal.sent"])}</p>'
            f'<p>{html.escape(words["portal.support"]).format(support=link)}</p>'
            f'<p><a href="/portal?lang={lang}">{html.escape(words["portal.again"])}</a></p>')


def register(app: bottle.Bottle, daemon) -> None:
    key = portal_key(daemon.db, daemon.clock())
    csrf = CsrfGuard(key)
    per_address = SharedLimits(daemon.db, "portal-address", *ADDRESS_LIMIT, key=key)
    per_client = SharedLimits(daemon.db, "portal-client", *CLIENT_LIMIT, key=key)

    def fresh_form(lang: str, problem: str | None = None, status: int = 200,
                   email: str = "") -> bottle.HTTPResponse:
        nonce = csrf.new_nonce()
        answer = render(lang, form_html(lang, csrf.token(nonce, int(daemon.clock().timestamp())),
                                        problem, email), status)
        answer.set_cookie(COOKIE, nonce, path="/portal", httponly=True, samesite="strict",
                          max_age=7200, secure=bottle.request.urlparts.scheme == "https"
                          or bottle.request.get_header("X-Forwarded-Proto") == "https")
        return answer

    @app.get("/portal")
    def portal_form():
        return fresh_form(chosen_language(bottle.request.query.get("lang")))

    @app.post("/portal")
    def portal_request():
        try:
            # UTF-8 by hand: Bottle's request.forms would hand out latin-1 text.
            fields = dict(parse_qsl(read_body(MAX_FORM).decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            fields = {}
        lang = chosen_language(fields.get("lang"))
        words = catalog(lang)
        if not csrf.valid(bottle.request.get_cookie(COOKIE), fields.get("csrf"),
                          int(daemon.clock().timestamp())):
            return fresh_form(lang, words["portal.expired"], 403)
        email = fields.get("email", "").strip()
        if not valid_email(email):
            return fresh_form(lang, words["portal.invalid_email"], 400, email)
        # Both limits are counted for every address alike, so tripping one says nothing
        # about whether the address has licenses.
        now = daemon.clock()
        if not per_client.allow(client_address(), now) or not per_address.allow(email.lower(), now):
            return render(lang, f'<p class="problem" role="alert">'
                                f'{html.escape(words["portal.too_many"])}</p>', 429)
        daemon.portal.submit(email, lang)
        return render(lang, sent_html(lang, daemon.settings.support_email))
