"""A match's waterfall as data for the window's weight bars, read from the engine's reason.

With a learned model the engine ends each row's match_reason with the pair's weights in words
(`datatools.tools.reasons.describe_weights`: "…; weights: first agrees +9.3, last agrees
+4.1 (common value), email empty; start −5.3 → 99.7 %"). That text is the one record of the
weights the result keeps, in the saved file and in the window alike, so the window draws its
bars from it rather than from a second computation that could disagree (DECISIONS 190).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from datatools.tools.linkage_model import LEVEL_NAMES

MARK = "; weights: "
_NUMBER = r"[+−-]\d+(?:\.\d+)?"
_ITEM = re.compile(rf"(?P<name>.+?) (?:(?P<level>{'|'.join(map(re.escape, LEVEL_NAMES))}) "
                   rf"(?P<weight>{_NUMBER})(?P<common> \(common value\))?|(?P<empty>empty))(?:, |$)")
_END = re.compile(rf"^(?P<items>.*); start (?P<start>{_NUMBER}) → (?P<bound>[<>]?)(?P<percent>\d+(?:\.\d+)?) %$")


@dataclass(frozen=True)
class ColumnWeight:
    """One column's bar: its level ("agrees" … "differs", or "empty": no evidence) and its
    log2 weight (positive: evidence for the same, negative: against; 0 when empty)."""

    column: str
    level: str
    weight: float
    common: bool = False         # an exact agreement on a value many rows hold: weak evidence


@dataclass(frozen=True)
class Waterfall:
    """A pair's weights: the start (the prior's log2 odds), each column's weight, and the match
    probability in percent they add up to (`bound` "<" or ">" when the engine rounds it so)."""

    start: float
    columns: list[ColumnWeight]
    percent: float
    bound: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def split_weights(reason: str) -> tuple[str, Waterfall | None]:
    """(the reason without its weights, the waterfall) — or (reason, None) when the reason
    holds no weights (a fixed threshold, a small table) or a shape this reader does not know."""
    at = reason.find(MARK)
    if at < 0:
        return reason, None
    end = _END.match(reason[at + len(MARK):])
    if end is None:
        return reason, None
    columns, items = [], end["items"]
    position = 0
    while position < len(items):
        item = _ITEM.match(items, position)
        if item is None:
            return reason, None
        if item["empty"]:
            columns.append(ColumnWeight(item["name"], "empty", 0.0))
        else:
            columns.append(ColumnWeight(item["name"], item["level"], _number(item["weight"]),
                                        item["common"] is not None))
        position = item.end()
    return reason[:at], Waterfall(_number(end["start"]), columns, float(end["percent"]), end["bound"])


_PARTNER = re.compile(r"^(?:right )?row (\d+):")


def reason_json(reason: str) -> dict[str, Any]:
    """A row's reason for the window: `reason` (without the weights), `weights` (the waterfall
    as JSON, or None) and `partner`, the 1-based row the pair is with (None without one)."""
    text, waterfall = split_weights(reason)
    partner = _PARTNER.match(reason)
    return {"reason": text, "weights": None if waterfall is None else waterfall.to_json(),
            "partner": int(partner[1]) if partner else None}
