"""The oldest pandas DataTools runs on, and the one line that says so when an older one is found."""

from __future__ import annotations

import re
import sys

# setup.cfg's `desktop` extra asks the same (a test compares them); docs/DECISIONS.md 347 says why.
PANDAS_FLOOR = (3, 0, 1)
FLOOR = ".".join(map(str, PANDAS_FLOOR))


def older_pandas(import_it: bool = True) -> str | None:
    """The installed pandas's version when it is older than PANDAS_FLOOR, else None.

    pip keeps the floor when it installs DataTools, but a later install into the same
    environment can take pandas back down (recordlinkage asks pandas < 3), and DataTools then
    fails far from the cause, inside a reader. `import_it`: import pandas to look (for a command
    that imports it next anyway); False looks only at a pandas already imported, at no cost.
    A pandas that is missing or cannot be imported is not this check's business (None).
    """
    pandas = sys.modules.get("pandas")
    if import_it:
        try:
            import pandas
        except ImportError:
            return None
    version = getattr(pandas, "__version__", None)
    if not isinstance(version, str) or release(version) >= PANDAS_FLOOR:
        return None
    return version


def older_pandas_message(version: str) -> str:
    """What to tell the user about pandas `version` (English; the window has error.old_pandas)."""
    return (f"DataTools needs pandas {FLOOR} or later, but this Python has pandas {version}; "
            f"upgrade it (pip install 'pandas>={FLOOR}') or install DataTools in a fresh environment.")


def release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version string: '2.3.3' → (2, 3, 3), '3.0.0rc1' → (3, 0, 0)."""
    return tuple(int(number) for number in re.findall(r"^\d+|(?<=\.)\d+", version.split("+")[0]))
