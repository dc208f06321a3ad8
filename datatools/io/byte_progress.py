"""Progress by bytes of the input consumed, for parsers that read a file themselves (pyarrow's).

A parser handed `CountingFile` instead of a path reads through it, and each read reports the
share of the file's bytes handed over so far — the measure of work a user can relate to the
file's size — with a message naming the megabytes. A cancel request met inside a read ends the
read (b"" to the parser) and is raised again by `raise_if_cancelled` once the parser returns,
so that pyarrow never has to carry our exception through its threads.
"""

from __future__ import annotations

from pathlib import Path

from datatools.errors import Cancelled
from datatools.progress import Progress


def megabytes(count: int) -> str:
    """`12.3 MB`: a byte count in decimal megabytes, one decimal."""
    return f"{count / 1e6:,.1f} MB"


class CountingFile:
    """A binary file opened for reading whose reads report `done / size` to `progress`.

    `message` is formatted with `done` and `total` (megabytes, see `megabytes`). Use as a
    context manager; `raise_if_cancelled()` after the parser returned (raises Cancelled)."""

    def __init__(self, path: Path, progress: Progress, message: str = "reading {done} of {total}"):
        self._handle = open(path, "rb")
        self._progress = progress
        self._message = message
        self._size = max(Path(path).stat().st_size, 1)
        self._done = 0
        self._cancelled = False
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (all the rest when negative); b"" once cancelled."""
        if self._cancelled:
            return b""
        chunk = self._handle.read(size)
        self._done += len(chunk)
        try:
            self._progress.update(self._done / self._size, self._message.format(
                done=megabytes(self._done), total=megabytes(self._size)))
        except Cancelled:
            self._cancelled = True
            return b""
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True
        self._handle.close()

    def raise_if_cancelled(self) -> None:
        """Raise Cancelled when a read met the cancel request."""
        if self._cancelled:
            raise Cancelled()

    def __enter__(self) -> "CountingFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
