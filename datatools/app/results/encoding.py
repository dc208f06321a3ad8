"""A re-encoded file: the file itself, the lines that changed, and the start of the new file
as a table when it is one."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datatools.app.results.base import Result
from datatools.app.saving import Saved
from datatools.progress import Progress
from datatools.safe_write import open_output


@dataclass
class Reencoded(Result):
    kind = "encoding"
    file: Path | None = None                   # the new file, in the work folder
    samples: list[dict[str, Any]] = field(default_factory=list)
    table: dict[str, Any] | None = None        # its first rows, when it reads as a table
    evidence: dict[str, Any] | None = None     # what the detected encoding rests on (tool_jobs.encoding_evidence)

    def view(self) -> dict[str, Any]:
        return {"samples": self.samples, "table": self.table, "evidence": self.evidence}

    def write(self, target: Path, *, force: bool, progress: Progress | None = None,
              language: str = "en", review: Any = None, bom: bool = False,
              escape_formulas: bool = False) -> Saved:
        """A byte copy of the new file."""
        target = target.expanduser()
        with open_output(target, inputs=self.inputs, force=force) as handle, open(self.file, "rb") as source:
            shutil.copyfileobj(source, handle, 1 << 20)
        return Saved(target)
