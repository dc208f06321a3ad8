"""A comparison: the schema changes and counts, the diff's rows a page at a time
(GET /api/jobs/<id>/diff, datatools/app/compare_view.py), and the diff as the saved table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from datatools.app.compare_view import CompareView
from datatools.app.results.base import TableResult


@dataclass
class Comparison(TableResult):
    kind = "compare"
    compare: CompareView | None = None         # the diff's rows, paged
    overview: dict[str, Any] = field(default_factory=dict)   # notes, key candidates, counts
    second: dict[str, Any] = field(default_factory=dict)     # how the new version was read

    def view(self) -> dict[str, Any]:
        return {"compare": self.overview}

    def recipe_step(self, key: str | None = None):
        """The compare step: its options and how the new version was read (no decisions)."""
        from datatools.tools.recipe import Step, step_options

        return Step("compare", step_options(self.options), import_settings=dict(self.second))
