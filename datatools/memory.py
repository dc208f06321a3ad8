"""Handing freed memory back to the system between the passes of a large run.

Arrow's allocator (mimalloc in the pyarrow wheels) and the C library's malloc both keep freed
blocks for reuse. A pass that reads a column, or a working copy's row group, of millions of
values frees hundreds of megabytes that the next pass, working in numpy or Python objects,
cannot reuse from the other allocator: the process's resident memory then grows pass after
pass although what it holds does not (DECISIONS 583: on the 1 M-row export the window's review
of duplicates rose from 0.42 to 1.09 GB while building; 0.52 GB once both were handed back).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's `malloc_trim`, or None where the C library has none (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return the free memory Arrow's pool and the C library's heap keep to the system. Costs a
    walk of the heap (milliseconds at a few gigabytes): call it between passes, not per value."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
