"""The license email: subject and text from the message catalog, laid out by templates/.

The blob is wrapped in short lines with no spaces, which mail clients neither reflow nor
break; the desktop's paste parser ignores the line breaks (and `> ` reply quoting).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from email.headerregistry import Address
from functools import lru_cache
from importlib.resources import files
from string import Template
from typing import Mapping

from licensed.records import License
from licensed.settings import Settings

# Package data (templates/, i18n/), found wherever the package is installed.
HERE = files("licensed")
BLOB_LINE = 60
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Message:
    """One email, ready for any transport."""

    sender: str
    to: Address  # one recipient, built by email.headerregistry (never by concatenation)
    subject: str
    text: str
    html: str
    tag: str
    metadata: Mapping[str, str] = field(default_factory=dict)


@lru_cache(maxsize=None)
def catalog(language: str = DEFAULT_LANGUAGE) -> Mapping[str, str]:
    """A flat JSON object of message keys → text with {placeholders} (licensed/i18n/<lang>.json)."""
    return json.loads((HERE / "i18n" / f"{language}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def template(name: str) -> Template:
    return Template((HERE / "templates" / name).read_text(encoding="utf-8"))


def wrap_blob(blob: str, width: int = BLOB_LINE) -> str:
    return "\n".join(blob[i:i + width] for i in range(0, len(blob), width))


def recipient(name: str, email: str) -> Address:
    """The buyer as one mail recipient. `email.headerregistry` quotes a name holding commas or
    brackets, so the name can never add a recipient; line breaks in it become spaces. Raises
    ValueError for an address that is not one addr-spec (the adapters refuse those earlier)."""
    cleaned = " ".join(name.split())
    # Without a name the storefront gave us the address as the name: send it bare.
    return Address(display_name="" if cleaned == email else cleaned, addr_spec=email)


# The catalog keys of each outbox purpose's subject and opening paragraph.
PURPOSE_KEYS = {
    "license": ("license_email.subject", "license_email.intro"),
    "resend": ("license_email.resend_subject", "license_email.intro"),
    "reissue": ("license_email.reissue_subject", "license_email.reissue_intro"),
    "renewal": ("license_email.renewal_subject", "license_email.renewal_intro"),
}


def license_message(lic: License, *, sender: str, purpose: str = "license",
                    language: str = DEFAULT_LANGUAGE, outbox_id: int | None = None,
                    portal_url: str = Settings.portal_url,
                    support_email: str = Settings.support_email) -> Message:
    """The email that delivers license `lic` to its buyer; `purpose` is the outbox row's
    (`license`, `resend`, `reissue` for a license signed again with a new key, `renewal` for
    its blob signed with a later updates window). Its "Lost this email?" part links to the
    portal (`[portal] url`, opened in the mail's language) and names `[portal] support_email`."""
    words = catalog(language)
    portal_link = f"{portal_url}?lang={language}"
    tier_label = words.get(f"tier.{lic.tier}", str(lic.tier).title())
    seats = int(lic.seats)
    seats_text = (words["license_email.seats_one"] if seats == 1
                  else words["license_email.seats_many"].format(seats=seats))
    updates_text = (words["license_email.updates_until"].format(updates_until=lic.updates_until)
                    if lic.updates_until else words["license_email.updates_lifetime"])
    subject_key, intro_key = PURPOSE_KEYS[purpose]
    if lic.expires and lic.updates_until:
        # A tier sold as an expiring subscription: the mail says when it stops, and that the
        # old license does not keep working (docs/LICENSE-SERVER.md, "Subscriptions").
        updates_text = words["license_email.updates_term"].format(
            updates_until=lic.updates_until, expires=lic.expires)
        if purpose == "renewal":
            intro_key = "license_email.renewal_intro_term"
    parts = {
        "subject": words[subject_key].format(tier_label=tier_label),
        "greeting": words["license_email.greeting"].format(name=lic.name),
        "intro": words[intro_key].format(
            tier_label=tier_label, seats_text=seats_text, updates_text=updates_text),
        "license_id": words["license_email.license_id"].format(lid=lic.lid),
        "block_heading": words["license_email.block_heading"],
        "blob_block": wrap_blob(lic.blob),
        "activate_heading": words["license_email.activate_heading"],
        "activate_steps": words["license_email.activate_steps"],
        "resend_heading": words["license_email.resend_heading"],
        "resend_text": words["license_email.resend_text"].format(
            email=lic.email, portal_url=portal_link, support=support_email),
        "signoff": words["license_email.signoff"],
        "lang": language,
    }
    text = template("license_email.txt").substitute(parts)
    escaped = {key: html.escape(value) for key, value in parts.items()}
    link = html.escape(portal_link)
    escaped["resend_text"] = escaped["resend_text"].replace(link, f'<a href="{link}">{link}</a>', 1)
    page = template("license_email.html").substitute(escaped)
    metadata = {"lid": str(lic.lid)}
    if outbox_id is not None:
        metadata["outbox_id"] = str(outbox_id)
    return Message(sender=sender, to=recipient(lic.name, lic.email),
                   subject=parts["subject"], text=text, html=page, tag="license",
                   metadata=metadata)
