"""The hostile corpus (tests/hostile_corpus.py) through the installed `datatools` console script:
each file gets its one message and exit code, in bounded memory, never a traceback or an abort."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hostile_corpus import CASES, write_corpus

DATATOOLS = Path(sys.executable).with_name("datatools")   # the console script pip installed
PEAK_LIMIT_KB = 700 * 1024     # the parent and its reading child, each; the bomb took 2.1 GB


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("hostile"))


# Linux carries ru_maxrss across fork+exec: a child forked from this pytest process (hundreds of
# MB by now) would report pytest's own size as its peak. A small launcher interpreter therefore
# starts the console script and reports, from wait4, the peak of that grandchild (and of the
# reading child it waits for), whose inherited baseline is only the launcher's few MB.
LAUNCHER = """
import json, os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    json.dump({"code": os.waitstatus_to_exitcode(status), "peak_kb": usage.ru_maxrss}, report)
"""


def run(argv: list[str], cwd: Path) -> tuple[int, str, str, int]:
    """Run the console script; (exit code, stdout, stderr, peak memory in KiB of the process or
    of the child it waited for, from wait4's rusage in a small launcher)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as launcher_dir:      # not in cwd: tests list cwd
        report = Path(launcher_dir) / "peak.json"
        subprocess.run([sys.executable, "-c", LAUNCHER, str(report), str(DATATOOLS), *argv],
                       cwd=cwd, stdout=out, stderr=err, check=True)
        out.seek(0)
        err.seek(0)
        measured = json.loads(report.read_text())
        return measured["code"], out.read().decode(), err.read().decode(), measured["peak_kb"]


def tool_argv(tool: str, path: Path, out: Path) -> list[str]:
    return {"profile": ["profile", str(path)],
            "clean": ["clean", str(path), "-o", str(out / "clean.csv")],
            "dedupe": ["dedupe", str(path), "--columns", "name", "-o", str(out / "dedupe.csv")],
            "match": ["match", str(path), str(path), "--on", "name"],
            "compare": ["compare", str(path), str(path), "--key", "name"]}[tool]


@pytest.mark.parametrize("name", CASES)
def test_profile_answers_each_hostile_file(corpus, tmp_path, name):
    code, out, err, peak = run(["profile", "--json", str(corpus[name])], tmp_path)
    assert "Traceback" not in err
    if CASES[name] == "ok":
        assert code == 0, err
        assert json.loads(out)["rows"] >= 1
    else:
        assert code == 1, err
        assert json.loads(err)["error"]["code"] == CASES[name]
    assert peak < PEAK_LIMIT_KB


@pytest.mark.parametrize("tool, name", [("clean", "far_cell.xlsx"), ("dedupe", "zip_bomb.xlsx"),
                                        ("match", "external_entity.xlsx"),
                                        ("compare", "billion_laughs.xlsx")])
def test_every_tool_gives_one_message_and_exit_1(corpus, tmp_path, tool, name):
    code, out, err, peak = run(tool_argv(tool, corpus[name], tmp_path), tmp_path)
    assert (code, out) == (1, "")
    lines = err.strip().splitlines()
    assert lines[-1].startswith(f"datatools: {name} is refused: ")
    assert not any(line.startswith(("Traceback", "memory allocation")) for line in lines)
    assert peak < PEAK_LIMIT_KB
    assert list(tmp_path.iterdir()) == []          # nothing half-written


def test_utf16_without_bom_reads_its_text(corpus, tmp_path):
    code, out, err, _ = run(["profile", "--json", str(corpus["utf16_no_bom.csv"])], tmp_path)
    assert code == 0, err
    report = json.loads(out)
    assert [c["name"] for c in report["columns"]] == ["name", "city"]
    assert report["rows"] == 40


@pytest.mark.parametrize("encoding", ["rot13", "base64", "idna", "utf-16"])
def test_an_encoding_that_cannot_read_the_file_is_a_clear_message(tmp_path, encoding):
    source = tmp_path / "in.csv"
    source.write_text("name,city\nAnn,Graz\n", encoding="utf-8")
    code, out, err, _ = run(["profile", "--encoding", encoding, str(source)], tmp_path)
    assert "Traceback" not in err
    if encoding == "utf-16":   # a text encoding, but not this file's
        assert (code, err.strip().splitlines()[-1]) == (
            1, f"datatools: {source}: line 1 is not valid utf-16 (byte 0); name the file's "
               "encoding with --encoding.")
    else:
        assert (code, err.strip()) == (
            2, f"datatools: {encoding!r} is not a character encoding for text files; try utf-8, cp1250, "
               "cp1252 or latin-1.")
