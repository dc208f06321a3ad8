"""What each license tier unlocks, and the trial's limit (the table in docs/DECISIONS.md, 42)."""

from __future__ import annotations

from dataclasses import dataclass

from datatools.license import License
from datatools.registry import TIERS, TOOLS, tools_for_tier

# Every tool in the app, in the order the home screen shows them (the registry's order).
ALL_TOOLS = tuple(TOOLS)
BASIC_TOOLS = tools_for_tier("basic")

# Without a license every tool works, on the first TRIAL_ROW_LIMIT rows of each file.
TRIAL_ROW_LIMIT = 1000

# Each tier opens the registry's tools marked with it or with a tier before it.
TIER_TOOLS: dict[str, tuple[str, ...]] = {tier: tools_for_tier(tier) for tier in TIERS}


@dataclass(frozen=True)
class Entitlement:
    """What this copy may do right now."""

    tier: str                      # "trial", or the license's tier
    tools: tuple[str, ...]         # tools that can be run
    row_limit: int | None          # rows read from each file; None = all
    known_tier: bool = True        # False: a tier newer than this release (treated as basic)

    def to_dict(self) -> dict:
        return {"tier": self.tier, "tools": list(self.tools), "row_limit": self.row_limit,
                "known_tier": self.known_tier}


def entitlement_for(license: License | None) -> Entitlement:
    if license is None:
        return Entitlement(tier="trial", tools=ALL_TOOLS, row_limit=TRIAL_ROW_LIMIT)
    tools = TIER_TOOLS.get(license.tier)
    if tools is None:
        # A tier a newer release introduced: the buyer paid for at least the basic tools.
        return Entitlement(tier=license.tier, tools=BASIC_TOOLS, row_limit=None, known_tier=False)
    return Entitlement(tier=license.tier, tools=tools, row_limit=None)
