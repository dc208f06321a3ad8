"""A wide customer export written as it is made: `people.generate`'s people (the same rows, the
same true pairs) plus the columns a shop's export carries around them, about 500 bytes a row.

people.generate holds the whole table as strings, and its duplicates as one dict per row of the
originals: at 10 M rows that is several GB before a single extra column. `write_export` draws the
same random numbers in the same order, but keeps the originals as integer codes into the name
pools (a few hundred MB at 10 M rows) and builds the text of one chunk of the shuffled file at a
time, so the people columns come out as `generate(rows)` would make them (tests: the first rows at
a small size are compared cell by cell in bench/README.md's check, `python -m synthetic.export
--check`). The extra columns, a chunk at a time from their own seed:

    customer_number  K-10000001…, unique, in file order (a duplicate has its own number)
    email            first.last (the row's own, possibly corrupted, name) + digits @ a mail host
    phone, mobile    +49 numbers, a fifth of mobiles empty
    company          a tenth of the rows: a surname + GmbH / KG / AG
    address_line_2   a sixth: "Apt 12" / "c/o …" / "Rear building"
    country, language, loyalty_tier, newsletter, preferred_channel, payment_method
    customer_since, last_order_date   ISO dates
    order_count, total_spent, last_order_total, average_basket, open_balance   figures
    last_order_items "SKU-40231 x2; SKU-11830 x1"
    notes            free text: 0–8 service-desk sentences (3.95 on average) (commas, quotes, umlauts)

The people columns come first, under people.COLUMNS' names, so `dedupe --columns` takes the same
columns as on the narrow table.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from synthetic.people import COLUMNS, STREET_TYPES, _corrupt, _names

CHUNK = 250_000
HOSTS = np.array(["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.com", "yahoo.de",
                  "icloud.com", "posteo.de", "freenet.de", "mail.de"], dtype=object)
LEGAL = np.array([" GmbH", " KG", " AG", " GmbH & Co. KG", " e.K."], dtype=object)
LINE2 = np.array(["Apt 12", "Apt 3b", "c/o Reception", "Rear building", "2nd floor", "Unit 7"], dtype=object)
TIERS = np.array(["Bronze", "Silver", "Gold", "Platinum"], dtype=object)
CHANNELS = np.array(["email", "phone", "post", "sms", "none"], dtype=object)
PAYMENTS = np.array(["invoice", "credit card", "PayPal", "direct debit", "Klarna"], dtype=object)
SENTENCES = np.array([
    "Customer called about a late delivery, parcel was re-sent on request.",
    "Asked to be contacted by e-mail only, no calls during working hours.",
    "Returned two items (wrong size); refund issued to the original payment method.",
    "Prefers delivery to the neighbour at no. 14 when not at home.",
    "Complained that the \"express\" option took five working days.",
    "VIP: handle with care, long-standing customer since the shop's first year.",
    "Invoice address differs from delivery address, see order history.",
    "Bitte keine Werbung per Post zusenden – Kunde hat widersprochen.",
    "Payment reminder sent twice; balance settled after the second reminder.",
    "Changed surname after marriage, old orders are under the previous name.",
    "Requested a copy of all stored data (GDPR art. 15); export sent by post.",
    "Ordered a gift voucher, asked for it to be wrapped, card text: \"Happy birthday, Oma!\"",
    "Damaged goods on arrival, photos received, replacement dispatched.",
    "Wants to be informed when the item is back in stock.",
    "Account merged by support on request; duplicate login removed.",
], dtype=object)
EXTRA = ["customer_number", "email", "phone", "mobile", "company", "address_line_2", "country",
         "language", "customer_since", "last_order_date", "order_count", "total_spent",
         "last_order_total", "average_basket", "open_balance", "loyalty_tier", "newsletter",
         "preferred_channel", "payment_method", "last_order_items", "notes"]


class People:
    """`people.generate(rows)` drawn in the same order, its originals kept as codes."""

    def __init__(self, rows: int, *, duplicate_share: float = 0.2, seed: int = 7) -> None:
        rng = random.Random(seed)
        gen = np.random.default_rng(seed)
        self.originals = originals = int(rows / (1 + duplicate_share))
        self.firsts = np.array(_names(rng, 3000, 2, 3, True), dtype=object)
        self.lasts = np.array(_names(rng, 40000, 2, 4, True), dtype=object)
        self.streets = np.array(_names(rng, 8000, 2, 3, False), dtype=object)
        self.cities = np.array(_names(rng, 3000, 2, 3, True), dtype=object)
        self.types = np.array([long for long, _ in STREET_TYPES], dtype=object)
        self.city = gen.integers(0, len(self.cities), originals).astype(np.int32)
        self.born = gen.integers(0, 60 * 365, originals).astype(np.int32)
        self.first = (gen.zipf(1.3, originals) % len(self.firsts)).astype(np.int32)
        self.last = gen.integers(0, len(self.lasts), originals).astype(np.int32)
        self.number = gen.integers(1, 400, originals).astype(np.int16)
        self.street = gen.integers(0, len(self.streets), originals).astype(np.int32)
        self.type = gen.integers(0, len(self.types), originals).astype(np.int8)
        sources = gen.integers(0, originals, rows - originals)
        self.extra = []
        for at in range(0, len(sources), CHUNK):
            self.extra.extend(tuple(_corrupt(rng, record).values())
                              for record in self.records(sources[at:at + CHUNK]))
        self.order = gen.permutation(rows)
        position = np.empty(rows, dtype=np.int64)
        position[self.order] = np.arange(rows)
        members: dict[int, list[int]] = {}
        for k, source in enumerate(sources.tolist()):
            members.setdefault(source, [int(position[source])]).append(int(position[originals + k]))
        self.groups = [sorted(group) for group in members.values()]

    def records(self, codes: np.ndarray) -> list[dict[str, str]]:
        """The originals numbered `codes` as people.generate's rows (dicts in COLUMNS' order)."""
        return self.frame(codes).to_dict("records")

    def frame(self, codes: np.ndarray) -> pd.DataFrame:
        """The originals numbered `codes`, as text columns."""
        born = (np.datetime64("1940-01-01") + self.born[codes].astype(np.int64)).astype(str)
        return pd.DataFrame({
            "first_name": self.firsts[self.first[codes]],
            "last_name": self.lasts[self.last[codes]],
            "street": (self.number[codes].astype(str).astype(object) + " "
                       + self.streets[self.street[codes]] + " " + self.types[self.type[codes]]),
            "city": self.cities[self.city[codes]],
            "postcode": (10000 + self.city[codes].astype(np.int64) * 29 % 89999).astype(str).astype(object),
            "date_of_birth": born.astype(object),
        })

    def chunk(self, start: int, stop: int) -> pd.DataFrame:
        """Rows start..stop-1 of the shuffled table."""
        return self.rows_at(np.arange(start, stop))

    def rows_at(self, positions: np.ndarray) -> pd.DataFrame:
        """The shuffled table's rows at `positions` (numbered from 0), people columns only."""
        index = self.order[positions]
        original = index < self.originals
        cells = np.empty((len(positions), len(COLUMNS)), dtype=object)
        if original.any():
            cells[original] = self.frame(index[original]).to_numpy(dtype=object)
        if not original.all():
            cells[~original] = np.array([self.extra[i - self.originals] for i in index[~original]], dtype=object)
        return pd.DataFrame(cells, columns=COLUMNS)

    def truth(self) -> list[tuple[int, int]]:
        """Every true pair (a, b), a < b, row numbers of the shuffled table from 0."""
        return sorted((g[i], g[j]) for g in self.groups for i in range(len(g)) for j in range(i + 1, len(g)))


def _ascii(names: pd.Series) -> pd.Series:
    return (names.str.lower().str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
            .str.replace(r"[^a-z]", "", regex=True))


def extra_columns(people: pd.DataFrame, start: int, seed: int) -> pd.DataFrame:
    """The export's other columns for the chunk of rows `people` (numbered from `start`)."""
    n = len(people)
    gen = np.random.default_rng([seed, start])
    digits = lambda low, high: gen.integers(low, high, n).astype(str).astype(object)  # noqa: E731
    since = np.datetime64("2008-01-01") + gen.integers(0, 17 * 365, n)
    last = since + gen.integers(0, 365 * 3, n)
    orders = gen.geometric(0.15, n)
    basket = np.round(gen.lognormal(4.0, 0.6, n), 2)
    total = np.round(basket * orders, 2)
    suffix = np.where(gen.random(n) < 0.5, digits(1, 999), "")
    items = (("SKU-" + digits(10000, 99999) + " x" + digits(1, 4)) + np.where(
        gen.random(n) < 0.6, "; SKU-" + digits(10000, 99999) + " x" + digits(1, 3), ""))
    count = gen.choice(9, n, p=[0.08, 0.1, 0.12, 0.14, 0.14, 0.13, 0.12, 0.1, 0.07])
    picks = gen.integers(0, len(SENTENCES), (n, 8))
    notes = [" ".join(SENTENCES[picks[i, :c]]) for i, c in enumerate(count.tolist())]
    company = np.where(gen.random(n) < 0.1, people["last_name"].to_numpy() + LEGAL[gen.integers(0, len(LEGAL), n)], "")
    return pd.DataFrame({
        "customer_number": "K-" + (10_000_001 + start + np.arange(n)).astype(str).astype(object),
        "email": (_ascii(people["first_name"]) + "." + _ascii(people["last_name"]) + suffix + "@"
                  + HOSTS[gen.integers(0, len(HOSTS), n)]).to_numpy(),
        "phone": "+49 " + digits(30, 9999) + " " + digits(100000, 9999999),
        "mobile": np.where(gen.random(n) < 0.8, "+49 15" + digits(10, 99) + " " + digits(1000000, 9999999), ""),
        "company": company,
        "address_line_2": np.where(gen.random(n) < 1 / 6, LINE2[gen.integers(0, len(LINE2), n)], ""),
        "country": np.where(gen.random(n) < 0.9, "DE", np.where(gen.random(n) < 0.5, "AT", "CH")),
        "language": np.where(gen.random(n) < 0.85, "de", "en"),
        "customer_since": since.astype(str),
        "last_order_date": last.astype(str),
        "order_count": orders,
        "total_spent": np.char.mod("%.2f", total),
        "last_order_total": np.char.mod("%.2f", np.round(basket * gen.uniform(0.5, 1.5, n), 2)),
        "average_basket": np.char.mod("%.2f", basket),
        "open_balance": np.where(gen.random(n) < 0.08, np.char.mod("%.2f", basket), "0.00"),
        "loyalty_tier": TIERS[np.minimum(orders // 5, 3)],
        "newsletter": np.where(gen.random(n) < 0.4, "yes", "no"),
        "preferred_channel": CHANNELS[gen.integers(0, len(CHANNELS), n)],
        "payment_method": PAYMENTS[gen.integers(0, len(PAYMENTS), n)],
        "last_order_items": items,
        "notes": notes,
    })


def write_export(rows: int, table: Path, truth: Path, *, seed: int = 11, chunk: int = CHUNK) -> People:
    """Write the export (CSV, UTF-8, people.COLUMNS then EXTRA) and its true pairs (`a,b` lines,
    row numbers from 0), each through a .part file; the People drawn, for a match's second list."""
    people = People(rows)
    with open(str(truth) + ".part", "w", encoding="ascii") as handle:
        handle.writelines(f"{a},{b}\n" for a, b in people.truth())
    with open(str(table) + ".part", "w", encoding="utf-8", newline="") as handle:
        for start in range(0, rows, chunk):
            part = people.chunk(start, min(rows, start + chunk))
            wide = pd.concat([part, extra_columns(part, start, seed)], axis=1)
            wide.to_csv(handle, index=False, header=start == 0, lineterminator="\n")
    os.replace(str(truth) + ".part", truth)
    os.replace(str(table) + ".part", table)
    return people


def write_leads(rows: int, export_rows: int, table: Path, truth: Path, *, copies: float = 0.8,
                seed: int = 5) -> None:
    """A list of `rows` leads to match against `write_export(export_rows)`'s export: `copies` of
    them a FEBRL-style corrupted copy of a random export row (people.py's `_corrupt`), the rest
    new people put together from the export's name, street, city and birth-date pools, shuffled.
    Columns: people.COLUMNS, email, signed_up. `truth`: one `lead,export` line per true pair
    (rows from 0): a copy's partners are its export row and that row's true duplicates."""
    people = People(export_rows)
    gen = np.random.default_rng(seed)
    rng = random.Random(seed)
    copied = int(rows * copies)
    picked = np.sort(gen.choice(export_rows, copied, replace=False))
    made = []
    for at in range(0, copied, CHUNK):
        made.extend(tuple(_corrupt(rng, record).values())
                    for record in people.rows_at(picked[at:at + CHUNK]).to_dict("records"))
    strangers = rows - copied
    parts = [people.frame(gen.integers(0, people.originals, strangers)) for _ in COLUMNS]
    fresh = pd.DataFrame({c: parts[k][c].to_numpy(dtype=object) for k, c in enumerate(COLUMNS)})
    fresh["postcode"] = parts[COLUMNS.index("city")]["postcode"].to_numpy(dtype=object)
    leads = pd.DataFrame(made + list(fresh.itertuples(index=False, name=None)), columns=COLUMNS)
    order = gen.permutation(rows)
    leads = leads.iloc[order].reset_index(drop=True)
    partners = {}
    for group in people.groups:
        for member in group:
            partners[member] = group
    with open(str(truth) + ".part", "w", encoding="ascii") as handle:
        for lead, source in enumerate(order.tolist()):
            if source < copied:
                export = int(picked[source])
                handle.writelines(f"{lead},{p}\n" for p in partners.get(export, [export]))
    leads["email"] = (_ascii(leads["first_name"]) + "." + _ascii(leads["last_name"]) + "@"
                      + HOSTS[gen.integers(0, len(HOSTS), rows)])
    leads["signed_up"] = (np.datetime64("2026-01-01") + gen.integers(0, 330, rows)).astype(str)
    leads.to_csv(str(table) + ".part", index=False, lineterminator="\n")
    os.replace(str(truth) + ".part", truth)
    os.replace(str(table) + ".part", table)


def check(rows: int = 20_000) -> None:
    """The people columns equal people.generate's at `rows` rows, the truth too (AssertionError)."""
    from synthetic.people import generate

    frame, pairs = generate(rows)
    people = People(rows)
    made = pd.concat([people.chunk(s, min(rows, s + 3000)) for s in range(0, rows, 3000)], ignore_index=True)
    assert made.to_numpy(dtype=object).tolist() == frame.to_numpy(dtype=object).tolist(), \
        "people columns differ from people.generate"
    assert set(people.truth()) == pairs, "truth differs from people.generate"
    print(f"{rows:,} rows: the same people and the same {len(pairs):,} true pairs as people.generate")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    check()
