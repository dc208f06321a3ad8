"""The one guarded writer: every file DataTools writes goes through here (standard library only).

Three promises, kept in one place so no entry point can forget one (ARCHITECTURE.md, "Trust boundaries",
docs/DECISIONS.md 50):

1. **Never over an input.** A target that is any input of the run is refused, `force` or not,
   compared by resolved path and by (st_dev, st_ino): `./a.csv`, the absolute path, a symlink
   and a hard link to the input are all the same file.
2. **Never over an existing file without `force`** (`OutputExists`). Without `force` the new
   file is put in place with `os.link`, which fails if the name appeared meanwhile, so even a
   race with another program cannot make us replace a file we were told not to.
3. **Whole or nothing.** Each write goes to its own temporary file in the target's folder
   (`tempfile.mkstemp`: unique per write, mode 0600 from its creation), is fsynced, and replaces
   the target with `os.replace`. On any exception — or a killed process — the old target stays
   as it was; a second write to the same target in this process waits for the first.

Importing this module loads nothing but the standard library and `datatools.errors`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path
from typing import IO, Iterable, Iterator

from datatools.errors import BadInput, OutputExists, WouldOverwriteInput

PathLike = str | os.PathLike[str]

_locks_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _same_file(target: Path, source: Path) -> bool:
    """True when `target` names `source`: same resolved path, or same device and inode."""
    if target.resolve() == source.resolve():
        return True
    try:
        a, b = os.stat(target), os.stat(source)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def guard_target(target: PathLike, *, inputs: Iterable[PathLike] = (), force: bool = False) -> Path:
    """Check that `target` may be written; return it as a Path.

    Raises WouldOverwriteInput when it is one of `inputs` (whatever `force` says),
    OutputExists when it exists and `force` is false, BadInput when it is a folder, a device,
    pipe or socket (`output_not_a_file`, whatever `force` says) or its folder does not exist. Commands call this before any work, and the writer again at write time.
    """
    path, shown = Path(target), os.fspath(target)   # messages name it as the user typed it
    for source in inputs:
        if _same_file(path, Path(source)):
            raise WouldOverwriteInput(
                f"{shown} is an input file; inputs are never overwritten. Choose another name.")
    if path.is_dir():
        raise BadInput(f"{shown} is a folder; name a file to write.", code="output_is_folder")
    if path.exists() and not path.is_file():
        # A device, pipe or socket: replacing it would turn /dev/sda or a FIFO into a plain
        # file (as root, a broken system), and writing into it is not "a new file" either.
        raise BadInput(f"{shown} is not a regular file (a device, pipe or socket); DataTools "
                       "writes only regular files. Choose a file name.", code="output_not_a_file",
                       params={"file": path.name})
    if not path.parent.is_dir():
        raise BadInput(f"The folder {path.parent} does not exist.", code="no_folder")
    if not force and (path.exists() or path.is_symlink()):
        raise OutputExists(f"{shown} already exists; choose another name or use --force.",
                           params={"file": path.name})
    return path


def _target_lock(path: Path) -> threading.Lock:
    key = os.path.normcase(str(path.parent.resolve() / path.name))
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _default_mode() -> int:
    """0666 less the process umask, read without changing it (os.umask would race threads)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o644


@contextlib.contextmanager
def open_output(target: PathLike, *, inputs: Iterable[PathLike] = (), force: bool = False,
                mode: int | None = None, text: bool = False, encoding: str = "utf-8",
                newline: str | None = None) -> Iterator[IO]:
    """Yield a file to write `target`'s new content into; on a clean exit it becomes `target`.

    Binary by default; `text=True` gives a text file in `encoding` (`newline` as for `open`).
    `mode` is the new file's permission bits (default 0666 less umask; secrets pass 0o600 and
    are never readable by others, not even for a moment). Streams of any size: nothing is held
    in memory. Raises what `guard_target` raises, and BadInput when the disk refuses the write;
    on any exception the temporary file is removed and the old target is untouched.
    """
    inputs = [Path(p) for p in inputs]
    path = guard_target(target, inputs=inputs, force=force)
    with _target_lock(path):
        # Checked again under the lock: the write that held it may have created the target.
        guard_target(path, inputs=inputs, force=force)
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
        except OSError as exc:
            raise BadInput(f"Cannot write {path}: {exc.strerror}.", code="cannot_write") from None
        try:
            if hasattr(os, "fchmod"):    # POSIX; on Windows mkstemp's file is the user's own
                os.fchmod(fd, _default_mode() if mode is None else mode)
            handle = (os.fdopen(fd, "w", encoding=encoding, newline=newline) if text
                      else os.fdopen(fd, "wb"))
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        try:
            with handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            _put_in_place(tmp, path, force)
        except OSError as exc:
            _discard(tmp)
            if is_locked_by_another_program(exc):
                raise BadInput(f"{path} is open in another program (Excel locks the files it shows); "
                               "close it there and save again. Nothing was written.",
                               code="target_locked", params={"file": path.name}) from None
            raise BadInput(f"Cannot write {path}: {exc.strerror}.", code="cannot_write") from None
        except BaseException:
            _discard(tmp)
            raise


# Windows' answers when another process holds the file without FILE_SHARE_DELETE, as Excel does
# with every workbook and CSV it has open: ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32),
# ERROR_LOCK_VIOLATION (33) (Microsoft, "System Error Codes (0-499)").
WINDOWS_LOCK_ERRORS = frozenset({5, 32, 33})


def is_locked_by_another_program(exc: OSError) -> bool:
    """True for the error Windows gives when replacing a file another program holds open."""
    return getattr(exc, "winerror", None) in WINDOWS_LOCK_ERRORS


def _put_in_place(tmp: str, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)       # fails if the name appeared since the check
        except FileExistsError:
            raise OutputExists(f"{path} already exists; choose another name or use --force.",
                               params={"file": path.name}) from None
        except OSError:
            os.replace(tmp, path)    # a file system without hard links: the check above stands
        else:
            os.unlink(tmp)
    with contextlib.suppress(OSError):   # make the rename itself survive a power cut
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _discard(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def write_file(target: PathLike, data: bytes | str, *, inputs: Iterable[PathLike] = (),
               force: bool = False, mode: int | None = None, encoding: str = "utf-8") -> Path:
    """Write `data` (bytes, or text in `encoding`) to `target` whole or not at all; see `open_output`."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    with open_output(target, inputs=inputs, force=force, mode=mode) as handle:
        handle.write(payload)
    return Path(target)
