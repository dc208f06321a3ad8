"""Reading and profiling a million rows: ours beside the bare pandas pyarrow read; then the
wide-file row: 3,000 columns × 30 rows beside 10 × 9,000 (the same cells), read + profile + clean (at
defaults, and with --numbers auto --dates auto); and the same cleaning of a table whose every
column needs rewriting (decimal-comma amounts and day-first dates).

    .venv/bin/python bench/data_io.py [ROWS]      # default 1,000,000 rows × 10 text columns
    .venv/bin/python bench/data_io.py --wide      # the wide-file row only
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_file(path: Path, rows: int) -> None:
    rng = random.Random(3)
    first = ["Anna", "Jürgen", "José", "Zoë", "Łukasz", "Mary", "Peter", "Søren", "Amélie", "Li"]
    last = ["Müller", "Peña", "Smith", "Dubois", "Nowak", "Rossi", "Jensen", "Wang", "Brown"]
    cities = ["München", "Málaga", "Leeds", "Paris", "Kraków", "Roma", "København", "Austin"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("id,first,last,email,phone,zip,city,amount,date,note\n")
        for i in range(rows):
            f, l = rng.choice(first), rng.choice(last)
            handle.write(f"{i},{f},{l},{f.lower()}.{i}@example.com,+49 30 {rng.randint(1000000, 9999999)},"
                         f"{rng.randint(0, 99999):05d},{rng.choice(cities)},{rng.randint(1, 99999) / 100},"
                         f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},note {rng.randint(1, 50)}\n")


def best_of(runs: int, func) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    import pandas as pd

    from datatools.io import read_table
    from datatools.tools.profile import profile_table

    if sys.argv[1:] == ["--wide"]:
        with tempfile.TemporaryDirectory() as tmp:
            wide_row(Path(tmp))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        make_file(path, rows)
        size = path.stat().st_size / 1e6
        print(f"{rows:,} rows × 10 columns, {size:.0f} MB UTF-8 CSV (best of 3)")
        bare = best_of(3, lambda: pd.read_csv(path, engine="pyarrow"))
        bare_arrow = best_of(3, lambda: pd.read_csv(path, engine="pyarrow", dtype_backend="pyarrow"))
        c_engine = best_of(1, lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
        read = best_of(3, lambda: read_table(path))
        frame = read_table(path).frame
        profile = best_of(3, lambda: profile_table(frame))
        both = read + profile
        print(f"baseline pandas read_csv(engine='pyarrow')                 {bare:6.2f} s")
        print(f"  (pyarrow engine + dtype_backend='pyarrow'                {bare_arrow:6.2f} s)")
        print(f"  (C engine, dtype=str                                     {c_engine:6.2f} s)")
        print(f"datatools read_table (detect + verify encoding + read)     {read:6.2f} s  "
              f"{read / bare:.2f}× baseline")
        print(f"datatools profile_table                                    {profile:6.2f} s")
        print(f"datatools read + profile                                   {both:6.2f} s  "
              f"{both / bare:.2f}× baseline (goal ≤ 2×)")
        wide_row(Path(tmp))


def write_survey(path: Path, columns: int, rows: int, seed: int) -> None:
    """A survey-style table (tests/data/field_cases/make_wide.py's shape): an id, then answers
    that are digits, blanks, yes/no or 3.5."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(",".join(["id"] + [f"q{i:04d}" for i in range(1, columns)]) + "\n")
        for r in range(rows):
            handle.write(",".join([str(r + 1)] + [str(rng.choice((rng.randint(0, 9), "", "yes", "no",
                                                                   "3.5")))
                                                  for _ in range(columns - 1)]) + "\n")


def write_typed(path: Path, columns: int, rows: int, seed: int) -> None:
    """A table whose columns `clean --numbers auto --dates auto` must all rewrite: decimal-comma
    amounts grouped by points (`1.234,50`, `87,05`) beside day-first dates (`31.12.2024`)."""
    rng = random.Random(seed)

    def cell(column: int) -> str:
        if column % 2:
            return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)}"
        amount = f"{rng.randint(0, 99_999):,}".replace(",", ".")
        return f"{amount},{rng.randint(0, 99):02d}"

    with open(path, "w", encoding="utf-8") as handle:
        handle.write(",".join(f"c{i:04d}" for i in range(columns)) + "\n")
        for _ in range(rows):
            handle.write(",".join(f'"{cell(c)}"' for c in range(columns)) + "\n")


def best_cpu_of(runs: int, func) -> tuple[float, float]:
    """The best wall-clock time and the best CPU time of this process (all its threads) over
    `runs` runs: on a machine shared with other work the CPU time is the steadier figure."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def wide_row(folder: Path) -> None:
    """Every tool must be linear in cells whatever the shape: wide against tall, same cells."""
    from datatools.io import read_table, write_table
    from datatools.tools.clean import CleanOptions, clean_table
    from datatools.tools.profile import profile_read

    shapes = {"wide 3,000 × 30": (3000, 30), "tall 10 × 9,000": (10, 9000)}
    times = {}
    for label, (columns, rows) in shapes.items():
        path = folder / f"{columns}x{rows}.csv"
        write_survey(path, columns, rows, 1)
        profile = best_cpu_of(5, lambda: profile_read(read_table(path)))
        frame = read_table(path).frame
        out = folder / f"{columns}x{rows}.clean.csv"
        # Clean as the command runs it: the cleaning, then the writer's formula and CR scans.
        clean = best_cpu_of(5, lambda: write_table(clean_table(frame, CleanOptions())[0], out, force=True))
        # The same with numbers and dates read (`clean --numbers auto --dates auto`).
        typed = CleanOptions(numbers="auto", dates="auto")
        clean_typed = best_cpu_of(5, lambda: write_table(clean_table(frame, typed)[0], out, force=True))
        times[label] = (*profile, *clean, *clean_typed)
    print("\n90,000 cells, two shapes (best of 5)   read + profile (wall, CPU)   clean + write (wall, CPU)"
          "   clean --numbers auto --dates auto + write (wall, CPU)")
    for label, (pw, pc, cw, cc, nw, nc) in times.items():
        print(f"{label:<34} {pw:9.3f} s {pc:9.3f} s     {cw:9.3f} s {cc:9.3f} s     {nw:9.3f} s {nc:9.3f} s")
    wide, tall = times.values()
    print(f"{'wide / tall (goal ≤ 2×)':<34} " + "     ".join(
        f"{wide[i] / tall[i]:9.2f} × {wide[i + 1] / tall[i + 1]:9.2f} ×" for i in (0, 2, 4)))
    typed_times = {}
    for label, (columns, rows) in shapes.items():
        path = folder / f"{columns}x{rows}.typed.csv"
        write_typed(path, columns, rows, 2)
        frame = read_table(path).frame
        out = folder / f"{columns}x{rows}.typed.clean.csv"
        typed = CleanOptions(numbers="auto", dates="auto")
        typed_times[label] = best_cpu_of(3, lambda: write_table(clean_table(frame, typed)[0], out,
                                                                force=True))
    print("\nevery column rewritten: 1.234,50 and 31.12.2024 (best of 3)   "
          "clean --numbers auto --dates auto + write (wall, CPU)")
    for label, (wall, cpu) in typed_times.items():
        print(f"{label:<34} {wall:9.3f} s {cpu:9.3f} s")
    wide, tall = typed_times.values()
    print(f"{'wide / tall (goal ≤ 2×)':<34} {wide[0] / tall[0]:9.2f} × {wide[1] / tall[1]:9.2f} ×")


if __name__ == "__main__":
    main()
