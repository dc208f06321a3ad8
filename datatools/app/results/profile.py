"""A profile: per column its type, fill and top values; saved as JSON, a workbook or an HTML
report in the window's language (datatools/tools/profile_report.py)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datatools.app.results.base import Result
from datatools.app.saving import REPORT_SUFFIXES, Saved
from datatools.progress import Progress, silent
from datatools.safe_write import open_output, write_file

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Profile(Result):
    kind = "profile"
    profile: dict[str, Any] = field(default_factory=dict)
    file: Path | None = None                   # the profile as JSON, in the work folder
    sheet: "pd.DataFrame | None" = None        # the profile as a table, for a workbook

    def view(self) -> dict[str, Any]:
        return {"profile": self.profile}

    def formats(self) -> list[str]:
        return ["json", "xlsx", "html"]

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """.xlsx: the sheet; .html/.htm: the report in `language`; else the JSON."""
        from datatools import io
        from datatools.tools.profile_report import ReportSource, encoding_label, profile_html

        target = target.expanduser()
        suffix = target.suffix.lower()
        if suffix == ".xlsx":
            io.write_table(self.sheet, target, force=force, inputs=self.inputs, progress=progress or silent())
        elif suffix in REPORT_SUFFIXES:
            habits = self.habits        # None for a spreadsheet: no encoding or separator to name
            name = self.inputs[0].name if self.inputs else self.suggested_name
            source = ReportSource(name, encoding_label(habits.encoding, habits.bom) if habits else "",
                                  habits.delimiter if habits else "", list(self.warnings))
            write_file(target, profile_html(self.profile, source, language), inputs=self.inputs, force=force)
        else:
            with open_output(target, inputs=self.inputs, force=force) as handle, open(self.file, "rb") as source:
                shutil.copyfileobj(source, handle, 1 << 20)
        return Saved(target)
