"""Fuzzy-match two tables: for each left row the best right row(s), or none below the threshold.

The same engine as duplicate finding (normalise → sorted-neighbourhood candidates → per-column
rapidfuzz scores) run on the two tables stacked, keeping only pairs that join a left row to a
right row. `unique=True` makes the matching one-to-one for reconciliations: pairs are taken
best score first and each right row is used at most once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from datatools.errors import BadInput, BadOption, no_such_column
from datatools.notices import Notice
from datatools.progress import Progress, silent
from datatools.tools.invisible import invisible_values
from datatools.tools.dedupe import check_threshold
from datatools.tools.linkage_model import (CERTAIN, CERTAIN_SCORE, LEARN_FROM_COLUMNS,
                                           LEARN_FROM_ROWS, POSSIBLE)
from datatools.tools.similarity import DEFAULT_THRESHOLD, check_columns

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from datatools.tools.waterfall import Waterfalls

RIGHT_PREFIX = "right_"
MATCH_COLUMNS = ("match_score", "match_certainty", "match_reason")
NO_PARTNER = "no partner"


@dataclass
class MatchReport:
    left_rows: int
    right_rows: int
    columns: list[str]
    right_columns: list[str]
    threshold: float | None   # None: cut-offs learned from the data
    top: int
    unique: bool
    matched: int              # left rows written with a match
    unmatched: int
    pairs_compared: int
    certain: int = 0          # left rows whose best match is certain
    possible: int = 0         # left rows whose best match is only possible

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MatchResult:
    frame: "pd.DataFrame"    # left columns, right_ columns, match_score, match_reason[, match_rank]
    report: MatchReport
    notes: list[Notice] = field(default_factory=list)   # values that differed only invisibly
    # each output row's weights as data, as its match_reason ends (None without a model)
    waterfalls: "Waterfalls | None" = None


def summed_weights(scored, keep=None):
    """Each pair's match weight without the prior (float32), for _best_pairs; None without a
    model. `keep`: the pair indices wanted (default all)."""
    import numpy as np

    if scored.weights is None:
        return None
    weights = scored.weights if keep is None else scored.weights[keep]
    return weights.sum(axis=1, dtype=np.float32)


def _text(column: "pd.Series") -> "pa.Array":
    import pyarrow as pa

    text = pa.array(column, type=pa.string(), from_pandas=True)
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


JOIN = " + "          # a right "column" `Vorname + Nachname`: those columns read as one
PAIRING_ROWS = 1000   # name_pairing_hint reads the first rows of each table for word_shapes


def paired_column(frame: "pd.DataFrame", name: str) -> "pd.Series":
    """Column `name` of `frame`, or for `A + B` (JOIN) the cells of A and B joined by a space —
    so one full-name column pairs with a given name and a surname."""
    if name in frame.columns or JOIN not in name:
        return frame[name]
    parts = [frame[part].astype(str).str.strip() for part in name.split(JOIN)]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.str.cat(part, sep=" ")
    return joined.str.strip()


def _right_columns(right: "pd.DataFrame", names: Sequence[str],
                   left: "pd.DataFrame | None" = None) -> list[str]:
    """`names` checked against `right`, each a column or `A + B` of its columns; `left` when
    `names` are the left table's own (no --right-on), for name_pairing_hint's values."""
    checked = []
    for name in names:
        name = name.strip()
        if name and name not in right.columns and JOIN in name:
            check_columns(right, [p.strip() for p in name.split(JOIN)], "the right table")
            checked.append(JOIN.join(p.strip() for p in name.split(JOIN)))
        elif name and name not in right.columns:
            raise no_such_column([name], right.columns, "the right table",
                                 name_pairing_hint(name, [str(c) for c in right.columns],
                                                   left, right))
        elif name:
            checked.append(name)
    return checked


def name_pairing_hint(name: str, right: Sequence[str], left_frame: "pd.DataFrame | None" = None,
                      right_frame: "pd.DataFrame | None" = None) -> str:
    """A sentence proposing, for a column of whole names (`naam`, `Kunde`:
    party_names.whole_name_partner; or, given both tables' rows, a left column of mostly two
    words or more beside a right one of its name of mostly one: split_names.split_name_partner)
    the right table lacks, its given-name and surname columns read as one (`--right-on
    'voornaam + achternaam'`, `'nome + sobrenome'`); "" when it has none."""
    from datatools.tools.party_names import whole_name_partner
    from datatools.tools.split_names import split_name_partner, word_shapes

    partner = whole_name_partner(name, right)
    if (partner is None and left_frame is not None and right_frame is not None
            and name in left_frame.columns and len(left_frame) and len(right_frame)):
        partner = split_name_partner(name, word_shapes(left_frame[[name]].head(PAIRING_ROWS)),
                                     right, word_shapes(right_frame.head(PAIRING_ROWS)))
    return (f"To compare whole names with a given name and a surname, pair '{name}' with "
            f"'{partner}' in --right-on." if partner else "")


def check_pairing(left: "pd.DataFrame", right: "pd.DataFrame", on: Sequence[str],
                  right_on: Sequence[str] | None, threshold: float | None
                  ) -> tuple[list[str], list[str], float]:
    """The left columns, their right partners (default: the same names; `A + B` joins two right
    columns, `paired_column`) and the threshold, checked.

    Raises BadOption (a wrong command line, exit code 2) for an unknown column, column lists of
    different lengths or a threshold outside 0–100 (None = the default).
    """
    left_on = check_columns(left, on, "the left table")
    right_cols = _right_columns(right, right_on if right_on else left_on,
                                None if right_on else left)
    if len(left_on) != len(right_cols):
        raise BadOption(f"--on names {len(left_on)} columns but --right-on names {len(right_cols)}; "
                       "name the same number of columns on both sides.", code="pairing_count",
                       params={"left": len(left_on), "right": len(right_cols)})
    return left_on, right_cols, check_threshold(threshold, DEFAULT_THRESHOLD)


def stacked_candidates(left: "pd.DataFrame", right: "pd.DataFrame", left_on: Sequence[str],
                       right_cols: Sequence[str], synonyms: Mapping[str, str] | None,
                       preparing: Progress, pairing: Progress):
    """(prepared, a, b): the paired columns of both tables stacked (left rows first), normalised,
    and the left-row × right-row pairs worth scoring (a < len(left) <= b, stacked row numbers).

    The one place the match's normalisation and blocking happen, so an estimate sees the very
    pairs a full run scores.
    """
    import numpy as np
    import pyarrow as pa

    from datatools.tools.candidates import candidate_pairs
    from datatools.tools.similarity import prepare_columns

    preparing.update(0.0, "reading values")
    # Each column as one Arrow array of both tables (no Python list of a million strings).
    prepared = prepare_columns(left_on, [pa.concat_arrays([_text(left[l]), _text(paired_column(right, r))])
                                         for l, r in zip(left_on, right_cols)],
                               preparing, synonyms=synonyms, split=len(left))
    side = np.r_[np.zeros(len(left), dtype=bool), np.ones(len(right), dtype=bool)]
    a, b = candidate_pairs(prepared, side=side, progress=pairing)
    return prepared, a, b


def check_match(left: "pd.DataFrame", right: "pd.DataFrame", on: Sequence[str],
                right_on: Sequence[str] | None, threshold: float | None, top: int, unique: bool,
                rows: int) -> tuple[list[str], list[str], float, bool, float]:
    """`match_tables`' checks of its options against the tables' columns (`left` and `right`
    may hold no rows: only their column names are read); `rows` is both tables' rows together.
    (left columns, right columns, the strength a pair needs, whether a model is learned, the
    score from which a pair is certain without one). Raises as match_tables does."""
    certain_from = CERTAIN_SCORE if threshold is None else 0.0
    left_on, right_cols, limit = check_pairing(left, right, on, right_on, threshold)
    learned = threshold is None and rows >= LEARN_FROM_ROWS and len(left_on) >= LEARN_FROM_COLUMNS
    if learned:
        limit = POSSIBLE * 100
    if top < 1:
        raise BadOption("--top must be 1 or more.", code="bad_top", params={"value": str(top)})
    if unique and top > 1:
        raise BadInput("--unique gives each left row one match; it cannot be combined with --top.",
                       code="unique_with_top")
    output_names = [RIGHT_PREFIX + str(c) for c in right.columns] + list(MATCH_COLUMNS)
    clash = [name for name in output_names if name in left.columns]
    if clash:
        raise BadInput(f"The left table already has a column named {clash[0]!r}; rename it first.",
                       code="reserved_column", params={"column": clash[0]})
    return left_on, right_cols, limit, learned, certain_from


def match_tables(left: "pd.DataFrame", right: "pd.DataFrame", on: Sequence[str],
                 right_on: Sequence[str] | None = None, *, threshold: float | None = None,
                 top: int = 1, unique: bool = False, synonyms: Mapping[str, str] | None = None,
                 include_possible: bool = False, progress: Progress | None = None) -> MatchResult:
    """Match each left row to the right rows most like it on `on` / `right_on`.

    With `threshold` None (the default) the match probability is learned from the two tables
    (linkage_model.py): a left row's best right row is written as its match when it is certain
    (CERTAIN or more); a possible one (POSSIBLE or more) is named in match_reason but its
    right_ cells stay empty unless `include_possible` (or `top` above 1 lists candidates);
    match_certainty says "certain", "possible" or "no partner" per row. With a number, pairs
    scoring at least `threshold` (0–100) match, each "certain".

    `synonyms` is a normalised table (synonyms.read_synonyms / normalize_synonyms). A left row
    left unmatched because a column vetoed its best pair gets that veto as its match_reason.

    Raises BadInput for unknown columns, column lists of different lengths, top < 1, a threshold
    outside 0–100, or a left column that already starts with `right_`; Cancelled on cancel.
    (datatools/large/match.py does the same on the duckdb engine, through the hooks below.)
    """
    import numpy as np

    from datatools.tools.linkage_model import apply_model, learn_model
    from datatools.tools.match_choice import choose_matches
    from datatools.tools.similarity import score_pairs

    progress = progress or silent()
    left_on, right_cols, limit, learned, certain_from = check_match(
        left, right, on, right_on, threshold, top, unique, len(left) + len(right))
    progress.update(0.0, "reading values")
    left_count = len(left)
    prepared, a, b = stacked_candidates(left, right, left_on, right_cols, synonyms,
                                        progress.stage(0.0, 0.05), progress.stage(0.05, 0.3))
    model = None
    if learned:
        scored = score_pairs(prepared, a, b, progress.stage(0.3, 0.85))
        side = np.r_[np.zeros(left_count, dtype=bool), np.ones(len(right), dtype=bool)]
        model = learn_model(prepared, a, b, scored.columns, side=side,
                            progress=progress.stage(0.85, 0.92))
        progress.update(0.92, "weighing the pairs")
        apply_model(model, prepared, a, b, scored)
    else:
        scored = score_pairs(prepared, a, b, progress.stage(0.3, 0.95), veto_from=limit)
    vetoed: dict[int, tuple[int, Any, Any]] = {}
    add_vetoed(vetoed, a, b, scored, left_count)
    keep, chosen = choose_matches(prepared, model, a, b, scored, left, right, left_on, right_cols,
                                  limit, certain_from, top, unique)     # match_choice.py
    rows = match_rows(prepared, model, a, b, scored, keep, chosen, vetoed, range(left_count),
                      top, include_possible, certain_from)
    right_index = np.array(rows.right_index, dtype=np.int64)
    padded = with_blank_row(right)
    frame = match_frame(left.iloc[rows.left_index], padded.iloc[np.where(right_index < 0, len(right), right_index)],
                        rows, top)
    report = match_report(chosen, scored, keep, certain_from, left_count, len(right), left_on,
                          right_cols, threshold and limit, top, unique, include_possible, len(a))
    progress.update(1.0, f"{report.matched:,} of {left_count:,} rows matched")
    right_parts = [part for name in right_cols for part in name.split(JOIN)]   # `A + B`: both
    return MatchResult(frame, report, invisible_values(left, left_on, right, right_parts), rows.waterfalls())


def add_vetoed(vetoed: dict[int, tuple[int, Any, Any]], a, b, scored, left_count: int) -> None:
    """Note in `vetoed`, per left row, its best vetoed right row among the pairs (a, b) of
    `scored` (right row numbered within the right table, the veto, the pair's column scores);
    a row keeps the first of equal vetoes, so pairs may come batch by batch in pair order (the
    column scores are copied: a view would keep a whole batch's scores alive)."""
    for k, veto in scored.vetoes.items():
        if int(a[k]) not in vetoed or veto.score > vetoed[int(a[k])][1].score:
            vetoed[int(a[k])] = (int(b[k]) - left_count, veto, scored.columns[k].copy())


@dataclass
class MatchRows:
    """The output's rows (for a range of left rows): which left and right row each shows (−1:
    none) and its match_score, match_certainty, match_reason and match_rank cells; with a model
    `pairs`, the explained pairs' waterfalls, and per row its pair's place in them (`slot`, −1:
    none) and the right row its reason names (`partner`, 1-based, 0: none)."""

    left_index: list[int]
    right_index: list[int]
    score: list[str]
    certainty: list[str]
    reason: list[str]
    rank: list[str]
    slot: list[int] = field(default_factory=list)
    partner: list[int] = field(default_factory=list)
    pairs: "Waterfalls | None" = None

    def waterfalls(self) -> "Waterfalls | None":
        """Each row's waterfall (None without a model)."""
        import numpy as np

        if self.pairs is None:
            return None
        return self.pairs.placed(np.asarray(self.slot, np.int32), np.asarray(self.partner, np.int32))


def match_rows(prepared, model, a, b, scored, keep, chosen: list[list[tuple[int, float, int]]],
               vetoed: dict, rows: range, top: int, include_possible: bool,
               certain_from: float) -> MatchRows:
    """The output rows of left rows `rows`: each left row's chosen matches (`_best_pairs` over
    the pairs `keep` of `scored`, pair k of `chosen` being pair keep[k]), explained, or its
    "no partner" row with the veto that kept its best pair apart."""
    import numpy as np

    from datatools.tools.match_choice import lifted_codes, written_score
    from datatools.tools.match_why import possible_matches_why
    from datatools.tools.reasons import explain_pairs, explain_veto
    from datatools.tools.waterfall import Waterfalls

    taken = {int(a[pair]): pair for pair in scored.taken or {}}
    used = np.array(sorted({int(keep[k]) for row in rows for _, _, k in chosen[row]}
                           | {taken[row] for row in rows if row in taken}), dtype=np.int64)
    texts = explain_pairs(prepared, a[used], b[used], scored.columns[used])
    out = MatchRows([], [], [], [], [], [])
    if model is not None:
        out.pairs = Waterfalls.of_pairs(model, prepared, a[used], scored, used)
        texts = [f"{text}; {out.pairs.describe(k)}" for k, text in enumerate(texts)]
    text_of = dict(zip(used.tolist(), texts))
    lifted = lifted_codes(prepared, a, b, scored, used) if model is None else {}
    slot_of = dict(zip(used.tolist(), range(len(used)))) if model is not None else {}
    why = possible_matches_why(prepared, model, a, b, scored, keep, chosen, rows, certain_from)
    for row in rows:
        matches = chosen[row]
        if not matches:
            near = vetoed.get(row)
            out.left_index.append(row)
            out.right_index.append(-1)
            out.score.append("")
            out.certainty.append(NO_PARTNER)
            pair = taken.get(row)
            if pair is not None:      # its best partner went to another left row (--unique)
                right, taker = scored.taken[pair]
                out.reason.append(f"right row {right + 1}: matched to left row {taker + 1} "
                                  f"(--unique); {text_of[pair]}")
            else:
                out.reason.append(f"right row {near[0] + 1} {explain_veto(prepared, near[1], near[2])}"
                                  if near else "")
            out.rank.append("")
            out.slot.append(-1)
            out.partner.append(0)
            continue
        for rank, (other, _, k) in enumerate(matches, start=1):
            pair = int(keep[k])
            certain = _certain(scored, pair, certain_from)
            written = certain or include_possible or top > 1
            out.left_index.append(row)
            out.right_index.append(other if written else -1)
            out.score.append(str(written_score(scored, pair, certain, certain_from)))
            out.certainty.append("certain" if certain else "possible")
            tie = (scored.ties or {}).get(pair)
            tied = "" if tie is None else f"tied with right row {tie + 1}; "
            apart = (scored.uncompared or {}).get(pair)
            tied += "" if apart is None else f"{apart}, not compared; "
            lead = (scored.mutual or {}).get(pair)
            tied += "" if lead is None else f"best for both rows by {lead:.0f}; "
            code = (scored.coded or {}).get(pair)
            tied += "" if code is None else f"{code}; "
            code = None if code is not None else lifted.get(pair)
            tied += "" if code is None else f"the same model number {code.upper()} in both; "
            tied = f"possible ({why[pair]}); {tied}" if pair in why else tied
            out.reason.append(f"right row {other + 1}: {tied}{text_of[pair]}")
            out.rank.append(str(rank))
            out.slot.append(slot_of.get(pair, -1))
            out.partner.append(other + 1)
    return out


def with_blank_row(right: "pd.DataFrame") -> "pd.DataFrame":
    """`right` with one more row of empty cells (the right cells of a row without a match)."""
    import pandas as pd

    return pd.concat([right, pd.DataFrame([[""] * len(right.columns)], columns=right.columns)],
                     ignore_index=True)


def match_frame(left_part: "pd.DataFrame", right_part: "pd.DataFrame", rows: MatchRows,
                top: int) -> "pd.DataFrame":
    """The output table of `rows`: `left_part` (their left rows, in order), `right_part`
    (their right rows or empty cells) prefixed right_, and the match columns."""
    import pandas as pd

    right_part = right_part.copy(deep=False)
    right_part.columns = [RIGHT_PREFIX + str(c) for c in right_part.columns]
    frame = pd.concat([left_part.reset_index(drop=True), right_part.reset_index(drop=True)], axis=1)
    frame["match_score"] = rows.score
    frame["match_certainty"] = rows.certainty
    frame["match_reason"] = rows.reason
    if top > 1:
        frame["match_rank"] = rows.rank
    return frame


def match_report(chosen, scored, keep, certain_from: float, left_rows: int, right_rows: int,
                 left_on: list[str], right_cols: list[str], threshold: float | None, top: int,
                 unique: bool, include_possible: bool, compared: int) -> MatchReport:
    """The report of a match whose left rows chose `chosen` among the pairs `keep` of `scored`."""
    firsts = [matches[0] for matches in chosen if matches]
    certain_rows = sum(1 for _, _, k in firsts if _certain(scored, int(keep[k]), certain_from))
    matched = len(firsts) if include_possible or top > 1 else certain_rows
    return MatchReport(left_rows=left_rows, right_rows=right_rows, columns=left_on,
                       right_columns=right_cols, threshold=threshold, top=top, unique=unique,
                       matched=matched, unmatched=left_rows - matched, pairs_compared=compared,
                       certain=certain_rows, possible=len(firsts) - certain_rows)


def mark_certain(prepared, model, a, b, scored, pairs, certain_from: float) -> None:
    """Set scored.differs for the chosen pairs `pairs` (indices of a, b): with a model, the
    certain ones whose rows read as two parties (match_certainty.py: given names of two people,
    names that share a word and differ in the rest); without one (a small table), those where
    a column clearly differs (certainty.py) or names differ so; with --threshold, none."""
    if model is not None:
        from datatools.tools.match_certainty import mark_uncertain

        mark_uncertain(prepared, a, b, scored, pairs, CERTAIN)
    elif certain_from > 0:
        from datatools.tools.certainty import mark_differs
        from datatools.tools.match_certainty import add_other_words

        mark_differs(prepared, a, b, scored, pairs, certain_from)
        add_other_words(prepared, a, b, scored, pairs)


def _certain(scored, pair: int, certain_from: float) -> bool:
    """Is pair `pair` a certain match: by its probability, or without a model its score? Not
    where mark_certain marked it (scored.differs); always for two rows alone sharing a code
    (scored.coded, match_codes.py)."""
    if scored.coded and pair in scored.coded:
        return True
    if scored.differs is not None and scored.differs[pair]:
        return False
    if scored.probability is None:   # ... and no column clearly differs (certainty.py)
        return scored.differs is not None or float(scored.score[pair]) >= certain_from
    return float(scored.probability[pair]) >= CERTAIN


def reject_matches(result: MatchResult, rows: Sequence[int]) -> MatchResult:
    """`result` with the matches at frame positions `rows` taken back by a reviewer.

    Each such row keeps its left cells and loses its right_ cells, score, reason and rank, as
    a left row no right row reached; positions outside the frame are ignored. With one match
    per left row (`top` 1) the report's matched/unmatched counts follow; the input is not modified.
    """
    from dataclasses import replace

    wanted = sorted({int(r) for r in rows if 0 <= int(r) < len(result.frame)})
    if not wanted:
        return result
    frame = result.frame.copy()
    report = result.report
    # A row counts as matched when written with its partner: a certain match, or a possible
    # one when the report counts those (--include-possible); a possible one held back does not.
    counted = {"certain", "possible"} if report.matched > report.certain else {"certain"}
    taken = sum(1 for c in frame["match_certainty"].iloc[wanted].tolist() if c in counted)
    cleared = [c for c in frame.columns if str(c).startswith(RIGHT_PREFIX)
               or c in ("match_score", "match_certainty", "match_reason", "match_rank")]
    frame.iloc[wanted, [frame.columns.get_loc(c) for c in cleared]] = ""
    if report.top == 1:
        matched = report.matched - taken
        report = replace(report, matched=matched, unmatched=report.left_rows - matched)
    waterfalls = None if result.waterfalls is None else result.waterfalls.without(wanted)
    return MatchResult(frame, report, result.notes, waterfalls)
