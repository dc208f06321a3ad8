"""Which engine a run takes (in memory or DuckDB), the memory limit, and DuckDB connections.

`choose_engine` picks by input size: the pandas path peaks at about 4–5× the file's size
(docs/USER-GUIDE.md "Large files"), so inputs above `large_bytes()` go to DuckDB. The memory
limit defaults to a sixteenth of the machine's RAM, between 256 MB and 1 GB: DuckDB keeps its
own buffers under it and spills the rest to the working copy's folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from datatools.errors import BadOption

if TYPE_CHECKING:
    import duckdb

ENGINES = ("auto", "memory", "duckdb")
MB = 1 << 20
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


@dataclass(frozen=True)
class EngineChoice:
    """The engine a run uses, and why, in words for the CLI's note on stderr."""

    engine: str          # "memory" or "duckdb"
    reason: str


def machine_ram() -> int:
    """Bytes of physical memory (sysconf), or 8 GB when the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def available_ram() -> int:
    """Bytes of memory a new task can have now: Linux's MemAvailable (free memory plus the page
    cache it can drop, proc(5)), else free pages (sysconf), else the machine's RAM."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return machine_ram()


def default_memory_limit(ram: int | None = None) -> int:
    """DuckDB's memory limit in bytes: RAM / 16, at least 256 MB, at most 1 GB.

    A 1 GB limit keeps the whole process within the 2 GB goal (Python, pyarrow batches and
    DuckDB's buffers); an 8 GB laptop gets 512 MB and still finishes, spilling more.
    """
    ram = machine_ram() if ram is None else ram
    return max(256 * MB, min(1024 * MB, ram // 16))


LARGE_SIZE_VARIABLE = "DATATOOLS_LARGE_SIZE"


def large_bytes(ram: int | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Input size above which `auto` takes DuckDB: RAM / 32, at most 256 MB (the pandas path
    would peak near 1.2 GB there). $DATATOOLS_LARGE_SIZE (a size: `1KB`, `64MB`, `300000000`)
    sets it instead, for a machine shared with other work, and for tests that need a small
    file to take the large path; BadOption when it is not a size."""
    given = (os.environ if environ is None else environ).get(LARGE_SIZE_VARIABLE, "").strip()
    if given:
        match = _SIZE.match(given)
        if not match:
            raise BadOption(f"{LARGE_SIZE_VARIABLE}={given!r} is not a size; write it like 512MB.",
                            code="bad_size", params={"value": given})
        return int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    ram = machine_ram() if ram is None else ram
    return min(256 * MB, ram // 32)


def parse_size(text: str) -> int:
    """`512MB`, `2G`, `1.5 GiB`, `300000000` → bytes; BadOption for anything else or below 16 MB."""
    match = _SIZE.match(str(text))
    if not match:
        raise BadOption(f"{text!r} is not a size; write it like 512MB or 2GB.", code="bad_size",
                        params={"value": str(text)})
    size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if size < 16 * MB:
        raise BadOption(f"A memory limit of {text} is too small; give at least 16MB.",
                        code="bad_size", params={"value": str(text)})
    return size


def human_size(size: float) -> str:
    """`1.2 GB`, `640 MB`, `12 KB` (powers of 1024, one decimal above 1 GB)."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}" if unit == "GB" else f"{size / factor:.0f} {unit}"
    return f"{int(size)} bytes"


def choose_engine(requested: str, paths: Iterable[str | os.PathLike[str]],
                  threshold: int | None = None) -> EngineChoice:
    """The engine for inputs `paths`: `requested` unless it is "auto", else DuckDB above
    `threshold` bytes in all (default `large_bytes()`). Sizes of missing files count as 0:
    the reader reports them."""
    if requested not in ENGINES:
        raise BadOption(f"--engine must be one of {', '.join(ENGINES)}, not {requested!r}.",
                        code="bad_choice", params={"option": "engine", "value": str(requested)})
    total = 0
    for path in paths:
        try:
            total += Path(path).stat().st_size
        except OSError:
            pass
    if requested != "auto":
        return EngineChoice(requested, f"chosen with --engine, {human_size(total)} of input")
    limit = large_bytes() if threshold is None else threshold
    if total > limit:
        return EngineChoice("duckdb", f"{human_size(total)} of input, over the "
                            f"{human_size(limit)} the in-memory engine takes")
    return EngineChoice("memory", f"{human_size(total)} of input")


# The in-memory path's peak over the input's size (a 556 MB CSV profiled at 2.33 GB; clean and
# compare hold a copy more).
MEMORY_FACTOR = 5


def check_fits_in_memory(path: Path, tool: str, available: int | None = None) -> None:
    """BadInput `too_large_for_memory` when the in-memory path would need more than the memory
    free now (`available`, default `available_ram()`), before it starts and fails halfway."""
    from datatools.errors import BadInput

    try:
        size = path.stat().st_size
    except OSError:
        return                       # the reader says why it cannot open the file
    available = available_ram() if available is None else available
    if size * MEMORY_FACTOR > available:
        raise BadInput(f"{path.name} is {human_size(size)}; {tool} holds it in memory and would need "
                       f"about {human_size(size * MEMORY_FACTOR)}, more than the {human_size(available)} "
                       "free. Profile works on files of any size, and so does clean on the command "
                       f"line (datatools clean); for {tool}, split the file first.",
                       code="too_large_for_memory",
                       params={"file": path.name, "size": human_size(size), "tool": tool,
                               "needed": human_size(size * MEMORY_FACTOR),
                               "available": human_size(available)})


def connect(memory_limit: int, spill_dir: Path, threads: int | None = None) -> "duckdb.DuckDBPyConnection":
    """An in-process DuckDB with `memory_limit` bytes, spilling into `spill_dir`.

    No extension is loaded or downloaded (the product is offline); DuckDB never reads the
    user's files itself, only the working copy (docs/DECISIONS.md 171).
    """
    import duckdb

    config = {"memory_limit": f"{max(memory_limit // MB, 16)}MB",
              "temp_directory": str(spill_dir),
              "threads": threads or max(1, min(os.cpu_count() or 1, 4)),
              "autoinstall_known_extensions": False, "autoload_known_extensions": False,
              "enable_external_access": True}
    return duckdb.connect(":memory:", config=config)
