"""Encoding benchmarks: accuracy per family vs charset-normalizer and chardet; linear-time shapes; a 1 GB fix.

    .venv-bench/bin/python bench/encoding.py                  # everything
    .venv-bench/bin/python bench/encoding.py --skip-fix       # no 1 GB fix
    .venv-bench/bin/python bench/encoding.py --skip-shapes    # no pathological shapes
    .venv-bench/bin/python bench/encoding.py --skip-accuracy  # no accuracy table
    .venv-bench/bin/python bench/encoding.py --real DIR       # real files: a chardet tests/ checkout

Accuracy: a right answer decodes the file to exactly its text (a mixed UTF-8 file: line by line,
which only we attempt). The corpus is `tests/encoding_corpus.py` (Western spreadsheet CSVs,
late bytes, UTF-16) plus `tests/encoding_scripts.py` (14 families, 54 encodings, three sizes,
and sentences of running text, whole and cut to five words).
Real files: `tests/encoding_real.py` (web pages, readmes, mail in ~40 encodings from chardet's
public test suite; the compact subset in tests/data/encoding_real/ unless --real names a
checkout's tests/ folder), per script family, the three detectors in the same run.
Timed runs happen in a fresh interpreter per variant, so peak RSS (VmHWM) is the run's own.
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

from encoding_corpus import WESTERN, build_corpus  # noqa: E402
from encoding_real import SUBSET, real_files  # noqa: E402
from encoding_scripts import multilingual_corpus, prose_samples  # noqa: E402

GIGABYTE = 1 << 30
MB = 1 << 20


def _right(sample, text_of) -> bool:
    try:
        text = text_of()
    except (LookupError, UnicodeDecodeError, TypeError):
        return False
    return text is not None and text.lstrip("\ufeff") == sample.text


def peers():
    """Each detector as a function (sample, path) → a callable giving its decoded text."""
    import chardet
    import charset_normalizer

    from datatools.io.detect import detect_encoding
    from datatools.io.mixed import decode_mixed

    def ours(sample, path):
        report = detect_encoding(path)
        if report.legacy is not None:
            return lambda: decode_mixed(sample.data, report.legacy)
        return lambda: sample.data.decode(report.encoding)

    def normalizer(sample, path):
        best = charset_normalizer.from_path(path).best()
        return lambda: sample.data.decode(best.encoding) if best else None

    def chardet_guess(sample, path):
        name = chardet.detect(sample.data)["encoding"]
        return lambda: sample.data.decode(name) if name else None

    return {"datatools": ours, f"charset-normalizer {charset_normalizer.__version__}": normalizer,
            f"chardet {chardet.__version__}": chardet_guess}


def real_accuracy(workdir: Path, root: Path) -> None:
    """Per script family: files each detector decodes to exactly their labelled text."""
    detectors = peers()
    files = real_files(root)
    right: dict[str, dict[str, int]] = {name: defaultdict(int) for name in detectors}
    total: dict[str, int] = defaultdict(int)
    misses: dict[str, list[str]] = defaultdict(list)
    for sample in files:
        path = workdir / "real.txt"
        path.write_bytes(sample.data)
        total[sample.category] += 1
        for name, guess in detectors.items():
            ok = _right(sample, guess(sample, path))
            right[name][sample.category] += ok
            if not ok and name == "datatools":
                misses[sample.category].append(sample.name)
        path.unlink()
    names = list(detectors)
    where = "compact subset" if root == SUBSET else str(root)
    print(f"\nreal files ({where}): {len(files)} files")
    _print_families(names, right, total, 20, 24)
    print(f"{'overall':<20} {len(files):>5} " + " ".join(
        f"{sum(right[n].values()):>14}/{len(files):<3} {sum(right[n].values()) / len(files):>5.0%}"
        for n in names))
    for family, missed in sorted(misses.items()):
        print(f"  datatools misses ({family}): {', '.join(missed)}")


def _print_families(names: list[str], right: dict[str, dict[str, int]], total: dict[str, int],
                    width: int, cell: int) -> None:
    """The header and one row per family: each detector's right files, count and share."""
    print(f"{'family':<{width}} {'files':>5} " + " ".join(f"{n:>{cell}}" for n in names))
    for family in sorted(total):
        print(f"{family:<{width}} {total[family]:>5} " + " ".join(
            f"{right[n][family]:>{cell - 10}}/{total[family]:<3} "
            f"{right[n][family] / total[family]:>5.0%}" for n in names))


def accuracy(workdir: Path) -> None:
    peers_ = peers()
    right: dict[str, dict[str, int]] = {name: defaultdict(int) for name in peers_}
    total: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    encodings = set()
    samples = [(f"western csv: {s.category}", s) for s in build_corpus(include_large=True)]
    samples += [(s.category, s) for s in multilingual_corpus()]
    # Five words of each sentence: short enough that some Latin pages cannot be told apart.
    samples += [(s.category, s) for s in prose_samples(words=5)]
    for family, sample in samples:
        encodings.add(sample.label)
        short = len(sample.data) < 100
        path = workdir / "sample.csv"
        path.write_bytes(sample.data)
        for key in (family, "(all files under 100 bytes)") if short else (family,):
            total[key] += 1
        for name, guess in peers_.items():
            start = time.perf_counter()
            text_of = guess(sample, path)
            seconds[name] += time.perf_counter() - start
            ok = _right(sample, text_of)
            right[name][family] += ok
            if short:
                right[name]["(all files under 100 bytes)"] += ok
        path.unlink()
    names = list(peers_)
    print(f"{len(samples)} files in {len(encodings - {'ascii'})} encodings (+ASCII)")
    _print_families(names, right, total, 32, 22)
    every = len(samples)
    print(f"{'overall':<32} {every:>5} " + " ".join(
        f"{sum(v for k, v in right[n].items() if not k.startswith('(')):>12}/{every:<3} "
        f"{sum(v for k, v in right[n].items() if not k.startswith('(')) / every:>5.0%}"
        for n in names))
    print(f"{'time (s)':<38} " + " ".join(f"{seconds[n]:>22.2f}" for n in names))


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
# The shapes time the work inside the interpreter: start-up is not the scan's cost.
DETECT_INSIDE = """
import sys, time
from datatools.tools.encoding import detect_encoding
start = time.perf_counter()
detect_encoding(sys.argv[1])
print(time.perf_counter() - start)
"""
UTF8_INSIDE = """
import codecs, sys, time
start = time.perf_counter()
dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
with open(sys.argv[1], "rb") as r:
    while chunk := r.read(1 << 20):
        dec.decode(chunk)
print(time.perf_counter() - start)
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


def make_shape(path: Path, shape: str) -> None:
    """The issue's pathological shapes for a line sampler, written in 1 MB pieces."""
    with open(path, "wb") as handle:
        if shape == "100 MB, 1 MB lines":
            line = b"a" * (MB - 4) + "é".encode() + b"\n"   # UTF-8, one accent per line
            for _ in range(100):
                handle.write(line)
        elif shape == "100 MB, one line":
            for _ in range(100):
                handle.write(b"b" * MB)
            handle.write("Müller".encode("cp1252"))         # the only non-ASCII byte, at the end
        else:  # "10 MB, a high byte every 50 KB"
            piece = b"c" * (50_000 - 8) + "; Köln\n".encode("cp1252")
            for _ in range(10 * MB // len(piece)):
                handle.write(piece)


def shapes(workdir: Path) -> None:
    print("\npathological shapes: detect_encoding beside a plain streaming UTF-8 decode")
    for shape in ("100 MB, 1 MB lines", "100 MB, one line", "10 MB, a high byte every 50 KB"):
        path = workdir / "shape.csv"
        make_shape(path, shape)
        size_mb = path.stat().st_size / 1e6
        base, _ = timed_inside(UTF8_INSIDE, str(path))
        ours, peak = timed_inside(DETECT_INSIDE, str(path))
        print(f"{shape:<32} detect {size_mb / ours:7.1f} MB/s   utf-8 decode {size_mb / base:7.1f} MB/s"
              f"   ratio {ours / base:4.2f}×   peak RSS {peak:5.1f} MB")
        path.unlink()


def timed_inside(code: str, *args: str) -> tuple[float, float]:
    """Seconds as `code` measures them itself, and peak RSS (MB), in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code + REPORT_PEAK, *args], check=True, cwd=ROOT,
                          capture_output=True, text=True)
    seconds, peak = done.stdout.split()[-2:]
    return float(seconds), int(peak) / 1024


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
            real = sys.argv[sys.argv.index("--real") + 1] if "--real" in sys.argv else None
            real_accuracy(workdir, Path(real) if real else SUBSET)
        if "--skip-shapes" not in sys.argv:
            shapes(workdir)
        if "--skip-fix" not in sys.argv:
            fix_speed(workdir)


if __name__ == "__main__":
    main()
