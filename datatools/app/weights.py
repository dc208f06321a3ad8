"""A row's reason and waterfall for the window: the engine's weights as data, for the bars.

The engine keeps each explained row's weights as numbers (`datatools.tools.waterfall`), and
ends its match_reason with the same weights in words made from them. The window gets the
numbers, and the reason without those words (the bars say them), so the window and the saved
file show one waterfall (DECISIONS 246).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datatools.tools.waterfall import Waterfalls


def reason_json(reason: str, waterfalls: "Waterfalls | None", row: int) -> dict[str, Any]:
    """Row `row`'s reason for the window: `reason` (without its weights in words), `weights`
    (`Waterfalls.to_json`, or None for a row without a waterfall: a fixed threshold, a small
    table, a row taken back) and `partner`, the 1-based row its pair is with (None without)."""
    if waterfalls is None or waterfalls.slot[row] < 0:
        return {"reason": reason, "weights": None, "partner": None}
    return {"reason": reason.removesuffix("; " + waterfalls.reason_of(row)),
            "weights": waterfalls.to_json(row), "partner": int(waterfalls.partner[row])}
