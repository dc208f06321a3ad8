"""What cleaning would do, before a run: per column its kind, rules and samples. Nothing to
save; the clean tool's rules table (datatools/ui/clean_rules.js) shows it, not a result view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from datatools.app.results.base import Result


@dataclass
class CleanPlan(Result):
    kind = "plan"
    plan: list[dict[str, Any]] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    rows: int = 0

    def view(self) -> dict[str, Any]:
        return {"plan": self.plan, "notes": self.notes, "rows": self.rows}
