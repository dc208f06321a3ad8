"""`dtadmin signatures --log FILE`: the signer's chain against the licenses table.

Every license the daemon stores was signed by the signer, so each stored blob's payload digest
is in the chain; every signature in the chain belongs to a stored license (its current blob, or
an earlier one a renewal or reissue replaced). A license the signer never signed, or a
signature with no license, is what someone with the web process's powers would leave behind
(or, after a database restore, the sales made since the backup). Licenses minted offline by
dtmint (source `offline`) are listed apart: the signer never saw them.

A signature without a license that the operator has explained (after a restore, the sale was
minted again under a new license ID) is named in a file of explanations (`--explained FILE`,
`read_explained`): one line per signature, `SEQ LID why`. It is then counted apart, not as a
problem; a line must name the chain entry's sequence number and license ID both, so an
explanation never covers a different signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from dtadmin.tables import shown
from licensed.signer.chain import payload_digest, read_entries, verify_log


@dataclass
class SignatureReport:
    chain_problems: list[str]
    unsigned: list[dict[str, Any]] = field(default_factory=list)      # licenses, not offline
    offline: list[dict[str, Any]] = field(default_factory=list)       # dtmint's, expected
    orphans: list[dict[str, Any]] = field(default_factory=list)       # chain entries
    superseded: int = 0
    matched: int = 0
    explained: list[dict[str, Any]] = field(default_factory=list)     # orphans the operator explained
    unused_explanations: list[str] = field(default_factory=list)      # lines naming no orphan

    @property
    def problems(self) -> int:
        return len(self.chain_problems) + len(self.unsigned) + len(self.orphans)

    def as_json(self) -> dict[str, Any]:
        return {"chain_problems": self.chain_problems, "matched": self.matched,
                "superseded": self.superseded, "offline": self.offline,
                "unsigned_licenses": self.unsigned, "signatures_without_license": self.orphans,
                "explained_signatures": self.explained,
                "unused_explanations": self.unused_explanations}


class ExplanationsError(ValueError):
    """A line of the explanations file is not `SEQ LID why` (the message names the line)."""


def read_explained(path: Path) -> dict[tuple[int, str], tuple[int, str]]:
    """The operator's explanations: {(seq, lid): (line number, why)} from a UTF-8 text file of
    `SEQ LID why` lines (blank lines and `#` comments skipped). OSError when it cannot be read,
    ExplanationsError on a line without a whole-number SEQ, an `L-` license ID and a reason."""
    explained: dict[tuple[int, str], tuple[int, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or not parts[0].isdigit() or not parts[1].startswith("L-"):
            raise ExplanationsError(f"{path} line {number}: expected `SEQ LID why`, e.g. "
                                    f"`17 L-ABCDEFGHIJKLMNOP restored from the 3 May backup; "
                                    f"sale minted again as L-…`")
        explained[(int(parts[0]), parts[1])] = (number, parts[2].strip())
    return explained


def compare(log: Path, licenses: Iterable[dict[str, Any]],
            explained: dict[tuple[int, str], tuple[int, str]] | None = None) -> SignatureReport:
    """Compare the chain at `log` with `licenses` (the /internal JSON records); a signature
    without a license whose (seq, lid) is in `explained` (read_explained) is counted apart.
    OSError when the log cannot be read."""
    explained = explained or {}
    used: set[tuple[int, str]] = set()
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
            orphan = {"seq": entry.get("seq"), "time": entry.get("time"),
                      "lid": entry.get("lid"), "kid": entry.get("kid")}
            key = (orphan["seq"], orphan["lid"])
            if key in explained:
                used.add(key)
                report.explained.append({**orphan, "why": explained[key][1]})
            else:
                report.orphans.append(orphan)
        elif entry.get("payload_sha256") not in current:
            report.superseded += 1
    report.unused_explanations = [
        f"line {number}: seq {seq} for {lid} is not a signature without a license"
        for (seq, lid), (number, _) in sorted(explained.items(), key=lambda item: item[1][0])
        if (seq, lid) not in used]
    return report


def render(report: SignatureReport) -> str:
    lines = [f"chain: {problem}" for problem in report.chain_problems]
    lines += [f"license {lic['id']} ({lic['lid']}, {lic['source']} order {lic['order_id']}) "
              f"was never signed by the signer" for lic in report.unsigned]
    lines += [f"signature seq {entry['seq']} ({entry['time']}) for {entry['lid']} has no "
              f"license" for entry in report.orphans]
    lines += [f"note: explanations {line}" for line in report.unused_explanations]
    explained = (f", {len(report.explained)} signature(s) without a license explained"
                 if report.explained else "")
    lines.append(f"{report.matched} license(s) match the chain, {report.superseded} earlier "
                 f"signature(s) replaced by a renewal or reissue, {len(report.offline)} minted "
                 f"offline{explained}; {report.problems} problem(s)")
    # Order ids come from storefronts and lines from files: shown with their controls escaped.
    return "".join(shown(line) + "\n" for line in lines)
