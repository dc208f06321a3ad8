"""The desktop's input files: how the user asked each to be read (`InputSpec`), reading it for a
tool (cut to the trial's row limit), its preview, and checking the columns an option names."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datatools import notices, registry
from datatools.app.results import table_view
from datatools.errors import BadInput, BadOption
from datatools.progress import Progress

if TYPE_CHECKING:
    import pandas as pd

PREVIEW_ROWS = 20


@dataclass(frozen=True)
class InputSpec:
    """One input file and how to read it (None = let the reader detect it)."""

    path: Path
    encoding: str | None = None
    delimiter: str | None = None
    header: bool = True
    sheet: str | None = None
    header_row: int | None = None     # 1-based line (a sheet's row) of the header; None: detected

    @classmethod
    def from_json(cls, data: Any) -> "InputSpec":
        if not isinstance(data, dict) or not isinstance(data.get("path"), str) \
                or not data["path"].strip().strip('"'):
            raise BadInput("Choose a file first.", code="no_file")
        data = {**data, "path": data["path"].strip().strip('"')}   # Windows' "Copy as path"
        if "\0" in data["path"]:
            raise BadInput("There is no file at this location.", code="file_not_found")
        path = Path(data["path"]).expanduser()
        if not path.is_file():
            raise BadInput(f"There is no file at {path}.", code="file_not_found")
        encoding, delimiter = data.get("encoding") or None, data.get("delimiter") or None
        sheet = data.get("sheet")
        return cls(path=path, encoding=encoding and registry.check_codec(encoding),
                   delimiter=delimiter and registry.check_delimiter(delimiter),
                   header=data.get("header", True) is not False,
                   sheet=str(sheet) if sheet not in (None, "") else None,
                   header_row=_header_row(data.get("header_row")))

    def read_options(self) -> dict[str, Any]:
        """Keyword arguments for `read_table` / `preview_table`."""
        return {"encoding": self.encoding, "delimiter": self.delimiter, "header": self.header,
                "sheet": self.sheet, "header_row": self.header_row}


def _header_row(value: Any) -> int | None:
    """The window's header row field: empty (detected) or a whole number from 1; BadOption
    `header_row_invalid` otherwise."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
        raise BadOption(f"{value!r} is not a line number (1, 2, 3 …).", code="header_row_invalid",
                        params={"value": str(value)})
    return int(text)


def jsonable(value: Any) -> Any:
    """Reports may hold numpy numbers or dates; the UI wants plain JSON."""
    return json.loads(json.dumps(value, default=str))


# --------------------------------------------------------------------------- reading inputs


def read_input(spec: InputSpec, row_limit: int | None, progress: Progress, notes: list[dict],
               warnings: list[str] | None = None):
    """Read one input table, cut to the trial's row limit (noted in `notes`); the reader's
    warnings (mixed encodings, sep= lines, formulas without results) go to `warnings`."""
    from datatools import io
    from datatools.large.engine import check_fits_in_memory

    check_fits_in_memory(spec.path, "compare, dedupe and match")
    table = io.read_table(spec.path, progress=progress, **spec.read_options())
    if warnings is not None:
        warnings.extend(notices.about_file(spec.path.name, warning) for warning in table.warnings)
    if row_limit is not None and len(table.frame) > row_limit:
        notes.append({"file": spec.path.name, "used": row_limit, "total": len(table.frame)})
        table.frame = table.frame.head(row_limit).reset_index(drop=True)
    return table


def preview_file(spec: InputSpec, rows: int = PREVIEW_ROWS,
                 progress: Progress | None = None) -> dict[str, Any]:
    """The first rows of a file and how it was read (encoding, delimiter, warnings).

    `progress` reports the reading and, when cancelled, stops it (Cancelled).
    """
    from datatools import io

    from datatools.io import excel, sheet_process
    from datatools.tools.encoding import preview_mojibake
    from datatools.app.column_pairing import column_roles
    from datatools.tools.party_names import name_column_roles
    from datatools.tools.split_names import word_shapes

    table = io.preview_table(spec.path, rows=rows, progress=progress, **spec.read_options())
    spreadsheet = spec.path.suffix.lower() in excel.SPREADSHEET_SUFFIXES
    sheets = sheet_process.sheet_names(spec.path) if spreadsheet else []
    # Visible garbling (KÃ¸benhavn) in the first MiB: the window offers the repair, ticked.
    mojibake = [] if spreadsheet else preview_mojibake(spec.path, table.encoding, limit=3, max_bytes=1 << 20)
    return {"path": str(spec.path), "name": spec.path.name, "size": spec.path.stat().st_size,
            "encoding": table.encoding,
            "delimiter": table.delimiter, "warnings": notices.to_json(list(table.warnings)), "mojibake": mojibake,
            "sheets": sheets, "sheet": spec.sheet or (sheets[0] if sheets else None),
            "header_row": spec.header_row, "header_line": table.header_line,
            "name_roles": name_column_roles([str(c) for c in table.frame.columns]),
            "column_roles": column_roles([str(c) for c in table.frame.columns]),
            "word_shapes": word_shapes(table.frame.head(rows)),
            **table_view(table.frame, rows)}



# --------------------------------------------------------------------------- columns and names


def output_name(spec: InputSpec, suffix: str, ext: str | None = None) -> str:
    """`<input stem>-<suffix><ext>`; a table from a spreadsheet is offered back as .xlsx."""
    from datatools.io.excel import SPREADSHEET_SUFFIXES

    if ext is None:
        ext = ".xlsx" if spec.path.suffix.lower() in SPREADSHEET_SUFFIXES else ".csv"
    return f"{spec.path.stem}-{suffix}{ext}"


def option_columns(options: dict[str, Any], name: str, frame: "pd.DataFrame", spec: InputSpec) -> list[str]:
    """The column names of option `name` (checked by the registry), each one in `frame`."""
    columns = options.get(name) or []
    missing = [c for c in columns if c not in frame.columns and not joined_in(c, frame.columns)]
    if missing:
        raise missing_columns(spec, missing)
    return columns


def joined_in(name: str, columns) -> bool:
    """Whether `name` is `A + B` of `columns` (a match pairs a full name with given + surname,
    datatools/tools/match.py `paired_column`)."""
    from datatools.tools.match import JOIN

    parts = [p.strip() for p in name.split(JOIN)]
    return len(parts) > 1 and all(p in columns for p in parts)


def missing_columns(spec: InputSpec, missing: list[str]) -> BadOption:
    """BadOption `column_not_in_file`, naming the file and the columns it lacks."""
    return BadOption(f"{spec.path.name} has no column named {', '.join(missing)}.",
                     code="column_not_in_file",
                     params={"columns": ", ".join(missing), "file": spec.path.name})
