"""Saving a finished job's result: where it goes, in which format, with the input's CSV habits.

What is written is each result kind's `write()` (datatools/app/results/); this module checks
the request and holds what the kinds share.

Every byte goes through the guarded writer (`io.write_table` / `safe_write.open_output`): never
over an input, never half a file. A CSV output copies how its input was written — delimiter,
encoding, byte order mark, line ends, Excel's `sep=` first line — so Excel opens a German
semicolon export saved back in columns, as it opened the original. A profile is saved as JSON,
as a workbook, or as an HTML report in the window's language (datatools/tools/profile_report.py).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datatools import i18n
from datatools.errors import BadInput, BadOption
from datatools.progress import Progress
from datatools.user_paths import user_path

if TYPE_CHECKING:
    import pandas as pd

    from datatools.app.results import Result
    from datatools.io import Table

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
FORMATS = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json", "html": ".html"}
REPORT_SUFFIXES = (".html", ".htm")
# Codes of the notes a save may add; the UI shows catalog key save.note.<code>.
NOTE_CODES = ("saved_as_utf8", "formulas_in_csv", "formulas_escaped", "cells_lost", "trial_rows")


@dataclass(frozen=True)
class CsvHabits:
    """How a CSV input was written; the plain default for inputs that were not CSV."""

    delimiter: str = ","
    encoding: str = "utf-8"           # a Python codec; "utf-8" with `bom` means utf-8-sig
    bom: bool = False
    newline: str = "\n"
    sep_line: bool = False            # the file started with Excel's `sep=;` directive line

    def to_json(self) -> dict[str, Any]:
        return {"delimiter": self.delimiter, "encoding": self.encoding, "bom": self.bom,
                "newline": "crlf" if self.newline == "\r\n" else "lf", "sep_line": self.sep_line}


def csv_habits(table: "Table") -> CsvHabits | None:
    """The habits of the file `table` was read from (None for a spreadsheet: nothing to copy).

    The byte order mark, line ends and a `sep=` first line (which the reader honoured and
    dropped, datatools/io/tables.py) are read from the file's first 64 KiB (a look, not a scan).
    """
    if not table.delimiter:
        return None
    return file_habits(table.path, table.delimiter, table.encoding)


def save_habits(habits: "CsvHabits | None", bom: bool) -> "CsvHabits":
    """The habits a save writes with: the input's (`habits`, the plain default when None), with
    a byte order mark added when the user asked for one (`bom`) on a UTF-8 output."""
    habits = habits or CsvHabits()
    return replace(habits, bom=True) if bom and habits.encoding == "utf-8" else habits


def free_merge_report(target: Path, wanted: bool, force: bool) -> "Path | None":
    """The merge report's path beside `target` when `wanted`, else None; OutputExists when it
    exists and `force` is not given (checked before anything is written)."""
    from datatools.errors import OutputExists
    from datatools.tools.dedupe import merge_report_path

    report = merge_report_path(target) if wanted else None
    if report is not None and report.exists() and not force:
        raise OutputExists(f"{report} already exists. Choose another name, or allow replacing it.",
                           params={"file": report.name})
    return report


def file_habits(path: Path, delimiter: str, encoding: str) -> CsvHabits:
    """`csv_habits` of the delimited file `path`, read with `delimiter` and `encoding` (the
    command line's outputs copy its delimiter, byte order mark and `sep=` line)."""
    from datatools.io.delimited import sep_directive

    with open(path, "rb") as handle:
        head = handle.read(65536)
    name = codecs.lookup(encoding or "utf-8").name
    bom = head.startswith(codecs.BOM_UTF8) or name == "utf-8-sig"
    if name in ("ascii", "utf-8-sig"):
        name = "utf-8"      # ASCII is UTF-8; the mark is the `bom` flag
    first_end = head.find(b"\n")
    newline = "\r\n" if first_end > 0 and head[first_end - 1:first_end] == b"\r" else "\n"
    text = head.decode(encoding or "utf-8", errors="replace").lstrip("\ufeff")
    return CsvHabits(delimiter, name, bom, newline, sep_directive(text) is not None)


def default_save_folder(home: Path | None = None) -> Path:
    """The user's Downloads folder when there is one, else the home folder."""
    home = home or Path.home()
    downloads = home / "Downloads"
    return downloads if downloads.is_dir() else home


def suggested_path(output: "Result", workdir: Path, fallback: Path) -> Path:
    """Where the save field starts: beside the first input, never in this launch's work folder.

    An uploaded file (browser mode) lives in the work folder, which is deleted when DataTools
    closes: its result is offered in `fallback` (the Downloads folder) instead.
    """
    first = output.inputs[0] if output.inputs else None
    folder = first.parent if first is not None else fallback
    try:
        folder.resolve().relative_to(workdir.resolve())
        folder = fallback
    except ValueError:
        pass
    return folder / output.suggested_name


@dataclass
class Saved:
    """A finished save: the file, the merge report beside it, and notes for the user."""

    path: Path
    merge_report: Path | None = None
    notes: list[dict[str, str]] = field(default_factory=list)   # {"code": …, "message": …}

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path),
                "merge_report": str(self.merge_report) if self.merge_report else None,
                "notes": self.notes}


@dataclass(frozen=True)
class SavePlan:
    """A checked save request: where, whether to replace, which review, which language."""

    target: Path
    force: bool = False
    review: Any = None               # the result kind's engine record; None: the kept review
    language: str = i18n.FALLBACK
    bom: bool = False                # a UTF-8 CSV gets a byte order mark (Excel then reads its accents)
    escape_formulas: bool = False    # a CSV's formula-like cells get a leading apostrophe (OWASP)


def save_plan(output: "Result", data: dict[str, Any]) -> SavePlan:
    """A save or download request checked before anything is written.

    `data` = {"path", "force"?, "format"?, "review"?, "language"?, "bom"?, "escape_formulas"?}. Without `review` the save
    applies the review kept beside the result (the window's); a script may send one in the
    kind's JSON form (`Result.read_review`). BadInput `no_path`; what `target_for` and
    `read_review` raise.
    """
    path = data.get("path")
    if not isinstance(path, str) or not path.strip().strip('"').strip():
        raise BadInput("Type where to save the result.", code="no_path")
    fmt = data.get("format")
    target = target_for(output, path, fmt if isinstance(fmt, str) and fmt else None)
    language = data.get("language")
    return SavePlan(target, data.get("force") is True, output.read_review(data.get("review")),
                    language if language in i18n.LANGUAGES else i18n.FALLBACK, data.get("bom") is True,
                    data.get("escape_formulas") is True)


def target_for(output: "Result", path: str, fmt: str | None) -> Path:
    """The file to write: `path`, with the extension of the chosen format (one of `formats`).

    BadOption `bad_choice` for a format the result does not offer; `wrong_extension` when the
    name asks for a spreadsheet the result cannot be (a re-encoded file named .xlsx).
    """
    target = Path(user_path(path))      # Explorer's "Copy as path", file: URLs, ~
    offered = output.formats()
    suffix = target.suffix.lower()
    if fmt is None:
        if suffix in (".xlsx", ".xls", ".ods") and "xlsx" not in offered:
            wanted = Path(output.suggested_name).suffix.lower()
            raise BadOption(f"This result is a {wanted} file; name it {target.stem}{wanted}.",
                            code="wrong_extension", params={"ext": wanted, "name": target.stem + wanted})
        return target
    if fmt not in offered:
        raise BadOption(f"format must be one of {', '.join(offered) or 'none'}, not {fmt!r}.",
                        code="bad_choice", params={"option": "format", "value": str(fmt)})
    if fmt == "csv" and suffix in (".csv", ".tsv", ".txt") or fmt == "html" and suffix in REPORT_SUFFIXES:
        return target
    known = suffix in (*TABLE_SUFFIXES, ".json", *REPORT_SUFFIXES)
    return target.with_suffix(FORMATS[fmt]) if known else target.with_name(target.name + FORMATS[fmt])


def write_frame(frame: "pd.DataFrame", target: Path, habits: CsvHabits | None, inputs: tuple[Path, ...],
                force: bool, progress: Progress, notes: list[dict[str, str]],
                escape_formulas: bool = False, cells=None, sheet: str | None = None) -> None:
    """Write a table result as CSV with the input's `habits` (a .tsv with tabs) or, named
    .xlsx, as a workbook (keeping the cells of `cells`, the workbook `frame` was cleaned
    from, that were not changed: `io.write_table`'s `source`; its sheet named `sheet`). A value the habits' encoding cannot hold makes it UTF-8 with a byte
    order mark instead, said in `notes`. A CSV's cells a spreadsheet would run as formulas are
    counted in `notes` (`formulas_in_csv`), or with `escape_formulas` written with a leading
    apostrophe (`formulas_escaped`); an .xlsx holds them as text."""
    from datatools import io

    habits = habits or CsvHabits()
    if target.suffix.lower() == ".tsv":
        habits = replace(habits, delimiter="\t")
    if target.suffix.lower() != ".xlsx":
        frame = plain_reasons(frame, habits.encoding)
    try:
        written = io.write_table(frame, target, force=force, inputs=[*inputs],
                                 delimiter=habits.delimiter, encoding=habits.encoding, bom=habits.bom,
                                 newline=habits.newline, sep_line=habits.sep_line,
                                 escape_formulas=escape_formulas, progress=progress, source=cells,
                                 sheet=sheet)
    except UnicodeEncodeError as exc:
        character = exc.object[exc.start:exc.end]
        notes.append({"code": "saved_as_utf8", "message":
                      f"{character!r} cannot be written in {habits.encoding}, so the file is "
                      "UTF-8 (Excel reads it).", "character": character,
                      "encoding": habits.encoding})
        written = io.write_table(frame, target, force=force, inputs=[*inputs],
                                 delimiter=habits.delimiter, encoding="utf-8", bom=True,
                                 newline=habits.newline, sep_line=habits.sep_line,
                                 escape_formulas=escape_formulas, progress=progress)
    notes += [{"code": n.code, "message": str(n), **{k: str(v) for k, v in n.params.items()}}
              for n in written.notices()]


# The signs the reason column writes itself (datatools/tools/reasons.py: "−3.3", "start −5.3 →
# 99.7 %") and their ASCII forms, for a CSV in a code page that has neither (DECISIONS 350).
REASON_COLUMNS = ("match_reason",)
_ASCII_SIGNS = str.maketrans({"\u2212": "-", "\u2192": "->"})


def plain_reasons(frame: "pd.DataFrame", encoding: str) -> "pd.DataFrame":
    """`frame` with the minus signs and arrows of its reason column written `-` and `->` when
    `encoding` (a CSV's code page, cp1252 …) cannot hold them; else `frame` itself. Only the
    column DataTools writes is touched: a user's value the code page lacks still makes the
    file UTF-8 (`write_frame`)."""
    columns = [c for c in REASON_COLUMNS if c in frame.columns]
    try:
        "\u2212\u2192".encode(encoding)
        return frame
    except UnicodeEncodeError:
        if not columns:
            return frame
    frame = frame.copy(deep=False)
    for column in columns:
        frame[column] = frame[column].str.translate(_ASCII_SIGNS)
    return frame


def trial_note(trial: list[dict[str, Any]]) -> dict[str, str] | None:
    """The save's note `trial_rows` when the result was made from the trial's first rows only
    (`trial`: the run's notes from `inputs.read_input`, {file, used, total}): the saved file
    holds those rows and no more, and the user is told why. None for a whole-file result."""
    if not trial:
        return None
    limit = trial[0]["used"]
    files = ", ".join(note["file"] for note in trial)
    return {"code": "trial_rows", "limit": str(limit), "files": files,
            "message": f"Trial version: Save wrote only the first {limit:,} rows of {files}; "
                       f"without a license every tool uses the first {limit:,} rows of each "
                       "file. Enter your license to save whole files."}


def check_folder(target: Path) -> None:
    """Before a save job starts: BadOption `no_folder` when the folder does not exist,
    BadInput `output_is_folder` when the name is a folder."""
    if not target.parent.is_dir():
        raise BadOption(f"The folder {target.parent} does not exist.", code="no_folder",
                       params={"folder": str(target.parent)})
    if target.is_dir():
        raise BadInput(f"{target} is a folder; name a file to write.", code="output_is_folder")
