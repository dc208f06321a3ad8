"""`datatools …` as a fresh process, the way a user or a script runs it (real argv, exit code,
stdout and stderr apart)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def datatools(*argv: str, cwd: Path | str) -> subprocess.CompletedProcess:
    """Run `python -m datatools ARGV` in `cwd`; text in UTF-8, at most 120 s."""
    return subprocess.run([sys.executable, "-m", "datatools", *argv], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def write_semicolons(path: Path | str, header: list[str], rows: list[list[str]]) -> None:
    """A UTF-8 CSV at `path` with `;` between cells (as German Excel saves), `header` first."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def dedupe_groups(tmp_path: Path, header: list[str], rows: list[list[str]]) -> dict[str, set[str]]:
    """Per certainty, the groups (first cells joined by `|`, sorted) the installed `datatools
    dedupe` writes at defaults over `rows`, comparing every column (`groups_by_certainty`)."""
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_semicolons(source, header, rows)
    done = datatools("dedupe", str(source), "--columns", ",".join(header), "-o", str(out),
                     "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return groups_by_certainty(out, header[0], ";")


def as_at_a_terminal() -> None:
    """`preexec_fn` for a child that gets Ctrl-C as a terminal sends it: SIGINT at its default.

    A test run started in the background of a non-interactive shell (`make test &`, nohup, some
    CI runners) has SIGINT ignored, and a child inherits that: Python then installs no
    KeyboardInterrupt handler and the child runs to the end through the test's SIGINT.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def groups_by_certainty(path: Path | str, key: str, delimiter: str = ",") -> dict[str, set[str]]:
    """The groups of a dedupe output file, per certainty: {"certain": {…}, "possible": {…}},
    each group its rows' `key` cells sorted and joined by `|`."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        found = list(csv.DictReader(handle, delimiter=delimiter))
    members: dict[str, list[dict]] = {}
    for row in found:
        if row["cluster_id"]:
            members.setdefault(row["cluster_id"], []).append(row)
    result: dict[str, set[str]] = {"certain": set(), "possible": set()}
    for group in members.values():
        result[group[0]["match_certainty"]].add("|".join(sorted(r[key] for r in group)))
    return result
