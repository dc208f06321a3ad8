"""Duplicate groups and their review: the window decides per group (datatools/app/review.py);
the saved table is the engine's `Review.apply` of those decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    recipe_report: dict[str, Any] = field(default_factory=dict)   # a replayed recipe: applied, gone

    def view(self) -> dict[str, Any]:
        # the review pages through the groups (GET /api/jobs/<id>/groups)
        return {"recipe": self.recipe_report} if self.recipe_report else {}

    def key_columns(self) -> list[str]:
        return list(self.review.columns)

    def _keys(self, key: str | None) -> list[str]:
        from datatools.tools.dedupe import OUTPUT_COLUMNS
        from datatools.tools.recipe import row_keys

        return row_keys(self.result.frame.drop(columns=list(OUTPUT_COLUMNS)), key)

    def recipe_step(self, key: str | None = None):
        """The dedupe step: options, the review's settings and its decisions by row key."""
        from datatools.tools.recipe import Step, step_options
        from datatools.tools.recipe_replay import decisions_from_review, review_settings

        record = self.review.as_record()
        return Step("dedupe", step_options(self.options, "keep"), key, review_settings(record),
                    decisions_from_review(record, self.result, self._keys(key)))

    def apply_recipe(self, step) -> None:
        """The step's decisions on this run's groups, as the window's review; what could not
        be placed is kept for the view (`recipe_report`)."""
        from datatools.tools.recipe_replay import replay_decisions

        replayed = replay_decisions(step, self.result, self._keys(step.key))
        with self.review.lock:
            self.review.record = replayed.review
            if self.review.record.keep not in self.review.keep_choices:
                self.review.record.keep = self.review.keep_choices[0]
        self.recipe_report = {"applied": replayed.applied, "gone": replayed.gone}

    def read_review(self, data: Any) -> "Review | None":
        """A script's review (`Review.from_json`), or None for the window's."""
        from datatools.tools.review import Review

        return None if data is None else Review.from_json(data)

    def record(self, review: "Review | None") -> "Review":
        return review if review is not None else self.review.as_record()

    def reviewed(self, review: "Review") -> "Reviewed":
        """The review applied; its merge list also names the kept and dropped rows by the
        table's key column, when it has one (`key_column`)."""
        from datatools.tools.recipe_replay import with_keys

        reviewed = review.apply(self.result)
        key = self.key_column()
        if reviewed.merges is not None and key is not None:
            reviewed.merges = with_keys(reviewed.merges, self._keys(key), key)
        return reviewed

    def key_column(self) -> str | None:
        """The table's key column, if it has one (`recipe.key_column`, found by the review)."""
        return self.review.key

    def wants_merge_report(self, review: "Review") -> bool:
        return review.merge_report
