"""No subcommand that writes can overwrite its input: same path, ./ form, absolute, symlink, hard link."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from datatools.cli import main

TABLE = "id,name,city\n1,Anna Berg,Oslo\n2,Anna Berg,Oslo\n3,Carl Dahl,Bergen\n"
OTHER = "id,name,city\n1,Anna Berg,Oslo\n3,Karl Dahl,Bergen\n4,Eva Fisk,Tromsø\n"

# Each writing subcommand, with "{input}" where the guarded input goes and "{out}" for -o's value.
COMMANDS = {
    "encoding fix": ["encoding", "fix", "{input}", "-o", "{out}"],
    "clean": ["clean", "{input}", "-o", "{out}"],
    "dedupe": ["dedupe", "{input}", "--columns", "name,city", "-o", "{out}"],
    "dedupe --merge-report": ["dedupe", "{input}", "--columns", "name,city", "--keep", "first",
                              "-o", "kept.csv", "--merge-report", "{out}"],
    "match": ["match", "{input}", "other.csv", "--on", "name", "-o", "{out}"],
    "match (right input)": ["match", "other.csv", "{input}", "--on", "name", "-o", "{out}"],
    "compare": ["compare", "other.csv", "{input}", "--key", "id", "-o", "{out}"],
}


def _same_path(folder: Path) -> str:
    return "a.csv"


def _dot_slash(folder: Path) -> str:
    return "./a.csv"


def _absolute(folder: Path) -> str:
    return str(folder / "a.csv")


def _symlink(folder: Path) -> str:
    os.symlink(folder / "a.csv", folder / "link.csv")
    return "link.csv"


def _hard_link(folder: Path) -> str:
    os.link(folder / "a.csv", folder / "hard.csv")
    return "hard.csv"


NAMES = {"same path": _same_path, "./ form": _dot_slash, "absolute": _absolute,
         "symlink": _symlink, "hard link": _hard_link}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("force", [False, True], ids=["no-force", "force"])
@pytest.mark.parametrize("name", list(NAMES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_output_naming_an_input_is_refused_and_the_input_kept(command, name, force, tmp_path,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "other.csv").write_text(OTHER, encoding="utf-8")
    before = digest(tmp_path / "a.csv"), digest(tmp_path / "other.csv")
    out_name = NAMES[name](tmp_path)
    argv = [part.format(input="a.csv", out=out_name) for part in COMMANDS[command]]
    argv += ["--quiet"] + (["--force"] if force else [])
    out, err = io.StringIO(), io.StringIO()

    code = main(argv, out, err)

    assert code == 1
    lines = err.getvalue().splitlines()
    assert lines == [f"datatools: {out_name} is an input file; inputs are never overwritten. "
                     "Choose another name."]
    assert (digest(tmp_path / "a.csv"), digest(tmp_path / "other.csv")) == before
    assert not (tmp_path / "kept.csv").exists()       # refused before any work
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_dedupe_merge_report_default_name_is_guarded_too(tmp_path, monkeypatch):
    """`--keep` without --merge-report writes OUT.merges.csv: an input of that name is kept."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kept.merges.csv").write_text(TABLE, encoding="utf-8")
    before = digest(tmp_path / "kept.merges.csv")
    err = io.StringIO()
    code = main(["dedupe", "kept.merges.csv", "--columns", "name", "--keep", "first",
                 "-o", "kept.csv", "--force", "--quiet"], io.StringIO(), err)
    assert code == 1
    assert "is an input file" in err.getvalue()
    assert digest(tmp_path / "kept.merges.csv") == before


def test_dedupe_merge_report_may_not_be_the_output_itself(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.csv").write_text(TABLE, encoding="utf-8")
    err = io.StringIO()
    code = main(["dedupe", "a.csv", "--columns", "name", "--keep", "first", "-o", "kept.csv",
                 "--merge-report", "./kept.csv", "--force", "--quiet"], io.StringIO(), err)
    assert code == 2
    assert err.getvalue() == "datatools: --merge-report must name another file than -o OUT.\n"
    assert not (tmp_path / "kept.csv").exists()


@pytest.mark.parametrize("name", ["encoding fix", "clean", "dedupe", "match", "compare"])
def test_a_dash_for_out_is_refused_and_no_file_named_dash_is_left(name, tmp_path):
    """`-o -` once wrote a file named `-`, and the next run said "- already exists"."""
    from cli_process import datatools

    (tmp_path / "a.csv").write_text(TABLE, "utf-8")
    (tmp_path / "other.csv").write_text(OTHER, "utf-8")
    argv = [part.format(input="a.csv", out="-") for part in COMMANDS[name]]
    done = datatools(*argv, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1].endswith(
        "argument -o/--output: '-' (standard output) is not a file name: the result is written to a "
        "file; give one, such as out.csv, or add --json to print the report on stdout")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "other.csv"]
