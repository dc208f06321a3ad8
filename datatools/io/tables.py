"""Read a CSV/TSV file into a DataFrame of text columns, and write tables atomically.

This first version handles UTF-8 (with or without BOM) and falls back to cp1252, sniffing the
delimiter from a sample. Encoding detection, Excel files and broken-input handling grow here.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from datatools.errors import BadInput, OutputExists
from datatools.progress import Progress, silent

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Table:
    frame: "pd.DataFrame"          # every column dtype object/str, missing cells ""
    path: Path
    encoding: str
    delimiter: str
    warnings: list[str] = field(default_factory=list)


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def read_table(path: str | os.PathLike[str], *, progress: Progress | None = None) -> Table:
    """Read a delimited text file; raises BadInput with a plain-language reason."""
    import pandas as pd

    progress = progress or silent()
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise BadInput(f"Cannot open {source}: {exc.strerror}.") from None
    if not raw.strip():
        raise BadInput(f"{source} is empty.")
    text, encoding = _decode(raw)
    try:
        delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise BadInput(f"{source} is not a readable table: {exc}") from None
    progress.update(1.0, "read")
    return Table(frame=frame, path=source, encoding=encoding, delimiter=delimiter)


def write_table(frame: "pd.DataFrame", path: str | os.PathLike[str], *, force: bool = False,
                bom: bool = False) -> Path:
    """Write `frame` as UTF-8 CSV via a temporary file and rename; never half a file."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists; choose another name or use --force.")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig" if bom else "utf-8")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
