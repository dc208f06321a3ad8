"""Encoding benchmarks: detection accuracy vs charset-normalizer and chardet; fixing a 1 GB file.

    .venv/bin/python bench/encoding.py            # accuracy table + 1 GB fix
    .venv/bin/python bench/encoding.py --skip-fix # accuracy table only
    .venv/bin/python bench/encoding.py --skip-accuracy # 1 GB fix only

The fix runs in a fresh interpreter per variant so peak RSS (ru_maxrss) is the fix's own.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from encoding_corpus import WESTERN, build_corpus, decodes_right  # noqa: E402

GIGABYTE = 1 << 30


def accuracy(workdir: Path) -> None:
    import chardet
    import charset_normalizer

    from datatools.io.detect import detect_encoding

    def ours(sample, path):
        return detect_encoding(path).encoding

    def normalizer(sample, path):
        best = charset_normalizer.from_path(path).best()
        return best.encoding if best else None

    def chardet_guess(sample, path):
        return chardet.detect(sample.data)["encoding"]

    peers = {"datatools": ours, "charset-normalizer": normalizer, "chardet": chardet_guess}
    right: dict[str, dict[str, int]] = {name: defaultdict(int) for name in peers}
    total: dict[str, int] = defaultdict(int)
    seconds = defaultdict(float)
    for sample in build_corpus(include_large=True):
        path = workdir / sample.name
        path.write_bytes(sample.data)
        total[sample.category] += 1
        for name, guess in peers.items():
            start = time.perf_counter()
            answer = guess(sample, path)
            seconds[name] += time.perf_counter() - start
            right[name][sample.category] += decodes_right(sample, answer)
        path.unlink()
    names = list(peers)
    print(f"{'class':<14} {'files':>5} " + " ".join(f"{n:>19}" for n in names))
    for category in sorted(total):
        print(f"{category:<14} {total[category]:>5} " + " ".join(
            f"{right[n][category]:>9}/{total[category]:<3} {right[n][category] / total[category]:>5.0%}"
            for n in names))
    all_files = sum(total.values())
    print(f"{'overall':<14} {all_files:>5} " + " ".join(
        f"{sum(right[n].values()):>9}/{all_files:<3} {sum(right[n].values()) / all_files:>5.0%}"
        for n in names))
    print("time (s)             " + " ".join(f"{seconds[n]:>19.2f}" for n in names))


def make_cp1252_gigabyte(path: Path) -> None:
    rows = (WESTERN.replace(";", ",") * 64).encode("cp1252")
    with open(path, "wb") as handle:
        handle.write(b"name,street,city,product\n")
        written = 0
        while written < GIGABYTE:
            handle.write(rows)
            written += len(rows)


BASELINE = """
import codecs, sys
src, dst = sys.argv[1], sys.argv[2]
dec = codecs.getincrementaldecoder("cp1252")(); enc = codecs.getincrementalencoder("utf-8")()
with open(src, "rb") as r, open(dst, "wb") as w:
    while chunk := r.read(1 << 20):
        w.write(enc.encode(dec.decode(chunk)))
"""
OURS = """
import sys
from datatools.tools.encoding import fix_encoding
fix_encoding(sys.argv[1], sys.argv[2], source_encoding=sys.argv[3] or None, force=True)
"""
DETECT = """
import sys
from datatools.tools.encoding import detect_encoding
detect_encoding(sys.argv[1])
"""


# VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child of this (large)
# process would report the parent's peak.
REPORT_PEAK = ("\nprint(next(l.split()[1] for l in open('/proc/self/status') "
               "if l.startswith('VmHWM')))")


def timed(code: str, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `code` run in a fresh interpreter, as it reports itself."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + REPORT_PEAK, *args], check=True, cwd=ROOT,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stdout.split()[-1]) / 1024


def fix_speed(workdir: Path) -> None:
    source = workdir / "big-cp1252.csv"
    make_cp1252_gigabyte(source)
    size_mb = source.stat().st_size / 1e6
    out = str(workdir / "out.csv")
    print(f"\nre-encoding {size_mb:,.0f} MB cp1252 → UTF-8")
    for label, code, args in (
        ("baseline: codecs streaming loop", BASELINE, (out,)),
        ("datatools fix_encoding --from cp1252", OURS, (out, "cp1252")),
        ("datatools fix_encoding (detects first)", OURS, (out, "")),
        ("datatools detect_encoding alone", DETECT, ()),
    ):
        seconds, peak = timed(code, str(source), *args)
        print(f"{label:<42} {seconds:6.2f} s  {size_mb / seconds:7.1f} MB/s  peak RSS {peak:5.1f} MB")
        if label.startswith("baseline"):
            base = seconds
        else:
            print(f"{'':<42} ratio to baseline: {seconds / base:.2f}×")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if "--skip-accuracy" not in sys.argv:
            accuracy(workdir)
        if "--skip-fix" not in sys.argv:
            fix_speed(workdir)


if __name__ == "__main__":
    main()
