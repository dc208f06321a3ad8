"""`profile_table`: what each column holds — type, fill, distinct values, shapes, suspicious cells.

Counts over the whole column use pyarrow compute kernels (a million rows in milliseconds);
type inference and pattern shapes look at a sample of up to `SAMPLE` filled values, which the
report says.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from datatools.progress import Progress, silent
from datatools.tools import text_patterns as tp
from datatools.tools.stacked import columns_where

if TYPE_CHECKING:
    import pandas as pd

SAMPLE = 2000
TOP = 5
TYPES = (("integer", tp.INTEGER), ("decimal", tp.DECIMAL), ("date", tp.DATE_ISO),
         ("date", tp.DATE_DMY_OR_MDY), ("datetime", tp.DATETIME_ISO),
         ("datetime", tp.DATETIME_DMY_OR_MDY), ("email", tp.EMAIL), ("phone", tp.PHONE),
         ("boolean", tp.BOOLEAN))
MIXED_SHARE = 0.05   # a second type this common makes a column "mixed"
PARALLEL_ROWS = 20_000   # columns at least this long are profiled in parallel threads


@dataclass
class ColumnProfile:
    name: str
    type: str                      # integer, code, decimal, date, datetime, email, phone, boolean,
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
    # column → what is estimated in it (the large-file engine, beyond its distinct-value budget)
    estimated: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        # Field by field, not dataclasses.asdict: its deep copy costs a millisecond a column,
        # seconds on a survey of thousands of columns.
        data = {"rows": self.rows, "sample_size": self.sample_size,
                "columns": [{f: _plain(getattr(c, f)) for f in _COLUMN_FIELDS} for c in self.columns]}
        if self.estimated:
            data["estimated"] = dict(self.estimated)
        return data

    def to_text(self) -> str:
        """A readable table, one line per column, then the suspicious values; control
        characters in names shown escaped (datatools/terminal.py), values as Python literals."""
        from datatools.terminal import shown

        head = f"{'column':<20} {'type':<8} {'filled':>7} {'distinct':>9} {'length':>9}  top values"
        lines = [f"{self.rows:,} rows, {len(self.columns)} columns", "", head, "-" * len(head)]
        for c in self.columns:
            top = _top_text(c.top_values[:3], 60)
            distinct = f"≈{c.distinct:,}" if c.name in self.estimated else f"{c.distinct:,}"
            lines.append(f"{_fit(shown(c.name), 20)} {c.type:<8} {c.fill_rate:>6.0%} {distinct:>9} "
                         f"{f'{c.min_length}–{c.max_length}':>9}  {top}")
        notes = [f"  {shown(c.name)}: {n:,} {kind.replace('_', ' ')} (e.g. {quoted(c.examples.get(kind, ''))})"
                 for c in self.columns for kind, n in c.suspicious.items()]
        if notes:
            lines += ["", "Suspicious values:", *notes]
        if self.estimated:
            lines += ["", "Estimated (≈): " + "; ".join(f"{name}: {what}"
                                                         for name, what in self.estimated.items())]
        return "\n".join(lines) + "\n"


_COLUMN_FIELDS = tuple(f.name for f in fields(ColumnProfile))


def _plain(value):
    """A field's value as asdict gives it: lists and dicts copied, tuples kept as tuples."""
    if isinstance(value, list):
        return [tuple(v) if isinstance(v, tuple) else v for v in value]
    if isinstance(value, dict):
        return dict(value)
    return value


def quoted(value: object) -> str:
    """`value` quoted as Python writes it (`'a\\xa0b'`: no-break and zero-width characters
    show), but the ideographic space U+3000 as itself: it is a visible full-width space, the
    separator of Japanese names (`'鈴木　修'`), not a hidden character (DECISIONS 556)."""
    return re.sub(r"(?<!\\)((?:\\\\)*)\\u3000", "\\1\u3000", repr(value))


def _top_text(top_values: list, width: int) -> str:
    """`'value'×count` entries joined by ", " within about `width` characters: whole entries only,
    so a count is never cut ('x'×70 shown as 'x'×7); a first value too long to fit is shortened
    with … before its count."""
    parts: list[str] = []
    for value, count in top_values:
        entry, tail = quoted(value), f"×{count}"
        used = sum(len(p) + 2 for p in parts)
        if used + len(entry) + len(tail) > width:
            if parts:
                break
            entry = entry[:max(width - len(tail) - 1, 1)] + "…"
        parts.append(entry + tail)
    return ", ".join(parts)


def _fit(text: str, width: int) -> str:
    """`text` cut and padded to `width` terminal cells: CJK (East Asian wide) characters take two."""
    import unicodedata

    out, used = [], 0
    for char in text:
        cells = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if used + cells > width:
            break
        out.append(char)
        used += cells
    return "".join(out) + " " * (width - used)


def profile_table(frame: "pd.DataFrame", progress: Progress | None = None) -> Profile:
    """Profile every column of `frame` (text columns, "" for empty)."""
    progress = progress or silent()
    names = frame.columns.tolist()
    columns: list[ColumnProfile] = []
    if len(frame) <= SAMPLE:
        # A short table: every column is its own sample, and the whole table is profiled in
        # one stacked pass (profile_stacked.py) instead of paying each call's fixed cost per column.
        from datatools.tools.profile_stacked import profile_stacked

        columns = profile_stacked(frame, progress)
        progress.update(1.0, "profiled")
        return Profile(len(frame), min(SAMPLE, len(frame)), columns)
    if len(frame) < PARALLEL_ROWS:
        # Short columns: a thread's hand-over costs more than the column's work.
        # One stacked pass finds the columns with a cell worth `_suspicious`'s character checks.
        odd = set(columns_where(frame, _odd_characters))
        for index, (name, series) in enumerate(frame.items()):
            columns.append(_profile_column(str(name), series, name in odd))
            if index % 100 == 99 or index == len(names) - 1:
                progress.update((index + 1) / len(names), f"profiled {name}")
        progress.update(1.0, "profiled")
        return Profile(len(frame), min(SAMPLE, len(frame)), columns)
    # pyarrow kernels release the GIL, so columns profile in parallel; results keep their order
    # and progress (with its cancel check) is reported from this thread as columns finish.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = [pool.submit(_profile_column, str(name), series) for name, series in frame.items()]
        try:
            for index, future in enumerate(futures):
                columns.append(future.result())
                progress.update((index + 1) / max(len(names), 1), f"profiled {names[index]}")
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    progress.update(1.0, "profiled")
    return Profile(len(frame), min(SAMPLE, len(frame)), columns)


def profile_read(table, progress: Progress | None = None) -> Profile:
    """`profile_table` of a table as `io.read_table` gives it (a `Table`): a short, wide file
    the reader kept as stacked cells (io/short_wide.py) is profiled from them, without building
    its DataFrame (DECISIONS 224); the same Profile either way."""
    cells = table.cells
    if cells is None or cells.rows > SAMPLE:
        return profile_table(table.frame, progress)
    from datatools.tools.profile_stacked import profile_cells

    progress = progress or silent()
    columns = profile_cells(cells.stacked, cells.rows, cells.names, progress)
    progress.update(1.0, "profiled")
    return Profile(cells.rows, cells.rows, columns)


def _arrow(series: "pd.Series"):
    """The column as a pyarrow string array, without copying when pandas already holds one."""
    import pyarrow as pa

    array = series.array
    if hasattr(array, "__arrow_array__") and str(series.dtype) in ("str", "string"):
        data = array.__arrow_array__()
    else:
        data = pa.array(series.astype("str"), from_pandas=True)
    if isinstance(data, pa.ChunkedArray):
        data = data.combine_chunks() if data.num_chunks != 1 else data.chunk(0)
    if pa.types.is_large_string(data.type) and data.nbytes < 2**31 - 2**24:
        data = data.cast(pa.string())   # hashing 32-bit offsets is about twice as fast
    return data.fill_null("") if data.null_count else data


def _odd_characters(cells: "pd.Series") -> "pd.Series":
    """True for a cell `_suspicious` must look at: an edge space, a control or non-ASCII character."""
    return cells.str.contains("^ | $|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[^\x00-\x7f]", regex=True)


def _profile_column(name: str, series: "pd.Series", odd: bool = True) -> ColumnProfile:
    """The profile of one column; `odd` False when no cell has an edge space, a control or a
    non-ASCII character (`_odd_characters`), which spares the checks for them."""
    import pyarrow.compute as pc

    values = _arrow(series)
    rows = len(values)
    filled_mask = pc.not_equal(values, "")
    filled_values = values if pc.all(filled_mask).as_py() else values.filter(filled_mask)
    filled = len(filled_values)
    counts = _value_counts(filled_values) if filled else None
    top: list[tuple[str, int]] = []
    distinct = 0
    if counts is not None:
        uniques, tally = counts
        distinct = len(uniques)
        top = _top_values(uniques, tally)
    lengths = pc.utf8_length(filled_values) if filled else None
    sample = _sample(filled_values)
    type_counts, column_type = sample_types(sample, name)
    minimum, maximum = _extremes(filled_values, column_type, sample,
                                 counts[0] if counts is not None else None)
    patterns = _tally(tp.shape, sample).most_common(TOP)
    suspicious, examples = _suspicious(counts, type_counts, column_type, sample, odd)
    return ColumnProfile(
        name=name, type=column_type, filled=filled, fill_rate=round(filled / rows, 4) if rows else 0.0,
        distinct=distinct, top_values=top,
        min_length=int(pc.min(lengths).as_py()) if filled else 0,
        max_length=int(pc.max(lengths).as_py()) if filled else 0,
        mean_length=round(pc.mean(lengths).as_py(), 2) if filled else 0.0,
        minimum=minimum, maximum=maximum, patterns=patterns, type_counts=type_counts,
        suspicious=suspicious, examples=examples)


def sample_types(sample: list[str], name: str = "") -> tuple[dict[str, int], str]:
    """The type counts of a column's sample and the column's type (both engines decide so);
    `name`, the column's, may say it is no phone column (named_type)."""
    type_counts = _types(sample)
    column_type = _main_type(type_counts, len(sample))
    if column_type == "integer" and any(len(v) > 1 and v.startswith("0") for v in sample):
        column_type = "code"    # digits with leading zeros: ZIP codes, article numbers
    return type_counts, named_type(name, column_type)


def named_type(name: str, column_type: str) -> str:
    """The type of a column named `name`: "code" for one named for a postcode whose values read
    as numbers or phones (house_numbers.names_postcode: `PLZ`, `Zip`, `郵便番号`; Japan's
    `530-0001` has a phone's shape, trial H) and for one named for an identifier whose values
    read as phones (id_headers.names_no_phone: `CPF`, `SSN`, `CEP`; `013.710.406-56` only looks
    like a phone, trial J); else `column_type`."""
    from datatools.tools.house_numbers import names_postcode
    from datatools.tools.id_headers import names_no_phone

    if name and column_type in ("integer", "phone") and names_no_phone(name) \
            and (column_type == "phone" or names_postcode(name)):
        return "code"
    return column_type


def base_kinds(column_type: str, type_counts: dict[str, int], size: int) -> set[str]:
    """The kinds of value (`_kind`) a column of `column_type` holds without being odd: a code
    column's integers, and its phone-like values too when it is a named_type code (phone-like
    values MIXED_SHARE or more: `013.710.406-56` beside `01371040656` in a CPF column)."""
    base = {"integer" if column_type == "code" else column_type}
    if column_type == "code" and type_counts.get("phone", 0) >= MIXED_SHARE * size:
        base.add("phone")
    return base


def _top_values(uniques, tally) -> list[tuple[str, int]]:
    """The TOP most common values with their counts; ties in order of first appearance (the
    order of `uniques`), so the profile says the same on every run and with either engine."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ranked = pa.table({"n": tally, "i": pa.array(range(len(tally)), pa.int64())})
    order = pc.select_k_unstable(ranked, k=min(TOP, len(tally)),
                                 sort_keys=[("n", "descending"), ("i", "ascending")])
    return list(zip(uniques.take(order).to_pylist(), tally.take(order).to_pylist()))


def sample_positions(filled: int) -> list[int]:
    """Which filled values (0-based, in file order) make the sample: all up to SAMPLE, else
    SAMPLE of them evenly spread, so a sorted file is sampled fairly."""
    if filled <= SAMPLE:
        return list(range(filled))
    step = filled / SAMPLE
    return [int(i * step) for i in range(SAMPLE)]


def _value_counts(values):
    """Distinct values and how often each occurs, as two aligned arrays."""
    import pyarrow.compute as pc

    counts = pc.value_counts(values)
    return counts.field("values"), counts.field("counts")


def _sample(filled_values) -> list[str]:
    if len(filled_values) <= SAMPLE:
        return filled_values.to_pylist()
    import pyarrow as pa
    return filled_values.take(pa.array(sample_positions(len(filled_values)))).to_pylist()


_COMPILED = [(kind, re.compile(regex)) for kind, regex in TYPES]


def _kind(value: str) -> str:
    """The type of one value, read on its NFKC form: full-width digits and signs
    (`０３－１２３４－５６７８`, `ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ`) are the phone and e-mail they look like."""
    value = value.strip()
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return next((kind for kind, rx in _COMPILED if rx.match(value)), "text")


def _types(sample: list[str]) -> dict[str, int]:
    return dict(_tally(_kind, sample).most_common())


def _tally(read, sample: list[str]) -> Counter:
    """How many values of `sample` `read` maps to each result, `read` called once per distinct
    value (a column repeats its values; a short, wide table samples every cell). Results are
    counted in order of first appearance, as `Counter(map(read, sample))` counts them."""
    tally: Counter = Counter()
    for value, count in Counter(sample).items():
        tally[read(value)] += count
    return tally


def _main_type(type_counts: dict[str, int], size: int) -> str:
    if not size:
        return "empty"
    ranked = sorted(type_counts.items(), key=lambda kv: -kv[1])
    kinds = {k for k, n in ranked if n / size >= MIXED_SHARE}
    if kinds <= {"integer", "decimal"} and kinds:
        return "decimal" if "decimal" in kinds else "integer"
    if kinds <= {"date", "datetime"} and "datetime" in kinds:
        return "datetime"          # dates among date-times: midnight, or the time left out
    if kinds <= {"integer", "boolean"} and "boolean" in kinds:
        return "boolean" if type_counts.get("boolean", 0) >= 0.95 * size else "integer"
    if kinds <= {"integer", "phone"} and "phone" in kinds:
        return "phone"
    return ranked[0][0] if len(kinds) == 1 else "mixed"


def _extremes(filled_values, column_type: str, sample: list[str], uniques=None) -> tuple[str, str]:
    import pyarrow.compute as pc

    if not len(filled_values):
        return "", ""
    if column_type == "integer":
        if all(v.strip().lstrip("+-").isdigit() for v in sample):
            try:
                numbers = pc.cast(pc.utf8_trim_whitespace(filled_values), "int64", safe=False)
                return str(pc.min(numbers).as_py()), str(pc.max(numbers).as_py())
            except Exception:  # not every value reads as a 64-bit integer (`+4`, `١٢`, 10^20)
                pass
    if column_type in ("date", "datetime", "decimal"):
        # Each distinct value is read once: a date column repeats few values many times.
        ordered = _ordered_extremes(filled_values if uniques is None else uniques, column_type)
        if ordered is not None:
            return ordered
    extremes = pc.min_max(filled_values)
    return extremes["min"].as_py(), extremes["max"].as_py()


def _ordered_extremes(values, column_type: str) -> tuple[str, str] | None:
    """The earliest and latest date, or the smallest and largest decimal, as written in the file.

    Values are read the way `clean --dates auto` / `--numbers auto` reads them (day/month order
    and decimal mark decided per column), so `01/03/2024` comes after `28/02/2024` and `10,5`
    after `9,25`; text order gets both wrong. None when the column does not decide (ISO dates
    already sort as text; an ambiguous order or mark is not guessed), or nothing was read.
    """
    import pandas as pd

    from datatools.tools.clean import CleanOptions, clean_table

    values = values.to_pandas()
    dates = column_type != "decimal"
    options = CleanOptions(trim=False, unicode_nfc=False, invisible=False, empty_values=False,
                           dates="auto" if dates else None, numbers=None if dates else "auto",
                           date_format="iso", number_format="point")   # sortable forms
    cleaned, report = clean_table(pd.DataFrame({"v": values}), options)
    decided = (report.date_orders if dates else report.number_styles).get("v", "")
    if decided not in ("day-first", "month-first", "decimal point", "decimal comma"):
        return None
    keys = cleaned["v"]
    if dates:
        keys = keys.where(keys.str.match(r"\d{4}-\d{2}-\d{2}"))   # dates that were read, as ISO text
    else:
        keys = pd.to_numeric(keys, errors="coerce")
    if keys.isna().all():
        return None
    return values[keys.idxmin()], values[keys.idxmax()]


# The kinds of suspicious cells `_suspicious` counts (catalog keys `suspicious.<kind>`).
SUSPICIOUS_KINDS = ("edge_spaces", "control_characters", "encoding_debris", "replacement_characters",
                    "invisible_characters", "unlike_the_column")


def _suspicious(counts, type_counts: dict[str, int], column_type: str,
                sample: list[str], odd: bool = True) -> tuple[dict[str, int], dict[str, str]]:
    """Counts of suspicious cells, checked once per distinct value and weighted by its count;
    the character checks only when `odd` (some cell may hold such a character)."""
    import pyarrow.compute as pc

    found: dict[str, int] = {}
    examples: dict[str, str] = {}
    if counts is None:
        return found, examples
    if not odd:
        unlike_the_column(found, examples, type_counts, column_type, sample)
        return found, examples
    uniques, tally = counts

    def note(kind: str, mask) -> None:
        count = int(pc.sum(pc.if_else(mask, tally, 0)).as_py() or 0)
        if count:
            found[kind] = count
            examples[kind] = uniques.filter(mask)[0].as_py()

    note("edge_spaces", pc.or_(pc.starts_with(uniques, " "), pc.ends_with(uniques, " ")))
    # Control characters (C0 but tab and line ends, DEL, C1 U+0080–U+009F) are never typed:
    # they come from a file decoded with the wrong code page, or from binary debris.
    note("control_characters", pc.match_substring_regex(
        uniques, "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"))
    # Debris and invisible characters are never ASCII: regexes run only on the other values.
    non_ascii = pc.invert(pc.string_is_ascii(uniques))
    if pc.any(non_ascii).as_py():
        others = pc.if_else(non_ascii, uniques, "")
        note("encoding_debris", pc.match_substring_regex(others, tp.ENCODING_DEBRIS))
        note("replacement_characters", pc.match_substring(others, "\ufffd"))
        note("invisible_characters", pc.match_substring_regex(
            others, "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0]"))
    unlike_the_column(found, examples, type_counts, column_type, sample)
    return found, examples


def unlike_the_column(found: dict[str, int], examples: dict[str, str], type_counts: dict[str, int],
                      column_type: str, sample: list[str]) -> None:
    """Add the sample's values whose type is not the column's to `found` and `examples`."""
    base = base_kinds(column_type, type_counts, len(sample))
    if column_type not in ("text", "empty", "mixed") and sum(type_counts.get(k, 0) for k in base) < len(sample):
        odd = [v for v in sample if _kind(v) not in base]
        if odd:
            found["unlike_the_column"] = len(odd)
            examples["unlike_the_column"] = odd[0]
