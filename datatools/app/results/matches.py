"""Matches and the matches a reviewer took back (datatools/app/match_review.py); the saved
table is the engine's `MatchRejections.apply`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from datatools.app.results.base import TableResult

if TYPE_CHECKING:
    from datatools.app.match_review import MatchReview
    from datatools.tools.match import MatchResult
    from datatools.tools.review import MatchRejections, Reviewed


@dataclass
class Matches(TableResult):
    kind = "matches"
    result: "MatchResult | None" = None
    review: "MatchReview | None" = None

    def view(self) -> dict[str, Any]:
        return {}          # the review pages through the matches (GET /api/jobs/<id>/matches)

    def read_review(self, data: Any) -> "MatchRejections | None":
        from datatools.tools.review import MatchRejections

        return None if data is None else MatchRejections.from_json(data)

    def record(self, review: "MatchRejections | None") -> "MatchRejections":
        return review if review is not None else self.review.as_record()

    def reviewed(self, review: "MatchRejections") -> "Reviewed":
        return review.apply(self.result)
