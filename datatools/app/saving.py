"""Saving a finished job's result: where it goes, in which format, with the input's CSV habits.

Every byte goes through the guarded writer (`io.write_table` / `safe_write.open_output`): never
over an input, never half a file. A CSV output copies how its input was written — delimiter,
encoding, byte order mark, line ends, Excel's `sep=` first line — so Excel opens a German
semicolon export saved back in columns, as it opened the original. A profile is saved as JSON,
as a workbook, or as an HTML report in the window's language (datatools/tools/profile_report.py).
"""

from __future__ import annotations

import codecs
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datatools import i18n
from datatools.errors import BadInput, BadOption, OutputExists
from datatools.progress import Progress, silent
from datatools.safe_write import open_output, write_file
from datatools.tools.profile_report import ReportSource, encoding_label, profile_html
from datatools.tools.profile_report import profile_sheet  # noqa: F401  (tool_jobs takes it from here)

if TYPE_CHECKING:
    import pandas as pd

    from datatools.app.tool_jobs import ToolOutput
    from datatools.io import Table

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
FORMATS = {"csv": ".csv", "xlsx": ".xlsx", "json": ".json", "html": ".html"}
REPORT_SUFFIXES = (".html", ".htm")
# Codes of the notes a save may add; the UI shows catalog key save.note.<code>.
NOTE_CODES = ("saved_as_utf8", "formulas_in_csv", "formulas_escaped")


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
    from datatools.io.delimited import sep_directive

    if not table.delimiter:
        return None
    with open(table.path, "rb") as handle:
        head = handle.read(65536)
    name = codecs.lookup(table.encoding or "utf-8").name
    bom = head.startswith(codecs.BOM_UTF8) or name == "utf-8-sig"
    if name in ("ascii", "utf-8-sig"):
        name = "utf-8"      # ASCII is UTF-8; the mark is the `bom` flag
    first_end = head.find(b"\n")
    newline = "\r\n" if first_end > 0 and head[first_end - 1:first_end] == b"\r" else "\n"
    text = head.decode(table.encoding or "utf-8", errors="replace").lstrip("\ufeff")
    return CsvHabits(table.delimiter, name, bom, newline, sep_directive(text) is not None)


def default_save_folder(home: Path | None = None) -> Path:
    """The user's Downloads folder when there is one, else the home folder."""
    home = home or Path.home()
    downloads = home / "Downloads"
    return downloads if downloads.is_dir() else home


def suggested_path(output: "ToolOutput", workdir: Path, fallback: Path) -> Path:
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


def save_plan(output: "ToolOutput", data: dict[str, Any]) -> tuple[Path, bool, dict[str, Any] | None]:
    """The target, `force` and review of a save request, checked before anything is written.

    `data` = {"path", "force"?, "format"?, "review"?}; `"review": "reviewed"` is the review
    kept beside the result (the window's). BadInput `no_path`; what `target_for` raises.
    """
    path = data.get("path")
    if not isinstance(path, str) or not path.strip().strip('"').strip():
        raise BadInput("Type where to save the result.", code="no_path")
    fmt = data.get("format")
    target = target_for(output, path, fmt if isinstance(fmt, str) else None)
    review = data.get("review")
    if review == "reviewed":
        review = output.review.as_save_review() if output.review is not None else None
    return target, data.get("force") is True, review if isinstance(review, dict) else None


def target_for(output: "ToolOutput", path: str, fmt: str | None) -> Path:
    """The file to write: `path`, with the extension of the chosen format (one of `formats`).

    BadOption `bad_choice` for a format the result does not offer; `wrong_extension` when the
    name asks for a spreadsheet the result cannot be (a re-encoded file named .xlsx).
    """
    target = Path(path.strip().strip('"').strip("'")).expanduser()   # Windows "Copy as path"
    offered = formats(output)
    suffix = target.suffix.lower()
    if fmt is None:
        if output.frame is None and suffix in (".xlsx", ".xls", ".ods") and "xlsx" not in offered:
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


def formats(output: "ToolOutput") -> list[str]:
    """The file types a result can be saved as, the usual one first (the UI's choice list)."""
    if output.frame is not None:
        return ["csv", "xlsx"]
    if output.sheet is not None:
        report = ["html"] if "profile" in output.view else []
        return [Path(output.suggested_name).suffix.lower().lstrip("."), "xlsx", *report]
    return []


def save_language(data: dict[str, Any]) -> str:
    """The window's language from a save request (`"language"`), for what the saved file says
    in words (the profile's HTML report); English for none or an unknown one."""
    language = data.get("language")
    return language if language in i18n.LANGUAGES else i18n.FALLBACK


def save_output(output: "ToolOutput", target: Path, *, force: bool,
                review: dict[str, Any] | None = None, progress: Progress | None = None,
                language: str = "en", escape_formulas: bool = False) -> Saved:
    """Write the result to a new file through the guarded writer: never over an input, never half a file.

    A duplicate review with a keep policy and `"merge_report": true` also writes the engine's
    merge report beside the table (`<stem>.merges.csv`, as `datatools dedupe --keep` does).
    A CSV follows the input's habits; a value the input's encoding cannot hold makes it UTF-8
    with a byte order mark instead (said in `notes`). A profile named .html is its report in
    `language` (one of i18n.LANGUAGES). A CSV's cells that a spreadsheet would run as formulas
    are counted in `notes` (`formulas_in_csv`), or with `escape_formulas` written with a leading
    apostrophe (`formulas_escaped`); an .xlsx holds them as text. Raises WouldOverwriteInput,
    OutputExists (without `force`), BadInput (no such folder), Cancelled.
    """
    progress = progress or silent()
    target = target.expanduser()
    if output.frame is None and output.sheet is not None and target.suffix.lower() == ".xlsx":
        from datatools import io

        io.write_table(output.sheet, target, force=force, inputs=output.inputs, progress=progress)
        return Saved(target)
    if "profile" in output.view and target.suffix.lower() in REPORT_SUFFIXES:
        habits = output.habits        # None for a spreadsheet: no encoding or separator to name
        name = output.inputs[0].name if output.inputs else output.suggested_name
        source = ReportSource(name, encoding_label(habits.encoding, habits.bom) if habits else "",
                              habits.delimiter if habits else "", list(output.warnings))
        write_file(target, profile_html(output.view["profile"], source, language),
                   inputs=output.inputs, force=force)
        return Saved(target)
    if output.frame is None:
        assert output.file is not None
        with open_output(target, inputs=output.inputs, force=force) as handle, \
                open(output.file, "rb") as source:
            shutil.copyfileobj(source, handle, 1 << 20)
        return Saved(target)
    from datatools.tools.dedupe import merge_report_path

    frame, merges = reviewed(output, review)
    wanted = merges is not None and bool((review or {}).get("merge_report"))
    report = merge_report_path(target) if wanted else None
    if report is not None and report.exists() and not force:
        raise OutputExists(f"{report} already exists. Choose another name, or allow replacing it.",
                           params={"file": report.name})
    saved = Saved(target, report)
    _write(frame, target, output, force, progress.stage(0.0, 0.95 if report else 1.0), saved.notes,
           escape_formulas)
    if report is not None:   # the engine's merge report, beside the table as the CLI puts it
        _write(merges, report, output, force, progress.stage(0.95, 1.0), saved.notes, escape_formulas)
    return saved


def _write(frame: "pd.DataFrame", target: Path, output: "ToolOutput", force: bool,
           progress: Progress, notes: list[dict[str, str]], escape_formulas: bool = False) -> None:
    from datatools import io

    habits = output.habits or CsvHabits()
    inputs = [*output.inputs]
    if target.suffix.lower() == ".tsv":
        habits = replace(habits, delimiter="\t")
    try:
        written = io.write_table(frame, target, force=force, inputs=inputs, delimiter=habits.delimiter,
                                 encoding=habits.encoding, bom=habits.bom, newline=habits.newline,
                                 sep_line=habits.sep_line, escape_formulas=escape_formulas,
                                 progress=progress)
    except UnicodeEncodeError as exc:
        character = exc.object[exc.start:exc.end]
        notes.append({"code": "saved_as_utf8", "message":
                      f"{character!r} cannot be written in {habits.encoding}, so the file is "
                      "UTF-8 (Excel reads it).", "character": character,
                      "encoding": habits.encoding})
        written = io.write_table(frame, target, force=force, inputs=inputs,
                                 delimiter=habits.delimiter, encoding="utf-8", bom=True,
                                 newline=habits.newline, sep_line=habits.sep_line,
                                 escape_formulas=escape_formulas, progress=progress)
    notes += [{"code": n.code, "message": str(n), **{k: str(v) for k, v in n.params.items()}}
              for n in written.notices()]


def reviewed_frame(output: "ToolOutput", review: dict[str, Any] | None) -> "pd.DataFrame":
    """The table to save after a duplicate review (see `reviewed`)."""
    return reviewed(output, review)[0]


def reviewed(output: "ToolOutput", review: dict[str, Any] | None
             ) -> tuple["pd.DataFrame", "pd.DataFrame | None"]:
    """The table to save after a duplicate review, and its merge report (None: no rows dropped).

    Goes through the engine's reject and keep functions. `review` = {"rejected": [cluster ids],
    "keep": "all" | one of the engine's KEEP_POLICIES, "survivors": {cluster id: row},
    "values"?: {cluster id: {column: row}}, "fill_empty"?: bool}: rejected groups lose their
    marks; a keep policy keeps one row per remaining group (the reviewer's survivor where one
    was chosen, else the row `datatools dedupe --keep` keeps), with the chosen values.
    A match review is {"rejected_matches": [frame rows]}: those matches are taken back
    (`reject_matches`). BadOption for any other `keep` or a malformed review.
    """
    assert output.frame is not None
    if not review or output.result is None:
        return output.frame, None
    if "rejected_matches" in review:      # a match review: the rejected matches are taken back
        from datatools.tools.match import reject_matches

        rows = review["rejected_matches"]
        if not isinstance(rows, list) or not all(isinstance(r, int) for r in rows):
            raise BadOption("The review's rejected matches must be a list of rows.", code="bad_review")
        return reject_matches(output.result, rows).frame, None
    from datatools.tools.dedupe import KEEP_POLICIES, keep_one_per_cluster, reject_clusters

    rejected = review.get("rejected") or []
    survivors = review.get("survivors") or {}
    values = review.get("values") or {}
    if not isinstance(rejected, list) or not isinstance(survivors, dict) \
            or not all(isinstance(row, int) for row in survivors.values()) \
            or not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        raise BadOption("The review's rejected groups must be a list.", code="bad_review")
    result = reject_clusters(output.result, [str(c) for c in rejected])
    keep = review.get("keep") or "all"
    if keep == "all":
        return result.frame, None
    if keep not in KEEP_POLICIES:
        raise BadOption(f"keep must be all, {', '.join(KEEP_POLICIES)}; not {keep!r}.",
                        code="bad_choice", params={"option": "keep", "value": str(keep)})
    kept = keep_one_per_cluster(result, keep, {str(k): v for k, v in survivors.items()},
                                values, review.get("fill_empty") is True)
    return kept.frame, kept.merges


def check_folder(target: Path) -> None:
    """Before a save job starts: BadOption `no_folder` when the folder does not exist,
    BadInput `output_is_folder` when the name is a folder."""
    if not target.parent.is_dir():
        raise BadOption(f"The folder {target.parent} does not exist.", code="no_folder",
                       params={"folder": str(target.parent)})
    if target.is_dir():
        raise BadInput(f"{target} is a folder; name a file to write.", code="output_is_folder")
