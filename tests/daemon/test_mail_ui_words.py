"""The license mail's words about the desktop app are true: every button, box and heading it
quotes is a label of the desktop's UI catalog in the same language (issue 25, item 6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from licensed.message import license_message
from licensed.records import License

ROOT = Path(__file__).resolve().parents[2]
# Each language's quotation marks, as its catalog writes them.
QUOTES = {"en": ("“", "”"), "de": ("„", "“"), "es": ("«", "»"), "fr": ("« ", " »")}


def desktop_labels(lang: str) -> list[re.Pattern[str]]:
    """The desktop catalog's texts as patterns: a `{placeholder}` may be shown as `…`."""
    catalog = json.loads((ROOT / "datatools" / "i18n" / f"{lang}.json").read_text("utf-8"))
    return [re.compile(re.sub(r"\\\{\w+\\\}", "(?:.+|…)", re.escape(text)) + r"\Z")
            for text in catalog.values() if isinstance(text, str)]


def quoted(lang: str, text: str) -> list[str]:
    opening, closing = QUOTES[lang]
    return re.findall(re.escape(opening) + r"(.+?)" + re.escape(closing), text)


def mail_text(lang: str) -> str:
    lic = License(id=1, lid="L-AAAAAAAAAAAAAAAA", source="gumroad", order_id="1", name="Ana",
                  email="ana@example.com", product="datatools", product_key="datatools-pro",
                  tier="pro", seats=1, issued="2026-01-01", updates_until="2027-01-01",
                  expires=None, kid="k", blob="DTLIC2:x.y", offer_code=None, amount_minor=0,
                  currency="USD", test=False, note=None, status="active", revoked_at=None,
                  revoke_reason=None, created_at="2026-01-01T00:00:00+00:00")
    return license_message(lic, sender="DataTools <licenses@example.com>", language=lang).text


@pytest.mark.parametrize("lang", sorted(QUOTES))
def test_every_place_the_mail_names_is_a_label_of_the_desktop_app(lang):
    names = quoted(lang, mail_text(lang))
    catalog = json.loads((ROOT / "datatools" / "i18n" / f"{lang}.json").read_text("utf-8"))
    # The mail names the button that opens activation, the box and the button that activates.
    assert {catalog["nav.license"], catalog["license.paste"], catalog["license.activate"]} <= set(names)
    labels = desktop_labels(lang)
    assert [name for name in names if not any(label.match(name) for label in labels)] == []


def test_a_name_the_app_does_not_show_is_caught():
    assert not any(label.match("Help") for label in desktop_labels("en"))
    assert quoted("en", "choose “Activate” in the “Help” menu") == ["Activate", "Help"]
