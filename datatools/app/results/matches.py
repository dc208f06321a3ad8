"""Matches and the matches a reviewer took back (datatools/app/match_review.py); the saved
table is the engine's `MatchRejections.apply`."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    widths: tuple[int, int] = (0, 0)          # the left and the right table's column counts
    right_key: str | None = None              # the right table's key column (`recipe.key_column`)
    second: dict[str, Any] = field(default_factory=dict)          # how the right file was read
    recipe_report: dict[str, Any] = field(default_factory=dict)   # a replayed recipe: applied, gone

    def view(self) -> dict[str, Any]:
        # the review pages through the matches (GET /api/jobs/<id>/matches)
        return {"recipe": self.recipe_report} if self.recipe_report else {}

    def key_columns(self) -> list[str]:
        return [str(c) for c in self.result.frame.columns[:self.widths[0]]]

    def _keys(self, key: str | None, right_key: str | None, rows=None) -> tuple[list[str], list[str]]:
        """(left keys, right keys) of the table's rows (`rows`: at least those)."""
        from datatools.tools.recipe_replay import match_keys

        return match_keys(self.result.frame, *self.widths, key, right_key)

    def recipe_step(self, key: str | None = None):
        """The match step: options, how the right file was read, and the matches taken back and
        the possible ones accepted, each by its left row's key (`key`, else content) and its right row's (the right
        table's key column, else content)."""
        from datatools.tools.recipe import Step, step_options
        from datatools.tools.recipe_replay import decisions_from_rejections

        record = self.review.as_record()
        accepted = [r for r in sorted(record.accepted) if self.review.certainty_at(r) == "possible"]
        return Step("match", step_options(self.options), key, {},
                    decisions_from_rejections(sorted(record.rows),
                                              *self._keys(key, self.right_key, [*record.rows, *accepted]),
                                              accepted),
                    self.right_key, dict(self.second))

    def apply_recipe(self, step) -> None:
        """The step's taken-back and accepted matches on this run, as the window's review; what could not
        be placed is kept for the view (`recipe_report`)."""
        replayed = self._replayed(step)
        with self.review.lock:
            self.review.rejected = set(replayed.review)
            self.review.accepted = set(replayed.accepted)
        self.recipe_report = {"applied": replayed.applied, "gone": replayed.gone}

    def _replayed(self, step):
        """The step's decisions placed on this run's table (`recipe_replay.Replayed`)."""
        from datatools.tools.recipe_replay import replay_rejections

        return replay_rejections(step, self.result.frame, *self._keys(step.key, step.right_key))

    def read_review(self, data: Any) -> "MatchRejections | None":
        from datatools.tools.review import MatchRejections

        return None if data is None else MatchRejections.from_json(data)

    def record(self, review: "MatchRejections | None") -> "MatchRejections":
        return review if review is not None else self.review.as_record()

    def reviewed(self, review: "MatchRejections") -> "Reviewed":
        return review.apply(self.result)
