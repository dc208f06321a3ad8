"""A reviewer's decisions on a dedupe or match result, as data: applied by the engine, saved as
JSON or as a table, the same in the window (datatools/app/review.py) and in the CLI
(`datatools dedupe --review FILE`, `datatools match --review FILE`).

A duplicate `Review` holds, per group, a decision — the rows are the same (merged), different
(kept apart, their marks taken off) or undecided (kept, not merged: the safe side) — the row
that survives, the values its surviving row takes from the other rows per column, and rows
split out of a group (each then stands alone). `MatchRejections` holds the matches taken back
and the possible matches accepted (a possible match nobody accepted is never written as matched).
Rows are 0-based positions in the input in memory and 1-based in the table form (as the merge
report numbers them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from datatools.errors import BadOption

if TYPE_CHECKING:
    import pandas as pd

    from datatools.tools.dedupe import DedupeResult
    from datatools.tools.match import MatchResult

SAME, DIFFERENT, UNDECIDED = "same", "different", "undecided"
DECISIONS = (SAME, DIFFERENT, UNDECIDED)
KEEP_ALL = "all"                      # save every row, the groups only marked
# The table form's actions: a group decision, or what a merged group keeps.
KEEP_ROW, VALUE, SPLIT, FILL_EMPTY = "keep", "value", "split", "fill_empty"
# The match table form's actions: a match taken back, a possible match accepted.
REJECT, ACCEPT = "reject", "accept"
TABLE_COLUMNS = ("cluster_id", "action", "column", "row")


def _bad(message: str, **params: Any) -> BadOption:
    return BadOption(message, code="bad_review", params={k: str(v) for k, v in params.items()})


@dataclass
class Reviewed:
    """The table a review leaves, and its merge report (None when no row was dropped)."""

    frame: "pd.DataFrame"
    merges: "pd.DataFrame | None" = None
    report: dict[str, Any] = field(default_factory=dict)   # keep_one_per_cluster's counts


@dataclass
class Review:
    """The decisions on the groups of one dedupe run (see the module docstring).

    `keep` is "all" (every row saved, only the marks change) or one of the engine's
    KEEP_POLICIES (one row per merged group). `default` is the decision of a group nobody
    decided. `merge_report` asks a saver to write the merge report beside the table.
    """

    keep: str = KEEP_ALL
    decisions: dict[str, str] = field(default_factory=dict)
    default: str = SAME
    survivors: dict[str, int] = field(default_factory=dict)
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    split: dict[str, list[int]] = field(default_factory=dict)
    fill_empty: bool = False
    merge_report: bool = False
    # Groups the engine found only possibly the same (`Cluster.certain` False): undecided until
    # someone decides, whatever `default` says (`possible_groups` lists them for a result).
    possible: set[str] = field(default_factory=set)

    def decision(self, group: str) -> str:
        """same, different or undecided for group `group`; a possible group nobody decided is
        undecided unless the default keeps groups apart anyway."""
        if group in self.decisions:
            return self.decisions[group]
        if group in self.possible and self.default == SAME:
            return UNDECIDED
        return self.default

    def merged(self, group: str) -> bool:
        """Whether saving merges the group into one row."""
        return self.keep != KEEP_ALL and self.decision(group) == SAME

    # ------------------------------------------------------------------ applying

    def groups_of(self, result: "DedupeResult") -> "DedupeResult":
        """`result` with rows split out of their groups and different groups unmarked.

        A group left with fewer than two rows is no group any more: its rows lose their marks.
        """
        from datatools.tools.dedupe import OUTPUT_COLUMNS, reject_clusters

        gone = {g for g, d in self.decisions.items() if d == DIFFERENT}
        loose: list[int] = []
        clusters = []
        for cluster in result.clusters:
            out = set(self.split.get(cluster.id, ()))
            rows = [row for row in cluster.rows if row not in out]
            loose.extend(row for row in cluster.rows if row in out)
            if len(rows) < 2:
                gone.add(cluster.id)
            clusters.append(replace(cluster, rows=rows) if out else cluster)
        split = replace(result, clusters=clusters)
        if loose:
            frame = result.frame.copy()
            frame.iloc[loose, [frame.columns.get_loc(c) for c in OUTPUT_COLUMNS]] = ""
            # a row taken out loses its waterfall with its marks
            waterfalls = None if result.waterfalls is None else result.waterfalls.without(loose)
            split = replace(result, frame=frame, clusters=clusters, waterfalls=waterfalls)
        return reject_clusters(split, sorted(gone))

    def apply(self, result: "DedupeResult") -> Reviewed:
        """The table to save after this review, through the engine's reject and keep functions.

        keep "all": every row, the marks of different (and emptied) groups taken off. A keep
        policy: one row per group decided the same (the reviewer's survivor, else the policy's
        row, with the values chosen and, with `fill_empty`, its empty cells filled); rows of
        undecided and different groups all stay. BadOption as `keep_one_per_cluster` raises.
        """
        from datatools.tools.dedupe import keep_one_per_cluster

        grouped = self.groups_of(result)
        if self.keep == KEEP_ALL:
            return Reviewed(grouped.frame)
        merging = replace(grouped, clusters=[c for c in grouped.clusters if self.decision(c.id) == SAME])
        survivors = {g: row for g, row in self.survivors.items() if row not in self.split.get(g, ())}
        # The decisions chose the groups to merge: a possible group decided the same is merged.
        kept = keep_one_per_cluster(merging, self.keep, survivors, self.values, self.fill_empty,
                                    include_possible=True)
        report = {**kept.report, "possible_kept": sum(
            1 for c in grouped.clusters if c.id in self.possible and self.decision(c.id) == UNDECIDED)}
        return Reviewed(kept.frame, kept.merges, report)

    @staticmethod
    def possible_groups(result: "DedupeResult") -> set[str]:
        """The groups of `result` that are only possibly the same (not `Cluster.certain`)."""
        return {c.id for c in result.clusters if not c.certain}

    def unknown_groups(self, result: "DedupeResult") -> list[str]:
        """Groups this review names that `result` does not have (sorted as numbers)."""
        named = {*self.decisions, *self.survivors, *self.values, *self.split}
        found = {c.id for c in result.clusters}
        return sorted(named - found, key=lambda g: (len(g), g))

    # ------------------------------------------------------------------ forms

    def to_json(self) -> dict[str, Any]:
        """The record as JSON (rows 0-based)."""
        return {"keep": self.keep, "default": self.default, "decisions": dict(self.decisions),
                "survivors": dict(self.survivors), "values": {g: dict(c) for g, c in self.values.items()},
                "split": {g: list(r) for g, r in self.split.items()}, "fill_empty": self.fill_empty,
                "merge_report": self.merge_report, "possible": sorted(self.possible)}

    @classmethod
    def from_json(cls, data: Any, keep_policies: tuple[str, ...] | None = None) -> "Review":
        """A review from its JSON form, checked once: BadOption `bad_review` for a wrong shape,
        `bad_choice` for an unknown keep policy. `"rejected": [ids]` is short for those groups'
        decision "different" (the shape scripts used before decisions had three states)."""
        from datatools.tools.dedupe import KEEP_POLICIES

        if not isinstance(data, dict):
            raise _bad("A review must be a JSON object.")
        known = {"keep", "default", "decisions", "survivors", "values", "split", "fill_empty",
                 "merge_report", "rejected", "possible"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise _bad(f"A review has no field {unknown[0]!r}.", field=unknown[0])
        keep = data.get("keep") or KEEP_ALL
        if keep not in (KEEP_ALL, *(keep_policies or KEEP_POLICIES)):
            raise BadOption(f"keep must be all, {', '.join(KEEP_POLICIES)}; not {keep!r}.",
                            code="bad_choice", params={"option": "keep", "value": str(keep)})
        decisions = _mapping(data.get("decisions"), "decisions", lambda v: v in DECISIONS)
        rejected = data.get("rejected") or []
        if not isinstance(rejected, list):
            raise _bad("The review's rejected groups must be a list.")
        decisions.update({str(g): DIFFERENT for g in rejected})
        default = data.get("default") or SAME
        if default not in DECISIONS:
            raise _bad(f"default must be one of {', '.join(DECISIONS)}.")
        survivors = _mapping(data.get("survivors"), "survivors", _is_row)
        values = _mapping(data.get("values"), "values", lambda v: isinstance(v, dict)
                          and all(isinstance(c, str) and _is_row(r) for c, r in v.items()))
        split = _mapping(data.get("split"), "split", lambda v: isinstance(v, list) and all(map(_is_row, v)))
        possible = data.get("possible") or []
        if not isinstance(possible, list):
            raise _bad("The review's possible groups must be a list.")
        return cls(keep, decisions, default, survivors, {g: dict(v) for g, v in values.items()},
                   {g: sorted(set(v)) for g, v in split.items()}, data.get("fill_empty") is True,
                   data.get("merge_report") is True, {str(g) for g in possible})

    def to_table(self) -> "pd.DataFrame":
        """The per-group part as a table (cluster_id, action, column, row; rows 1-based):
        one line per decision, chosen survivor, value taken and row split out, and a
        `fill_empty` line. `keep` is not in it: the CLI takes it from --keep."""
        import pandas as pd

        lines = [[g, d, "", ""] for g, d in self.decisions.items()]
        lines += [[g, KEEP_ROW, "", str(row + 1)] for g, row in self.survivors.items()]
        lines += [[g, VALUE, c, str(row + 1)] for g, chosen in self.values.items() for c, row in chosen.items()]
        lines += [[g, SPLIT, "", str(row + 1)] for g, rows in self.split.items() for row in rows]
        if self.fill_empty:
            lines.append(["", FILL_EMPTY, "", ""])
        return pd.DataFrame(lines, columns=list(TABLE_COLUMNS), dtype=object)

    @classmethod
    def from_table(cls, frame: "pd.DataFrame", source: str = "the review") -> "Review":
        """A review from its table form. A table without an `action` column is a values file
        (cluster_id, column, row: `datatools dedupe --values`). BadOption `bad_review_file`
        naming the line for a missing column, an unknown action or a row that is not a
        whole number from 1."""
        def bad(message: str, **params: Any) -> BadOption:
            return BadOption(message, code="bad_review_file",
                             params={"file": source, **{k: str(v) for k, v in params.items()}})

        needed = ("cluster_id", "column", "row") if "action" not in frame.columns else ("cluster_id", "action")
        missing = [name for name in needed if name not in frame.columns]
        if missing:
            raise bad(f"The review file {source} needs the columns {', '.join(needed)}; {missing[0]} is missing.",
                      column=missing[0])
        review = cls()
        actions = frame["action"] if "action" in frame.columns else [VALUE] * len(frame)
        columns = frame["column"] if "column" in frame.columns else [""] * len(frame)
        rows = frame["row"] if "row" in frame.columns else [""] * len(frame)
        for line, (group, action, column, row) in enumerate(
                zip(frame["cluster_id"], actions, columns, rows), start=2):
            group, action, column, row = (str(v).strip() for v in (group, action, column, row))
            if action in DECISIONS:
                review.decisions[group] = action
                continue
            if action == FILL_EMPTY:
                review.fill_empty = True
                continue
            if action not in (KEEP_ROW, VALUE, SPLIT):
                raise bad(f"Line {line} of {source}: {action!r} is no action; use one of "
                          f"{', '.join((*DECISIONS, KEEP_ROW, VALUE, SPLIT, FILL_EMPTY))}.", line=line)
            if not row.isdigit() or int(row) < 1:
                raise bad(f"Line {line} of {source}: the row must be a row number from 1, not {row!r}.", line=line)
            number = int(row) - 1
            if action == KEEP_ROW:
                review.survivors[group] = number
            elif action == SPLIT:
                review.split.setdefault(group, []).append(number)
            elif column in review.values.get(group, {}):
                raise bad(f"Line {line} of {source}: group {group}'s {column} is chosen twice.", line=line)
            else:
                review.values.setdefault(group, {})[column] = number
        return review

    @classmethod
    def read(cls, path: "str | Path") -> "Review":
        """A review file: JSON (`to_json`'s form) for a .json name, else a table any reader
        reads (`to_table`'s form, or a values file). BadOption `bad_review_file`."""
        if Path(path).suffix.lower() == ".json":
            return cls.from_json(_read_json(path))
        from datatools.io import read_table

        return cls.from_table(read_table(path).frame, str(path))

    def write(self, path: "str | Path", *, force: bool = False) -> None:
        """Save as JSON (a .json name) or as a table, through the guarded writer."""
        if Path(path).suffix.lower() == ".json":
            from datatools.safe_write import write_file

            write_file(Path(path), json.dumps(self.to_json(), indent=2) + "\n", force=force)
            return
        from datatools.io import write_table

        write_table(self.to_table(), path, force=force)


@dataclass
class MatchRejections:
    """A reviewer's decisions on a match result: the matches taken back (`rows`) and the
    possible matches accepted (`accepted`), as positions in the result's table (0-based).

    A possible match (match_certainty "possible") nobody accepted is written the way the engine
    writes it by default: named in match_reason, its right_ cells empty — never as matched.
    """

    rows: frozenset[int] = frozenset()
    accepted: frozenset[int] = frozenset()

    def result(self, result: "MatchResult", hold_possible: bool = True) -> "MatchResult":
        """`result` after this review: the matches taken back (`match.reject_matches`), and with
        `hold_possible` (and one match per left row) every possible match not accepted loses its
        right_ cells. The report's matched/unmatched count the rows written with a partner.
        `result` must hold its possible matches' partners (`match_tables(include_possible=True)`)
        for an accepted one to be written with them."""
        from datatools.tools.match import RIGHT_PREFIX, reject_matches

        result = reject_matches(result, sorted(self.rows))
        if result.report.top != 1:
            return result
        frame = result.frame
        possible = [k for k, c in enumerate(frame["match_certainty"].tolist()) if c == "possible"]
        held = [k for k in possible if k not in self.accepted] if hold_possible else []
        if held:
            frame = frame.copy()
            right = [frame.columns.get_loc(c) for c in frame.columns if str(c).startswith(RIGHT_PREFIX)]
            frame.iloc[held, right] = ""
        matched = int((frame["match_certainty"] == "certain").sum()) + len(possible) - len(held)
        report = replace(result.report, matched=matched, unmatched=result.report.left_rows - matched)
        return replace(result, frame=frame, report=report)

    def apply(self, result: "MatchResult") -> Reviewed:
        """The match table to save after this review (`result`'s table, possible matches held)."""
        return Reviewed(self.result(result).frame)

    def to_json(self) -> dict[str, Any]:
        return {"rejected_matches": sorted(self.rows), "accepted_matches": sorted(self.accepted)}

    @classmethod
    def from_json(cls, data: Any) -> "MatchRejections":
        """BadOption `bad_review` for anything but {"rejected_matches": [rows]} with an optional
        "accepted_matches": [rows]."""
        rows = data.get("rejected_matches") if isinstance(data, dict) else None
        accepted = data.get("accepted_matches", []) if isinstance(data, dict) else None
        if (not isinstance(rows, list) or not isinstance(accepted, list)
                or not all(map(_is_row, rows + accepted))
                or set(data) - {"rejected_matches", "accepted_matches"}):
            raise _bad("The review's rejected and accepted matches must be lists of rows.")
        return cls(frozenset(rows), frozenset(accepted) - frozenset(rows))

    def to_table(self) -> "pd.DataFrame":
        """One line per decision: action `reject` (a match taken back) or `accept` (a possible
        match accepted), row (1-based, as in the match file)."""
        import pandas as pd

        lines = [[REJECT, str(row + 1)] for row in sorted(self.rows)]
        lines += [[ACCEPT, str(row + 1)] for row in sorted(self.accepted)]
        return pd.DataFrame(lines, columns=["action", "row"], dtype=object)

    @classmethod
    def read(cls, path: "str | Path") -> "MatchRejections":
        """A .json file (`to_json`'s form) or a table with a `row` column (1-based) and an
        optional `action` column (`reject`, the default, or `accept`); BadOption `bad_review_file`."""
        if Path(path).suffix.lower() == ".json":
            return cls.from_json(_read_json(path))
        from datatools.io import read_table

        frame = read_table(path).frame
        if "row" not in frame.columns:
            raise BadOption(f"{path}: needs a row column.", code="bad_review_file", params={"file": str(path)})
        rows = [str(v).strip() for v in frame["row"]]
        actions = ([str(v).strip() or REJECT for v in frame["action"]] if "action" in frame.columns
                   else [REJECT] * len(rows))
        wrong = next((k for k, (v, a) in enumerate(zip(rows, actions), start=2)
                      if not v.isdigit() or int(v) < 1 or a not in (REJECT, ACCEPT)), None)
        if wrong is not None:
            raise BadOption(f"{path}: line {wrong}: the row must be a row number from 1 and the "
                            f"action {REJECT} or {ACCEPT}.",
                            code="bad_review_file", params={"file": str(path), "line": str(wrong)})
        rejected = frozenset(int(v) - 1 for v, a in zip(rows, actions) if a == REJECT)
        return cls(rejected, frozenset(int(v) - 1 for v, a in zip(rows, actions) if a == ACCEPT) - rejected)


def _is_row(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _mapping(value: Any, name: str, valid) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(valid(v) for v in value.values()):
        raise _bad(f"The review's {name} are malformed.", field=name)
    return {str(k): v for k, v in value.items()}


def _read_json(path: "str | Path") -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise BadOption(f"Cannot read {path}: {exc.strerror}.", code="bad_review_file",
                        params={"file": str(path)}) from None
    except ValueError as exc:
        raise BadOption(f"{path} is not valid JSON ({exc}).", code="bad_review_file",
                        params={"file": str(path)}) from None
