"""POST /internal/import: licenses dtmint minted offline, one issued.jsonl line per delivery.

Each line goes through the one event path (licensed/webhooks.py → fulfilment.apply_event) as a
delivery from source `offline`, so each gets its audit row and its own transaction: a bad line
is reported by number (and audited as `invalid`) while the others are stored. Importing a file
again stores nothing new; a stored blob is never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from licensed.db import Database
from licensed.errors import BadRequest
from licensed.fulfilment import Delivery
from licensed.logs import request_id_var
from licensed.minting import Signer
from licensed.operations import record_action
from licensed.products import Catalog
from licensed.records import License
from licensed.sources import SourceAdapter
from licensed.webhooks import process_delivery

CONTENT_TYPE = "application/x-ndjson"


@dataclass(frozen=True)
class RejectedLine:
    line: int
    code: str
    message: str


@dataclass
class ImportReport:
    imported: list[License] = field(default_factory=list)
    existing: list[License] = field(default_factory=list)  # already stored, same blob
    rejected: list[RejectedLine] = field(default_factory=list)

    def answer(self) -> str:
        return (f"200 imported {len(self.imported)}, had {len(self.existing)}, "
                f"rejected {len(self.rejected)}")


def numbered_lines(body: bytes, first_line: int) -> list[tuple[int, bytes]]:
    """(line number, line) for each non-blank line; `first_line` numbers the body's first."""
    return [(number, line.rstrip(b"\r"))
            for number, line in enumerate(body.split(b"\n"), start=first_line)
            if line.strip()]


def import_issued(db: Database, adapter: SourceAdapter, catalog: Catalog, signer: Signer,
                  body: bytes, first_line: int, now: datetime, *, actor: str,
                  remote_addr: str | None = None) -> ImportReport:
    """Store every valid record of `body` (JSON lines from dtmint); report the others.

    Raises StorageError when the database fails (lines before it stay imported, which is
    safe: importing again skips them).
    """
    report = ImportReport()
    for number, line in numbered_lines(body, first_line):
        delivery = Delivery(
            source=adapter.name, body=line, content_type=CONTENT_TYPE,
            headers={"Content-Type": CONTENT_TYPE}, remote_addr=remote_addr,
            request_id=request_id_var.get(), received_at=now,
        )
        try:
            result = process_delivery(db, adapter, catalog, signer, delivery, now)
        except BadRequest as exc:
            report.rejected.append(RejectedLine(number, exc.code, exc.message))
            continue
        assert result.license is not None or result.outcome != "imported"
        if result.outcome == "imported":
            report.imported.append(result.license)  # type: ignore[arg-type]
        elif result.outcome == "duplicate":
            report.existing.append(result.license)  # type: ignore[arg-type]
        else:
            report.rejected.append(RejectedLine(number, result.outcome,
                                                f"the license id is already stored with another "
                                                f"blob (event {result.event_id})"))
    with db.transaction() as tx:
        # Which licenses: the audit log has one row per line; here, what to look at again.
        record_action(tx, "import", now, actor=actor, answer=report.answer(), detail={
            "first_line": first_line,
            "rejected_lines": [rejected.line for rejected in report.rejected],
        })
    return report
