"""The signer's hash-chained, append-only log of every signature it gave.

One JSON line per signature: `seq`, `time` (UTC, ISO 8601), `kind` (`license` or
`revocations`), `lid` (null for a revocation list), `kid`, `payload_sha256` (hex SHA-256 of the
signed payload's base64url text, the part between `DTLIC2:` and the dot), `prev` (the previous
entry's `hash`; 64 zeros for the first) and `hash` = SHA-256 of the entry's canonical JSON
without `hash`. Editing an entry breaks its hash; removing or inserting one breaks the next
entry's `prev`; removing entries from the end is caught by the head file (`<log>.head`: the
last seq and hash, rewritten in place after each append).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator


GENESIS = "0" * 64
_HEAD_WIDTH = 20  # digits of seq in the head file; then a space, 64 hex digits, a newline


def canonical_json(obj: dict[str, Any]) -> str:
    """The license codec's canonical JSON (sorted keys, no spaces), kept here so dtadmin can
    check a chain with the standard library alone."""
    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def payload_digest(blob: str) -> str:
    """Hex SHA-256 of a signed blob's payload text (between the `:` and the `.`)."""
    payload = blob.split(":", 1)[1].split(".", 1)[0]
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    time: str
    kind: str
    lid: str | None
    kid: str
    payload_sha256: str
    prev: str
    hash: str


class ChainError(Exception):
    """The log cannot be appended to (its last entry or head is damaged); says which."""


def _last_line(path: Path) -> bytes | None:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        end = handle.tell()
        if end == 0:
            return None
        start = max(0, end - 4096)
        handle.seek(start)
        tail = handle.read()
    lines = tail.rstrip(b"\n").split(b"\n")
    return lines[-1]


class SignatureLog:
    """Appends entries under a lock; `append` returns only once its entry is on the disk
    (fdatasync), so no signature is handed out whose entry a crash could lose.

    Group commit: the entries of concurrent appends share one fdatasync. An append writes its
    line under the lock, then waits until an fdatasync that began after that write has
    finished; if none is running it runs one itself, covering every line written so far.
    One fdatasync costs milliseconds on a disk (bench/server/signer_log.py measures it: 5–7 ms
    on the development machine), so one per entry capped the signer below two hundred
    signatures a second; shared, N waiting entries pay for one. After a failed fdatasync the log refuses every append (ChainError) until the
    signer restarts: which lines reached the disk is unknown then (PostgreSQL's fsync rule,
    postgresql.org/docs/current/runtime-config-error-handling.html, data_sync_retry).
    """

    def __init__(self, path: Path):
        self.path = path
        self.head_path = Path(str(path) + ".head")
        self._lock = threading.Lock()
        # Guards the durable mark below; `_syncing` is true while one thread runs fdatasync.
        self._synced = threading.Condition(threading.Lock())
        self._syncing = False
        self._failed: str | None = None
        self.syncs = 0  # fdatasync calls made (the status answer shows it beside seq)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._head_fd = os.open(self.head_path, os.O_RDWR | os.O_CREAT, 0o640)
        self.seq, self.last_hash = self._resume()
        self._durable = self.seq  # every entry up to this seq has been through fdatasync

    def _resume(self) -> tuple[int, str]:
        line = _last_line(self.path)
        if line is None:
            return 0, GENESIS
        try:
            entry = json.loads(line)
            seq, digest = int(entry["seq"]), str(entry["hash"])
        except (ValueError, KeyError, TypeError):
            raise ChainError(f"the last line of {self.path} is not a log entry; run "
                             "`licensed signer verify-log` and see the runbook") from None
        if entry_hash(entry) != digest:
            raise ChainError(f"the last entry of {self.path} (seq {seq}) was edited; run "
                             "`licensed signer verify-log` and see the runbook")
        return seq, digest

    def append(self, *, kind: str, lid: str | None, kid: str, blob: str, now: datetime) -> Entry:
        """Write the entry for one signature and return once it is durable. Raises ChainError
        after a failed write or fdatasync (nothing may be handed out then)."""
        with self._lock:
            if self._failed is not None:
                raise ChainError(self._failed)
            entry: dict[str, Any] = {
                "seq": self.seq + 1, "time": now.isoformat(timespec="microseconds"),
                "kind": kind, "lid": lid, "kid": kid, "payload_sha256": payload_digest(blob),
                "prev": self.last_hash,
            }
            entry["hash"] = entry_hash(entry)
            try:
                os.write(self._fd, (canonical_json(entry) + "\n").encode("utf-8"))
            except OSError as exc:
                self._failed = f"cannot append to {self.path}: {exc.strerror}"
                raise ChainError(self._failed) from None
            self.seq, self.last_hash = entry["seq"], entry["hash"]
        self._wait_durable(entry["seq"])
        return Entry(**entry)

    def _wait_durable(self, seq: int) -> None:
        """Block until entry `seq` has been through an fdatasync that began after it was
        written: wait for the one running (it may cover `seq`), else run the next one."""
        while True:
            with self._synced:
                while self._syncing and self._durable < seq and self._failed is None:
                    self._synced.wait()
                if self._failed is not None:
                    raise ChainError(self._failed)
                if self._durable >= seq:
                    return
                self._syncing = True
            durable, failed = 0, None
            try:
                with self._lock:  # every line up to here is written; the sync covers them
                    target, target_hash = self.seq, self.last_hash
                os.fdatasync(self._fd)
                # The head (seq and hash of the last durable entry) is rewritten after the
                # entries it names are on the disk, so it never names an entry a crash lost.
                os.pwrite(self._head_fd, f"{target:0{_HEAD_WIDTH}d} {target_hash}\n"
                          .encode("ascii"), 0)
                durable = target
            except OSError as exc:
                failed = f"cannot make {self.path} durable: {exc.strerror}"
            with self._synced:
                self._syncing = False
                self.syncs += 1
                self._durable = max(self._durable, durable)
                if failed is not None:
                    self._failed = failed
                self._synced.notify_all()

    def close(self) -> None:
        os.close(self._fd)
        os.close(self._head_fd)


def read_entries(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line number, entry or None when the line is not a JSON object) for each line."""
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            yield number, entry if isinstance(entry, dict) else None


@dataclass(frozen=True)
class LogReport:
    entries: int
    problems: list[str]
    last_hash: str


def verify_log(path: Path) -> LogReport:
    """Check every entry's hash, the chain of `prev`, the sequence and the head file.

    Returns a LogReport whose `problems` is empty for an intact log; each problem names the
    line. Raises OSError when the log cannot be read.
    """
    problems: list[str] = []
    prev, expected_seq, count = GENESIS, 1, 0
    for number, entry in read_entries(path):
        count += 1
        if entry is None:
            problems.append(f"line {number}: not a log entry")
            continue
        if entry.get("hash") != entry_hash(entry):
            problems.append(f"line {number} (seq {entry.get('seq')}): edited (its hash does not "
                            "match its content)")
        if entry.get("prev") != prev:
            problems.append(f"line {number} (seq {entry.get('seq')}): the previous entry is "
                            "missing or was changed (prev does not match)")
        if entry.get("seq") != expected_seq:
            problems.append(f"line {number}: seq {entry.get('seq')} where {expected_seq} was "
                            "expected (an entry was removed or inserted)")
        prev = str(entry.get("hash"))
        expected_seq = (entry["seq"] if isinstance(entry.get("seq"), int) else expected_seq) + 1
    head = Path(str(path) + ".head")
    if head.exists():
        text = head.read_text(encoding="ascii", errors="replace").split()
        if len(text) == 2 and text[0].isdigit():
            head_seq, head_hash = int(text[0]), text[1]
            if head_seq > expected_seq - 1:
                problems.append(f"the head file names seq {head_seq} but the log ends at seq "
                                f"{expected_seq - 1}: entries were removed from the end")
            elif head_seq == expected_seq - 1 and head_hash != prev:
                problems.append("the head file's hash is not the last entry's hash: the last "
                                "entry was replaced")
        elif text:
            problems.append(f"{head} is not a head file")
    return LogReport(entries=count, problems=problems, last_hash=prev)
