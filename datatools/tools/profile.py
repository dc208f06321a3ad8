"""`profile_table`: what each column holds — type, fill, distinct values, shapes, suspicious cells.

Counts over the whole column use pyarrow compute kernels (a million rows in milliseconds);
type inference and pattern shapes look at a sample of up to `SAMPLE` filled values, which the
report says.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from datatools.progress import Progress, silent
from datatools.tools import text_patterns as tp

if TYPE_CHECKING:
    import pandas as pd

SAMPLE = 2000
TOP = 5
TYPES = (("integer", tp.INTEGER), ("decimal", tp.DECIMAL), ("date", tp.DATE_ISO),
         ("date", tp.DATE_DMY_OR_MDY), ("email", tp.EMAIL), ("phone", tp.PHONE),
         ("boolean", tp.BOOLEAN))
MIXED_SHARE = 0.05   # a second type this common makes a column "mixed"


@dataclass
class ColumnProfile:
    name: str
    type: str                      # integer, code, decimal, date, email, phone, boolean,
                                   # text, mixed, empty
    filled: int
    fill_rate: float
    distinct: int
    top_values: list[tuple[str, int]]
    min_length: int
    max_length: int
    mean_length: float
    minimum: str                   # smallest value (numerically for numbers)
    maximum: str
    patterns: list[tuple[str, int]]            # shapes in the sample, most common first
    type_counts: dict[str, int]                # in the sample
    suspicious: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)   # one example per suspicion


@dataclass
class Profile:
    rows: int
    sample_size: int
    columns: list[ColumnProfile]

    def to_dict(self) -> dict:
        return {"rows": self.rows, "sample_size": self.sample_size,
                "columns": [asdict(c) for c in self.columns]}

    def to_text(self) -> str:
        """A readable table, one line per column, then the suspicious values."""
        head = f"{'column':<20} {'type':<8} {'filled':>7} {'distinct':>9} {'length':>9}  top values"
        lines = [f"{self.rows:,} rows, {len(self.columns)} columns", "", head, "-" * len(head)]
        for c in self.columns:
            top = ", ".join(f"{v!r}×{n}" for v, n in c.top_values[:3])
            lines.append(f"{c.name[:20]:<20} {c.type:<8} {c.fill_rate:>6.0%} {c.distinct:>9,} "
                         f"{f'{c.min_length}–{c.max_length}':>9}  {top[:60]}")
        notes = [f"  {c.name}: {n:,} {kind.replace('_', ' ')} (e.g. {c.examples.get(kind, '')!r})"
                 for c in self.columns for kind, n in c.suspicious.items()]
        if notes:
            lines += ["", "Suspicious values:", *notes]
        return "\n".join(lines) + "\n"


def profile_table(frame: "pd.DataFrame", progress: Progress | None = None) -> Profile:
    """Profile every column of `frame` (text columns, "" for empty)."""
    progress = progress or silent()
    columns = []
    for index, name in enumerate(frame.columns):
        progress.update(index / max(len(frame.columns), 1), f"profiling {name}")
        columns.append(_profile_column(str(name), frame[name]))
    progress.update(1.0, "profiled")
    return Profile(len(frame), min(SAMPLE, len(frame)), columns)


def _arrow(series: "pd.Series"):
    import pyarrow as pa

    array = pa.array(series.astype("str"), type=pa.large_string(), from_pandas=True)
    return array.fill_null("")


def _profile_column(name: str, series: "pd.Series") -> ColumnProfile:
    import pyarrow.compute as pc

    values = _arrow(series)
    rows = len(values)
    filled_mask = pc.not_equal(values, "")
    filled_values = values.filter(filled_mask)
    filled = len(filled_values)
    counts = pc.value_counts(filled_values) if filled else None
    top: list[tuple[str, int]] = []
    distinct = 0
    if counts is not None:
        distinct = len(counts)
        tally = counts.field("counts")
        order = pc.select_k_unstable(tally, k=min(TOP, distinct),
                                     sort_keys=[("dummy", "descending")])
        top = list(zip(counts.field("values").take(order).to_pylist(),
                       tally.take(order).to_pylist()))
    lengths = pc.utf8_length(filled_values) if filled else None
    sample = _sample(filled_values)
    type_counts = _types(sample)
    column_type = _main_type(type_counts, len(sample))
    if column_type == "integer" and any(len(v) > 1 and v.startswith("0") for v in sample):
        column_type = "code"    # digits with leading zeros: ZIP codes, article numbers
    minimum, maximum = _extremes(filled_values, column_type, sample)
    patterns = Counter(tp.shape(v) for v in sample).most_common(TOP)
    suspicious, examples = _suspicious(values, filled_values, type_counts, column_type, sample)
    return ColumnProfile(
        name=name, type=column_type, filled=filled, fill_rate=round(filled / rows, 4) if rows else 0.0,
        distinct=distinct, top_values=top,
        min_length=int(pc.min(lengths).as_py()) if filled else 0,
        max_length=int(pc.max(lengths).as_py()) if filled else 0,
        mean_length=round(pc.mean(lengths).as_py(), 2) if filled else 0.0,
        minimum=minimum, maximum=maximum, patterns=patterns, type_counts=type_counts,
        suspicious=suspicious, examples=examples)


def _sample(filled_values) -> list[str]:
    if len(filled_values) <= SAMPLE:
        return filled_values.to_pylist()
    step = len(filled_values) / SAMPLE   # evenly spread, so a sorted file is sampled fairly
    import pyarrow as pa
    return filled_values.take(pa.array([int(i * step) for i in range(SAMPLE)])).to_pylist()


_COMPILED = [(kind, re.compile(regex)) for kind, regex in TYPES]


def _kind(value: str) -> str:
    value = value.strip()
    return next((kind for kind, rx in _COMPILED if rx.match(value)), "text")


def _types(sample: list[str]) -> dict[str, int]:
    return dict(Counter(map(_kind, sample)).most_common())


def _main_type(type_counts: dict[str, int], size: int) -> str:
    if not size:
        return "empty"
    ranked = sorted(type_counts.items(), key=lambda kv: -kv[1])
    kinds = {k for k, n in ranked if n / size >= MIXED_SHARE}
    if kinds <= {"integer", "decimal"} and kinds:
        return "decimal" if "decimal" in kinds else "integer"
    if kinds <= {"integer", "boolean"} and "boolean" in kinds:
        return "boolean" if type_counts.get("boolean", 0) >= 0.95 * size else "integer"
    if kinds <= {"integer", "phone"} and "phone" in kinds:
        return "phone"
    return ranked[0][0] if len(kinds) == 1 else "mixed"


def _extremes(filled_values, column_type: str, sample: list[str]) -> tuple[str, str]:
    import pyarrow.compute as pc

    if not len(filled_values):
        return "", ""
    if column_type == "integer":
        numbers = pc.cast(pc.utf8_trim_whitespace(filled_values), "int64", safe=False) \
            if all(v.strip().lstrip("+-").isdigit() for v in sample) else None
        if numbers is not None:
            try:
                return str(pc.min(numbers).as_py()), str(pc.max(numbers).as_py())
            except Exception:  # a value outside the sample was not a number after all
                pass
    extremes = pc.min_max(filled_values)
    return extremes["min"].as_py(), extremes["max"].as_py()


def _suspicious(values, filled_values, type_counts: dict[str, int], column_type: str,
                sample: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    import pyarrow.compute as pc

    found: dict[str, int] = {}
    examples: dict[str, str] = {}

    def note(kind: str, mask) -> None:
        count = int(pc.sum(mask).as_py() or 0)
        if count:
            found[kind] = count
            examples[kind] = filled_values.filter(mask)[0].as_py()

    if not len(filled_values):
        return found, examples
    note("edge_spaces", pc.or_(pc.starts_with(filled_values, " "), pc.ends_with(filled_values, " ")))
    # Debris and invisible characters are never ASCII: regexes run only on the other values.
    non_ascii = pc.invert(pc.string_is_ascii(filled_values))
    if pc.any(non_ascii).as_py():
        note("encoding_debris", pc.and_(non_ascii, pc.match_substring_regex(
            pc.if_else(non_ascii, filled_values, ""), tp.ENCODING_DEBRIS)))
        note("invisible_characters", pc.and_(non_ascii, pc.match_substring_regex(
            pc.if_else(non_ascii, filled_values, ""), "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0]")))
    if column_type == "mixed" or (column_type not in ("text", "empty") and
                                  type_counts.get(column_type, 0) < len(sample)):
        odd = [v for v in sample if _kind(v) != column_type]
        if column_type != "mixed" and odd:
            found["unlike_the_column"] = len(odd)
            examples["unlike_the_column"] = odd[0]
    return found, examples
