"""`dtadmin import`: send an issued.jsonl to POST /internal/import in pieces, keeping line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from dtadmin.client import AdminClient, AdminError

# Below the daemon's 64 KiB body limit, so any file goes through in several requests.
CHUNK = 48 * 1024


def chunks(data: bytes, size: int = CHUNK) -> Iterator[tuple[int, bytes]]:
    """(number of the first line, whole lines of at most `size` bytes) pieces of `data`.

    A line longer than `size` comes alone, as it is; the daemon rejects it by number.
    """
    lines = data.splitlines(keepends=True)
    start, piece, used = 1, [], 0
    for number, line in enumerate(lines, start=1):
        if piece and used + len(line) > size:
            yield start, b"".join(piece)
            start, piece, used = number, [], 0
        piece.append(line)
        used += len(line)
    if piece:
        yield start, b"".join(piece)


def import_file(client: AdminClient, path: Path) -> dict[str, list[dict[str, Any]]]:
    """Import every record of `path`; the daemon's answers merged, rejected lines by number.

    Raises AdminError when the file cannot be read; lines the daemon refuses are reported in
    `rejected`, never raised, so one bad line does not stop the others.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AdminError(f"cannot read {path}: {exc.strerror}") from None
    report: dict[str, list[dict[str, Any]]] = {"imported": [], "existing": [], "rejected": []}
    for first_line, piece in chunks(data):
        if len(piece) > CHUNK:
            report["rejected"].append({"line": first_line, "code": "too_long",
                                       "message": f"the line is over {CHUNK // 1024} KiB; "
                                                  f"dtmint never writes such a line"})
            continue
        answer = client.request("POST", "/internal/import", query={"first_line": first_line},
                                raw=piece, content_type="application/x-ndjson")
        for key in report:
            report[key].extend(answer.data[key])
    return report
