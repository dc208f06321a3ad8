"""Postmark's bounce webhook: a Bounce record (JSON) → BounceEvent.

Wire facts (Postmark's bounce webhook, ActiveCampaign/postmark.js `models/bounces/Bounce.ts`):
`{"RecordType": "Bounce", "ID", "Type": "HardBounce", "TypeCode", "MessageID", "Email",
"BouncedAt", "Inactive", "CanActivate", "Description", "Details", "Tag", "Metadata", …}`.
`Inactive` true means Postmark has deactivated the address and will refuse to send to it
(ErrorCode 406) until someone reactivates it.
"""

from __future__ import annotations

from datetime import date

from licensed.errors import BadRequest
from licensed.events import BounceEvent, Event, IgnoredEvent
from licensed.products import Catalog
from licensed.sources.jsonbody import json_object, member, text


class PostmarkBounceAdapter:
    name = "postmark"

    def parse(self, body: bytes, content_type: str, catalog: Catalog, today: date) -> Event:
        data = json_object(body)
        record = text(data, "RecordType", required=False)
        if record != "Bounce":
            return IgnoredEvent(self.name, None, "ignored_event",
                                f"Postmark record {record!r} is recorded, not acted on")
        message_id = text(data, "MessageID")
        email = text(data, "Email")
        assert message_id is not None and email is not None
        inactive = member(data, "Inactive")
        if not isinstance(inactive, bool):
            raise BadRequest("Inactive must be true or false", code="invalid_payload")
        description = text(data, "Description", required=False) or ""
        return BounceEvent(
            source=self.name, message_id=message_id, email=email,
            bounce_type=text(data, "Type", required=False) or "Unknown", inactive=inactive,
            detail=description[:300],
        )
