"""Duplicate groups and their review: the window decides per group (datatools/app/review.py);
the saved table is the engine's `Review.apply` of those decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from datatools.app.results.base import TableResult

if TYPE_CHECKING:
    from datatools.app.review import DuplicateReview
    from datatools.tools.dedupe import DedupeResult
    from datatools.tools.review import Review, Reviewed


@dataclass
class Duplicates(TableResult):
    kind = "duplicates"
    result: "DedupeResult | None" = None
    review: "DuplicateReview | None" = None

    def view(self) -> dict[str, Any]:
        return {}          # the review pages through the groups (GET /api/jobs/<id>/groups)

    def read_review(self, data: Any) -> "Review | None":
        """A script's review (`Review.from_json`), or None for the window's."""
        from datatools.tools.review import Review

        return None if data is None else Review.from_json(data)

    def record(self, review: "Review | None") -> "Review":
        return review if review is not None else self.review.as_record()

    def reviewed(self, review: "Review") -> "Reviewed":
        return review.apply(self.result)

    def wants_merge_report(self, review: "Review") -> bool:
        return review.merge_report
