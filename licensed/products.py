"""products.toml: which storefront product mints which tier, how many seats, how long updates last."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from licensed.errors import ConfigError


@dataclass(frozen=True)
class Product:
    key: str
    tier: str
    seats: int
    updates_months: int | None  # None: lifetime updates


@dataclass(frozen=True)
class Catalog:
    products: Mapping[str, Product]

    def find(self, *keys: str | None) -> Product | None:
        """The first product matching any of `keys` (a storefront may name a product several ways)."""
        for key in keys:
            if key and key in self.products:
                return self.products[key]
        return None

    def tiers(self) -> set[str]:
        return {product.tier for product in self.products.values()}

    def for_tier(self, tier: str) -> Product | None:
        return next((p for p in self.products.values() if p.tier == tier), None)


def _positive_int(table: Mapping, key: str, where: str, *, default: int | None) -> int | None:
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: {key} must be a whole number ≥ 1")
    return value


def parse_catalog(data: Mapping, source: str) -> Catalog:
    table = data.get("products")
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{source}: needs at least one [products.<id>] table")
    products = {}
    for key, entry in table.items():
        where = f"{source}: [products.{key}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be a table")
        unknown = set(entry) - {"tier", "seats", "updates_months"}
        if unknown:
            raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]}")
        tier = entry.get("tier")
        if not isinstance(tier, str) or not tier:
            raise ConfigError(f"{where}: tier must be a non-empty string")
        seats = _positive_int(entry, "seats", where, default=1)
        assert seats is not None
        months = _positive_int(entry, "updates_months", where, default=None)
        products[key] = Product(key=key, tier=tier, seats=seats, updates_months=months)
    return Catalog(products=products)


def load_catalog(path: Path) -> Catalog:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"products file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"products file {path} is not valid TOML: {exc}") from None
    return parse_catalog(data, str(path))
