"""The match review of one finished match job: every match listed, sorted and filtered by
score, and taken back one by one or for a whole filtered set before saving (DECISIONS 103)."""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Any

from datatools.app.review import PER_PAGE, GroupFilter
from datatools.errors import BadOption

if TYPE_CHECKING:
    from datatools.tools.match import MatchResult
    from datatools.tools.review import MatchRejections

SORTS = ("score", "-score", "file")
CONTEXT = 3          # columns of each side shown beside the paired ones


class MatchReview:
    """Which matches of a `MatchResult` the reviewer rejected (frame positions)."""

    def __init__(self, result: "MatchResult", on: list[str], right_on: list[str],
                 files: tuple[str, str] = ("", ""), context: int = CONTEXT, key: str | None = None) -> None:
        from datatools.tools.match import JOIN, RIGHT_PREFIX

        self.result = result
        self.lock = threading.Lock()
        self.rejected: set[int] = set()
        frame = result.frame
        # Each side's paired columns, then up to `context` more of its columns (file order), so
        # a reviewer sees the city or amount that tells two "Anna Schmidt"s apart.
        names = [str(c) for c in frame.columns if c not in ("match_score", "match_reason", "match_rank")]
        right_on = [part.strip() for name in right_on for part in name.split(JOIN)]   # given + surname
        left = [c for c in names if not c.startswith(RIGHT_PREFIX)]
        right = [c[len(RIGHT_PREFIX):] for c in names if c.startswith(RIGHT_PREFIX)]
        # The first file's key column (Bestellung), when it has one, is shown first and pinned
        # beside the wrong-match choice and the similarity while the table scrolls sideways.
        self.key = key if key in left else None
        left = [*on, *[c for c in left if c not in on][:context]]
        if self.key is not None:
            left = [self.key, *(c for c in left if c != self.key)]
        right = [*right_on, *[c for c in right if c not in right_on][:context]]
        self.columns = [*left, *(RIGHT_PREFIX + c for c in right)]
        self.headers = [{"name": c, "side": "left", "paired": c in on} for c in left] + \
            [{"name": c, "side": "right", "paired": c in right_on} for c in right]
        self.files = list(files)
        scores = frame["match_score"].tolist()
        self.scores = [int(s) if s != "" else None for s in scores]
        # The text filter looks at every cell of the row, not only the compared ones.
        cells = frame.drop(columns=["match_score", "match_reason"]).astype(str)
        self.text = ["\t".join(row).casefold() for row in cells.itertuples(index=False, name=None)]

    def _matching(self, wanted: GroupFilter) -> list[int]:
        text = wanted.text.casefold()
        return [row for row, score in enumerate(self.scores)
                if score is not None
                and (wanted.min_score is None or score >= wanted.min_score)
                and (wanted.max_score is None or score <= wanted.max_score)
                and (not text or text in self.text[row])]

    def page(self, wanted: GroupFilter, sort: str = "score", page: int = 1,
             per_page: int = PER_PAGE * 2) -> dict[str, Any]:
        """One page of the filtered matches (unmatched rows are not listed); BadOption `bad_sort`."""
        if sort not in SORTS:
            raise BadOption(f"sort must be one of {', '.join(SORTS)}.", code="bad_sort")
        with self.lock:
            found = self._matching(wanted)
            if sort != "file":
                found.sort(key=lambda row: self.scores[row] * (1 if sort == "score" else -1))
            pages = max(1, math.ceil(len(found) / per_page))
            page = min(max(1, page), pages)
            frame = self.result.frame
            shown = found[(page - 1) * per_page: page * per_page]
            return {"matches": [{"row": row, "number": row + 1, "score": self.scores[row],
                                 "rejected": row in self.rejected,
                                 "cells": [str(frame.iat[row, frame.columns.get_loc(c)]) for c in self.columns],
                                 "reason": str(frame.at[row, "match_reason"])} for row in shown],
                    "columns": self.headers, "files": self.files, "key": self.key,
                    "total": len(found), "page": page, "pages": pages,
                    "counts": self._counts()}

    def _counts(self) -> dict[str, int]:
        matched = sum(1 for s in self.scores if s is not None)
        return {"matched": matched - len(self.rejected), "rejected": len(self.rejected),
                "unmatched": len(self.scores) - matched}

    def decide(self, data: dict[str, Any]) -> dict[str, Any]:
        """`{"row": n, "rejected": bool}` or `{"filter": {...}, "rejected": bool}`; the counts."""
        rejected = data.get("rejected")
        if not isinstance(rejected, bool):
            raise BadOption("rejected must be true or false.", code="bad_review")
        with self.lock:
            if "filter" in data:
                rows = self._matching(GroupFilter.from_json(data["filter"] or {}))
            else:
                row = data.get("row")
                if not isinstance(row, int) or not 0 <= row < len(self.scores) or self.scores[row] is None:
                    raise BadOption("There is no such match.", code="bad_review")
                rows = [row]
            if rejected:
                self.rejected.update(rows)
            else:
                self.rejected.difference_update(rows)
            return {"counts": self._counts()}

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"counts": self._counts()}

    def as_record(self) -> "MatchRejections":
        """The matches taken back as the engine's record, for a save."""
        from datatools.tools.review import MatchRejections

        with self.lock:
            return MatchRejections(frozenset(self.rejected))
