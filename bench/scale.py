"""Files larger than memory: our duckdb engine beside a bare DuckDB query and today's pandas path.

    .venv/bin/python bench/scale.py                     # 50 M rows × 10 columns (about 5.5 GB)
    .venv/bin/python bench/scale.py --rows 10000000     # what a shared machine tolerates

Generates two versions of a people-and-orders table (Zipf-distributed surnames, given names and
cities, day-first dates, decimal-comma amounts, postcodes with leading zeros, e-mails, phones,
a sparse note), the second with 1 % of amounts changed, 0.5 % of rows removed and as many
added; then runs, each in a fresh process started by a small launcher (bench/peak.py) whose
`wait4` gives that process's own peak resident memory and CPU seconds: `datatools profile`,
`clean` and `compare` on the duckdb engine, the same tools with
`--engine memory` (skipped above `--pandas-max`, where it would take the machine's memory),
and a bare DuckDB query doing the same aggregation from the same CSV under the same memory
limit (for clean: the same steps on every cell, rows in order; the note says whether its file
is ours byte for byte). The working copy's disk use (at the end of the run, spill files included) comes from
each run's JSON report.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from peak import measure  # noqa: E402  (bench/peak.py: the small launcher)

PYTHON = sys.executable
COLUMNS = ["id", "first_name", "last_name", "city", "postcode", "joined", "amount", "email",
           "phone", "note"]
SURNAMES = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
            "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
            "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
            "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
            "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
            "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook",
            "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
            "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
            "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason",
            "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
            "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens",
            "Jenkins", "Murray", "Dixon", "Harvey", "Müller", "Nowak", "García", "Dubois"]
GIVEN = ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy",
         "Leo", "Lily", "Arthur", "Isabella", "Muhammad", "Rosie", "Oscar", "Sophia", "Charlie",
         "Grace", "Jacob", "Freya", "Thomas", "Willow", "Henry", "Florence", "William", "Emily",
         "Alfie", "Ella", "Joshua", "Poppy", "Freddie", "Evie", "Archie", "Elsie", "Ethan",
         "Charlotte", "Isaac", "Evelyn", "Alexander", "Sienna", "Joseph", "Sofia", "Edward",
         "Daisy", "Samuel", "Phoebe", "Max", "Sophie", "José", "Zoë", "Chloé", "Łukasz"]
CITIES = ["London", "Birmingham", "Leeds", "Glasgow", "Sheffield", "Manchester", "Edinburgh",
          "Liverpool", "Bristol", "Cardiff", "Leicester", "Coventry", "Bradford", "Belfast",
          "Nottingham", "Hull", "Newcastle", "Stoke", "Southampton", "Derby", "Portsmouth",
          "Brighton", "Plymouth", "Northampton", "Reading", "Luton", "Wolverhampton", "Bolton",
          "Aberdeen", "Bournemouth", "Norwich", "Swindon", "Swansea", "Milton Keynes", "York"]
CHUNK = 1_000_000


def _zipf_pick(rng, names: list[str], count: int):
    import numpy as np

    ranks = np.minimum(rng.zipf(1.3, count), len(names)) - 1
    return np.array(names, dtype=object)[ranks]


def _chunk(rng, start: int, count: int):
    """`count` rows from id `start`, as a dict of numpy object arrays."""
    import numpy as np

    ids = np.arange(start, start + count)
    first = _zipf_pick(rng, GIVEN, count)
    last = _zipf_pick(rng, SURNAMES, count)
    day, month, year = rng.integers(1, 29, count), rng.integers(1, 13, count), rng.integers(1950, 2025, count)
    euros, cents = rng.lognormal(4, 1.2, count).astype(int), rng.integers(0, 100, count)
    note = np.where(rng.random(count) < 0.9, "", np.array(["vip", " call back", "N/A", "late"],
                                                          dtype=object)[rng.integers(0, 4, count)])
    return {
        "id": ids.astype(str).astype(object),
        "first_name": first, "last_name": last, "city": _zipf_pick(rng, CITIES, count),
        "postcode": np.char.zfill(rng.integers(0, 99_999, count).astype(str), 5).astype(object),
        "joined": np.char.add(np.char.add(np.char.add(np.char.zfill(day.astype(str), 2), "/"),
                                          np.char.add(np.char.zfill(month.astype(str), 2), "/")),
                              year.astype(str)).astype(object),
        "amount": np.char.add(np.char.add(euros.astype(str), ","),
                              np.char.zfill(cents.astype(str), 2)).astype(object),
        "email": (np.char.lower(first.astype(str)) + "." + np.char.lower(last.astype(str))
                  + "@example.org").astype(object),
        "phone": np.char.add("+44 20 7946 ", np.char.zfill(rng.integers(0, 9999, count).astype(str), 4)).astype(object),
        "note": note,
    }


def generate(rows: int, folder: Path) -> tuple[Path, Path]:
    """scale-<rows>-v1.csv and -v2.csv in `folder` (kept and reused: generating takes minutes)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first, second = folder / f"scale-{rows}-v1.csv", folder / f"scale-{rows}-v2.csv"
    if first.exists() and second.exists():
        return first, second
    rng = np.random.default_rng(27)
    options = pacsv.WriteOptions(quoting_style="needed")
    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    added = rows
    with pacsv.CSVWriter(str(first) + ".part", schema, write_options=options) as one, \
            pacsv.CSVWriter(str(second) + ".part", schema, write_options=options) as two:
        for start in range(0, rows, CHUNK):
            count = min(CHUNK, rows - start)
            data = _chunk(rng, start, count)
            one.write_table(pa.table({c: pa.array(data[c], pa.string()) for c in COLUMNS}))
            keep = rng.random(count) >= 0.005
            changed = rng.random(count) < 0.01
            data["amount"] = np.where(changed, data["amount"] + "1", data["amount"])
            extra = _chunk(rng, added, int((~keep).sum()))
            added += len(extra["id"])
            merged = {c: np.concatenate([data[c][keep], extra[c]]) for c in COLUMNS}
            two.write_table(pa.table({c: pa.array(merged[c], pa.string()) for c in COLUMNS}))
            print(f"  generated {start + count:,} rows", file=sys.stderr)
    os.replace(str(first) + ".part", first)
    os.replace(str(second) + ".part", second)
    return first, second


def peer_sql() -> dict[str, str]:
    """The bare DuckDB peer's queries, by name, from bench/scale_peer.sql."""
    found, name = {}, None
    for line in (Path(__file__).with_name("scale_peer.sql")).read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name:"):
            name = line.split(":", 1)[1].strip()
            found[name] = ""
        elif name is not None and not line.startswith("--"):
            found[name] += line + "\n"
    return {key: " ".join(value.split()) for key, value in found.items()}


def bare_duckdb(kind: str, first: Path, second: Path, out: Path, limit: str, spill: Path) -> list[str]:
    """A bare DuckDB script doing the same aggregation straight from the CSV (all text, header)."""
    q = peer_sql()
    paths = {"first": q["read"].format(path=repr(str(first))),
             "second": q["read"].format(path=repr(str(second))), "out": repr(str(out))}
    if kind == "profile":
        sums = ", ".join(q["profile_column"].format(c=c) for c in COLUMNS)
        sql = q["profile"].format(sums=sums, **paths)
    elif kind == "clean":
        cells = ", ".join(q["clean_column"].format(c=c) for c in COLUMNS)
        tidied = ", ".join(q["clean_tidy"].format(c=c) for c in COLUMNS)
        sql = q["clean"].format(cells=cells, tidied=tidied, **paths)
    else:
        differs = " OR ".join(q["compare_column"].format(c=c) for c in COLUMNS[1:])
        sql = q["compare"].format(differs=differs, **paths)
    return duckdb_argv(sql, limit, spill, ordered=kind == "clean")


def duckdb_argv(sql: str, limit: str, spill: Path, ordered: bool = False) -> list[str]:
    """A `python -c` command running `sql` in a bare DuckDB with memory limit `limit`; `ordered`:
    its output rows in the input's order (a cleaned file must keep them; an aggregate need not)."""
    script = (f"import duckdb; db = duckdb.connect(config={{'memory_limit': {limit!r}, "
              f"'temp_directory': {str(spill)!r}, 'preserve_insertion_order': {ordered}}}); "
              f"print(db.execute({sql!r}).fetchall()[:1])")
    return [PYTHON, "-c", script]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000_000, help="rows per version (default 50 M)")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "datatools-scale",
                        help="where the CSVs are generated and kept")
    parser.add_argument("--memory-limit", default="1GB", help="ours and bare DuckDB's (default 1GB)")
    parser.add_argument("--pandas-max", type=float, default=1.5,
                        help="GB of input above which the pandas path is not run (default 1.5)")
    parser.add_argument("--tools", default="profile,clean,compare")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    if args.generate_only:
        generate(args.rows, args.folder)
        return 0
    # Generated in a child, so that this process stays small (the launcher measures each run
    # apart from it all the same).
    subprocess.run([PYTHON, __file__, "--generate-only", "--rows", str(args.rows), "--folder",
                    str(args.folder)], check=True)
    first, second = (args.folder / f"scale-{args.rows}-v{n}.csv" for n in (1, 2))
    size = first.stat().st_size
    out = args.folder / "out.csv"
    cache = args.folder / "cache"
    spill = args.folder / "spill"
    spill.mkdir(exist_ok=True)
    env = {"XDG_CACHE_HOME": str(cache)}
    print(f"{args.rows:,} rows × {len(COLUMNS)} columns, {size / 1e9:.2f} GB per version; "
          f"memory limit {args.memory_limit}; {os.cpu_count()} cores")
    print(f"{'tool':<8} {'engine':<16} {'seconds':>8} {'CPU s':>7} {'peak GB':>8} {'× bare':>7}  note")
    for tool in args.tools.split(","):
        inputs = [str(first)] + ([str(second)] if tool == "compare" else [])
        extra = {"profile": [], "clean": ["-o", str(out), "--force", "--dates", "auto",
                                                   "--numbers", "auto"],
                 "compare": ["--key", "id", "-o", str(out), "--force", "--changed-only"]}[tool]
        bare_out = args.folder / "out-bare.csv"
        bare = measure(bare_duckdb(tool, first, second, bare_out, args.memory_limit, spill), cwd=ROOT)
        rows = [("bare duckdb", bare, "")]
        ours = measure([PYTHON, "-m", "datatools", tool, *inputs, "--engine", "duckdb",
                        "--memory-limit", args.memory_limit, "-q", "--json", *extra], env, ROOT,
                       capture=True)
        note = "" if ours.code == 0 else f"exit {ours.code}"
        if ours.code == 0:
            engine = json.loads(ours.stdout)["engine"]
            note = f"working copy {engine['working_copy_bytes'] / 1e9:.2f} GB on disk"
            if tool == "clean":     # the peer does the same work only if it writes the same file
                same = filecmp.cmp(out, bare_out, shallow=False)
                note += "; the same bytes as bare duckdb's" if same else "; bytes differ from bare duckdb's"
        rows.insert(0, ("datatools duckdb", ours, note))
        if size * len(inputs) <= args.pandas_max * 1e9:
            memory = measure([PYTHON, "-m", "datatools", tool, *inputs, "--engine", "memory", "-q",
                              *extra], env, ROOT)
            rows.append(("datatools memory", memory, "" if memory.code == 0 else f"exit {memory.code}"))
        else:
            rows.append(("datatools memory", None, f"not run: over --pandas-max {args.pandas_max} GB"))
        for engine, figures, note in rows:
            if figures is None:
                print(f"{tool:<8} {engine:<16} {'—':>8} {'—':>7} {'—':>8} {'—':>7}  {note}")
                continue
            ratio = figures.seconds / bare.seconds
            print(f"{tool:<8} {engine:<16} {figures.seconds:>8.1f} {figures.cpu:>7.1f} "
                  f"{figures.peak_gb:>8.2f} {ratio:>7.2f}  {note}", flush=True)
        bare_out.unlink(missing_ok=True)
    out.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
