"""The match review of one finished match job: every left row listed — certain matches,
possible ones and rows with no partner — sorted and filtered by score, certainty or text; a
match taken back, or a possible match accepted, one by one or for a whole filtered set before
saving (DECISIONS 103, 189). A possible match starts undecided: Save writes it without its
partner until someone accepts it."""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Any

from datatools.app.review import PER_PAGE, GroupFilter
from datatools.app.weights import reason_json
from datatools.errors import BadOption

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.match import MatchResult
    from datatools.tools.review import MatchRejections
    from datatools.tools.waterfall import Waterfalls

SORTS = ("score", "-score", "file")
CONTEXT = 3          # columns of each side shown beside the paired ones
KINDS = ("none", "certain", "possible")    # a row's certainty, by its code in `MatchReview.kind`


class MatchReview:
    """Which matches of a `MatchResult` the reviewer rejected, and which possible ones they
    accepted (frame positions). `result` holds the possible matches' partners
    (`match_tables(include_possible=True)`); Save holds back those nobody accepted.

    Each row's score and certainty are numpy arrays (`score`: int32, -1 for a row with no
    partner; `kind`: uint8, the certainty's place in KINDS), and a filter's rows an array of
    positions: a million-row match's review is about 5 MB and its first page a few numpy
    passes, where Python lists of a score and a certainty a row, and a sort by Python key, made
    several hundred megabytes (DECISIONS 506)."""

    def __init__(self, result: "MatchResult", on: list[str], right_on: list[str],
                 files: tuple[str, str] = ("", ""), context: int = CONTEXT, key: str | None = None) -> None:
        frame = result.frame
        self.result = result
        self._shown(frame.columns, on, right_on, files, context, key, result.report.top)
        self._decided(frame["match_score"].astype(str), frame["match_certainty"].astype(str))
        # The text filter looks at every cell of the row, not only the compared ones.
        self.text = row_texts(frame)

    def _shown(self, names, on: list[str], right_on: list[str], files: tuple[str, str], context: int,
               key: str | None, top: int) -> None:
        """The columns a page shows, from the output's column `names`."""
        from datatools.tools.match import JOIN, MATCH_COLUMNS, RIGHT_PREFIX

        self.lock = threading.Lock()
        self.rejected: set[int] = set()
        self.accepted: set[int] = set()
        # Each side's paired columns, then up to `context` more of its columns (file order), so
        # a reviewer sees the city or amount that tells two "Anna Schmidt"s apart.
        names = [str(c) for c in names if c not in (*MATCH_COLUMNS, "match_rank")]
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
        # With several candidates a row (`top` > 1) the engine lists every candidate, possible
        # ones too: none is held back, so none waits for acceptance.
        self.holds = top == 1

    def _decided(self, scores, certainty) -> None:
        """Each output row's score (-1: no partner) and certainty code, from its match_score and
        match_certainty cells (text, "" or null for none; a pandas Series or an Arrow array)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        scores, certainty = (pc.fill_null(pa.chunked_array([pa.array(v, pa.string(), from_pandas=True)])
                                          if not isinstance(v, (pa.Array, pa.ChunkedArray)) else v, "")
                             for v in (scores, certainty))
        self.score = pc.cast(pc.if_else(pc.equal(scores, ""), "-1", scores), pa.int32()).to_numpy()
        self.kind = np.zeros(len(self.score), dtype=np.uint8)
        for code in (1, 2):
            self.kind[pc.equal(certainty, KINDS[code]).to_numpy(zero_copy_only=False)] = code

    def certainty_at(self, row: int) -> str:
        """Row `row`'s certainty: "certain", "possible" or "none" (no partner)."""
        return KINDS[self.kind[row]]

    def _text_rows(self, text: str) -> "np.ndarray":
        """Whether each row's cells hold `text` (casefolded), a bool array."""
        import numpy as np

        return np.fromiter((text in cells for cells in self.text), dtype=bool, count=len(self.text))

    def _waterfalls(self, rows: list[int]) -> "Waterfalls | None":
        """The engine's weights of rows `rows`, in that order, for the bars (None: no model)."""
        import numpy as np

        falls = self.result.waterfalls
        return None if falls is None else falls.take(np.asarray(rows, dtype=np.int64))

    def _cells(self, rows: list[int]) -> list[tuple[list[str], str]]:
        """Rows `rows`' shown cells (`self.columns`) and match_reason."""
        frame = self.result.frame
        where = [frame.columns.get_loc(c) for c in self.columns]
        reason = frame.columns.get_loc("match_reason")
        return [([str(frame.iat[row, k]) for k in where], str(frame.iat[row, reason])) for row in rows]

    def _matching(self, wanted: GroupFilter) -> "np.ndarray":
        """Rows the filter covers, ascending (int64 positions); a row with no partner has no
        score, so a score bound leaves it out."""
        import numpy as np

        text = wanted.text.casefold()
        covered = np.ones(len(self.score), dtype=bool)
        if wanted.min_score is not None or wanted.max_score is not None:
            covered &= self.score >= 0
        if wanted.min_score is not None:
            covered &= self.score >= wanted.min_score
        if wanted.max_score is not None:
            covered &= self.score <= wanted.max_score
        if wanted.certainty:
            covered &= self.kind == KINDS.index(wanted.certainty)
        if text:
            covered &= self._text_rows(text)
        return np.flatnonzero(covered)

    def page(self, wanted: GroupFilter, sort: str = "score", page: int = 1,
             per_page: int = PER_PAGE * 2) -> dict[str, Any]:
        """One page of the filtered rows, rows with no partner last in a score order;
        BadOption `bad_sort`."""
        if sort not in SORTS:
            raise BadOption(f"sort must be one of {', '.join(SORTS)}.", code="bad_sort")
        import numpy as np

        with self.lock:
            found = self._matching(wanted)
            if sort != "file":      # rows with no partner last, each score's rows in file order
                none = self.score[found] < 0
                order = np.where(none, 0, self.score[found]) * (1 if sort == "score" else -1)
                found = found[np.lexsort((order, none))]
            pages = max(1, math.ceil(len(found) / per_page))
            page = min(max(1, page), pages)
            shown = found[(page - 1) * per_page: page * per_page].tolist()
            falls = self._waterfalls(shown)
            return {"matches": [{"row": row, "number": row + 1,
                                 "score": None if self.score[row] < 0 else int(self.score[row]),
                                 "certainty": self.certainty_at(row),
                                 "rejected": row in self.rejected, "accepted": row in self.accepted,
                                 "cells": cells, **reason_json(reason, falls, k)}
                                for k, (row, (cells, reason)) in enumerate(zip(shown, self._cells(shown)))],
                    "columns": self.headers, "files": self.files, "holds": self.holds, "key": self.key,
                    "total": len(found), "page": page, "pages": pages,
                    "counts": self._counts()}

    def _counts(self) -> dict[str, int]:
        """What Save writes: rows with their match (certain ones, possible ones accepted),
        matches taken back, possible matches not decided (written without their partner), rows
        the engine found no partner for, and the rows of the file."""
        import numpy as np

        certain, possible = (int(n) for n in np.bincount(self.kind, minlength=3)[1:])
        rejected = np.fromiter(self.rejected, dtype=np.int64, count=len(self.rejected))
        rejected_certain = int(np.count_nonzero(self.kind[rejected] == 1))
        rejected_possible = len(self.rejected) - rejected_certain
        # listed candidates (`top` > 1) are written like accepted ones
        accepted = len(self.accepted) if self.holds else possible - rejected_possible
        return {"matched": certain - rejected_certain + accepted, "certain": certain - rejected_certain,
                "accepted": accepted, "undecided": possible - accepted - rejected_possible,
                "rejected": len(self.rejected), "no_partner": len(self.kind) - certain - possible,
                "unmatched": len(self.kind) - (certain - rejected_certain + accepted),
                "rows": len(self.kind)}

    def decide(self, data: dict[str, Any]) -> dict[str, Any]:
        """`{"row": n, "rejected": bool}` (a match taken back, or given back) or `{"row": n,
        "accepted": bool}` (a possible match accepted, or undecided again); either with
        `{"filter": {...}}` instead of a row for every row the filter covers. Rows with no
        partner are never changed; only possible matches are accepted. Returns the counts."""
        name = "accepted" if "accepted" in data else "rejected"
        value = data.get(name)
        if not isinstance(value, bool):
            raise BadOption(f"{name} must be true or false.", code="bad_review")
        import numpy as np

        with self.lock:
            if "filter" in data:
                rows = self._matching(GroupFilter.from_json(data["filter"] or {}))
            else:
                row = data.get("row")
                if not isinstance(row, int) or not 0 <= row < len(self.kind) or self.kind[row] == 0:
                    raise BadOption("There is no such match.", code="bad_review")
                rows = np.array([row], dtype=np.int64)
            wanted = (2,) if name == "accepted" and self.holds else () if name == "accepted" else (1, 2)
            rows = rows[np.isin(self.kind[rows], wanted)].tolist()
            chosen, other = (self.accepted, self.rejected) if name == "accepted" else (self.rejected, self.accepted)
            if value:
                chosen.update(rows)
                other.difference_update(rows)
            else:
                chosen.difference_update(rows)
            return {"counts": self._counts()}

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"counts": self._counts()}

    def as_record(self) -> "MatchRejections":
        """The decisions as the engine's record, for a save."""
        from datatools.tools.review import MatchRejections

        with self.lock:
            return MatchRejections(frozenset(self.rejected), frozenset(self.accepted))


def row_texts(frame) -> list[str]:
    """Each row's cells but the match columns, joined by tabs and casefolded: what the text
    filter looks in."""
    cells = frame.drop(columns=["match_score", "match_certainty", "match_reason"]).astype(str)
    return ["\t".join(row).casefold() for row in cells.itertuples(index=False, name=None)]
