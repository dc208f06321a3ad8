"""The signer's log alone: what one fdatasync per entry costs, and what group commit gives.

Rows, on a fresh file in BENCH_DIR (default: the system's temporary folder; put it on the disk
that will hold /var/lib/datatools-license-signer): (1) the baseline, one 300-byte line written
and fdatasync'ed at a time, as the signer's log did before group commit (and as one client
still gets); (2) licensed.signer.chain.SignatureLog.append from one thread; (3) the same from
8 threads, the daemon's waitress threads asking at once. Prints milliseconds per entry,
entries per second and fdatasync calls per entry. BENCH_SECONDS (default 3) per row.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.server.load import in_threads  # noqa: E402
from licensed.signer.chain import SignatureLog  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
BLOB = "DTLIC2:" + "A" * 300 + "." + "B" * 86


def one_sync_per_line(path: Path) -> tuple[int, float, int]:
    """(entries, seconds, fdatasyncs) writing and syncing one line at a time."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    line = b"x" * 299 + b"\n"
    count, started = 0, time.monotonic()
    try:
        while time.monotonic() - started < SECONDS:
            os.write(fd, line)
            os.fdatasync(fd)
            count += 1
    finally:
        os.close(fd)
    return count, time.monotonic() - started, count


def appends(path: Path, threads: int) -> tuple[int, float, int]:
    """(entries, seconds, fdatasyncs) from `threads` threads appending to one SignatureLog."""
    log = SignatureLog(path)
    done = [0] * threads
    stop_at = time.monotonic() + SECONDS

    def work(slot: int) -> None:
        while time.monotonic() < stop_at:
            log.append(kind="license", lid="L-ABCDEFGHIJKLMNOP", kid="bench-1", blob=BLOB,
                       now=datetime.now(timezone.utc))
            done[slot] += 1

    elapsed = in_threads(work, threads)
    log.close()
    return sum(done), elapsed, log.syncs


def main() -> int:
    folder = os.environ.get("BENCH_DIR") or None
    print(f"signer log on {folder or tempfile.gettempdir()}, {SECONDS:g} s per row; load "
          f"average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"{'':44} {'ms/entry':>9} {'entries/s':>10} {'syncs/entry':>12}")
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        rows = [("(1) baseline: write + fdatasync per line", one_sync_per_line(Path(tmp) / "a")),
                ("(2) SignatureLog.append, 1 thread", appends(Path(tmp) / "b", 1)),
                ("(3) SignatureLog.append, 8 threads", appends(Path(tmp) / "c", 8))]
    for label, (count, seconds, syncs) in rows:
        print(f"{label:44} {seconds * 1000 / count:9.2f} {count / seconds:10.0f} "
              f"{syncs / count:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
