"""The duplicate review of one finished dedupe job: every group listed, filtered, sorted, decided.

The review lives on the server beside the job's result, so the window can page through
thousands of groups, apply one decision to a filtered set, and always say what saving will do.
The decisions are an engine record (`datatools.tools.review.Review`), which saving applies; the
rows a group keeps come from the engine (`policy_kept`, `keep_one_per_cluster`), never from here.
"""

from __future__ import annotations

import math
import threading
from itertools import chain
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from datatools.app.weights import reason_json
from datatools.errors import BadOption
from datatools.tools.review import DECISIONS, DIFFERENT, KEEP_ALL, SAME, UNDECIDED, Review

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.dedupe import DedupeResult
    from datatools.tools.survivors import Survivor

SORTS = ("score", "-score", "-size", "file")   # "score": the least sure groups first
PER_PAGE = 10                          # groups a page: Save stays a short scroll away
CERTAINTIES = ("", "certain", "possible", "none")   # the certainty filter ("": any)


@dataclass(frozen=True)
class GroupFilter:
    """Which groups a list or a bulk decision covers; every part optional."""

    min_score: float | None = None
    max_score: float | None = None
    text: str = ""                     # any cell of the group contains it (case-insensitive)
    differs: str = ""                  # the group's rows disagree in this column
    certainty: str = ""                # "certain", "possible" (or, for matches, "none": no partner)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GroupFilter":
        """BadOption `bad_filter` for a score that is not a number, `bad_choice` for a
        certainty that is not one of CERTAINTIES."""
        def number(name: str) -> float | None:
            value = data.get(name)
            if value in (None, ""):
                return None
            try:
                return float(value)
            except (TypeError, ValueError):
                raise BadOption(f"'{value}' is not a number.", code="bad_filter",
                                params={"value": str(value)}) from None
        certainty = str(data.get("certainty") or "")
        if certainty not in CERTAINTIES:
            raise BadOption(f"certainty must be one of {', '.join(CERTAINTIES[1:])}.", code="bad_choice",
                            params={"option": "certainty", "value": certainty})
        return cls(number("min_score"), number("max_score"), str(data.get("text") or "").strip(),
                   str(data.get("differs") or ""), certainty)


class GroupCells:
    """The grouped rows' cells as text, one numpy row per row, groups one after another (group
    k's rows from starts[k]), and per group the columns its rows disagree in (`differs`, a bool
    matrix): a group's cells become Python lists when something reads them, which is the groups
    of a page, not all of them before the first page is shown (DECISIONS 414)."""

    def __init__(self, columns: list[str], values: "np.ndarray", starts: list[int],
                 differs: "np.ndarray") -> None:
        self.columns = columns
        self.values = values
        self.starts = starts
        self.differs = differs

    def cells(self, group: "_Group") -> dict[int, list[str]]:
        """A group's cells as text, by row, kept in the group once read."""
        if group._cells is None:
            start = self.starts[group.index]
            group._cells = dict(zip(group.rows, self.values[start:start + len(group.rows)].tolist()))
        return group._cells

    def text_test(self, text: str, groups: list["_Group"]):
        """A test of whether one of `groups` (this table's) has a cell holding `text` (already
        casefolded): each group's text is made when the test first asks for it."""
        return lambda group: text in group.text


@dataclass(slots=True)
class _Group:
    id: str
    rows: list[int]
    score: int
    table: GroupCells
    index: int                         # its place among the table's groups
    _cells: dict[int, list[str]] | None = None
    _differs: frozenset[str] | None = None
    _text: str | None = None

    @property
    def differs(self) -> frozenset[str]:
        """The columns whose values are not all the same (stripped, case-folded)."""
        if self._differs is None:
            hits = self.table.differs[self.index]
            self._differs = frozenset(name for name, hit in zip(self.table.columns, hits) if hit)
        return self._differs

    @property
    def cells(self) -> dict[int, list[str]]:
        """Each row's values, for its surviving row, by row."""
        return self.table.cells(self)

    @property
    def text(self) -> str:
        """Every cell, folded, for the text filter: made on the first search, not for every
        group before the first page is shown."""
        if self._text is None:
            self._text = "\n".join("\t".join(row) for row in self.cells.values()).casefold()
        return self._text


class DuplicateReview:
    """Decisions on the groups of one `DedupeResult`.

    Each group's rows are the same (merged: one row survives, the reviewer's choice, else the
    `keep` policy's), different (kept apart: its rows lose their marks) or undecided (every row
    kept, marked). `keep` = "all" saves every row. A merged group's surviving row may take a
    column's value from another of its rows (`values`), and with `fill_empty` its empty cells
    from them (`survivors.surviving_row`). The decisions are `self.record`, an engine `Review`.
    `keep` is the registry's desktop default for the dedupe tool's keep option.
    """

    def __init__(self, result: "DedupeResult", keep: str | None = None) -> None:
        from datatools import registry

        self.result = result
        self.columns = self._data_columns(result)
        # The column that names each row (Kundennr), pinned beside the keep choice and the
        # similarity while the table scrolls sideways; None when no column does.
        self.key = self._key_column(result)
        self.lock = threading.Lock()
        self.keep_choices = registry.desktop_choices("dedupe", "keep")
        self.record = Review(keep=keep or self.keep_choices[0], merge_report=True,
                             possible=Review.possible_groups(result))
        self._taken: dict[str, tuple[Any, int]] = {}   # group → (its choices, values taken)
        # policy → {group: the row it keeps}, worked out for the groups shown (a page's), or all
        # at once where all are needed (`_values_taken`)
        self._policy_survivors: dict[str, dict[str, int]] = {}
        self.groups = self._groups(result)
        self._by_id = {group.id: group for group in self.groups}

    def _data_columns(self, result: "DedupeResult") -> list[str]:
        """The table's columns (the frame's, but the engine's output columns)."""
        from datatools.tools.dedupe import OUTPUT_COLUMNS

        return [str(c) for c in result.frame.columns if c not in OUTPUT_COLUMNS]

    def _key_column(self, result: "DedupeResult") -> str | None:
        from datatools.tools.recipe import key_column

        return key_column(result.frame, self.columns)

    def _groups(self, result: "DedupeResult") -> list[_Group]:
        """Each cluster with the columns its rows disagree in, in a few vectorised passes over
        the clustered rows only (a per-cluster loop of pandas calls took minutes for the 12,000
        groups of a million-row list); a group's cells are read when it is shown."""
        import numpy as np

        clusters = result.clusters
        self._table: GroupCells | None = None
        if not clusters:
            self._differs_choices: list[str] = []
            return []
        sizes = np.fromiter((len(c.rows) for c in clusters), np.int64, len(clusters))
        rows = np.fromiter(chain.from_iterable(c.rows for c in clusters), np.int64, int(sizes.sum()))
        # Each group's rows are consecutive in `rows`: group k's from starts[k].
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self._table = table = self._cell_table(result, rows, starts)
        self._differs_choices = [c for c, hit in zip(self.columns, table.differs.any(axis=0)) if hit]
        # a group's rows are its cluster's list (read, never changed): one list per group
        return [_Group(c.id, c.rows, c.score, table, k) for k, c in enumerate(clusters)]

    def _cell_table(self, result: "DedupeResult", rows: "np.ndarray", starts: "np.ndarray") -> GroupCells:
        """The clustered rows' cells (`rows`: the groups' rows one group after another, group k's
        from `starts[k]`) as text, and the columns each group differs in."""
        import numpy as np
        import pandas as pd

        labels = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(rows))))
        cells = result.frame.iloc[rows][self.columns].astype(str)
        folded = pd.DataFrame({c: cells[c].str.strip().str.casefold() for c in self.columns})
        folded.index = labels
        differs = (folded.groupby(level=0, sort=True).nunique() > 1).to_numpy()
        return GroupCells(self.columns, cells.to_numpy(dtype=object), starts.tolist(), differs)

    # ------------------------------------------------------------------ reading

    def policy_survivor(self, group_id: str) -> int:
        """The row the current keep policy keeps in a group (the engine decides)."""
        policy = self.keep_choices[0] if self.record.keep == KEEP_ALL else self.record.keep
        known = self._policy_survivors.setdefault(policy, {})
        if group_id not in known:
            self._policy_survivors_of([self._by_id[group_id]])
        return known[group_id]

    def _policy_survivors_of(self, groups: list[_Group]) -> None:
        """The current policy's kept row of each of `groups` not yet known, in one call of the
        engine's `policy_kept` (a group's kept row depends on its rows alone)."""
        policy = self.keep_choices[0] if self.record.keep == KEEP_ALL else self.record.keep
        known = self._policy_survivors.setdefault(policy, {})
        wanted = [self.result.clusters[group.index] for group in groups if group.id not in known]
        if wanted:
            known.update(self._engine_kept(policy, wanted))

    def _engine_kept(self, policy: str, clusters: list) -> dict[str, int]:
        """The engine's `policy_kept` of `clusters` (`Cluster`s of the result's rows)."""
        from datatools.tools.dedupe import policy_kept

        return policy_kept(self.result, policy, clusters)

    def _remaining(self, group: _Group) -> list[int]:
        """The group's rows that were not split out of it."""
        out = self.record.split.get(group.id)
        return [row for row in group.rows if row not in out] if out else group.rows

    def _policy_kept(self, group: _Group, rows: list[int]) -> int:
        """The row the keep policy keeps among `rows` of a group split by the reviewer: the
        engine's `policy_kept` on those rows alone, as `Review.apply` will run it."""
        from datatools.tools.dedupe import Cluster

        if len(rows) == len(group.rows):
            return self.policy_survivor(group.id)
        policy = self.keep_choices[0] if self.record.keep == KEEP_ALL else self.record.keep
        return self._engine_kept(policy, [Cluster(group.id, rows, group.score)])[group.id]

    def _decision(self, group: _Group) -> str:
        """The group's decision; a group split down to one row is no group: kept apart."""
        return DIFFERENT if len(self._remaining(group)) < 2 else self.record.decision(group.id)

    def matching(self, wanted: GroupFilter) -> list[_Group]:
        text = wanted.text.casefold()
        has_text = self._table.text_test(text, self.groups) if text and self.groups else None
        possible = self.record.possible
        return [g for g in self.groups
                if (wanted.min_score is None or g.score >= wanted.min_score)
                and (wanted.max_score is None or g.score <= wanted.max_score)
                and (has_text is None or has_text(g))
                and (not wanted.differs or wanted.differs in g.differs)
                and (not wanted.certainty or wanted.certainty == ("possible" if g.id in possible else "certain"))]

    def page(self, wanted: GroupFilter, sort: str = "score", page: int = 1,
             per_page: int = PER_PAGE) -> dict[str, Any]:
        """One page of the filtered, sorted groups with their rows, and the save counts.

        Pages count from 1; a page past the end gives the last page. BadOption `bad_sort`.
        """
        if sort not in SORTS:
            raise BadOption(f"sort must be one of {', '.join(SORTS)}.", code="bad_sort")
        with self.lock:
            found = self.matching(wanted)
            key = {"score": lambda g: g.score, "-score": lambda g: -g.score,
                   "-size": lambda g: -len(g.rows), "file": lambda g: g.rows[0]}[sort]
            found.sort(key=key)      # stable: ties stay in file order
            pages = max(1, math.ceil(len(found) / per_page))
            page = min(max(1, page), pages)
            shown = found[(page - 1) * per_page: page * per_page]
            self._policy_survivors_of(shown)
            return {"groups": [self._group_json(g) for g in shown], "total": len(found),
                    "page": page, "pages": pages, "columns": self.columns, "key": self.key,
                    "differs_choices": self._differs_choices, **self._state()}

    def _kept(self, group: _Group) -> int | None:
        """The surviving row: the reviewer's choice, else the keep policy's among the rows not
        split out (None when the group has no row left)."""
        rows = self._remaining(group)
        chosen = self.record.survivors.get(group.id)
        if chosen in rows:
            return chosen
        return self._policy_kept(group, rows) if rows else None

    def _survivor(self, group: _Group) -> "Survivor":
        from datatools.tools.survivors import surviving_row

        rows = self._remaining(group)
        return surviving_row(group.id, {row: group.cells[row] for row in rows}, self.columns,
                             self._kept(group), self.record.values.get(group.id), self.record.fill_empty)

    def _reasons(self, rows: list[int]) -> list[str]:
        """The match_reason of `rows`."""
        frame = self.result.frame
        return [str(frame.at[row, "match_reason"]) for row in rows]

    def _scores(self, rows: list[int]) -> list[str]:
        """The match_score of `rows`."""
        frame = self.result.frame
        return [str(frame.at[row, "match_score"]) for row in rows]

    def _group_json(self, group: _Group) -> dict[str, Any]:
        reasons = dict(zip(group.rows, self._reasons(group.rows)))
        scores = dict(zip(group.rows, self._scores(group.rows)))
        out = set(self.record.split.get(group.id, ()))
        whole = len(group.rows) - len(out) >= 2
        survivor = self._kept(group) if whole else None
        merged = self._survivor(group) if whole else None
        return {"id": group.id, "score": group.score, "size": len(group.rows),
                "decision": self._decision(group),
                # a group split down to one row is no group any more: every row is saved
                "whole": whole,
                # certain groups start as the same, possible ones undecided (the engine's say)
                "certain": group.id not in self.record.possible,
                # among the rows left in the group: a row taken out no longer makes a column differ
                "differs": [c for k, c in enumerate(self.columns) if (c in group.differs if not out else len(
                    {group.cells[row][k].strip().casefold() for row in group.rows if row not in out}) > 1)],
                # columns whose cells are not all identical: a value can be chosen in them
                "varies": [c for k, c in enumerate(self.columns)
                           if len({group.cells[row][k] for row in group.rows if row not in out}) > 1],
                "survivor": None if merged is None else {
                    "cells": merged.values, "sources": merged.sources,
                    "taken": [v.column for v in merged.taken]},
                "rows": [{"row": row, "number": row + 1, "kept": row == survivor,
                          "split": row in out, "cells": group.cells[row],
                          "score": scores[row],
                          # the engine's weights as data, for the bars (app/weights.py)
                          **reason_json(reasons[row], self.result.waterfalls, row)}
                         for row in group.rows]}

    def counts(self) -> dict[str, int]:
        """What saving does now: groups merged and kept apart, rows removed, rows written."""
        record = self.record
        decided = [self._decision(g) for g in self.groups]
        merged = decided.count(SAME)
        removed = 0 if record.keep == KEEP_ALL else sum(
            len(self._remaining(g)) - 1 for g, decision in zip(self.groups, decided) if decision == SAME)
        return {"groups": len(self.groups), "merged": merged, "apart": decided.count(DIFFERENT),
                "undecided": decided.count(UNDECIDED),
                "split": sum(len(rows) for rows in record.split.values()),
                "removed": removed, "rows_saved": len(self.result.frame) - removed,
                "values": 0 if record.keep == KEEP_ALL else self._values_taken()}

    def _values_taken(self) -> int:
        """Values the merged groups' surviving rows take from other rows (cached per group:
        with `fill_empty` on, every group is looked at, thousands of them)."""
        total = 0
        record = self.record
        groups = self.groups if record.fill_empty else [self._by_id[g] for g in record.values]
        self._policy_survivors_of(groups)
        for group in groups:
            if self._decision(group) != SAME:
                continue
            key = (self._kept(group), tuple(sorted(record.values.get(group.id, {}).items())),
                   record.fill_empty, tuple(record.split.get(group.id, ())))
            if self._taken.get(group.id, (None,))[0] != key:
                self._taken[group.id] = (key, len(self._survivor(group).taken))
            total += self._taken[group.id][1]
        return total

    def _state(self) -> dict[str, Any]:
        return {"counts": self.counts(), "keep": self.record.keep, "keep_choices": self.keep_choices,
                "merge_report": self.record.merge_report, "fill_empty": self.record.fill_empty}

    def state(self) -> dict[str, Any]:
        """The counts and global choices (what the review's status line shows)."""
        with self.lock:
            return self._state()

    # ------------------------------------------------------------------ deciding

    def decide(self, data: dict[str, Any]) -> dict[str, Any]:
        """Apply one change; returns `state()`. BadOption for unknown groups, rows or choices.

        `{"keep": policy}` · `{"merge_report": bool}` · `{"fill_empty": bool}`
        · `{"group": id, "decision": same|different|undecided}` · `{"group": id, "survivor": row}`
        · `{"group": id, "value": {"column": name, "row": row | null}}` (the surviving row takes
        that column from that row; null: from the kept row again)
        · `{"group": id, "split": {"row": row, "out": bool}}` (the row is not one of the group:
        saved as its own record; out false puts it back) · `{"filter": {...},
        "decision": …}` (every group the filter matches, on every page). Rows are
        0-based input positions. A value choice errs like `survivors.check_value_choices`.
        """
        record = self.record
        with self.lock:
            if "keep" in data:
                if data["keep"] not in self.keep_choices:
                    raise BadOption(f"keep must be one of {', '.join(self.keep_choices)}.",
                                    code="bad_choice", params={"option": "keep", "value": str(data["keep"])})
                record.keep = data["keep"]
            if "merge_report" in data:
                record.merge_report = data["merge_report"] is True
            if "fill_empty" in data:
                record.fill_empty = data["fill_empty"] is True
            decision = data.get("decision")
            if decision is not None and decision not in DECISIONS:
                raise BadOption(f"decision must be one of {', '.join(DECISIONS)}.", code="bad_review")
            if "filter" in data and decision:
                chosen = self.matching(GroupFilter.from_json(data["filter"] or {}))
                self._set(chosen, decision)
            elif "group" in data:
                group = self._by_id.get(str(data["group"]))
                if group is None:
                    raise BadOption("There is no such group.", code="bad_review")
                if decision:
                    self._set([group], decision)
                if "survivor" in data:
                    row = data["survivor"]
                    if not isinstance(row, int) or row not in self._remaining(group):
                        raise BadOption("That row is not in this group.", code="bad_review")
                    record.survivors[group.id] = row
                    record.decisions[group.id] = SAME
                if "value" in data:
                    self._choose_value(group, data["value"])
                if "split" in data:
                    self._split(group, data["split"])
            return self._state()

    def _split(self, group: _Group, choice: Any) -> None:
        """Take a row out of its group (or put it back): it is saved as its own record, and a
        survivor or value chosen from it is forgotten (the engine's Review would refuse them)."""
        if not isinstance(choice, dict) or choice.get("row") not in group.rows:
            raise BadOption("That row is not in this group.", code="bad_review")
        row, record = choice["row"], self.record
        out = set(record.split.get(group.id, ()))
        if choice.get("out", True) is True:
            out.add(row)
            if record.survivors.get(group.id) == row:
                del record.survivors[group.id]
            chosen = {c: r for c, r in record.values.get(group.id, {}).items() if r != row}
            if chosen:
                record.values[group.id] = chosen
            else:
                record.values.pop(group.id, None)
        else:
            out.discard(row)
        if out:
            record.split[group.id] = sorted(out)
        else:
            record.split.pop(group.id, None)

    def _choose_value(self, group: _Group, choice: Any) -> None:
        from datatools.tools.survivors import check_value_choices

        if not isinstance(choice, dict) or "column" not in choice:
            raise BadOption("A value choice needs a column and a row.", code="bad_review")
        column, row = str(choice["column"]), choice.get("row")
        values = self.record.values
        chosen = values.setdefault(group.id, {})
        if row is None:      # back to the kept row's value; the column must still exist
            check_value_choices(group.id, group.rows, self.columns, {column: group.rows[0]})
            chosen.pop(column, None)
        else:
            chosen.update(check_value_choices(group.id, group.rows, self.columns, {column: row}))
        if not chosen:
            del values[group.id]
        self.record.decisions[group.id] = SAME   # choosing what survives says the rows are the same

    def _set(self, groups: list[_Group], decision: str) -> None:
        for group in groups:
            self.record.decisions[group.id] = decision

    def as_record(self) -> Review:
        """A copy of the decisions, for a save (the window may change them meanwhile)."""
        with self.lock:
            return Review.from_json(self.record.to_json())
