"""products.toml: which storefront product (and variant) mints which tier, how many seats, how
long updates last, what a subscription's paid period moves — or which product renews a
license's updates."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from licensed.errors import ConfigError
from licensed.events import SUBSCRIPTION_POLICIES


@dataclass(frozen=True)
class Offer:
    """What one unit of a product (or of one of its variants) mints."""

    tier: str
    seats: int
    updates_months: int | None  # None: lifetime updates
    # Sold as a subscription, what a paid period moves: "updates" (updates_until; the license
    # never expires) or "expires" (updates_until and expires: a term tier).
    subscription: str = "updates"


@dataclass(frozen=True)
class Product:
    """One `[products.<key>]` entry: a product that mints, or (`renewal = true`) one that renews.

    `variants` maps a storefront variant's name (Gumroad's option, e.g. "Team (5 seats)") to
    its own offer; a product with variants mints only the variants it names.
    """

    key: str
    tier: str
    seats: int
    updates_months: int | None
    variants: Mapping[str, Offer] = field(default_factory=dict)
    renewal: bool = False
    subscription: str = "updates"

    def offer(self, variant_names: Iterable[str]) -> Offer | None:
        """The offer for a purchase of this product with these variant names (any order).

        Without variant mappings the product's own offer, whatever the variant. With them, the
        first named variant that is mapped; None when none is (the caller flags the delivery
        instead of minting a default).
        """
        if not self.variants:
            return Offer(self.tier, self.seats, self.updates_months, self.subscription)
        for name in variant_names:
            if name in self.variants:
                return self.variants[name]
        return None


@dataclass(frozen=True)
class Catalog:
    products: Mapping[str, Product]

    def find(self, *keys: str | None) -> Product | None:
        """The first product matching any of `keys` (a storefront may name a product several ways)."""
        for key in keys:
            if key and key in self.products:
                return self.products[key]
        return None

    def by_variant(self, name: str) -> Product | None:
        """The one product that maps a variant called `name`; None when none or several do
        (Gumroad's subscription_updated names the new tier but not the product's permalink)."""
        found = [p for p in self.products.values() if name and name in p.variants]
        return found[0] if len(found) == 1 else None

    def tiers(self) -> set[str]:
        return {p.tier for p in self.products.values() if not p.renewal}

    def for_tier(self, tier: str) -> Product | None:
        return next((p for p in self.products.values() if p.tier == tier and not p.renewal), None)


def _positive_int(table: Mapping, key: str, where: str, *, default: int | None) -> int | None:
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: {key} must be a whole number ≥ 1")
    return value


def _tier(entry: Mapping, where: str, default: str | None = None) -> str:
    tier = entry.get("tier", default)
    if not isinstance(tier, str) or not tier:
        raise ConfigError(f"{where}: tier must be a non-empty string")
    return tier


def _policy(entry: Mapping, where: str, default: str = "updates") -> str:
    policy = entry.get("subscription", default)
    if policy not in SUBSCRIPTION_POLICIES:
        raise ConfigError(f"{where}: subscription must be one of "
                          f"{', '.join(repr(p) for p in SUBSCRIPTION_POLICIES)}, not {policy!r}")
    return policy


def _variants(entry: Mapping, where: str, parent: Offer) -> dict[str, Offer]:
    table = entry.get("variants", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: variants must be a table of [variants.\"<name>\"] tables")
    variants = {}
    for name, variant in table.items():
        inner = f'{where[:-1]}.variants."{name}"]'
        if not isinstance(variant, dict):
            raise ConfigError(f"{inner} must be a table")
        unknown = set(variant) - {"tier", "seats", "updates_months", "subscription"}
        if unknown:
            raise ConfigError(f"{inner}: unknown key {sorted(unknown)[0]}")
        seats = _positive_int(variant, "seats", inner, default=parent.seats)
        assert seats is not None
        months = (_positive_int(variant, "updates_months", inner, default=None)
                  if "updates_months" in variant else parent.updates_months)
        variants[name] = Offer(_tier(variant, inner, parent.tier), seats, months,
                               _policy(variant, inner, parent.subscription))
    return variants


def parse_entry(key: str, entry: object, source: str) -> Product:
    """One `[products.<key>]` table → Product; raises ConfigError naming the table and key."""
    where = f"{source}: [products.{key}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a table")
    if entry.get("renewal", False) is not False:
        if entry["renewal"] is not True:
            raise ConfigError(f"{where}: renewal must be true or false")
        unknown = set(entry) - {"renewal", "updates_months"}
        if unknown:
            raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]} (a renewal product "
                              "has only renewal and updates_months)")
        months = _positive_int(entry, "updates_months", where, default=None)
        if months is None:
            raise ConfigError(f"{where}: a renewal product needs updates_months (the extension)")
        return Product(key=key, tier="", seats=1, updates_months=months, renewal=True)
    unknown = set(entry) - {"tier", "seats", "updates_months", "variants", "renewal",
                            "subscription"}
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]}")
    seats = _positive_int(entry, "seats", where, default=1)
    assert seats is not None
    months = _positive_int(entry, "updates_months", where, default=None)
    own = Offer(_tier(entry, where), seats, months, _policy(entry, where))
    if own.subscription == "expires" and months is None:
        raise ConfigError(f"{where}: a tier sold with subscription = \"expires\" needs "
                          "updates_months (the period one payment buys)")
    return Product(key=key, tier=own.tier, seats=own.seats, updates_months=own.updates_months,
                   variants=_variants(entry, where, own), subscription=own.subscription)


def parse_catalog(data: Mapping, source: str) -> Catalog:
    table = data.get("products")
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{source}: needs at least one [products.<id>] table")
    return Catalog(products={key: parse_entry(key, entry, source) for key, entry in table.items()})


def load_catalog(path: Path) -> Catalog:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"products file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"products file {path} is not valid TOML: {exc}") from None
    return parse_catalog(data, str(path))
