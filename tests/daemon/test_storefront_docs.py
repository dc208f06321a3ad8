"""The storefront docs say what the code does: the products.toml example loads and means what
docs/LICENSE-SERVER.md says, the set-up guide names each route and secret file that exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from licensed.devworld import STOREFRONT_SECRETS
from licensed.products import parse_catalog

DOCS = Path(__file__).resolve().parents[2] / "docs"


def example_products() -> dict:
    """The products.toml example of docs/LICENSE-SERVER.md, "Settings", as TOML data."""
    text = (DOCS / "LICENSE-SERVER.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text.split("`products.toml` maps", 1)[1], re.S).group(1)
    return tomllib.loads(block)


def test_the_products_toml_example_loads_with_its_variant_and_renewal():
    catalog = parse_catalog(example_products(), "LICENSE-SERVER.md")
    suite = catalog.products["datatools-suite"]
    assert suite.offer(["Team (5 seats)"]).seats == 5 and suite.offer(["Trial"]) is None
    assert suite.offer(["Pro"]).tier == "pro" and suite.offer(["Pro"]).updates_months == 12
    # The plain product mints whatever variant (or none) a sale names (issue 25, item 7).
    assert catalog.products["datatools-pro"].offer([]).tier == "pro"
    assert catalog.products["datatools-pro-monthly"].offer([]).subscription == "expires"
    assert catalog.products["datatools-renewal"].renewal is True


def test_the_setup_guide_names_every_webhook_route_and_secret_file(live):
    guide = (DOCS / "SETUP-LICENSE-SERVER.md").read_text(encoding="utf-8")
    for route in live.app.routes:
        if route.rule.startswith(("/webhooks/", "/portal")):
            assert f"https://license.example.com{route.rule}" in guide, route.rule
    for name in STOREFRONT_SECRETS + ("gumroad-secret",):
        assert f"secrets/{name}" in guide, name
