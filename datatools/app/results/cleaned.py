"""A cleaned table: per column what changed (counted by comparing before and after)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from datatools.app.results.base import TableResult, table_view


@dataclass
class Cleaned(TableResult):
    kind = "cleaned"
    changes: list[list[str]] = field(default_factory=list)   # column, step, cells
    notes: list[Any] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)   # per column: kind and rules
    examples: list[dict[str, Any]] = field(default_factory=list)  # per column: before → after
    cells: Any = None            # the workbook read, its unchanged cells kept (io/xlsx_cells.py)

    def source_cells(self) -> Any:
        return self.cells

    def recipe_step(self, key: str | None = None):
        from datatools.tools.recipe import Step, step_options

        return Step("clean", step_options(self.options, "plan"))

    def view(self) -> dict[str, Any]:
        return {"changes": self.changes, "notes": self.notes, "columns": self.columns,
                "examples": self.examples, "table": table_view(self.frame)}
