"""`dtadmin signatures --log FILE`: the signer's chain against the licenses table.

Every license the daemon stores was signed by the signer, so each stored blob's payload digest
is in the chain; every signature in the chain belongs to a stored license (its current blob, or
an earlier one a renewal or reissue replaced). A license the signer never signed, or a
signature with no license, is what someone with the web process's powers would leave behind
(or, after a database restore, the sales made since the backup). Licenses minted offline by
dtmint (source `offline`) are listed apart: the signer never saw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from licensed.signer.chain import payload_digest, read_entries, verify_log


@dataclass
class SignatureReport:
    chain_problems: list[str]
    unsigned: list[dict[str, Any]] = field(default_factory=list)      # licenses, not offline
    offline: list[dict[str, Any]] = field(default_factory=list)       # dtmint's, expected
    orphans: list[dict[str, Any]] = field(default_factory=list)       # chain entries
    superseded: int = 0
    matched: int = 0

    @property
    def problems(self) -> int:
        return len(self.chain_problems) + len(self.unsigned) + len(self.orphans)

    def as_json(self) -> dict[str, Any]:
        return {"chain_problems": self.chain_problems, "matched": self.matched,
                "superseded": self.superseded, "offline": self.offline,
                "unsigned_licenses": self.unsigned, "signatures_without_license": self.orphans}


def compare(log: Path, licenses: Iterable[dict[str, Any]]) -> SignatureReport:
    """Compare the chain at `log` with `licenses` (the /internal JSON records); OSError when
    the log cannot be read."""
    report = SignatureReport(chain_problems=verify_log(log).problems)
    entries = [entry for _, entry in read_entries(log)
               if entry is not None and entry.get("kind") == "license"]
    by_digest = {entry.get("payload_sha256"): entry for entry in entries}
    stored_lids = set()
    for lic in licenses:
        stored_lids.add(lic["lid"])
        shown = {"id": lic["id"], "lid": lic["lid"], "kid": lic.get("kid"),
                 "source": lic["source"], "order_id": lic.get("order_id")}
        if payload_digest(lic["blob"]) in by_digest:
            report.matched += 1
        elif lic["source"] == "offline":
            report.offline.append(shown)
        else:
            report.unsigned.append(shown)
    current = {payload_digest(lic["blob"]) for lic in licenses}
    for entry in entries:
        if entry.get("lid") not in stored_lids:
            report.orphans.append({"seq": entry.get("seq"), "time": entry.get("time"),
                                   "lid": entry.get("lid"), "kid": entry.get("kid")})
        elif entry.get("payload_sha256") not in current:
            report.superseded += 1
    return report


def render(report: SignatureReport) -> str:
    lines = [f"chain: {problem}" for problem in report.chain_problems]
    lines += [f"license {lic['id']} ({lic['lid']}, {lic['source']} order {lic['order_id']}) "
              f"was never signed by the signer" for lic in report.unsigned]
    lines += [f"signature seq {entry['seq']} ({entry['time']}) for {entry['lid']} has no "
              f"license" for entry in report.orphans]
    lines.append(f"{report.matched} license(s) match the chain, {report.superseded} earlier "
                 f"signature(s) replaced by a renewal or reissue, {len(report.offline)} minted "
                 f"offline; {report.problems} problem(s)")
    return "\n".join(lines) + "\n"
