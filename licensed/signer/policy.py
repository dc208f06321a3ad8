"""What the signer agrees to sign: the license fields of ARCHITECTURE.md, "The license blob", within policy.

The daemon sends fields, never bytes. Each field is checked here against the signer's own
configuration ([policy] in its licensed.toml, and the tiers of products.toml), so a caller that
took over the web process can at most mint what a sale could have minted: a known tier, a
bounded number of seats, dates near today. Unknown fields are refused, not signed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from licensed.bounds import MAX_TEXT
from licensed.events import LICENSE_PRODUCT, add_months

LICENSE_FIELDS = ("lid", "product", "tier", "seats", "name", "email", "issued",
                  "updates_until", "expires")
# codec.new_license_id spells lids "L-" and 16 base32 letters; `dtmint --lid` may choose
# another spelling, which a reissue signs again: letters, digits and . _ : - only.
LID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
# Only NUL: storefronts send names with line and page separators, which the codec signs and the
# mail path handles (tests/daemon/test_daemon_mail.py); NUL no storage keeps.
_CONTROL_RE = re.compile(r"\x00")


class PolicyError(Exception):
    """Fields the signer refuses; `message` names the field and the rule."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Policy:
    """The rules, from the signer's configuration. `tiers` are products.toml's tiers."""

    tiers: frozenset[str]
    max_seats: int
    max_updates_months: int
    earliest_issued: date


def _text(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(f"{name} must be non-empty text")
    if len(value) > MAX_TEXT or _CONTROL_RE.search(value):
        raise PolicyError(f"{name} must be at most {MAX_TEXT} characters, without NUL")
    return value


def _date(fields: Mapping[str, Any], name: str, *, nullable: bool) -> date | None:
    value = fields.get(name)
    if value is None and nullable:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise PolicyError(f"{name} must be a date (YYYY-MM-DD)"
                          + (" or null" if nullable else "")) from None


def check_license_fields(fields: Any, policy: Policy, today: date) -> dict[str, Any]:
    """The fields to sign, checked; raises PolicyError for the first one outside policy.

    `today` is the signer's own date (UTC). Rules: exactly the fields of LICENSE_FIELDS; lid
    in the codec's spelling; product "datatools"; a tier of products.toml; 1 ≤ seats ≤
    max_seats; earliest_issued ≤ issued ≤ tomorrow; updates_until and expires null or between
    issued and today + max_updates_months.
    """
    if not isinstance(fields, dict):
        raise PolicyError("fields must be a JSON object")
    unknown = sorted(set(fields) - set(LICENSE_FIELDS))
    if unknown:
        raise PolicyError(f"unknown field(s) {', '.join(unknown)[:200]}: the signer signs only "
                          f"{', '.join(LICENSE_FIELDS)}")
    lid = fields.get("lid")
    if not isinstance(lid, str) or not LID_RE.fullmatch(lid):
        raise PolicyError("lid must be 1-64 letters, digits, '.', '_', ':' or '-'")
    if fields.get("product") != LICENSE_PRODUCT:
        raise PolicyError(f"product must be {LICENSE_PRODUCT!r}")
    tier = fields.get("tier")
    if tier not in policy.tiers:
        raise PolicyError(f"tier must be one of {', '.join(sorted(policy.tiers))} (products.toml)")
    seats = fields.get("seats")
    if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= policy.max_seats:
        raise PolicyError(f"seats must be a whole number from 1 to {policy.max_seats}")
    name, email = _text(fields, "name"), _text(fields, "email")
    if "@" not in email or any(c.isspace() for c in email):
        raise PolicyError("email must be one address")
    issued = _date(fields, "issued", nullable=False)
    assert issued is not None
    tomorrow = date.fromordinal(today.toordinal() + 1)
    if not policy.earliest_issued <= issued <= tomorrow:
        raise PolicyError(f"issued must be between {policy.earliest_issued} and {tomorrow}")
    latest = add_months(today, policy.max_updates_months)
    for name_ in ("updates_until", "expires"):
        day = _date(fields, name_, nullable=True)
        if day is not None and not issued <= day <= latest:
            raise PolicyError(f"{name_} must be null or between issued ({issued}) and {latest} "
                              f"(today + {policy.max_updates_months} months)")
    return {"lid": lid, "product": LICENSE_PRODUCT, "tier": tier, "seats": seats, "name": name,
            "email": email, "issued": fields["issued"], "updates_until": fields.get("updates_until"),
            "expires": fields.get("expires")}


def check_revoked_lids(lids: Any) -> list[str]:
    """The lids of a revocation list, sorted and unique; raises PolicyError for one that is not
    a lid."""
    if not isinstance(lids, list) or not all(isinstance(l, str) and LID_RE.fullmatch(l)
                                             for l in lids):
        raise PolicyError("lids must be a list of license ids")
    return sorted(set(lids))
