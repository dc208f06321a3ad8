"""docs/LICENSE-SERVER.md's subscription tables say what the code does: each storefront event's
action is the adapter's, each outcome's effect, mail and flag are licensed/subscriptions.py's."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from licensed import subscriptions
from licensed.sources import gumroad, lemonsqueezy, stripe
from licensed.webhooks import NEEDS_OPERATOR

DOC = Path(__file__).resolve().parents[2] / "docs" / "LICENSE-SERVER.md"


def table(header: str) -> list[list[str]]:
    """The rows of the table in "## Subscriptions" whose header line starts with `header`."""
    section = DOC.read_text(encoding="utf-8").split("## Subscriptions\n", 1)[1].split("\n## ", 1)[0]
    lines = section.split(header, 1)[1].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


def test_the_event_table_is_each_adapters_mapping():
    documented = {(store, event, action) for store, event, action in table("| storefront | event |")}
    code = {("Gumroad", "sale` with `subscription_id", "payment")}
    code |= {("Gumroad", name, action) for name, (action, _) in gumroad.SUBSCRIPTION_RESOURCES.items()}
    code |= {("Lemon Squeezy", name, action)
             for name, action in lemonsqueezy.SUBSCRIPTION_EVENTS.items()}
    code |= {("Stripe", name, action) for name, action in stripe.SUBSCRIPTION_EVENTS.items()}
    assert documented == code


def test_the_outcome_table_is_the_code_and_every_outcome_the_code_returns_is_in_it():
    rows = table("| outcome |")
    assert {outcome: (effect, mail) for outcome, effect, mail, _ in rows} == subscriptions.OUTCOMES
    assert {outcome for outcome, *_, flag in rows if flag == "⚑"} == (
        set(subscriptions.OUTCOMES) & NEEDS_OPERATOR)
    source = ast.parse(inspect.getsource(subscriptions))
    returned = {call.args[0].value for call in ast.walk(source)
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Applied"
                and isinstance(call.args[0], ast.Constant)}
    returned |= set(subscriptions.STATUS_OUTCOMES.values())
    assert returned == set(subscriptions.OUTCOMES)
    assert re.search(r"--outcome subscription_cancelled", DOC.read_text(encoding="utf-8"))
