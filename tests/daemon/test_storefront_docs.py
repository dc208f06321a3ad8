"""The storefront docs say what the code does: the products.toml example loads and means what
docs/LICENSE-SERVER.md says, the set-up guide names each route and secret file that exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from licensed.devworld import STOREFRONT_SECRETS
from licensed.products import parse_catalog

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_products_toml_example_loads_with_its_variant_and_renewal():
    text = (DOCS / "LICENSE-SERVER.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text.split("`products.toml` maps", 1)[1], re.S).group(1)
    catalog = parse_catalog(tomllib.loads(block), "LICENSE-SERVER.md")
    pro = catalog.products["datatools-pro"]
    assert pro.offer(["Team (5 seats)"]).seats == 5 and pro.offer(["Trial"]) is None
    assert catalog.products["datatools-renewal"].renewal is True


def test_the_setup_guide_names_every_webhook_route_and_secret_file(live):
    guide = (DOCS / "SETUP-LICENSE-SERVER.md").read_text(encoding="utf-8")
    for route in live.app.routes:
        if route.rule.startswith(("/webhooks/", "/portal")):
            assert f"https://license.example.com{route.rule}" in guide, route.rule
    for name in STOREFRONT_SECRETS + ("gumroad-secret",):
        assert f"secrets/{name}" in guide, name
