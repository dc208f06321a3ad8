"""Writing a result table: .csv and .xlsx at N and 2N rows, with the guarded writer, beside a
bare pandas `to_csv` / openpyxl write-only baseline of the same frame. Linear means 2N ≈ 2 × N.

    .venv/bin/python bench/writes.py [ROWS]      # default 125,000 (and 250,000) rows × 10 columns
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data_io import make_file  # noqa: E402


def seconds(func) -> float:
    start = time.process_time()
    func()
    return time.process_time() - start


def bare_xlsx(frame, target: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append(list(row))
    book.save(target)


def main() -> None:
    from datatools.io import read_table, write_table

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 125_000
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print(f"{'rows':>9}  {'format':<6} {'ours s':>8} {'bare s':>8} {'ratio':>6}  µs/row")
        for count in (rows, 2 * rows):
            make_file(work / "in.csv", count)
            frame = read_table(work / "in.csv").frame
            for suffix, bare in ((".csv", lambda t: frame.to_csv(t, index=False)),
                                 (".xlsx", lambda t: bare_xlsx(frame, t))):
                ours = seconds(lambda: write_table(frame, work / f"ours{suffix}", force=True))
                base = seconds(lambda: bare(work / f"bare{suffix}"))
                print(f"{count:>9,}  {suffix:<6} {ours:>8.2f} {base:>8.2f} {ours / base:>6.2f}  "
                      f"{ours / count * 1e6:6.1f}")


if __name__ == "__main__":
    main()
