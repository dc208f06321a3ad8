"""The rows of one finished compare job, a page at a time: every row of the diff, filtered by
status or by a changed column, each changed cell with its old and its new value (DECISIONS 135).

Kept beside the job's result like the duplicate review (datatools/app/review.py), so the
window pages through all the diff's rows, not the first 200. Which cells changed comes from the
engine (`CompareResult.changed_cells`), never from comparing texts here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from datatools.errors import BadOption

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.compare import CompareResult

PER_PAGE = 25                  # rows a page: the table and the pager fit a 1280×800 window
# `show`: "differs" = every row that is not unchanged (what `--changed-only` keeps), "all", or
# one status of the engine's (datatools.tools.compare.STATUSES).
DIFFERS, ALL = "differs", "all"


class CompareView:
    """Filtered pages over the diff of one `CompareResult`; read-only, so it needs no lock."""

    def __init__(self, result: "CompareResult") -> None:
        from datatools.tools.compare import OLD_SUFFIX, STATUS_COLUMNS, STATUSES

        diff = result.diff
        self.shows = (DIFFERS, ALL, *STATUSES)
        self.status = diff["status"].to_numpy(dtype=object)
        self.diff = diff
        # The table's columns sit after the four status columns (CompareResult.diff's layout);
        # by position, so a page reads 25 rows without copying the frame.
        self.at = list(range(len(STATUS_COLUMNS), len(STATUS_COLUMNS) + len(result.columns)))
        self.old_rows, self.new_rows = diff["old_row"].to_numpy(), diff["new_row"].to_numpy()
        summary = result.summary
        renamed = {r["new"]: r["old"] for r in summary.columns_renamed}
        kinds = {**{c: "added" for c in summary.columns_added},
                 **{c: "removed" for c in summary.columns_removed}, **{c: "key" for c in summary.key},
                 **{c: "renamed" for c in renamed}}
        self.columns = [{"name": c, "kind": kinds.get(c, "same"), "was": renamed.get(c)}
                        for c in result.columns]
        # Per table column: its place among the compared ones and its old values (or None).
        compared = {name: k for k, name in enumerate(result.compared)}
        self.changed = result.changed_cells
        self.position = {c: j for j, c in enumerate(result.columns)}
        self.compared_at = [compared.get(c) for c in result.columns]
        self.old_values = [diff[c + OLD_SUFFIX].to_numpy(dtype=object)
                           if c in compared and c + OLD_SUFFIX in diff.columns else None
                           for c in result.columns]
        self.changed_columns = [c for c in result.columns if c in summary.cells_changed]
        self.counts = {"all": len(diff), **{s: int((self.status == s).sum()) for s in STATUSES}}
        self.counts[DIFFERS] = self.counts["all"] - self.counts["unchanged"]

    def matching(self, show: str, column: str = "") -> "np.ndarray":
        """The diff rows (positions, in file order) that `show` and `column` select.

        BadOption `bad_choice` for a `show` not offered or a column without changes.
        """
        import numpy as np

        if show not in self.shows:
            raise BadOption(f"show must be one of {', '.join(self.shows)}.", code="bad_choice",
                            params={"option": "show", "value": show})
        if column and column not in self.changed_columns:
            raise BadOption(f"No cell of column {column!r} changed.", code="bad_choice",
                            params={"option": "column", "value": column})
        wanted = np.ones(len(self.status), dtype=bool) if show == ALL else \
            (self.status != "unchanged") if show == DIFFERS else (self.status == show)
        if column:
            wanted &= self.changed[:, self.compared_at[self.position[column]]]
        return np.flatnonzero(wanted)

    def page(self, show: str = DIFFERS, column: str = "", page: int = 1,
             per_page: int = PER_PAGE) -> dict[str, Any]:
        """One page of the selected rows: `{"rows": [{status, old_row, new_row, cells: [{value,
        old?}]}], "columns", "total", "page", "pages", "counts", "changed_columns"}`.

        A cell carries `old` only where its value changed. Pages count from 1; a page past the
        end gives the last one.
        """
        found = self.matching(show, column)
        pages = max(1, math.ceil(len(found) / per_page))
        page = min(max(1, page), pages)
        shown = found[(page - 1) * per_page: page * per_page].tolist()
        cells = self.diff.iloc[shown, self.at].to_numpy(dtype=object)   # one lookup a page
        return {"rows": [self._row(k, values) for k, values in zip(shown, cells)],
                "columns": self.columns, "total": len(found), "page": page, "pages": pages,
                "show": show, "column": column, "counts": self.counts,
                "changed_columns": self.changed_columns}

    def _row(self, k: int, values: "np.ndarray") -> dict[str, Any]:
        """Diff row `k` with its table cells `values`; `old` where the engine counted a change."""
        cells = []
        for j, value in enumerate(values):
            cell = {"value": str(value)}
            at = self.compared_at[j]
            if at is not None and self.changed[k, at] and self.old_values[j] is not None:
                cell["old"] = str(self.old_values[j][k])
            cells.append(cell)
        return {"status": str(self.status[k]), "old_row": str(self.old_rows[k]),
                "new_row": str(self.new_rows[k]), "cells": cells}
