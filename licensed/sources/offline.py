"""Licenses minted offline by dtmint: one issued.jsonl line → an ImportEvent, signature checked.

`POST /internal/import` hands each line here as its own delivery, so every imported license
has its audit row and a line that is not a valid record is reported (and audited) alone.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Callable

from datatools import license as codec
from licensed.errors import BadRequest
from licensed.events import LICENSE_PRODUCT, ImportEvent
from licensed.products import Catalog

# Fields a record repeats from its blob for people reading the file; each must agree with the
# signed payload, so an edited line is refused instead of storing what the blob does not say.
_REPEATED = ("lid", "kid", "product", "tier", "seats", "name", "email", "issued",
             "updates_until", "expires")


def _refuse(code: str, message: str) -> BadRequest:
    return BadRequest(message, code=code)


class OfflineAdapter:
    """Parses dtmint records; `keyring()` gives the keyring (deny list included) their
    signatures are checked against, as it is at that moment."""

    name = "offline"

    def __init__(self, keyring: Callable[[], codec.Keyring]):
        self.keyring = keyring

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> ImportEvent:
        """One record → ImportEvent; raises BadRequest (code says why) for anything else."""
        try:
            record = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _refuse("invalid_json", "the line is not a JSON record") from None
        if not isinstance(record, dict) or not isinstance(record.get("blob"), str):
            raise _refuse("invalid_record", "the line is not a dtmint record (no blob)")
        blob = record["blob"]
        if codec.normalize_paste(blob) != blob:
            raise _refuse("invalid_record", "the blob has spaces or quotes around or inside it")
        try:
            signed = codec.verify_signature(blob, self.keyring())
        except codec.LicenseError as exc:
            raise _refuse(exc.code, f"the blob does not verify with the server's keyring: "
                                    f"{exc.message}") from None
        payload = signed.to_payload()
        for field in _REPEATED:
            if field in record and record[field] != payload[field]:
                raise _refuse("field_mismatch", f"{field} in the record is not what the "
                                                f"signed blob says")
        if signed.product != LICENSE_PRODUCT:
            raise _refuse("wrong_product", f"the license is for {signed.product!r}, not "
                                           f"{LICENSE_PRODUCT!r}")
        product = catalog.for_tier(signed.tier)
        if product is None:
            raise _refuse("unknown_tier", f"tier {signed.tier!r} is not in products.toml")
        return ImportEvent(
            source=self.name, order_id=signed.lid, lid=signed.lid, kid=signed.kid, blob=blob,
            product=signed.product, product_key=product.key, tier=signed.tier,
            seats=signed.seats, name=signed.name, email=signed.email, issued=signed.issued,
            updates_until=signed.updates_until, expires=signed.expires,
            note=_note(record.get("note")), minted_at=_minted_at(record.get("minted_at")),
        )


def _note(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse("invalid_record", "note must be text")
    return value.strip() or None


def _minted_at(value: object) -> datetime:
    """When dtmint signed it (the license's created_at), an ISO 8601 time with its offset."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _refuse("invalid_record", "minted_at must be an ISO 8601 time with an offset")
    return moment
